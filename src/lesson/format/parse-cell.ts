// One fenced ```tcplab KIND cell to a CellDraft: the info string read, the content parsed by
// the cell's kind, every mistake at its line and column.

import { suggest } from '../../lang/suggest.js';
import { aCell, CELL_KINDS, CELL_TAG, type CellKind } from './cell-kinds.js';
import type { CellDraft } from './cell-draft.js';
import { readCheckCell, readEventsCell, readExpectCell, readSilenceCell, sourceText } from './expectation-cells.js';
import { parseSegmentAt } from './lang-text.js';
import type { LessonError, Position } from './lesson-error.js';
import type { Fence, SourceLine } from './markdown-cells.js';
import { readRunCell } from './run-cell.js';

/** True when the fence is a tcplab cell (its info string starts with the word `tcplab`), not an ordinary code block. */
export function isCellFence(fence: Fence): boolean {
  return fence.info.split(/\s+/)[0] === CELL_TAG;
}

/**
 * The cell in a tcplab fence, or null when its kind is unknown. A misspelt kind with a
 * close match is read as that kind for the step structure only (its content unread), so the
 * cells after it are not reported as misplaced too.
 */
export function parseCell(file: string, fence: Fence, prose: string, errors: LessonError[]): CellDraft | null {
  const at: Position = { line: fence.line, column: fence.column };
  const words = infoWords(fence);
  const kindWord = words[1];
  if (!fence.closed) {
    errors.push({ file, ...at, message: `this cell is never closed: end it with a line ${fence.marker}` });
  }
  if (kindWord === undefined) {
    errors.push({ file, ...at, message: `a cell needs a kind after '${CELL_TAG}': ${CELL_KINDS.join(', ')}` });
    return null;
  }
  const kind = CELL_KINDS.find((candidate) => candidate === kindWord.text);
  if (kind === undefined) {
    const guess = CELL_KINDS.find((candidate) => candidate === suggest(kindWord.text, CELL_KINDS));
    errors.push({
      file,
      line: kindWord.line,
      column: kindWord.column,
      message: `unknown cell '${CELL_TAG} ${kindWord.text}'; ${guess === undefined ? `the cells are ${CELL_KINDS.join(', ')}` : `did you mean '${guess}'?`}`,
    });
    return guess === undefined ? null : placeholder(guess, at, prose);
  }
  const args = words.slice(2);
  if (kind !== 'silence' && args[0] !== undefined) {
    errors.push({ file, line: args[0].line, column: args[0].column, message: `${aCell(kind)} takes nothing after '${kind}'` });
  }
  if (kind === 'silence' && args[1] !== undefined) {
    errors.push({ file, line: args[1].line, column: args[1].column, message: 'silence takes one duration, e.g. ```tcplab silence 1s' });
  }
  if (!fence.closed) return placeholder(kind, at, prose);

  return readContent(file, kind, at, args[0] ?? null, fence.body, prose, errors);
}

function readContent(
  file: string,
  kind: CellKind,
  at: Position,
  arg: SourceLine | null,
  body: readonly SourceLine[],
  prose: string,
  errors: LessonError[],
): CellDraft {
  const base = { at, prose };
  switch (kind) {
    case 'send':
      return { ...base, kind, template: readSegmentCell(file, at, body, errors, false) };
    case 'solution':
      return { ...base, kind, solution: readSegmentCell(file, at, body, errors, true) };
    case 'check':
      return { ...base, kind, checks: readCheckCell(file, at, body, errors) };
    case 'expect':
      return { ...base, kind, expectations: readExpectCell(file, at, body, errors) };
    case 'events':
      return { ...base, kind, expectations: readEventsCell(file, at, body, errors) };
    case 'silence':
      return { ...base, kind, expectations: readSilenceCell(file, at, arg, body, errors) };
    case 'hint': {
      const markdown = trimBlankLines(body.map((line) => line.text)).join('\n');
      if (markdown === '') errors.push({ file, ...at, message: 'a hint cell is empty: write the hint in it, in Markdown' });
      return { ...base, kind, hint: { markdown, at } };
    }
    case 'run':
      return { ...base, kind, commands: readRunCell(file, at, body, errors) };
  }
}

/** A send cell's template (optional) or a solution (required): one `tcp ...` line. */
function readSegmentCell(file: string, at: Position, body: readonly SourceLine[], errors: LessonError[], required: boolean) {
  const lines = body
    .map((line) => {
      const indent = line.text.length - line.text.trimStart().length;
      return { text: line.text.trim(), line: line.line, column: line.column + indent };
    })
    .filter((line) => line.text !== '' && !line.text.startsWith('#'));
  const [first, second] = lines;
  const what = required ? 'a solution cell' : 'a send cell';
  if (second !== undefined) {
    errors.push({ file, line: second.line, column: second.column, message: `${what} holds one segment; a step sends one, so start another step for the next` });
  }
  if (first === undefined) {
    if (required) errors.push({ file, ...at, message: 'a solution cell holds the segment that passes the step, e.g. tcp flags=S seq=1000' });
    return null;
  }
  if (/^send\s/.test(first.text)) {
    errors.push({ file, line: first.line, column: first.column, message: `${what} holds the segment alone: write 'tcp ...' without 'send'` });
    return null;
  }
  return parseSegmentAt(file, first, errors) === null ? null : sourceText(first);
}

function placeholder(kind: CellKind, at: Position, prose: string): CellDraft {
  const base = { at, prose, unread: true };
  switch (kind) {
    case 'send':
      return { ...base, kind, template: null };
    case 'solution':
      return { ...base, kind, solution: null };
    case 'check':
      return { ...base, kind, checks: [] };
    case 'expect':
    case 'events':
    case 'silence':
      return { ...base, kind, expectations: [] };
    case 'hint':
      return { ...base, kind, hint: { markdown: '', at } };
    case 'run':
      return { ...base, kind, commands: [] };
  }
}

/** The info string's words with their columns. */
function infoWords(fence: Fence): SourceLine[] {
  return [...fence.info.matchAll(/\S+/g)].map((match) => ({ text: match[0], line: fence.line, column: fence.infoColumn + (match.index ?? 0) }));
}

export function trimBlankLines(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? '').trim() === '') start += 1;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end -= 1;
  return lines.slice(start, end);
}
