import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatLessonError } from '../../src/lesson/format/lesson-error.js';
import { parseLesson } from '../../src/lesson/format/parse-lesson.js';
import { LessonSchema } from '../../src/lesson/format/schema.js';
import { exampleLesson } from '../../src/lesson/pack/example-lesson.js';
import { JsonSyntaxError, parseJsonDocument } from '../../src/lesson/pack/json-source.js';
import { fixturePath } from '../support/run-cli.js';

// Whatever an instructor writes, the answer is a Lesson or positioned errors, never a crash.

const SOURCES = [readFileSync(fixturePath('lessons', 'handshake.md'), 'utf8'), readFileSync(fixturePath('lessons', 'be-the-server.md'), 'utf8'), exampleLesson('zh-CN')];

const fragment = fc.constantFrom(
  '---', '```', '~~~', '````', 'tcplab', ' send', ' check', ' expect', ' events', ' silence 1s', ' hint', ' solution', ' run',
  'tcp flags=S', 'recv flags=SA', 'expect ', 'app received data="x"', 'state CLOSE-WAIT', ' -- ', '  ok: ', '  fail: ', '#', '$rx.seq',
  '$pkt[0]', 'server close-after=', 'connect', 'wait ', 'id: ', 'title: ', 'language: zh-CN', 'role: server', '"', "'", ':', '- ', '> ',
  '<!--', '-->', '\t', '    ', '*x', '&a', '{', '[', ']', '\n', '\n', '\n', 'é', '中',
);
const text = fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join(''));

/** A real lesson with some of its lines deleted, doubled or replaced by fragments. */
const mutated = fc
  .tuple(fc.constantFrom(...SOURCES), fc.array(fc.tuple(fc.nat(), fc.constantFrom('delete', 'double', 'replace'), fc.array(fragment, { maxLength: 6 })), { maxLength: 6 }))
  .map(([source, edits]) => {
    const lines = source.split('\n');
    for (const [at, edit, parts] of edits) {
      const i = at % lines.length;
      if (edit === 'delete') lines.splice(i, 1);
      else if (edit === 'double') lines.splice(i, 0, lines[i] ?? '');
      else lines[i] = parts.join('');
    }
    return lines.join('\n');
  });

function checkParse(source: string): void {
  const parsed = parseLesson(source, 'x.md');
  if (parsed.ok) {
    LessonSchema.parse(parsed.lesson);
    return;
  }
  assert.ok(parsed.errors.length > 0);
  const lineCount = source.split(/\r\n|\n|\r/).length;
  const formatted = parsed.errors.map(formatLessonError);
  for (const [i, error] of parsed.errors.entries()) {
    assert.ok(error.line !== undefined && error.line >= 1 && error.line <= lineCount, `${formatted[i]} is outside the file`);
    assert.ok(error.column !== undefined && error.column >= 1, formatted[i]);
    // Columns a message mentions ("already set at column 13") are the file's, on the same line.
    const width = (source.split(/\r\n|\n|\r/)[(error.line ?? 1) - 1] ?? '').length + 1;
    for (const match of error.message.matchAll(/\bcolumn (\d+)/g)) assert.ok(Number(match[1]) <= width && Number(match[1]) < (error.column ?? 0), formatted[i]);
  }
  const positions = parsed.errors.map((error) => (error.line ?? 0) * 1e6 + (error.column ?? 0));
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'sorted by position');
}

test('random documents parse or fail with positioned, sorted errors', () => {
  fc.assert(fc.property(text, (source) => checkParse(`---\nid: t\ntitle: T\nsummary: S\nlanguage: en\n---\n${source}`)), { numRuns: 1500 });
  fc.assert(fc.property(text, checkParse), { numRuns: 500 });
});

test('real lessons with lines deleted, doubled or replaced parse or fail with positioned errors', () => {
  fc.assert(fc.property(mutated, checkParse), { numRuns: 1500 });
});

test('YAML that would expand without end is an error, not a crash', () => {
  const bomb = ['---', 'a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`), '---'].join('\n');
  checkParse(bomb);
});

test('any text either reads as JSON, as JSON.parse reads it, or fails with a JsonSyntaxError inside it', () => {
  fc.assert(
    fc.property(fc.oneof(fc.json(), fc.string({ maxLength: 30 }), fc.json().map((json) => json.slice(0, -1))), (source) => {
      let expected: unknown;
      let valid = true;
      try {
        expected = JSON.parse(source);
      } catch {
        valid = false;
      }
      try {
        const doc = parseJsonDocument(source);
        assert.ok(valid, `${JSON.stringify(source)} is not JSON`);
        assert.deepEqual(doc.value, expected);
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        assert.ok(error instanceof JsonSyntaxError, String(error));
        assert.ok(!valid, `${JSON.stringify(source)} is JSON: ${error.message}`);
        assert.ok(error.offset >= 0 && error.offset <= source.length);
      }
    }),
    { numRuns: 3000 },
  );
});
