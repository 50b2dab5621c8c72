import assert from 'node:assert/strict';
import { SegmentSyntaxError } from '../../src/lang/syntax-error.js';

/** Runs `action`, which must throw a SegmentSyntaxError at `column` with exactly `message`. */
export function expectSyntaxError(action: () => unknown, column: number, message: string, length?: number): SegmentSyntaxError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof SegmentSyntaxError, `expected a SegmentSyntaxError, got ${String(caught)}`);
  assert.equal(caught.message, message);
  assert.equal(caught.column, column);
  assert.match(caught.message, new RegExp(`at column ${column}\\b`));
  if (length !== undefined) assert.equal(caught.length, length);
  return caught;
}
