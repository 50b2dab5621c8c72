import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CELL_KINDS } from '../../src/lesson/format/cell-kinds.js';
import { formatLessonError, type LessonError } from '../../src/lesson/format/lesson-error.js';
import { scanMarkdown } from '../../src/lesson/format/markdown-cells.js';
import { isCellFence, parseCell } from '../../src/lesson/format/parse-cell.js';
import { parseLesson } from '../../src/lesson/format/parse-lesson.js';
import { RUN_COMMANDS } from '../../src/lesson/format/run-cell.js';
import { AppEventKindSchema, FrontMatterSchema, TcpStateSchema } from '../../src/lesson/format/schema.js';
import { SERVER_BEHAVIOUR_SYNTAX } from '../../src/lesson/format/server-spec.js';
import { PackageJsonSchema, PackManifestSchema } from '../../src/lesson/pack/manifest.js';
import { projectRoot } from '../support/project-root.js';

// The reference is what an instructor writes from: hold its examples, its quoted output and
// its tables to what tcplab really does.

interface Example {
  info: string;
  text: string;
  /** The prose just before it, to tell the broken example from the others. */
  before: string;
}

function examples(markdown: string): Example[] {
  const { blocks } = scanMarkdown(markdown.split('\n'));
  return blocks.flatMap((block, i) => {
    if (block.kind !== 'fence') return [];
    const previous = blocks[i - 1];
    return [{ info: block.fence.info, text: block.fence.body.map((line) => line.text).join('\n'), before: previous?.kind === 'prose' ? previous.text : '' }];
  });
}

for (const name of ['lesson-format.md', 'lesson-format.zh-CN.md']) {
  const reference = readFileSync(join(projectRoot(), 'docs', name), 'utf8');
  const blocks = examples(reference);
  const lessons = blocks.filter((block) => block.info === 'markdown' && block.text.startsWith('---\n'));
  const broken = lessons.filter((block) => /closing\.md/.test(block.before));
  const sound = lessons.filter((block) => !broken.includes(block));

  describe(`docs/${name}`, () => {
    test('its complete lessons parse', () => {
      assert.ok(sound.length >= 1);
      for (const example of sound) {
        const parsed = parseLesson(example.text, 'example.md');
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.map(formatLessonError).join('\n'));
      }
    });

    test('every cell it shows reads without a mistake', () => {
      let cells = 0;
      for (const example of blocks.filter((block) => block.info === 'markdown' && !broken.includes(block))) {
        for (const block of scanMarkdown(example.text.split('\n')).blocks) {
          if (block.kind !== 'fence' || !isCellFence(block.fence)) continue;
          const errors: LessonError[] = [];
          parseCell('example.md', block.fence, '', errors);
          assert.deepEqual(errors.map(formatLessonError), [], block.fence.body.map((line) => line.text).join('\n'));
          cells += 1;
        }
      }
      assert.ok(cells >= CELL_KINDS.length, `only ${cells} cells`);
    });

    test('the broken example gives exactly the output it quotes', () => {
      assert.equal(broken.length, 1);
      const parsed = parseLesson(broken[0]!.text, 'closing.md');
      assert.ok(!parsed.ok);
      const output = blocks[blocks.indexOf(broken[0]!) + 1]!.text.split('\n');
      const count = parsed.errors.length;
      assert.deepEqual([...parsed.errors.map(formatLessonError), `${count} mistakes in 1 file`], output);
    });

    test('its manifests are manifests', () => {
      const json = blocks.filter((block) => block.info === 'json' && block.text.includes('"lessons"'));
      assert.equal(json.length, 2);
      for (const block of json) {
        const value = JSON.parse(block.text);
        const result = 'tcplab' in value ? PackageJsonSchema.safeParse(value) : PackManifestSchema.safeParse(value);
        assert.ok(result.success, JSON.stringify(result.error?.issues));
      }
    });

    test('its tables name every front-matter field, cell, behaviour, run command, app event and state', () => {
      const code = new Set([...reference.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]));
      const missing = [
        ...Object.keys(FrontMatterSchema.shape).filter((field) => !code.has(field)),
        ...CELL_KINDS.filter((kind) => !new RegExp(`^### ${kind}$`, 'm').test(reference)),
        ...SERVER_BEHAVIOUR_SYNTAX.filter(({ name }) => ![...code].some((text) => text === name || text?.startsWith(`${name}=`))).map(({ name }) => name),
        ...RUN_COMMANDS.filter(({ name }) => ![...code].some((text) => text?.split(' ')[0] === name)).map(({ name }) => name),
        ...AppEventKindSchema.options.filter((event) => !reference.includes(`app ${event}`)),
        ...TcpStateSchema.options.filter((state) => !code.has(state)),
      ];
      assert.deepEqual(missing, []);
    });
  });
}
