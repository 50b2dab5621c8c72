import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildPacket } from '../../src/lang/build.js';
import { ENCODE_DEFAULTS } from '../../src/lang/defaults.js';
import { parseSegment } from '../../src/lang/segment-parser.js';
import { SegmentSyntaxError } from '../../src/lang/syntax-error.js';
import { PacketSchema } from '../../src/wire/packet.js';

// Fragments of the language, so random lines get deep into each value parser rather than
// failing on the first character.
const fragment = fc.constantFrom(
  'tcp', ' ', '=', 'src', 'dst', 'ttl', 'id', 'tos', 'df', 'sport', 'dport', 'seq', 'ack', 'flags', 'win', 'urp',
  'opts', 'data', 'chksum', '$rx', '.seq', '.addr', '[-2]', '[3]', '+', '-', '(', ')', '1', '0x', 'ff', '65536',
  '4294967296', 'S', 'A', 'SYN', '|', 'AE', 'mss:', 'ts:', ':', ',', ';', 'sack:', 'raw:', 'none', 'nop', '"', '\\',
  '\\x', 'fd00::1', '10.0.0.1', '::', '.', '..', '%', 'é', '\t',
);
const line = fc.oneof(
  fc.array(fragment, { maxLength: 14 }).map((parts) => parts.join('')),
  fc.array(fragment, { maxLength: 12 }).map((parts) => `tcp ${parts.join('')}`),
  fc.string({ maxLength: 40 }),
);
const resolved = fc.oneof(fc.constant(undefined), fc.integer({ min: -5, max: 2 ** 33 }), fc.double(), fc.constantFrom('10.0.0.9', 'fd00::9', 'x'));

test('any line either builds a valid packet or fails with a SegmentSyntaxError at a column inside it', () => {
  fc.assert(
    fc.property(line, resolved, (text, value) => {
      try {
        const packet = buildPacket(parseSegment(text), { defaults: ENCODE_DEFAULTS, resolve: () => value });
        PacketSchema.parse(packet);
      } catch (error) {
        assert.ok(error instanceof SegmentSyntaxError, `${JSON.stringify(text)} threw ${String(error)}`);
        assert.ok(error.column >= 1 && error.column <= text.length + 1, `${JSON.stringify(text)}: column ${error.column}`);
        assert.match(error.message, new RegExp(`at column ${error.column}\\b`));
      }
    }),
    { numRuns: 5000 },
  );
});
