// The line grammar shared by check, expect and events cells, and silence's body:
//
//   HEAD -- the sentence shown when it fails
//     ok: the sentence shown when it passes
//     a further indented line continues the sentence above it
//
// `fail: ...` on an indented line is the long form of ` -- ...`. Blank lines and lines
// starting with `#` are skipped.

import type { SourceLine } from './markdown-cells.js';
import type { LessonError } from './lesson-error.js';

export interface Item {
  /** The text before ` -- `, without trailing spaces; where it starts. */
  head: SourceLine;
  fail: string | null;
  ok: string | null;
}

export interface Sentences {
  fail: string | null;
  ok: string | null;
}

type Key = 'fail' | 'ok';

const KEYED = /^(ok|fail):(?:[ \t]+|$)(.*)$/;

/** Items of a check, expect or events cell. */
export function readItems(file: string, lines: readonly SourceLine[], errors: LessonError[]): Item[] {
  const items: Item[] = [];
  let last: Key | null = null;
  for (const line of lines) {
    const trimmed = line.text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = line.text.length - line.text.trimStart().length;
    const at = { file, line: line.line, column: line.column + indent };
    if (indent === 0) {
      const { head, fail, failColumn } = splitFail(line.text);
      if (fail === '') {
        errors.push({ ...at, column: line.column + failColumn, message: "nothing after ' -- ': write the sentence shown when this fails" });
      }
      items.push({ head: { text: head, line: line.line, column: line.column }, fail: fail === '' ? null : fail, ok: null });
      last = fail === null || fail === '' ? null : 'fail';
      continue;
    }
    const item = items[items.length - 1];
    if (item === undefined) {
      errors.push({ ...at, message: 'an indented line belongs to the line above it, and there is none' });
      continue;
    }
    last = addSentenceLine(item, last, trimmed, at, errors);
  }
  return items;
}

/** The body of a silence cell: only `fail:` and `ok:` sentences, each possibly continued. */
export function readSentences(file: string, lines: readonly SourceLine[], errors: LessonError[]): Sentences {
  const sentences: Sentences = { fail: null, ok: null };
  let last: Key | null = null;
  for (const line of lines) {
    const trimmed = line.text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = line.text.length - line.text.trimStart().length;
    const at = { file, line: line.line, column: line.column + indent };
    if (indent === 0 && !KEYED.test(trimmed)) {
      errors.push({ ...at, message: `expected 'fail:' or 'ok:' and a sentence, got '${trimmed}'` });
      last = null;
      continue;
    }
    last = addSentenceLine(sentences, last, trimmed, at, errors);
  }
  return sentences;
}

function addSentenceLine(target: Sentences, last: Key | null, trimmed: string, at: Omit<LessonError, 'message'>, errors: LessonError[]): Key | null {
  const keyed = KEYED.exec(trimmed);
  if (keyed !== null) {
    const key = keyed[1] as Key;
    const text = (keyed[2] ?? '').trim();
    if (target[key] !== null) {
      const already = key === 'fail' ? "this already has its 'fail:' sentence (' -- ' on the line gives one too)" : "this already has its 'ok:' sentence";
      errors.push({ ...at, message: already });
      return null;
    }
    if (text === '') {
      errors.push({ ...at, message: `nothing after '${key}:': write the sentence` });
      return null;
    }
    target[key] = text;
    return key;
  }
  if (last === null) {
    errors.push({ ...at, message: "an indented line continues a sentence: start one with 'fail:' or 'ok:' (or ' -- ' on the line above)" });
    return null;
  }
  target[last] = joinLines(target[last] ?? '', trimmed);
  return last;
}

/**
 * Splits `head -- sentence` at the first ` -- ` outside a double-quoted string, so
 * `data="a -- b"` stays whole. `fail` is null when there is no separator, '' when nothing follows it.
 */
export function splitFail(text: string): { head: string; fail: string | null; failColumn: number } {
  const bare = /^--(?:[ \t]+|$)/.exec(text);
  if (bare !== null) return { head: '', fail: text.slice(bare[0].length).trim(), failColumn: bare[0].length + 1 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '\\') {
      i += 1;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === ' ' && text.startsWith(' --', i) && (i + 3 === text.length || /[ \t]/.test(text[i + 3] ?? ''))) {
      const rest = text.slice(i + 3);
      const fail = rest.trim();
      return { head: text.slice(0, i).trimEnd(), fail, failColumn: i + 3 + (rest.length - rest.trimStart().length) + 1 };
    }
  }
  return { head: text.trimEnd(), fail: null, failColumn: text.length + 1 };
}

/** Chinese and Japanese text has no spaces between words: a line break there is no space either. */
const CJK_EDGE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/u;

function joinLines(before: string, after: string): string {
  const touching = CJK_EDGE.test(before.slice(-1)) || CJK_EDGE.test(after.charAt(0));
  return touching ? `${before}${after}` : `${before} ${after}`;
}
