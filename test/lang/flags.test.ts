import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_FLAGS_MASK, formatFlags, parseFlags, type FlagsValue } from '../../src/lang/flags.js';
import { Scanner } from '../../src/lang/lexer.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import { expectSyntaxError } from './expect-error.js';

const { FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE } = TcpFlag;

/** Parse flags written at column 7, as in `flags=...`. */
function parse(value: string): FlagsValue {
  const text = `flags=${value}`;
  return parseFlags(new Scanner(text, 6));
}

function mask(value: string): number {
  const parsed = parse(value);
  assert.equal(parsed.kind, 'flags');
  return parsed.kind === 'flags' ? parsed.mask : -1;
}

test('letters from FSRPAUEC, in any order', () => {
  assert.equal(mask('S'), SYN);
  assert.equal(mask('SA'), SYN | ACK);
  assert.equal(mask('AS'), SYN | ACK);
  assert.equal(mask('PA'), PSH | ACK);
  assert.equal(mask('FA'), FIN | ACK);
  assert.equal(mask('R'), RST);
  assert.equal(mask('EC'), ECE | CWR);
  assert.equal(mask('FSRPAUEC'), 0xff);
  assert.equal(mask('U'), URG);
  assert.equal(mask('sa'), SYN | ACK);
});

test('names joined by |, case-insensitive; AE by name only', () => {
  assert.equal(mask('SYN|ACK'), SYN | ACK);
  assert.equal(mask('syn|Ack'), SYN | ACK);
  assert.equal(mask('FIN|PSH|RST|URG|ECE|CWR'), FIN | PSH | RST | URG | ECE | CWR);
  assert.equal(mask('AE'), AE);
  assert.equal(mask('ae'), AE);
  assert.equal(mask('ECE'), ECE);
  assert.equal(mask('EA'), ECE | ACK);
  assert.equal(mask('SA|AE'), SYN | ACK | AE);
  assert.equal(mask('A|E'), ACK | ECE);
});

test('a number is the mask itself; 0 is none', () => {
  assert.equal(mask('0'), 0);
  assert.equal(mask('0x12'), SYN | ACK);
  assert.equal(mask('511'), ALL_FLAGS_MASK);
});

test('a variable stands for a whole mask', () => {
  const parsed = parse('$rx.flags');
  assert.equal(parsed.kind, 'variable');
  assert.equal(parsed.kind === 'variable' && parsed.ref.text, '$rx.flags');
});

test('errors name the flag and its column', () => {
  const hint = 'flags are letters from FSRPAUEC or names like SYN|ACK';
  expectSyntaxError(() => parse('SX'), 8, `unknown flag 'X' at column 8; ${hint}`, 1);
  expectSyntaxError(() => parse('X'), 7, `unknown flag 'X' at column 7; ${hint}`);
  expectSyntaxError(() => parse('S,A'), 8, `unknown flag ',' at column 8; ${hint}`);
  expectSyntaxError(() => parse('SYN|ACX'), 11, "unknown flag 'ACX' at column 11; did you mean 'ACK'?");
  expectSyntaxError(() => parse('SYN|AQ'), 12, `unknown flag 'Q' at column 12; ${hint}`);
  expectSyntaxError(() => parse('SIN'), 7, "unknown flag 'SIN' at column 7; did you mean 'SYN'?", 3);
  expectSyntaxError(() => parse('ECN|ACK'), 7, "unknown flag 'ECN' at column 7; did you mean 'ECE'?");
  expectSyntaxError(() => parse('SS'), 8, "flag 'S' given twice at column 8; it is already set at column 7");
  expectSyntaxError(() => parse('SYN|S'), 11, "flag 'S' given twice at column 11; it is already set at column 7");
  expectSyntaxError(() => parse('ACK|ack'), 11, 'flag ACK given twice at column 11; it is already set at column 7');
  expectSyntaxError(() => parse('SYN|'), 11, `expected a flag, got end of value at column 11; ${hint}`);
  expectSyntaxError(() => parse('|S'), 7, `expected a flag, got '|' at column 7; ${hint}`);
  expectSyntaxError(() => parse('512'), 7, `flags must be 0..511, got 512 at column 7; ${hint}`);
});

test('formatFlags writes letters in FSRPAUEC order, AE by name, 0 for none', () => {
  assert.equal(formatFlags(SYN | ACK), 'SA');
  assert.equal(formatFlags(ACK | SYN | FIN), 'FSA');
  assert.equal(formatFlags(PSH | ACK), 'PA');
  assert.equal(formatFlags(ECE | CWR | SYN), 'SEC');
  assert.equal(formatFlags(0), '0');
  assert.equal(formatFlags(AE), 'AE');
  assert.equal(formatFlags(SYN | ACK | AE), 'SA|AE');
  assert.equal(formatFlags(ACK | ECE), 'ACK|ECE');
  assert.equal(formatFlags(ACK | ECE | AE), 'ACK|ECE|AE');
});

test('every one of the 512 masks formats to text that parses back to it', () => {
  for (let m = 0; m <= ALL_FLAGS_MASK; m++) assert.equal(mask(formatFlags(m)), m, `mask ${m}: ${formatFlags(m)}`);
});
