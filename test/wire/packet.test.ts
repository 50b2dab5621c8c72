import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePacket, encodePacket, WireEncodeError, type Packet } from '../../src/wire/packet.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import { hex, unhex } from './fixture-hex.js';

// Built with Debian's python3-scapy 2.5.0:
// bytes(IP(src='127.0.0.1',dst='127.0.0.1')/TCP(sport=40001,dport=7,flags='S',seq=1000,
//   options=[('MSS',1460),('SAckOK',b''),('Timestamp',(1,0)),('NOP',None),('WScale',7)]))
const LINUX_SYN =
  '4500003c0001000040067cb97f0000017f0000019c410007000003e800000000a002200089cc0000020405b40402080a000000010000000001030307';

const synPacket: Packet = {
  ip: { version: 4, src: '127.0.0.1', dst: '127.0.0.1', tos: 0, id: 1, df: false, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array(0) },
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
  assert.equal(hex(encodePacket(synPacket)), LINUX_SYN);
});

test('decodes the SYN to its repr with the wire values in the computed fields', () => {
  const decoded = decodePacket(unhex(LINUX_SYN));
  assert.deepEqual(decoded.issues, []);
  assert.equal(decoded.ipChecksum, 'ok');
  assert.equal(decoded.tcpChecksum, 'ok');
  assert.equal(decoded.other, null);
  assert.deepEqual(decoded.ip, { ...synPacket.ip, reservedBit: false, ihl: 5, totalLength: 60, checksum: 0x7cb9 });
  assert.deepEqual(decoded.tcp, { ...synPacket.tcp, reserved: 0, dataOffset: 10, checksum: 0x89cc });
});

test('a wrong checksum set by the caller goes out as is and is reported on decode', () => {
  const bytes = encodePacket({ ...synPacket, tcp: { ...synPacket.tcp, checksum: 0x1234 } });
  const decoded = decodePacket(bytes);
  assert.equal(decoded.tcpChecksum, 'bad');
  assert.equal(decoded.tcp?.checksum, 0x1234);
  assert.deepEqual(
    decoded.issues.map((issue) => [issue.field, issue.offset]),
    [['tcp.checksum', 36]],
  );
  assert.deepEqual(encodePacket({ ip: decoded.ip!, tcp: decoded.tcp! }), bytes);
});

test('a port out of range is a WireEncodeError naming the field', () => {
  assert.throws(
    () => encodePacket({ ...synPacket, tcp: { ...synPacket.tcp, sport: 70000 } }),
    (error: unknown) => error instanceof WireEncodeError && error.field === 'tcp.sport',
  );
});
