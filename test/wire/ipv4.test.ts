import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePacket, encodePacket, type Packet, type WireIssue } from '../../src/wire/packet.js';
import { emitIpv4, ipv4HeaderLength, Ipv4View, parseIpv4, verifyIpv4Checksum, type Ipv4Repr } from '../../src/wire/ipv4.js';
import { hex, unhex } from './fixture-hex.js';
import { ALL_FLAGS, DATA_HELLO, FIRST_FRAGMENT, IP_OPTIONS, IP_OPTIONS_PADDED, LATER_FRAGMENT, RESERVED_BITS, UDP_V4 } from './wire-fixtures.js';

function view(hexText: string): Ipv4View {
  const checked = Ipv4View.check(unhex(hexText));
  assert.ok(checked instanceof Ipv4View, 'a full header checks');
  return checked;
}

function fields(issues: WireIssue[]): string[] {
  return issues.map((issue) => `${issue.severity} ${issue.field} @${issue.offset}`);
}

test('the view reads every field of the header', () => {
  const header = view(ALL_FLAGS);
  assert.equal(header.version, 4);
  assert.equal(header.ihl, 5);
  assert.equal(header.tos, 0x10);
  assert.equal(header.totalLength, 40);
  assert.equal(header.id, 0x1234);
  assert.equal(header.reservedBit, false);
  assert.equal(header.df, false);
  assert.equal(header.mf, false);
  assert.equal(header.fragOffset, 0);
  assert.equal(header.ttl, 1);
  assert.equal(header.protocol, 6);
  assert.equal(header.checksum, 0xbb55);
  assert.equal(header.src, '192.0.2.1');
  assert.equal(header.dst, '198.51.100.2');
  assert.equal(header.headerLength, 20);
  assert.equal(header.packetEnd, 40);
  assert.equal(header.options.length, 0);
});

test('the flag bits, the reserved one included, are read apart', () => {
  const header = view(RESERVED_BITS);
  assert.equal(header.reservedBit, true);
  assert.equal(header.df, true);
  assert.equal(header.mf, false);
  const fragment = view(FIRST_FRAGMENT);
  assert.equal(fragment.mf, true);
  assert.equal(view(LATER_FRAGMENT).fragOffset, 3);
});

test('fewer than 20 bytes do not make a view', () => {
  const issue = Ipv4View.check(unhex(DATA_HELLO).subarray(0, 19));
  assert.ok(!(issue instanceof Ipv4View));
  assert.deepEqual(issue, {
    severity: 'error',
    field: 'ip',
    offset: 0,
    message: 'IPv4 header truncated: 19 bytes, the fixed header needs 20',
  });
});

test('a header parses to its repr with the wire values in the computed fields', () => {
  const issues: WireIssue[] = [];
  const repr = parseIpv4(view(DATA_HELLO), issues);
  assert.deepEqual(issues, []);
  assert.deepEqual(repr, {
    version: 4,
    src: '10.0.0.1',
    dst: '10.0.0.2',
    tos: 0,
    id: 7,
    df: false,
    mf: false,
    fragOffset: 0,
    ttl: 64,
    protocol: 6,
    options: new Uint8Array(0),
    reservedBit: false,
    ihl: 5,
    totalLength: 45,
    checksum: 0x66c2,
  });
});

test('IP options are kept as they are, without the padding', () => {
  const issues: WireIssue[] = [];
  assert.deepEqual(parseIpv4(view(IP_OPTIONS), issues).options, Uint8Array.of(0x01, 0x94, 0x04, 0x00, 0x00));
  assert.deepEqual(parseIpv4(view(IP_OPTIONS_PADDED), issues).options, Uint8Array.of(0x07, 0x03, 0x04));
  assert.deepEqual(issues, []);
});

test('options of any length are padded with zeros to a multiple of four', () => {
  const base: Ipv4Repr = {
    version: 4,
    src: '10.0.0.1',
    dst: '10.0.0.2',
    tos: 0,
    id: 1,
    df: false,
    mf: false,
    fragOffset: 0,
    ttl: 64,
    protocol: 6,
    options: Uint8Array.of(0x07, 0x03, 0x04),
  };
  for (let length = 0; length <= 40; length++) {
    const options = Uint8Array.from({ length }, (_, i) => 0x80 + i);
    const repr = { ...base, options };
    const headerLength = ipv4HeaderLength(repr);
    assert.equal(headerLength, 20 + Math.ceil(length / 4) * 4);
    const bytes = new Uint8Array(headerLength).fill(0xee);
    emitIpv4(repr, bytes, headerLength, 0);
    assert.deepEqual(bytes.subarray(20, 20 + length), options);
    assert.ok(bytes.subarray(20 + length).every((byte) => byte === 0), `padding after ${length} bytes is zero`);
    assert.equal(bytes[0]! & 0x0f, headerLength / 4);
    const issues: WireIssue[] = [];
    const checked = Ipv4View.check(bytes) as Ipv4View;
    assert.equal(verifyIpv4Checksum(checked, issues), 'ok');
    assert.deepEqual(parseIpv4(checked, issues).options, options.at(-1) === 0 ? options.subarray(0, -1) : options);
  }
});

test('the header emits to the bytes scapy builds, options included', () => {
  for (const fixture of [IP_OPTIONS, IP_OPTIONS_PADDED, ALL_FLAGS, RESERVED_BITS]) {
    const bytes = unhex(fixture);
    const repr = parseIpv4(view(fixture), []);
    const { ihl: _ihl, totalLength: _total, checksum: _checksum, ...chosen } = repr;
    const headerLength = ipv4HeaderLength(chosen);
    const out = new Uint8Array(headerLength);
    emitIpv4(chosen, out, headerLength, bytes.length - headerLength);
    assert.equal(hex(out), hex(bytes.subarray(0, headerLength)));
  }
});

test('an IHL below 5 is reported and a 20-byte header read', () => {
  const bytes = unhex(DATA_HELLO);
  bytes[0] = 0x43;
  const decoded = decodePacket(bytes);
  assert.equal(decoded.ip?.version === 4 && decoded.ip.ihl, 3);
  assert.deepEqual(decoded.tcp?.payload, new TextEncoder().encode('hello'));
  const issue = decoded.issues.find((each) => each.field === 'ip.ihl');
  assert.deepEqual(issue, {
    severity: 'error',
    field: 'ip.ihl',
    offset: 0,
    message: 'IHL 3 words (12 bytes) is below the minimum of 5 (20 bytes); reading a 20-byte header',
  });
  assert.equal(hex(encodePacket({ ip: decoded.ip!, tcp: decoded.tcp! })), hex(bytes));
});

test('an IHL past the end of the packet is reported and no TCP header is read', () => {
  const bytes = unhex(ALL_FLAGS);
  bytes[0] = 0x4f;
  const decoded = decodePacket(bytes);
  assert.equal(decoded.ip?.version === 4 && decoded.ip.options.length, 20);
  assert.equal(decoded.tcp, null);
  assert.deepEqual(fields(decoded.issues), ['error ip.ihl @0', 'error ip.checksum @10', 'error tcp @40']);
  assert.match(decoded.issues[0]!.message, /IHL 15 words \(60 bytes\) runs past the end of the packet \(40 bytes\)/);
});

test('a total length longer than the bytes: what is there is decoded, and it is said', () => {
  const bytes = unhex(DATA_HELLO).subarray(0, 43);
  const decoded = decodePacket(bytes);
  assert.deepEqual(decoded.tcp?.payload, new TextEncoder().encode('hel'));
  assert.equal(decoded.tcpChecksum, 'bad');
  assert.deepEqual(fields(decoded.issues), ['error ip.totalLength @2', 'error tcp.checksum @36']);
  assert.equal(decoded.issues[0]!.message, 'total length 45 bytes is longer than the 43 bytes there are; decoding what is there');
});

test('bytes after the total length (Ethernet padding) are ignored with a warning', () => {
  const bytes = unhex(ALL_FLAGS + '000000000000');
  const decoded = decodePacket(bytes);
  assert.equal(decoded.tcpChecksum, 'ok');
  assert.equal(decoded.tcp?.payload.length, 0);
  assert.deepEqual(decoded.issues, [
    {
      severity: 'warning',
      field: 'ip.totalLength',
      offset: 2,
      message: '6 bytes after the total length of 40 bytes are ignored (link-layer padding?)',
    },
  ]);
  assert.equal(hex(encodePacket({ ip: decoded.ip!, tcp: decoded.tcp! })), ALL_FLAGS);
});

test('a total length shorter than the header is reported and the whole packet read', () => {
  const bytes = unhex(DATA_HELLO);
  bytes[2] = 0;
  bytes[3] = 0;
  const decoded = decodePacket(bytes);
  assert.deepEqual(decoded.tcp?.payload, new TextEncoder().encode('hello'));
  assert.equal(decoded.issues[0]!.field, 'ip.totalLength');
  assert.equal(decoded.issues[0]!.message, 'total length 0 bytes is shorter than the 20-byte header; reading the 45 bytes there are');
});

test('a wrong header checksum is reported with the value it should have', () => {
  const bytes = unhex(DATA_HELLO);
  bytes[10] = 0x12;
  bytes[11] = 0x34;
  const decoded = decodePacket(bytes);
  assert.equal(decoded.ipChecksum, 'bad');
  assert.equal(decoded.tcpChecksum, 'ok');
  assert.deepEqual(decoded.issues, [
    { severity: 'error', field: 'ip.checksum', offset: 10, message: 'header checksum 0x1234 is wrong; the header sums to 0x66c2' },
  ]);
  assert.equal(hex(encodePacket({ ip: decoded.ip!, tcp: decoded.tcp! })), hex(bytes));
});

test('a packet that is not TCP has its IP header decoded and the rest counted', () => {
  const decoded = decodePacket(unhex(UDP_V4));
  assert.equal(decoded.ip?.version === 4 && decoded.ip.protocol, 17);
  assert.equal(decoded.ipChecksum, 'ok');
  assert.equal(decoded.tcp, null);
  assert.equal(decoded.tcpChecksum, null);
  assert.deepEqual(decoded.other, { protocol: 17, length: 12 });
  assert.deepEqual(decoded.issues, []);
});

test('a later fragment is not read as TCP', () => {
  const decoded = decodePacket(unhex(LATER_FRAGMENT));
  assert.equal(decoded.tcp, null);
  assert.deepEqual(decoded.other, { protocol: 6, length: 10 });
  assert.deepEqual(fields(decoded.issues), ['warning ip.fragOffset @6']);
  assert.match(decoded.issues[0]!.message, /from byte 24 of its datagram/);
});

test('a first fragment is read as TCP, but its checksum cannot be checked', () => {
  const decoded = decodePacket(unhex(FIRST_FRAGMENT));
  assert.deepEqual(decoded.tcp?.payload, new TextEncoder().encode('first part'));
  assert.equal(decoded.tcpChecksum, null);
  assert.deepEqual(fields(decoded.issues), ['warning ip.mf @6']);
});

test('a header with every computed field set emits them as given', () => {
  const packet: Packet = {
    ip: { ...parseIpv4(view(DATA_HELLO), []), ihl: 6, totalLength: 1000, checksum: 0xbeef },
    tcp: decodePacket(unhex(DATA_HELLO)).tcp!,
  };
  const bytes = encodePacket(packet);
  assert.equal(bytes.length, 45);
  assert.equal(hex(bytes.subarray(0, 12)), '460003e8000700004006beef');
});
