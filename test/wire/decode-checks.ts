// Checks shared by the tests that feed the decoder broken bytes.
import assert from 'node:assert/strict';
import { decodePacket, encodePacket, type DecodedPacket } from '../../src/wire/packet.js';

// A byte array that throws on any read outside its bounds. Reading past the end of a plain
// Uint8Array gives undefined, which bit operations quietly turn into 0, so a decoder that
// overran its input would go unnoticed; behind this proxy it cannot.
export function strictBytes(bytes: Uint8Array): Uint8Array {
  return new Proxy(bytes, {
    get(target, key) {
      if (typeof key === 'string' && /^-?\d+$/.test(key)) {
        const index = Number(key);
        if (index < 0 || index >= target.length) throw new RangeError(`read of byte ${index} of ${target.length}`);
        return target[index];
      }
      const value = Reflect.get(target, key, target) as unknown;
      // Methods run on the array itself; the constructor stays as it is, for identity checks.
      if (key === 'constructor' || typeof value !== 'function') return value;
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
}

const FIELD = /^(ip|tcp)(\.[a-zA-Z]+|\[\d+\])*$/;

/** Decodes behind the bounds-checking proxy and checks that every issue is well formed. */
export function decodeStrictly(bytes: Uint8Array): DecodedPacket {
  const decoded = decodePacket(strictBytes(bytes));
  for (const issue of decoded.issues) {
    assert.match(issue.field, FIELD);
    assert.ok(Number.isInteger(issue.offset) && issue.offset >= 0 && issue.offset <= bytes.length, `${issue.field} at ${issue.offset}`);
    assert.ok(issue.message.length > 0 && !issue.message.includes('undefined') && !issue.message.includes('NaN'), issue.message);
  }
  return decoded;
}

/**
 * Re-encoding what was decoded gives the packet back: exactly, or without the bytes past
 * its stated length, or (for a header cut short inside its options) with zero padding.
 */
export function assertReencodes(bytes: Uint8Array, decoded: DecodedPacket): void {
  if (decoded.ip === null || decoded.tcp === null) return;
  const encoded = encodePacket({ ip: decoded.ip, tcp: decoded.tcp });
  const trailing = decoded.issues.some((issue) => issue.severity === 'warning' && /^ip\.(totalLength|payloadLength)$/.test(issue.field));
  const stated = decoded.ip.version === 4 ? decoded.ip.totalLength! : decoded.ip.payloadLength! + 40;
  const packet = trailing ? bytes.subarray(0, stated) : bytes;
  const cutShort = decoded.issues.some((issue) => issue.field === 'tcp.dataOffset' && issue.message.includes('runs past'));
  assert.deepEqual(encoded.subarray(0, packet.length), packet);
  if (cutShort) {
    assert.ok(encoded.length - packet.length <= 3);
    assert.ok(encoded.subarray(packet.length).every((byte) => byte === 0));
  } else {
    assert.equal(encoded.length, packet.length);
  }
}
