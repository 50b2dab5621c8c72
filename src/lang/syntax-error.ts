/** Where something sits in a line of segment text: 1-based column and length in characters. */
export interface Span {
  column: number;
  length: number;
}

/**
 * The one error the segment language raises, for syntax and for resolution alike, so every
 * caller (REPL, lessons, `tcplab encode`) can point at the exact spot with a caret.
 */
export class SegmentSyntaxError extends Error {
  override name = 'SegmentSyntaxError';
  readonly column: number;
  readonly length?: number;

  /** `problem` reads as a phrase ("unknown field 'flgs'"); `hint` follows after a semicolon. */
  constructor(problem: string, at: Span | { column: number; length?: number }, hint?: string) {
    super(`${problem} at column ${at.column}${hint ? `; ${hint}` : ''}`);
    this.column = at.column;
    if (at.length !== undefined) this.length = at.length;
  }
}

/**
 * The line and a caret under the offending span, for a terminal:
 *   tcp flgs=S
 *       ^^^^
 */
export function pointAt(text: string, error: SegmentSyntaxError): string {
  const carets = '^'.repeat(Math.max(1, error.length ?? 1));
  // Keep tabs as tabs so the caret lines up however the terminal expands them.
  const indent = text.slice(0, Math.max(0, error.column - 1)).replace(/[^\t]/g, ' ');
  return `${text}\n${indent}${carets}`;
}
