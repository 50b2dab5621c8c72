import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertReencodes, decodeStrictly, strictBytes } from './decode-checks.js';
import { unhex } from './fixture-hex.js';
import { ALL_FIXTURES } from './wire-fixtures.js';

for (const [name, fixture] of Object.entries(ALL_FIXTURES)) {
  test(`${name} cut at every length decodes without throwing, with an issue`, () => {
    const whole = unhex(fixture);
    for (let length = 0; length < whole.length; length++) {
      const bytes = whole.slice(0, length);
      const decoded = decodeStrictly(bytes);
      assert.ok(decoded.issues.some((issue) => issue.severity === 'error'), `cut at ${length}`);
      assertReencodes(bytes, decoded);
    }
  });

  test(`${name} with any one byte changed decodes without throwing and re-encodes`, () => {
    const whole = unhex(fixture);
    for (let at = 0; at < whole.length; at++) {
      for (const change of [0x00, 0xff, whole[at]! ^ 0x80, whole[at]! ^ 0x01, whole[at]! ^ 0x10]) {
        const bytes = whole.slice();
        bytes[at] = change;
        assertReencodes(bytes, decodeStrictly(bytes));
      }
    }
  });
}

test('the bounds-checking proxy does catch a read past the end', () => {
  const bytes = strictBytes(Uint8Array.of(1, 2));
  assert.equal(bytes[1], 2);
  assert.throws(() => bytes[2], RangeError);
  assert.deepEqual(bytes.slice(1), Uint8Array.of(2));
  // decodePacket re-views anything that is not a plain Uint8Array, which would step around
  // the proxy: it must pass for one.
  assert.equal(bytes.constructor, Uint8Array);
});
