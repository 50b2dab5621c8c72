import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePacket, encodePacket, WireEncodeError, type Packet, type WireIssue } from '../../src/wire/packet.js';
import { emitTcp, parseTcp, TcpView, tcpHeaderLength, type TcpRepr } from '../../src/wire/tcp.js';
import { FLAG_NAMES, flagNames, TcpFlag } from '../../src/wire/tcp-flags.js';
import { hex, unhex } from './fixture-hex.js';
import { ALL_FLAGS, DATA_HELLO, RESERVED_BITS, SYN_LINUX_ORDER } from './wire-fixtures.js';

function tcpView(hexText: string): TcpView {
  const bytes = unhex(hexText);
  const checked = TcpView.check(bytes, 20, bytes.length);
  assert.ok(checked instanceof TcpView, 'a full header checks');
  return checked;
}

const ip = {
  version: 4 as const,
  src: '10.0.0.1',
  dst: '10.0.0.2',
  tos: 0,
  id: 1,
  df: false,
  mf: false,
  fragOffset: 0,
  ttl: 64,
  protocol: 6,
  options: new Uint8Array(0),
};

const segment: TcpRepr = {
  sport: 1234,
  dport: 80,
  seq: 1,
  ack: 0,
  flags: TcpFlag.SYN,
  window: 8192,
  urgent: 0,
  options: [],
  payload: new Uint8Array(0),
};

test('the view reads every field, all flags and the urgent pointer included', () => {
  const header = tcpView(ALL_FLAGS);
  assert.equal(header.sport, 1);
  assert.equal(header.dport, 65535);
  assert.equal(header.seq, 0xffffffff);
  assert.equal(header.ack, 0x80000000);
  assert.equal(header.dataOffset, 5);
  assert.equal(header.reserved, 0);
  assert.equal(header.flags, 0x1ff);
  assert.deepEqual(flagNames(header.flags), ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE']);
  assert.equal(header.window, 0);
  assert.equal(header.checksum, 0x82bd);
  assert.equal(header.urgent, 0xbeef);
  assert.equal(header.headerLength, 20);
  assert.equal(header.optionBytes.length, 0);
  assert.equal(header.payload.length, 0);
});

test('the reserved bits are read apart from AE', () => {
  const header = tcpView(RESERVED_BITS);
  assert.equal(header.reserved, 5);
  assert.equal(header.flags, TcpFlag.RST);
});

test('fewer than 20 bytes do not make a view, and the issue says where the segment starts', () => {
  const bytes = unhex(DATA_HELLO);
  assert.deepEqual(TcpView.check(bytes, 20, 39), {
    severity: 'error',
    field: 'tcp',
    offset: 20,
    message: 'TCP header truncated: 19 bytes, the fixed header needs 20',
  });
  // An end past the buffer is clamped to it rather than trusted.
  assert.ok(!(TcpView.check(bytes.subarray(0, 30), 20, 45) instanceof TcpView));
});

test('the header parses to its repr with the wire values in the computed fields', () => {
  const issues: WireIssue[] = [];
  assert.deepEqual(parseTcp(tcpView(DATA_HELLO), issues), {
    sport: 1234,
    dport: 80,
    seq: 5,
    ack: 6,
    flags: TcpFlag.PSH | TcpFlag.ACK,
    window: 8192,
    urgent: 0,
    options: [],
    payload: new TextEncoder().encode('hello'),
    reserved: 0,
    dataOffset: 5,
    checksum: 0x32c6,
  });
  assert.deepEqual(issues, []);
});

test('each flag alone sets its own bit and nothing else', () => {
  for (const name of FLAG_NAMES) {
    const bytes = encodePacket({ ip, tcp: { ...segment, flags: TcpFlag[name] } });
    const bits = ((bytes[32]! & 0x0f) << 8) | bytes[33]!;
    assert.equal(bits, TcpFlag[name], name);
    assert.equal(bytes[32]! >> 4, 5, `${name} leaves the data offset alone`);
    const decoded = decodePacket(bytes);
    assert.deepEqual(flagNames(decoded.tcp!.flags), [name]);
    assert.equal(decoded.tcpChecksum, 'ok');
  }
});

test('segments emit to the bytes scapy builds', () => {
  const cases: Array<[string, Packet]> = [
    [
      ALL_FLAGS,
      {
        ip: { ...ip, src: '192.0.2.1', dst: '198.51.100.2', id: 0x1234, ttl: 1, tos: 0x10 },
        tcp: { ...segment, sport: 1, dport: 65535, flags: 0x1ff, seq: 0xffffffff, ack: 0x80000000, window: 0, urgent: 0xbeef },
      },
    ],
    [DATA_HELLO, { ip: { ...ip, id: 7 }, tcp: { ...segment, seq: 5, ack: 6, flags: TcpFlag.PSH | TcpFlag.ACK, payload: new TextEncoder().encode('hello') } }],
    [RESERVED_BITS, { ip: { ...ip, df: true, reservedBit: true }, tcp: { ...segment, flags: TcpFlag.RST, reserved: 5 } }],
  ];
  for (const [expected, packet] of cases) assert.equal(hex(encodePacket(packet)), expected);
});

test('a data offset below 5 is reported, a 20-byte header read, and the bytes kept', () => {
  const bytes = unhex(DATA_HELLO);
  bytes[32] = 0x30 | (bytes[32]! & 0x0f);
  const decoded = decodePacket(bytes);
  assert.equal(decoded.tcp?.dataOffset, 3);
  assert.deepEqual(decoded.tcp?.payload, new TextEncoder().encode('hello'));
  assert.deepEqual(decoded.issues.slice(0, 1), [
    {
      severity: 'error',
      field: 'tcp.dataOffset',
      offset: 32,
      message: 'data offset 3 words (12 bytes) is below the minimum of 5 (20 bytes); reading a 20-byte header',
    },
  ]);
  assert.equal(hex(encodePacket({ ip: decoded.ip!, tcp: decoded.tcp! })), hex(bytes));
});

test('a data offset past the end of the segment is reported and the options read up to the end', () => {
  const bytes = unhex(SYN_LINUX_ORDER);
  bytes[32] = 0xf0;
  const decoded = decodePacket(bytes);
  assert.equal(decoded.tcp?.dataOffset, 15);
  assert.equal(decoded.tcp?.options.length, 5);
  assert.equal(decoded.tcp?.payload.length, 0);
  assert.deepEqual(
    decoded.issues.map((issue) => issue.field),
    ['tcp.dataOffset', 'tcp.checksum'],
  );
  assert.equal(decoded.issues[0]!.message, 'data offset 15 words (60 bytes) runs past the end of the segment (40 bytes)');
  assert.equal(hex(encodePacket({ ip: decoded.ip!, tcp: decoded.tcp! })), hex(bytes));
});

test('the header length is the options padded to four', () => {
  assert.deepEqual([0, 1, 3, 4, 5, 39, 40].map(tcpHeaderLength), [20, 24, 24, 24, 28, 60, 60]);
});

test('emitting pads the options with zeros even into a dirty buffer, and leaves the checksum to the caller', () => {
  const repr: TcpRepr = { ...segment, options: [{ kind: 'wscale', value: 14 }] };
  const out = new Uint8Array(24).fill(0xee);
  emitTcp(repr, out, 0, 24);
  assert.equal(hex(out), '04d20050' + '00000001' + '00000000' + '6002' + '2000' + '0000' + '0000' + '03030e' + '00');
});

test('values that do not fit their field are WireEncodeErrors naming it', () => {
  const cases: Array<[Partial<TcpRepr>, string]> = [
    [{ sport: 70000 }, 'tcp.sport'],
    [{ dport: -1 }, 'tcp.dport'],
    [{ seq: 2 ** 32 }, 'tcp.seq'],
    [{ ack: 1.5 }, 'tcp.ack'],
    [{ flags: 0x200 }, 'tcp.flags'],
    [{ window: 65536 }, 'tcp.window'],
    [{ urgent: Number.NaN }, 'tcp.urgent'],
    [{ reserved: 8 }, 'tcp.reserved'],
    [{ dataOffset: 16 }, 'tcp.dataOffset'],
    [{ checksum: 0x10000 }, 'tcp.checksum'],
  ];
  for (const [change, field] of cases) {
    assert.throws(
      () => encodePacket({ ip, tcp: { ...segment, ...change } }),
      (error: unknown) => error instanceof WireEncodeError && error.field === field,
      field,
    );
  }
  assert.throws(() => encodePacket({ ip, tcp: { ...segment, sport: 70000 } }), {
    name: 'WireEncodeError',
    message: 'tcp.sport: 70000 is not an integer from 0 to 65535',
  });
});
