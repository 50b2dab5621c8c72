import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Ipv4Repr } from '../../src/wire/ipv4.js';
import { decodePacket, encodePacket, parsePacket, WireEncodeError, type Packet } from '../../src/wire/packet.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import { hex, unhex } from './fixture-hex.js';
import {
  ALL_FIXTURES,
  LOOPBACK_DATA,
  LOOPBACK_DATA_V6,
  LOOPBACK_SYN,
  LOOPBACK_SYN_ACK,
  LOOPBACK_SYN_V6,
  SYN_ACK_V6,
  SYN_LINUX_ORDER,
} from './wire-fixtures.js';

const synIp: Ipv4Repr = { version: 4, src: '127.0.0.1', dst: '127.0.0.1', tos: 0, id: 1, df: false, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array(0) };

const synPacket: Packet = {
  ip: synIp,
  tcp: {
    sport: 40001,
    dport: 7,
    seq: 1000,
    ack: 0,
    flags: TcpFlag.SYN,
    window: 8192,
    urgent: 0,
    options: [
      { kind: 'mss', value: 1460 },
      { kind: 'sackok' },
      { kind: 'ts', tsval: 1, tsecr: 0 },
      { kind: 'nop' },
      { kind: 'wscale', value: 7 },
    ],
    payload: new Uint8Array(0),
  },
};

test('encodes the Linux-ordered SYN to the bytes scapy builds', () => {
  assert.equal(hex(encodePacket(synPacket)), SYN_LINUX_ORDER);
});

test('decodes the SYN to its repr with the wire values in the computed fields', () => {
  const decoded = decodePacket(unhex(SYN_LINUX_ORDER));
  assert.deepEqual(decoded.issues, []);
  assert.equal(decoded.ipChecksum, 'ok');
  assert.equal(decoded.tcpChecksum, 'ok');
  assert.equal(decoded.other, null);
  assert.deepEqual(decoded.ip, { ...synPacket.ip, reservedBit: false, ihl: 5, totalLength: 60, checksum: 0x7cb9 });
  assert.deepEqual(decoded.tcp, { ...synPacket.tcp, reserved: 0, dataOffset: 10, checksum: 0x89cc });
});

test('encodes an IPv6 SYN-ACK to the bytes scapy builds', () => {
  const packet: Packet = {
    ip: { version: 6, src: '::1', dst: '::1', trafficClass: 0, flowLabel: 0, hopLimit: 64, nextHeader: 6 },
    tcp: {
      sport: 40001,
      dport: 7,
      seq: 1000,
      ack: 2000,
      flags: TcpFlag.SYN | TcpFlag.ACK,
      window: 65535,
      urgent: 0,
      options: [{ kind: 'mss', value: 1440 }],
      payload: new Uint8Array(0),
    },
  };
  assert.equal(hex(encodePacket(packet)), SYN_ACK_V6);
  assert.deepEqual(decodePacket(unhex(SYN_ACK_V6)).tcp, { ...packet.tcp, reserved: 0, dataOffset: 6, checksum: 0xf028 });
});

test("Linux's loopback checksums, the pseudo-header sum only, are partial and not errors", () => {
  for (const fixture of [LOOPBACK_SYN, LOOPBACK_SYN_ACK, LOOPBACK_DATA, LOOPBACK_SYN_V6, LOOPBACK_DATA_V6]) {
    const decoded = decodePacket(unhex(fixture));
    assert.equal(decoded.tcpChecksum, 'partial', fixture);
    assert.deepEqual(decoded.issues, [], fixture);
  }
  assert.equal(decodePacket(unhex(LOOPBACK_SYN)).ipChecksum, 'ok');
  assert.deepEqual(decodePacket(unhex(LOOPBACK_DATA)).tcp?.payload, new TextEncoder().encode('hello'));
});

test('a partial checksum off by one is bad', () => {
  const bytes = unhex(LOOPBACK_SYN);
  bytes[37]! += 1;
  const decoded = decodePacket(bytes);
  assert.equal(decoded.tcpChecksum, 'bad');
  assert.equal(decoded.issues[0]!.field, 'tcp.checksum');
});

test('every fixture re-encodes from its decoded repr to exactly its bytes', () => {
  for (const [name, fixture] of Object.entries(ALL_FIXTURES)) {
    const decoded = decodePacket(unhex(fixture));
    if (decoded.tcp === null) continue;
    assert.equal(hex(encodePacket({ ip: decoded.ip!, tcp: decoded.tcp })), fixture, name);
  }
});

test('decoded options and payload are copies, so a reused receive buffer cannot change them', () => {
  const bytes = unhex(LOOPBACK_DATA);
  const decoded = decodePacket(bytes);
  bytes.fill(0);
  assert.deepEqual(decoded.tcp?.payload, new TextEncoder().encode('hello'));
  assert.deepEqual(decoded.tcp?.options[2], { kind: 'ts', tsval: 0x544a320c, tsecr: 0x330fdd07 });
});

test('a wrong checksum set by the caller goes out as is and is reported on decode', () => {
  const bytes = encodePacket({ ...synPacket, tcp: { ...synPacket.tcp, checksum: 0x1234 } });
  const decoded = decodePacket(bytes);
  assert.equal(decoded.tcpChecksum, 'bad');
  assert.equal(decoded.tcp?.checksum, 0x1234);
  assert.deepEqual(decoded.issues, [
    { severity: 'error', field: 'tcp.checksum', offset: 36, message: 'checksum 0x1234 is wrong; the segment sums to 0x89cc' },
  ]);
  assert.deepEqual(encodePacket({ ip: decoded.ip!, tcp: decoded.tcp! }), bytes);
});

test('lengths set by the caller go out as given, however wrong', () => {
  const bytes = encodePacket({ ip: { ...synIp, totalLength: 20 }, tcp: { ...synPacket.tcp, dataOffset: 5 } });
  assert.equal(bytes.length, 60);
  assert.equal((bytes[2]! << 8) | bytes[3]!, 20);
  assert.equal(bytes[32]! >> 4, 5);
});

test('nothing at all, or an IP version other than 4 and 6, is an issue and nothing more', () => {
  assert.deepEqual(decodePacket(new Uint8Array(0)), {
    bytes: new Uint8Array(0),
    ip: null,
    tcp: null,
    ipChecksum: null,
    tcpChecksum: null,
    other: null,
    issues: [{ severity: 'error', field: 'ip', offset: 0, message: 'empty packet: there is no IP header' }],
  });
  const bytes = unhex(SYN_LINUX_ORDER);
  bytes[0] = 0x55;
  const decoded = decodePacket(bytes);
  assert.equal(decoded.ip, null);
  assert.deepEqual(decoded.issues, [{ severity: 'error', field: 'ip.version', offset: 0, message: 'IP version 5 is neither 4 nor 6' }]);
});

test('IP header values that do not fit their fields are WireEncodeErrors naming them', () => {
  const cases: Array<[Partial<Ipv4Repr>, string]> = [
    [{ ttl: 256 }, 'ip.ttl'],
    [{ tos: -1 }, 'ip.tos'],
    [{ id: 65536 }, 'ip.id'],
    [{ fragOffset: 0x2000 }, 'ip.fragOffset'],
    [{ protocol: 300 }, 'ip.protocol'],
    [{ ihl: 16 }, 'ip.ihl'],
    [{ totalLength: 70000 }, 'ip.totalLength'],
    [{ checksum: 0x10000 }, 'ip.checksum'],
    [{ src: '10.0.0.256' }, 'ip.src'],
    [{ dst: '::1' }, 'ip.dst'],
    [{ options: new Uint8Array(41) }, 'ip.options'],
  ];
  for (const [change, field] of cases) {
    assert.throws(
      () => encodePacket({ ...synPacket, ip: { ...synIp, ...change } }),
      (error: unknown) => error instanceof WireEncodeError && error.field === field,
      field,
    );
  }
});

test('a packet too big for IPv4 is refused rather than given a wrapped length', () => {
  assert.throws(() => encodePacket({ ...synPacket, tcp: { ...synPacket.tcp, payload: new Uint8Array(65500) } }), {
    name: 'WireEncodeError',
    message: 'ip.totalLength: the packet is 65560 bytes; an IPv4 packet holds at most 65535',
  });
});

test('a packet missing its parts is a WireEncodeError, not a TypeError', () => {
  const broken: unknown[] = [
    null,
    {},
    { ip: synPacket.ip },
    { ip: synPacket.ip, tcp: { ...synPacket.tcp, payload: 'hello' } },
    { ip: synPacket.ip, tcp: { ...synPacket.tcp, options: undefined } },
    { ip: { ...synPacket.ip, options: [] }, tcp: synPacket.tcp },
    { ip: { ...synPacket.ip, version: 5 }, tcp: synPacket.tcp },
  ];
  for (const packet of broken) {
    assert.throws(() => encodePacket(packet as Packet), WireEncodeError, JSON.stringify(packet));
  }
});

test('parsePacket accepts a valid packet and names the first bad field of an invalid one', () => {
  assert.deepEqual(parsePacket(synPacket), synPacket);
  assert.throws(() => parsePacket({ ...synPacket, tcp: { ...synPacket.tcp, options: [{ kind: 'mss', value: 70000 }] } }), {
    name: 'WireEncodeError',
    message: /^tcp\.options\[0\]\.value: /,
  });
  assert.throws(() => parsePacket({ ...synPacket, ip: { ...synPacket.ip, src: 'localhost' } }), (error: unknown) => {
    return error instanceof WireEncodeError && error.field === 'ip.src';
  });
  assert.throws(() => parsePacket('SYN'), (error: unknown) => error instanceof WireEncodeError && error.field === 'packet');
  // Limits the schema cannot express are checked too.
  assert.throws(
    () => parsePacket({ ...synPacket, tcp: { ...synPacket.tcp, options: Array.from({ length: 41 }, () => ({ kind: 'nop' })) } }),
    (error: unknown) => error instanceof WireEncodeError && error.field === 'tcp.options',
  );
});

test('a Node Buffer decodes like a Uint8Array, with its payload copied out as a plain Uint8Array', () => {
  const buffer = Buffer.from(LOOPBACK_DATA, 'hex');
  const decoded = decodePacket(buffer);
  assert.equal(decoded.bytes, buffer);
  buffer.fill(0);
  assert.deepEqual(decoded.tcp?.payload, new TextEncoder().encode('hello'));
  assert.equal(decoded.tcp?.payload.constructor, Uint8Array);
});

test('something that is not bytes is an issue, not a TypeError', () => {
  for (const input of [undefined, null, 'hello', [0x45, 0x00]]) {
    const decoded = decodePacket(input as unknown as Uint8Array);
    assert.equal(decoded.ip, null);
    assert.equal(decoded.issues[0]?.message, 'not a packet: decoding needs bytes (a Uint8Array)');
  }
});
