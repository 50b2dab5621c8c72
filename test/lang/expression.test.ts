import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  evaluateExpression,
  parseExpression,
  parseVariableRef,
  resolveNumber,
  type Expression,
  type Resolver,
  type VariableRef,
} from '../../src/lang/expression.js';
import { Scanner } from '../../src/lang/lexer.js';
import { expectSyntaxError } from './expect-error.js';

/** Parse an expression that makes up the whole of `text`, as a value would. */
function parse(text: string): Expression {
  const scanner = new Scanner(text);
  const expression = parseExpression(scanner);
  assert.equal(scanner.atEnd(), true, `left over: ${scanner.rest()}`);
  return expression;
}

const vars: Record<string, number | string> = {
  '$rx.seq': 4294967290,
  '$rx.len': 10,
  '$tx.seq': 1000,
  '$tx.len': 5,
  '$rx[-2].ack': 77,
  '$pkt[3].win': 512,
  '$server.port': 7,
  '$server.addr': '10.0.0.2',
  '$n': 3,
};
const resolve: Resolver = (ref) => vars[ref.text];

test('integers in decimal and hex', () => {
  assert.equal(evaluateExpression(parse('1460'), resolve), 1460);
  assert.equal(evaluateExpression(parse('0x5b4'), resolve), 1460);
  assert.equal(evaluateExpression(parse('0XFFFF'), resolve), 0xffff);
  assert.equal(evaluateExpression(parse('0'), resolve), 0);
});

test('+ and - left to right over numbers and variables, with parentheses', () => {
  assert.equal(evaluateExpression(parse('$tx.seq+$tx.len'), resolve), 1005);
  assert.equal(evaluateExpression(parse('10-3-2'), resolve), 5);
  assert.equal(evaluateExpression(parse('10-(3-2)'), resolve), 9);
  assert.equal(evaluateExpression(parse('($n)'), resolve), 3);
  assert.equal(evaluateExpression(parse('$rx[-2].ack+$pkt[3].win'), resolve), 589);
});

test('sequence numbers wrap modulo 2^32, both ways', () => {
  const seq = { label: 'seq', max: 0xffffffff, wrap: true };
  assert.equal(resolveNumber(parse('$rx.seq+$rx.len'), seq, resolve), 4);
  assert.equal(resolveNumber(parse('0-1'), seq, resolve), 0xffffffff);
  assert.equal(resolveNumber(parse('4294967295+1'), seq, resolve), 0);
});

test('other fields are range-checked, naming the field, the range and the column', () => {
  const sport = { label: 'sport', max: 0xffff, wrap: false };
  expectSyntaxError(() => resolveNumber(parse('70000'), sport, resolve), 1, 'sport must be 0..65535, got 70000 at column 1');
  expectSyntaxError(
    () => resolveNumber(parse('$server.port-8'), sport, resolve),
    1,
    'sport must be 0..65535, got -1 from $server.port-8 at column 1',
  );
  expectSyntaxError(
    () => resolveNumber(parse('99999999999999999999'), sport, resolve),
    1,
    'sport must be 0..65535, got 99999999999999999999 at column 1',
  );
  expectSyntaxError(
    () => resolveNumber(parse('1+99999999999999999999'), sport, resolve),
    3,
    'number 99999999999999999999 is too large at column 3; numbers are 0..4294967295',
  );
});

test('variable references: name, index from either end, field, text and span', () => {
  const cases: Array<[string, Omit<VariableRef, 'span' | 'text'>]> = [
    ['$n', { name: 'n', index: null, field: null }],
    ['$rx.seq', { name: 'rx', index: null, field: 'seq' }],
    ['$rx[-2].ack', { name: 'rx', index: -2, field: 'ack' }],
    ['$pkt[3].win', { name: 'pkt', index: 3, field: 'win' }],
    ['$pkt[0]', { name: 'pkt', index: 0, field: null }],
    ['$server.port', { name: 'server', index: null, field: 'port' }],
    ['$me.addr', { name: 'me', index: null, field: 'addr' }],
    ['$rx.tsval', { name: 'rx', index: null, field: 'tsval' }],
  ];
  for (const [text, expected] of cases) {
    const ref = parseVariableRef(new Scanner(`x=${text}`, 2));
    assert.deepEqual(ref, { ...expected, text, span: { column: 3, length: text.length } });
  }
});

test('a range after a variable field is left to the caller', () => {
  const scanner = new Scanner('$rx.seq..$rx.seq+10');
  const low = parseExpression(scanner);
  assert.equal(low.text, '$rx.seq');
  assert.equal(scanner.rest(), '..$rx.seq+10');
  const numbers = new Scanner('1000..2000');
  assert.equal(parseExpression(numbers).text, '1000');
  assert.equal(numbers.rest(), '..2000');
});

test('expression errors point at the exact column', () => {
  expectSyntaxError(() => parse('$rx.sqe'), 4, "unknown variable field '.sqe' at column 4; did you mean '.seq'?", 4);
  expectSyntaxError(() => parse('$rx.qqqqqq'), 4, "unknown variable field '.qqqqqq' at column 4; fields are .seq .ack .len .win .flags .sport .dport .urp .ttl .src .dst .tsval .tsecr .addr .port");
  expectSyntaxError(() => parse('$rx.seq+'), 8, "'+' needs a number or $variable after it at column 8; got end of value");
  expectSyntaxError(() => parse('1--2'), 2, "'-' needs a number or $variable after it at column 2; got '-'");
  expectSyntaxError(() => parse('$'), 2, "expected a variable name after '$', got end of value at column 2; e.g. $rx.seq");
  expectSyntaxError(() => parse('$1'), 2, "expected a variable name after '$', got '1' at column 2; e.g. $rx.seq");
  expectSyntaxError(() => parse('$rx[x].seq'), 5, "expected an index, got 'x' at column 5; write $rx[-1] for the latest or $rx[0] for the first");
  expectSyntaxError(() => parse('$rx[-2.seq'), 7, "expected ']', got '.' at column 7; the '[' at column 4 is not closed");
  expectSyntaxError(() => parse('$rx.'), 4, "expected a field name after '.', got end of value at column 4; e.g. .seq");
  expectSyntaxError(() => parse('(1+2'), 5, "expected ')', got end of value at column 5; the '(' at column 1 is not closed");
  expectSyntaxError(() => parse('abc'), 1, "expected a number or $variable, got 'abc' at column 1");
  expectSyntaxError(() => parse('0x'), 3, "expected hex digits after '0x', got end of value at column 3");
});

test('resolution errors name the variable and point at its $', () => {
  const seq = { label: 'seq', max: 0xffffffff, wrap: true };
  expectSyntaxError(() => resolveNumber(parse('1+$rx[-9].seq'), seq, resolve), 3, 'unknown variable $rx[-9].seq at column 3', 11);
  expectSyntaxError(
    () => resolveNumber(parse('$server.addr'), seq, resolve),
    1,
    "expected a number but $server.addr is '10.0.0.2' at column 1",
  );
  expectSyntaxError(() => resolveNumber(parse('$x'), seq, () => 1.5), 1, 'expected an integer but $x is 1.5 at column 1');
});
