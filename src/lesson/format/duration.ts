import { SegmentSyntaxError } from '../../lang/syntax-error.js';

/** Longer than a TIME-WAIT on sim (60 s), short enough that a mistyped unit is caught. */
export const MAX_DURATION_MS = 600_000;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s)?$/;

/**
 * `1s`, `500ms`, `1.5s`, or a bare number of seconds (`2`), as `recv ... timeout=2` reads it.
 * Columns in the error count from `column`, where the text starts in its line.
 */
export function parseDuration(text: string, column = 1, what = 'a duration'): number {
  const match = DURATION.exec(text);
  const at = { column, length: Math.max(1, text.length) };
  if (match === null) {
    const got = text === '' ? 'nothing' : `'${text}'`;
    throw new SegmentSyntaxError(`expected ${what} such as 1s or 500ms, got ${got}`, at);
  }
  const amount = Number(match[1]);
  const ms = Math.round(match[2] === 'ms' ? amount : amount * 1000);
  if (ms <= 0) throw new SegmentSyntaxError(`the ${what.replace(/^an? /, '')} must be more than 0, got '${text}'`, at);
  if (ms > MAX_DURATION_MS) throw new SegmentSyntaxError(`the ${what.replace(/^an? /, '')} must be at most ${MAX_DURATION_MS / 1000}s, got '${text}'`, at);
  return ms;
}

const SECONDS = /^\d+(?:\.\d+)?$/;

/**
 * `timeout=2` or `timeout=0.5` on a recv, app or state line: seconds, written as the REPL's
 * recv takes them, so the line runs unchanged in a session.
 */
export function parseTimeoutSeconds(text: string, column = 1): number {
  const at = { column, length: Math.max(1, text.length) };
  if (!SECONDS.test(text)) throw new SegmentSyntaxError(`timeout is in seconds, got '${text}'`, at, 'e.g. timeout=2 or timeout=0.5');
  const ms = Math.round(Number(text) * 1000);
  if (ms <= 0) throw new SegmentSyntaxError(`timeout must be more than 0, got '${text}'`, at);
  if (ms > MAX_DURATION_MS) throw new SegmentSyntaxError(`timeout is at most ${MAX_DURATION_MS / 1000} seconds, got ${text}`, at);
  return ms;
}
