import assert from 'node:assert/strict';
import test from 'node:test';
import { HexTextError, readHexText } from '../../src/wire/hex-text.js';

const SYN_HEX =
  '4500002800000000400600000000000000000000' + '9c4100070000000000000000500200007c630000';

test('a bare hex string is one packet', () => {
  const [packet, ...rest] = readHexText(SYN_HEX);
  assert.equal(rest.length, 0);
  assert.equal(Buffer.from(packet!.bytes).toString('hex'), SYN_HEX);
});

test('tcpdump -x rows with 0x offsets and grouped words', () => {
  const text = [
    '\t0x0000:  4500 0028 0000 0000 4006 0000 0000 0000',
    '\t0x0010:  0000 0000 9c41 0007 0000 0000 0000 0000',
    '\t0x0020:  5002 0000 7c63 0000',
  ].join('\n');
  const packets = readHexText(text);
  assert.equal(packets.length, 1);
  assert.equal(Buffer.from(packets[0]!.bytes).toString('hex'), SYN_HEX);
});

test('hexdump -C rows keep the bytes and drop the ASCII column', () => {
  const text = [
    '00000000  45 00 00 28 00 00 00 00  40 06 00 00 00 00 00 00  |E..(....@.......|',
    '00000010  00 00 00 00 9c 41 00 07  00 00 00 00 00 00 00 00  |.....A..........|',
    '00000020  50 02 00 00 7c 63 00 00                           |P...|c..|',
  ].join('\n');
  const packets = readHexText(text);
  assert.equal(Buffer.from(packets[0]!.bytes).toString('hex'), SYN_HEX);
});

test('xxd rows whose ASCII column looks like hex stop after sixteen bytes', () => {
  const text = '00000000: 6162 6364 6162 6364 6162 6364 6162 6364  abcdabcdabcdabcd';
  const packets = readHexText(text);
  assert.equal(packets[0]!.bytes.length, 16);
});

test('a blank line or an offset back at zero starts the next packet', () => {
  const text = ['0000: 4500', '0002: 0028', '', 'aabb', '0000: 01 02', '0000: 03'].join('\n');
  const packets = readHexText(text);
  assert.deepEqual(
    packets.map((p) => [p.line, Buffer.from(p.bytes).toString('hex')]),
    [
      [1, '45000028'],
      [4, 'aabb'],
      [5, '0102'],
      [6, '03'],
    ],
  );
});

test('text that is not hex says where', () => {
  assert.throws(
    () => readHexText('4500\nzz00'),
    (error: unknown) => error instanceof HexTextError && error.line === 2 && error.column === 1,
  );
  assert.throws(
    () => readHexText('450'),
    (error: unknown) => error instanceof HexTextError && /odd number of hex digits/.test(error.message),
  );
});
