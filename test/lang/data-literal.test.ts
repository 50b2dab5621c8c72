import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDataLiteral, parseDataLiteral } from '../../src/lang/data-literal.js';
import { Scanner } from '../../src/lang/lexer.js';
import { expectSyntaxError } from './expect-error.js';

/** The bytes of a data value written at column 6, as in `data=...`. */
function bytes(value: string): number[] {
  const scanner = new Scanner(`data=${value}`, 5);
  const literal = parseDataLiteral(scanner);
  assert.equal(scanner.atEnd(), true);
  return [...literal.bytes];
}

const ascii = (text: string): number[] => [...Buffer.from(text, 'latin1')];

test('a quoted string with C escapes', () => {
  assert.deepEqual(bytes('"hello\\r\\n"'), ascii('hello\r\n'));
  assert.deepEqual(bytes('""'), []);
  assert.deepEqual(bytes('"a b\\tc"'), ascii('a b\tc'));
  assert.deepEqual(bytes('"\\"q\\" \\\\ \\\'"'), ascii('"q" \\ \''));
  assert.deepEqual(bytes('"\\0\\x00\\xff\\x7F"'), [0, 0, 0xff, 0x7f]);
  assert.deepEqual(bytes('"\\a\\b\\f\\v\\e"'), [7, 8, 12, 11, 27]);
  assert.deepEqual(bytes('"\\101\\0121\\377"'), [0x41, 0x0a, 0x31, 0xff]);
});

test('characters beyond ASCII are sent as UTF-8', () => {
  assert.deepEqual(bytes('"é€😀"'), [...Buffer.from('é€😀', 'utf8')]);
});

test('hex after 0x, either case', () => {
  assert.deepEqual(bytes('0x68656c6c6f'), ascii('hello'));
  assert.deepEqual(bytes('0XDEADbeef'), [0xde, 0xad, 0xbe, 0xef]);
});

test('errors point at the column', () => {
  expectSyntaxError(() => bytes('0x123'), 8, 'data has an odd number of hex digits (3) at column 8; each byte takes two digits, e.g. 0a not a', 3);
  expectSyntaxError(() => bytes('0x12zz'), 10, "'z' is not a hex digit at column 10; data is written in 0-9 and a-f");
  expectSyntaxError(() => bytes('0x'), 8, 'expected hex digits after \'0x\', got end of value at column 8; write data="" for no data');
  expectSyntaxError(() => bytes('"abc'), 6, 'unterminated string at column 6; close it with "', 4);
  expectSyntaxError(
    () => bytes('"a\\qb"'),
    8,
    'unknown escape \'\\q\' at column 8; escapes are \\\\ \\" \\n \\r \\t \\0 \\a \\b \\f \\v \\e \\xHH and octal \\NNN',
    2,
  );
  expectSyntaxError(() => bytes('"\\x4"'), 7, "'\\x' needs two hex digits at column 7; e.g. \\x00 or \\x7f", 3);
  expectSyntaxError(() => bytes('"\\477"'), 7, "octal escape '\\477' is more than one byte at column 7; the largest is \\377");
  expectSyntaxError(() => bytes('hello'), 6, 'data must be a quoted string or 0x hex, got \'hello\' at column 6; write data="hello\\r\\n" or data=0x68656c6c6f', 5);
});

test('formatDataLiteral quotes text and writes binary as hex; both read back', () => {
  const cases: Array<[number[], string]> = [
    [ascii('hello\r\n'), '"hello\\r\\n"'],
    [ascii('say "hi" \\ bye\t'), '"say \\"hi\\" \\\\ bye\\t"'],
    [[0, 5, ...ascii('hello')], '"\\x00\\x05hello"'],
    [[0, 5, 0xff], '0x0005ff'],
    [[], '""'],
  ];
  for (const [input, text] of cases) {
    assert.equal(formatDataLiteral(Uint8Array.from(input)), text);
    assert.deepEqual(bytes(text), input);
  }
});
