import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSegment } from '../../src/lang/index.js';
import { SegmentSyntaxError, pointAt } from '../../src/lang/syntax-error.js';

test('the message says where, then gives the hint', () => {
  const error = new SegmentSyntaxError("unknown field 'flgs'", { column: 5, length: 4 }, "did you mean 'flags'?");
  assert.equal(error.message, "unknown field 'flgs' at column 5; did you mean 'flags'?");
  assert.equal(error.name, 'SegmentSyntaxError');
  assert.equal(error.column, 5);
  assert.equal(error.length, 4);
  assert.ok(error instanceof Error);
  assert.equal(new SegmentSyntaxError('oops', { column: 1 }).message, 'oops at column 1');
});

test('pointAt puts carets under the span, tabs kept so they line up', () => {
  const text = 'tcp flgs=S';
  let caught: unknown;
  try {
    parseSegment(text);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof SegmentSyntaxError);
  assert.equal(pointAt(text, caught), 'tcp flgs=S\n    ^^^^');
  assert.equal(pointAt('\ttcp x', new SegmentSyntaxError('x', { column: 6 })), '\ttcp x\n\t    ^');
});
