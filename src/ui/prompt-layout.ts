/**
 * Where the line being edited goes on one row of the terminal. A line longer than the row
 * scrolls sideways so the cursor is always in view, with an ellipsis on a side that has
 * more; wide characters are never cut in half.
 */
import { graphemes, graphemeWidth, textWidth } from '../session/text-width.js';

export const PROMPT_SIGN = 'tcplab> ';

/** An error shown under the input: the message, and where it points when the line still reads as it did. */
export interface PromptError {
  message: string;
  input: string;
  column?: number;
  length?: number;
}

/** Clusters kept in view after the cursor when the line scrolls. */
const RIGHT_CONTEXT = 8;

export interface PromptRow {
  /** Drawn before the cursor, including a leading ellipsis when scrolled. */
  before: string;
  /** The cluster under the cursor, drawn in reverse video; a space at the end of the line. */
  atCursor: string;
  /** Drawn after the cursor, including a trailing ellipsis when there is more. */
  after: string;
  /** The column (from 0, after the prompt) where the cursor is drawn. */
  cursorColumn: number;
}

/**
 * Lays out `text` with its cursor (a UTF-16 index on a cluster boundary) in `width` columns.
 * `width` is what is left after the prompt sign; at least 2 columns are assumed.
 */
export function layoutPromptRow(text: string, cursor: number, width: number): PromptRow {
  const room = Math.max(2, width);
  const clusters = graphemes(text);
  let at = 0;
  let cursorIndex = clusters.length;
  for (let i = 0; i < clusters.length; i++) {
    if (at >= cursor) {
      cursorIndex = i;
      break;
    }
    at += clusters[i]!.length;
  }
  const widths = clusters.map(graphemeWidth);
  const atCursor = clusters[cursorIndex] ?? ' ';

  if (textWidth(text) + (cursorIndex === clusters.length ? 1 : 0) <= room) {
    const before = clusters.slice(0, cursorIndex).join('');
    return { before, atCursor, after: clusters.slice(cursorIndex + 1).join(''), cursorColumn: textWidth(before) };
  }

  // Scrolled: a window of clusters around the cursor, with a column for '…' on each side
  // that hides something. A little text after the cursor stays in view, the rest goes left.
  const endOf = clusters.length;
  const fits = (s: number, e: number) => {
    let w = cursorIndex === endOf ? 1 : 0;
    for (let i = s; i < e; i++) w += widths[i]!;
    return w + (s > 0 ? 1 : 0) + (e < endOf ? 1 : 0) <= room;
  };
  let start = cursorIndex;
  let end = Math.min(endOf, cursorIndex + 1);
  const context = Math.min(RIGHT_CONTEXT, Math.floor(room / 4));
  while (end < endOf && end - cursorIndex <= context && fits(start, end + 1)) end++;
  while (start > 0 && fits(start - 1, end)) start--;
  while (end < endOf && fits(start, end + 1)) end++;
  const leftHidden = start > 0;
  const rightHidden = end < endOf;
  const before = (leftHidden ? '…' : '') + clusters.slice(start, cursorIndex).join('');
  const after = clusters.slice(cursorIndex + 1, end).join('') + (rightHidden ? '…' : '');
  return { before, atCursor, after, cursorColumn: textWidth(before) };
}

/**
 * The line under the input that points at an error: spaces up to the 1-based UTF-16 column,
 * then carets as wide as the text they point at (at least one).
 */
export function caretLine(input: string, column: number, length = 1): string {
  const start = Math.min(Math.max(0, column - 1), input.length);
  const end = Math.min(input.length, start + Math.max(1, length));
  const pad = textWidth(input.slice(0, start).replace(/\t/g, ' '));
  const span = Math.max(1, textWidth(input.slice(start, end)));
  return `${' '.repeat(pad)}${'^'.repeat(span)}`;
}
