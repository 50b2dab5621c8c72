import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Scanner, lexLine } from '../../src/lang/lexer.js';
import { SegmentSyntaxError } from '../../src/lang/syntax-error.js';
import { expectSyntaxError } from './expect-error.js';

test('lexLine splits the head word and name=value items, each with its columns', () => {
  const line = lexLine('tcp flags=SA  seq=$rx.ack+1');
  assert.deepEqual(line.head, { text: 'tcp', span: { column: 1, length: 3 } });
  assert.deepEqual(line.fields, [
    {
      name: 'flags',
      nameSpan: { column: 5, length: 5 },
      equals: { column: 10, length: 1 },
      value: 'SA',
      valueSpan: { column: 11, length: 2 },
    },
    {
      name: 'seq',
      nameSpan: { column: 15, length: 3 },
      equals: { column: 18, length: 1 },
      value: '$rx.ack+1',
      valueSpan: { column: 19, length: 9 },
    },
  ]);
});

test('a quoted string keeps its spaces and escaped quotes inside one value', () => {
  const line = lexLine('tcp data="GET / \\"x\\" HTTP/1.1\\r\\n" flags=PA');
  assert.equal(line.fields[0]?.value, '"GET / \\"x\\" HTTP/1.1\\r\\n"');
  assert.equal(line.fields[1]?.name, 'flags');
  assert.equal(line.fields[1]?.nameSpan.column, 37);
});

test('leading whitespace and tabs count as columns', () => {
  const line = lexLine('  \ttcp seq=1');
  assert.deepEqual(line.head?.span, { column: 4, length: 3 });
  assert.equal(line.fields[0]?.nameSpan.column, 8);
});

test('a line that starts with a field has no head', () => {
  const line = lexLine('flags=S seq=1');
  assert.equal(line.head, null);
  assert.equal(line.fields.length, 2);
});

test('a word without = is an item with no equals, its value empty', () => {
  const line = lexLine('tcp flags S');
  assert.equal(line.fields[0]?.equals, null);
  assert.deepEqual(line.fields[0]?.valueSpan, { column: 10, length: 0 });
  assert.equal(line.fields[1]?.name, 'S');
});

test('an unterminated string is an error at its opening quote', () => {
  expectSyntaxError(() => lexLine('tcp data="abc def'), 10, 'unterminated string at column 10; close it with "');
  expectSyntaxError(() => lexLine('tcp data="abc\\"'), 10, 'unterminated string at column 10; close it with "');
});

test('a Scanner over a span reads only that span and keeps the line columns', () => {
  const scanner = Scanner.over('tcp seq=12 ack=3', { column: 9, length: 2 });
  assert.equal(scanner.column, 9);
  assert.equal(scanner.next(), '1');
  assert.equal(scanner.next(), '2');
  assert.equal(scanner.atEnd(), true);
  assert.equal(scanner.peek(), '');
  assert.equal(scanner.describeNext(), 'end of value');
  assert.throws(() => scanner.fail('boom'), SegmentSyntaxError);
});
