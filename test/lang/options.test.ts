import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Resolver } from '../../src/lang/expression.js';
import { Scanner } from '../../src/lang/lexer.js';
import { formatOptions, parseOptions, resolveOptions, type OptionSpec } from '../../src/lang/options.js';
import type { TcpOption } from '../../src/wire/tcp-options.js';
import { expectSyntaxError } from './expect-error.js';

const vars: Record<string, number> = { '$rx.tsval': 4294967295, '$rx.seq': 100 };
const resolve: Resolver = (ref) => vars[ref.text];

/** Parse options written at column 6, as in `opts=...`. */
function parse(value: string): OptionSpec[] {
  const scanner = new Scanner(`opts=${value}`, 5);
  const options = parseOptions(scanner);
  assert.equal(scanner.atEnd(), true);
  return options;
}

function options(value: string): TcpOption[] {
  return resolveOptions(parse(value), resolve);
}

test('each option form, in the order written', () => {
  assert.deepEqual(options('mss:1460,sackok,ts:100:0,nop,wscale:7'), [
    { kind: 'mss', value: 1460 },
    { kind: 'sackok' },
    { kind: 'ts', tsval: 100, tsecr: 0 },
    { kind: 'nop' },
    { kind: 'wscale', value: 7 },
  ]);
  assert.deepEqual(options('sack:1000-2000;3000-4000'), [{ kind: 'sack', blocks: [[1000, 2000], [3000, 4000]] }]);
  assert.deepEqual(options('sack'), [{ kind: 'sack', blocks: [] }]);
  assert.deepEqual(options('eol'), [{ kind: 'eol' }]);
  assert.deepEqual(options('nop,nop,eol'), [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'eol' }]);
  assert.deepEqual(options('raw:30:0081'), [{ kind: 'unknown', type: 30, data: Uint8Array.of(0x00, 0x81) }]);
  assert.deepEqual(options('raw:254'), [{ kind: 'unknown', type: 254, data: new Uint8Array(0) }]);
  assert.deepEqual(options('MSS:0x5b4'), [{ kind: 'mss', value: 1460 }]);
});

test('a malformed option: raw with a lying length byte, or none at all', () => {
  assert.deepEqual(options('raw:2:05b4:3'), [{ kind: 'unknown', type: 2, data: Uint8Array.of(5, 0xb4), length: 3 }]);
  assert.deepEqual(options('raw:2::none'), [{ kind: 'unknown', type: 2, data: new Uint8Array(0), length: null }]);
});

test('option values may be expressions; timestamps and SACK edges wrap', () => {
  assert.deepEqual(options('ts:7:$rx.tsval+1'), [{ kind: 'ts', tsval: 7, tsecr: 0 }]);
  assert.deepEqual(options('sack:$rx.seq-($rx.seq+10)'), [{ kind: 'sack', blocks: [[100, 110]] }]);
  assert.deepEqual(options('mss:1500-40'), [{ kind: 'mss', value: 1460 }]);
});

test('option errors point at the column', () => {
  expectSyntaxError(() => parse('mms:1460'), 6, "unknown option 'mms' at column 6; did you mean 'mss'?", 3);
  expectSyntaxError(() => parse('mss:1460,wscal:7'), 15, "unknown option 'wscal' at column 15; did you mean 'wscale'?");
  expectSyntaxError(
    () => parse('timestamp:1:0'),
    6,
    "unknown option 'timestamp' at column 6; options are mss:1460 wscale:7 sackok sack:1000-2000;3000-4000 ts:100:0 nop eol raw:30:0081",
  );
  expectSyntaxError(() => parse('mss'), 9, 'option mss needs a value at column 9; e.g. mss:1460');
  expectSyntaxError(() => parse('mss:70000'), 10, 'mss must be 0..65535, got 70000 at column 10');
  expectSyntaxError(() => parse('wscale:256'), 13, 'wscale must be 0..255, got 256 at column 13');
  expectSyntaxError(() => parse('ts:100'), 12, 'option ts needs two values, TSval and TSecr at column 12; e.g. ts:100:0');
  expectSyntaxError(() => parse('ts:4294967296:0'), 9, 'tsval must be 0..4294967295, got 4294967296 at column 9');
  expectSyntaxError(() => parse('sackok:1'), 12, 'option sackok takes no value at column 12; write just sackok');
  expectSyntaxError(() => parse('sack:1000'), 15, "expected '-' between sack edges, got end of value at column 15; e.g. sack:1000-2000");
  expectSyntaxError(() => parse('sack:1-2;3-4;5-6;7-8;9-10'), 27, 'too many sack blocks at column 27; an option holds at most 4');
  expectSyntaxError(() => parse('raw:30:081'), 13, 'option data has an odd number of hex digits (3) at column 13; each byte takes two digits, e.g. 0a not a');
  expectSyntaxError(() => parse('raw:30:0g'), 14, "'g' is not a hex digit at column 14; option data is written in 0-9 and a-f");
  expectSyntaxError(() => parse('raw:300'), 10, 'an option kind must be 0..255, got 300 at column 10');
  expectSyntaxError(() => parse('raw:2:05b4:x'), 17, "expected a length byte or 'none', got 'x' at column 17; e.g. raw:2:05b4:3 for a wrong length");
  expectSyntaxError(() => parse('mss:1460,,nop'), 15, "expected an option name, got ',' at column 15; options are mss wscale sackok sack ts nop eol raw");
  expectSyntaxError(() => parse('mss:1460,'), 15, 'expected an option name, got end of value at column 15; options are mss wscale sackok sack ts nop eol raw');
  expectSyntaxError(() => parse('mss:1460;nop'), 14, "unexpected ';' after mss at column 14; separate options with ','");
});

test('options that cannot fit in a TCP header are refused, naming their size', () => {
  assert.equal(options('sack:1-2;3-4;5-6;7-8,nop,nop,nop,nop,nop,nop').length, 7);
  expectSyntaxError(
    () => parse('sack:1-2;3-4;5-6;7-8,ts:1:2'),
    6,
    'options take 44 bytes at column 6; a TCP header holds at most 40 bytes of options',
    27,
  );
});

test('formatOptions writes every option so that it parses back the same', () => {
  const all: TcpOption[] = [
    { kind: 'mss', value: 1460 },
    { kind: 'sackok' },
    { kind: 'ts', tsval: 4294967295, tsecr: 0 },
    { kind: 'nop' },
    { kind: 'wscale', value: 14 },
    { kind: 'eol' },
  ];
  assert.equal(formatOptions(all), 'mss:1460,sackok,ts:4294967295:0,nop,wscale:14,eol');
  assert.deepEqual(options(formatOptions(all)), all);
  const odd: TcpOption[] = [
    { kind: 'sack', blocks: [[1, 2]] },
    { kind: 'sack', blocks: [] },
    { kind: 'unknown', type: 30, data: Uint8Array.of(0, 0x81) },
    { kind: 'unknown', type: 2, data: Uint8Array.of(5), length: 4 },
    { kind: 'unknown', type: 9, data: new Uint8Array(0), length: null },
  ];
  assert.equal(formatOptions(odd), 'sack:1-2,sack,raw:30:0081,raw:2:05:4,raw:9::none');
  assert.deepEqual(options(formatOptions(odd)), odd);
});
