import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emitIpv6, Ipv6View, parseIpv6, type Ipv6Repr } from '../../src/wire/ipv6.js';
import { decodePacket, encodePacket, WireEncodeError, type WireIssue } from '../../src/wire/packet.js';
import { hex, unhex } from './fixture-hex.js';
import { DATA_V6, SYN_ACK_V6, UDP_V6 } from './wire-fixtures.js';

function view(hexText: string): Ipv6View {
  const checked = Ipv6View.check(unhex(hexText));
  assert.ok(checked instanceof Ipv6View, 'a full header checks');
  return checked;
}

test('the view reads every field of the fixed header', () => {
  const header = view(DATA_V6);
  assert.equal(header.version, 6);
  assert.equal(header.trafficClass, 0xb8);
  assert.equal(header.flowLabel, 0xabcde);
  assert.equal(header.payloadLength, 25);
  assert.equal(header.nextHeader, 6);
  assert.equal(header.hopLimit, 3);
  assert.equal(header.src, '2001:db8::1');
  assert.equal(header.dst, '2001:db8::2');
  assert.equal(header.packetEnd, 65);
});

test('fewer than 40 bytes do not make a view', () => {
  const issue = Ipv6View.check(unhex(SYN_ACK_V6).subarray(0, 39));
  assert.deepEqual(issue, {
    severity: 'error',
    field: 'ip',
    offset: 0,
    message: 'IPv6 header truncated: 39 bytes, the fixed header needs 40',
  });
});

test('a header parses to its repr and emits back to the same bytes', () => {
  const issues: WireIssue[] = [];
  const repr = parseIpv6(view(DATA_V6), issues);
  assert.deepEqual(issues, []);
  assert.deepEqual(repr, {
    version: 6,
    src: '2001:db8::1',
    dst: '2001:db8::2',
    trafficClass: 0xb8,
    flowLabel: 0xabcde,
    hopLimit: 3,
    nextHeader: 6,
    payloadLength: 25,
  });
  const { payloadLength: _computed, ...chosen } = repr;
  const out = new Uint8Array(40);
  emitIpv6(chosen, out, 25);
  assert.equal(hex(out), DATA_V6.slice(0, 80));
});

test('a data segment over IPv6 decodes whole, checksum verified over the IPv6 pseudo-header', () => {
  const decoded = decodePacket(unhex(DATA_V6));
  assert.deepEqual(decoded.issues, []);
  assert.equal(decoded.ipChecksum, null);
  assert.equal(decoded.tcpChecksum, 'ok');
  assert.deepEqual(decoded.tcp?.payload, new TextEncoder().encode('data!'));
  assert.equal(hex(encodePacket({ ip: decoded.ip!, tcp: decoded.tcp! })), DATA_V6);
});

test('a payload length longer than the bytes is reported and what is there decoded', () => {
  const decoded = decodePacket(unhex(DATA_V6).subarray(0, 62));
  assert.deepEqual(decoded.tcp?.payload, new TextEncoder().encode('da'));
  assert.deepEqual(decoded.issues[0], {
    severity: 'error',
    field: 'ip.payloadLength',
    offset: 4,
    message: 'payload length 25 bytes is longer than the 22 bytes there are; decoding what is there',
  });
});

test('bytes after the payload length are ignored with a warning', () => {
  const decoded = decodePacket(unhex(SYN_ACK_V6 + '0000'));
  assert.equal(decoded.tcpChecksum, 'ok');
  assert.deepEqual(decoded.issues, [
    {
      severity: 'warning',
      field: 'ip.payloadLength',
      offset: 4,
      message: '2 bytes after the payload length of 24 bytes are ignored (link-layer padding?)',
    },
  ]);
});

test('a next header that is not TCP is counted, not read', () => {
  const decoded = decodePacket(unhex(UDP_V6));
  assert.equal(decoded.ip?.src, 'fe80::1');
  assert.equal(decoded.ip?.dst, 'ff02::1');
  assert.equal(decoded.tcp, null);
  assert.deepEqual(decoded.other, { protocol: 17, length: 9 });
  assert.deepEqual(decoded.issues, []);
});

test('an IPv6 packet longer than 65535 bytes of payload cannot be encoded without a set length', () => {
  const ip: Ipv6Repr = { version: 6, src: '::1', dst: '::1', trafficClass: 0, flowLabel: 0, hopLimit: 64, nextHeader: 6 };
  assert.throws(
    () => emitIpv6(ip, new Uint8Array(40), 70000),
    (error: unknown) => error instanceof WireEncodeError && error.field === 'ip.payloadLength',
  );
  for (const [field, value] of [['flowLabel', 0x100000], ['trafficClass', 256], ['hopLimit', -1], ['nextHeader', 1.5]] as const) {
    assert.throws(
      () => emitIpv6({ ...ip, [field]: value }, new Uint8Array(40), 0),
      (error: unknown) => error instanceof WireEncodeError && error.field === `ip.${field}`,
    );
  }
  assert.throws(
    () => emitIpv6({ ...ip, src: '1.2.3.4' }, new Uint8Array(40), 0),
    (error: unknown) => error instanceof WireEncodeError && error.message === 'ip.src: "1.2.3.4" is not an IPv6 address',
  );
});
