// A lesson file's text to a Lesson, or to every mistake in it at once, each at its line and
// column, sorted by position.

import { readFile } from 'node:fs/promises';
import type { CellDraft } from './cell-draft.js';
import { readFrontMatter } from './front-matter.js';
import { sortLessonErrors, type LessonError } from './lesson-error.js';
import { scanMarkdown } from './markdown-cells.js';
import { isCellFence, parseCell, trimBlankLines } from './parse-cell.js';
import type { Lesson } from './schema.js';
import { buildSteps, checkRole } from './validate.js';

export type LessonParse = { ok: true; lesson: Lesson } | { ok: false; errors: LessonError[] };

/** `file` names the lesson in messages; nothing is read from it. */
export function parseLesson(text: string, file: string): LessonParse {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const errors: LessonError[] = [];
  const front = readFrontMatter(file, lines);
  errors.push(...front.errors);
  if (!front.closed) return { ok: false, errors };

  const { blocks, strays } = scanMarkdown(lines.slice(front.bodyStart), front.bodyStart + 1);
  for (const stray of strays) {
    errors.push({
      file,
      line: stray.line,
      column: stray.column,
      message: 'this cell is not read: a ```tcplab cell starts at the beginning of a line (at most 3 spaces in), not inside a list or a quote',
    });
  }

  const cells: CellDraft[] = [];
  let prose: string[] = [];
  for (const block of blocks) {
    if (block.kind === 'prose') {
      prose.push(block.text);
      continue;
    }
    const { fence } = block;
    if (!isCellFence(fence)) {
      if (!fence.closed) {
        errors.push({
          file,
          line: fence.line,
          column: fence.column,
          message: `this code block is never closed, so the rest of the file is code: end it with a line ${fence.marker}`,
        });
      }
      // An ordinary code block is part of the prose, exactly as written.
      prose.push(lines.slice(fence.line - 1, fence.endLine).join('\n'));
      continue;
    }
    const cell = parseCell(file, fence, proseText(prose), errors);
    prose = [];
    if (cell !== null) cells.push(cell);
  }

  const body = buildSteps(file, cells, proseText(prose), errors);
  if (front.meta !== null) checkRole(file, front.meta, front.metaAt.role, body.steps, errors);
  if (errors.length > 0 || front.meta === null || front.server === null) {
    return { ok: false, errors: sortLessonErrors(errors) };
  }
  return { ok: true, lesson: { file, meta: front.meta, metaAt: front.metaAt, server: front.server, ...body } };
}

/** Reads and parses one lesson file; a file that cannot be read is one error naming why. */
export async function readLessonFile(path: string): Promise<LessonParse> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { ok: false, errors: [{ file: path, message: `cannot read the lesson: ${describeReadError(error)}` }] };
  }
  return parseLesson(text, path);
}

export function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EEXIST') return 'it already exists';
  if (code === 'ENOTDIR') return 'a part of the path is not a folder';
  return (error as Error).message;
}

function proseText(chunks: readonly string[]): string {
  return trimBlankLines(chunks.join('\n').split('\n')).join('\n');
}
