import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { checksumOf, checksumStatus, foldSum, ipv4PseudoSum, ipv6PseudoSum, sumWords } from '../../src/wire/checksum.js';
import { unhex } from './fixture-hex.js';

/** The textbook definition, one word at a time, for the fast loop to be held against. */
function referenceSum(bytes: Uint8Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i += 2) sum += (bytes[i]! << 8) | (i + 1 < end ? bytes[i + 1]! : 0);
  return sum;
}

test('the RFC 1071 section 3 example sums to 0xddf2 and checksums to 0x220d', () => {
  const bytes = unhex('0001f203f4f5f6f7');
  assert.equal(foldSum(sumWords(bytes, 0, bytes.length)), 0xddf2);
  assert.equal(checksumOf(sumWords(bytes, 0, bytes.length)), 0x220d);
});

test('an odd last byte is summed as the high byte of a word padded with zero', () => {
  const bytes = unhex('0102ab');
  assert.equal(sumWords(bytes, 0, 3), 0x0102 + 0xab00);
  assert.equal(sumWords(bytes, 1, 3), 0x02ab);
  assert.equal(sumWords(bytes, 0, 0, 7), 7);
});

test('the fast sum equals the word-at-a-time sum for any bytes and range', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
      const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
      const end = start + (b % (bytes.length - start + 1));
      assert.equal(sumWords(bytes, start, end), referenceSum(bytes, start, end));
    }),
  );
});

test('the largest sum a packet can give still folds exactly', () => {
  // 64 KiB of 0xff plus an IPv6 pseudo-header: the sum the two-step fold must hold.
  const bytes = new Uint8Array(65536 + 40).fill(0xff);
  const sum = sumWords(bytes, 0, bytes.length, 0xffff * 20);
  let reference = sum;
  while (reference > 0xffff) reference = (reference % 0x10000) + Math.floor(reference / 0x10000);
  assert.equal(foldSum(sum), reference);
  assert.equal(foldSum(sum), 0xffff);
  assert.equal(foldSum(0xffffffff), 0xffff);
  assert.equal(foldSum(0x1fffe), 0xffff);
});

test('the IPv4 pseudo-header is the addresses, the protocol and the length', () => {
  const header = unhex('4500003c0001000040067cb97f0000017f000001');
  assert.equal(ipv4PseudoSum(header, 12, 16, 6, 40), 0x7f00 + 0x0001 + 0x7f00 + 0x0001 + 6 + 40);
});

test('the IPv6 pseudo-header counts a length above 65535 as two words', () => {
  const bytes = new Uint8Array(40);
  bytes[23] = 1;
  bytes[39] = 2;
  assert.equal(ipv6PseudoSum(bytes, 8, 24, 6, 0x10005), 1 + 2 + 1 + 5 + 6);
});

test('a checksum status is ok when the covered sum folds to 0xffff', () => {
  assert.equal(checksumStatus(0x1234, 0xffff, null), 'ok');
  assert.equal(checksumStatus(0x1234, 0x1fffe, 0x10), 'ok');
});

test("a field holding the folded pseudo-header sum is Linux's partial checksum, not a bad one", () => {
  assert.equal(checksumStatus(0x1234, 0x5678, 0x1234), 'partial');
  assert.equal(checksumStatus(0x1234, 0x5678, 0x11233), 'partial');
  assert.equal(checksumStatus(0x1235, 0x5678, 0x1234), 'bad');
  assert.equal(checksumStatus(0x1234, 0x5678, null), 'bad');
});
