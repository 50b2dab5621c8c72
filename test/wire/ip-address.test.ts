import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import {
  canonicalIpv6Address,
  parseIpv4Address,
  parseIpv6Address,
  readIpv4Address,
  readIpv6Address,
} from '../../src/wire/ip-address.js';
import { hex } from './fixture-hex.js';

test('dotted quads convert both ways', () => {
  assert.deepEqual(parseIpv4Address('127.0.0.1'), Uint8Array.of(127, 0, 0, 1));
  assert.deepEqual(parseIpv4Address('255.255.255.255'), Uint8Array.of(255, 255, 255, 255));
  assert.deepEqual(parseIpv4Address('0.0.0.0'), Uint8Array.of(0, 0, 0, 0));
  assert.equal(readIpv4Address(Uint8Array.of(9, 192, 0, 2, 1), 1), '192.0.2.1');
});

test('malformed dotted quads are refused', () => {
  for (const text of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.00', '1..2.3', ' 1.2.3.4', '1.2.3.4 ', 'a.b.c.d', '1.2.3.-4', '1234.1.1.1', '1.2.3.4.']) {
    assert.equal(parseIpv4Address(text), null, text);
  }
});

test('IPv4 parsing agrees with zod on strings of digits and dots', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.'), maxLength: 16 }), (text) => {
      assert.equal(parseIpv4Address(text) !== null, z.ipv4().safeParse(text).success, text);
    }),
    { numRuns: 2000 },
  );
});

test('any four bytes read as text and parse back to the same bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (bytes) => {
      const text = readIpv4Address(bytes, 0);
      assert.ok(z.ipv4().safeParse(text).success, text);
      assert.deepEqual(parseIpv4Address(text), bytes);
    }),
  );
});

test('IPv6 text follows RFC 5952', () => {
  const cases: Array<[string, string]> = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    // 4.2.2: a single zero group is not shortened to "::".
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    // 4.2.3: the longest run is shortened, and the first of equally long ones.
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['fe80:0:0:0:0:0:0:1', 'fe80::1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1::8', '1::8'],
    // Section 5: IPv4-mapped addresses in mixed notation.
    ['::ffff:c000:0201', '::ffff:192.0.2.1'],
    ['::FFFF:192.0.2.1', '::ffff:192.0.2.1'],
    // Other embedded dotted quads are read, but written in hex.
    ['::192.0.2.1', '::c000:201'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ];
  for (const [input, canonical] of cases) assert.equal(canonicalIpv6Address(input), canonical, input);
});

test('IPv6 bytes come out in network order', () => {
  assert.equal(hex(parseIpv6Address('2001:db8::ff00:42:8329')!), '20010db8000000000000ff0000428329');
  assert.equal(hex(parseIpv6Address('::ffff:1.2.3.4')!), '00000000000000000000ffff01020304');
});

test('malformed IPv6 text is refused', () => {
  for (const text of [
    '',
    ':',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '12345::',
    'g::',
    ':1::2',
    '1::2:',
    '1.2.3.4',
    '::1.2.3',
    '::1.2.3.4:5',
    '::ffff:1.2.3.04',
    'fe80::1%eth0',
    '[::1]',
  ]) {
    assert.equal(parseIpv6Address(text), null, text);
  }
});

test('any sixteen bytes read as RFC 5952 text that zod and the URL parser agree with', () => {
  // Biased towards zero groups, where the shortening rules matter.
  const word = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
  fc.assert(
    fc.property(fc.array(word, { minLength: 8, maxLength: 8 }), (words) => {
      const bytes = new Uint8Array(16);
      words.forEach((value, i) => {
        bytes[2 * i] = value >> 8;
        bytes[2 * i + 1] = value & 0xff;
      });
      const text = readIpv6Address(bytes, 0);
      assert.ok(z.ipv6().safeParse(text).success, text);
      assert.deepEqual(parseIpv6Address(text), bytes);
      // WHATWG URL serialises IPv6 hosts by the same rules, except that it never uses mixed notation.
      if (!text.includes('.')) assert.equal(new URL(`http://[${text}]/`).hostname, `[${text}]`);
    }),
    { numRuns: 2000 },
  );
});
