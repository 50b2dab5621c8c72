// How the lab host picks the learner's packets out of everything its raw sockets receive,
// with datagrams shaped exactly as the raw sockets hand them over (IPv4 whole, IPv6 without
// its header).
import assert from 'node:assert/strict';
import test from 'node:test';
import { LearnerTraffic } from '../../src/net/lab/learner-traffic.js';
import { decodePacket, encodePacket } from '../../src/wire/packet.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';

const ports = { first: 40000, last: 40999 };

function packet(src: string, sport: number, dst: string, dport: number, flags: number, payload = ''): Uint8Array {
  const ip = src.includes(':')
    ? { version: 6 as const, src, dst, trafficClass: 0, flowLabel: 0, hopLimit: 64, nextHeader: 6 }
    : { version: 4 as const, src, dst, tos: 0, id: 0, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array() };
  const tcp = { sport, dport, seq: 1000, ack: 0, flags, window: 65535, urgent: 0, options: [], payload: new TextEncoder().encode(payload) };
  return encodePacket({ ip, tcp });
}

/** What the kernel does to a header-included IPv4 packet with id 0: picks an id (and so a new checksum). */
function asTheKernelSentIt(bytes: Uint8Array): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt16BE(0xbeef, 4);
  copy.writeUInt16BE(0, 10);
  return copy;
}

const segmentOf = (bytes: Uint8Array): Buffer => Buffer.from(bytes.subarray(40));

test('an IPv4 packet the learner sends is reported once, from the copy the kernel actually carried', () => {
  const traffic = new LearnerTraffic(ports, 64);
  const syn = packet('127.0.0.1', 40001, '127.0.0.1', 7, TcpFlag.SYN);
  assert.equal(traffic.sent(syn), null, 'not yet: the copy will be reported');
  const copy = asTheKernelSentIt(syn);
  const reported = traffic.received({ family: 4, packet: copy });
  assert.equal(reported?.dir, 'out');
  assert.equal(Buffer.from(reported!.bytes).readUInt16BE(4), 0xbeef, 'the id the kernel chose');
  const synAck = packet('127.0.0.1', 7, '127.0.0.1', 40001, TcpFlag.SYN | TcpFlag.ACK);
  assert.equal(traffic.received({ family: 4, packet: Buffer.from(synAck) })?.dir, 'in');
});

test('an IPv6 packet the learner sends is reported at once, as sent, and its headerless copy dropped', () => {
  const traffic = new LearnerTraffic(ports, 64);
  const syn = packet('::1', 40002, '::1', 7, TcpFlag.SYN);
  assert.deepEqual(traffic.sent(syn), { dir: 'out', bytes: syn });
  assert.equal(traffic.received({ family: 6, source: '::1', segment: segmentOf(syn) }), null);
});

test('an IPv6 reply gets its header back: addresses from the flow, hop limit from the lab', () => {
  const traffic = new LearnerTraffic(ports, 61);
  traffic.sent(packet('::1', 40003, '::1', 7, TcpFlag.SYN));
  const synAck = packet('::1', 7, '::1', 40003, TcpFlag.SYN | TcpFlag.ACK, 'hi');
  const reported = traffic.received({ family: 6, source: '::1', segment: segmentOf(synAck) });
  assert.equal(reported?.dir, 'in');
  const decoded = decodePacket(reported!.bytes);
  assert.deepEqual(decoded.issues, []);
  assert.equal(decoded.tcpChecksum, 'ok', 'the rebuilt header has the addresses the checksum covers');
  assert.deepEqual(decoded.ip, { version: 6, src: '::1', dst: '::1', trafficClass: 0, flowLabel: 0, hopLimit: 61, nextHeader: 6, payloadLength: 22 });
  assert.equal(new TextDecoder().decode(decoded.tcp!.payload), 'hi');
});

test('the learner as server over IPv6: the bundled client’s SYN is addressed to the learner', () => {
  const traffic = new LearnerTraffic(ports, 64);
  traffic.connecting({ addr: '0:0:0:0:0:0:0:1', port: 40004 });
  const syn = packet('::1', 51000, '::1', 40004, TcpFlag.SYN);
  const reported = traffic.received({ family: 6, source: '::1', segment: segmentOf(syn) });
  assert.equal(reported?.dir, 'in');
  assert.equal(decodePacket(reported!.bytes).ip?.dst, '::1');
});

test('a port outside the learner’s range is followed once the learner has used it', () => {
  const traffic = new LearnerTraffic(ports, 64);
  const stranger = packet('127.0.0.1', 51000, '127.0.0.1', 7, TcpFlag.SYN);
  assert.equal(traffic.received({ family: 4, packet: Buffer.from(stranger) }), null, 'not the learner’s');
  const syn = packet('127.0.0.1', 12345, '127.0.0.1', 7, TcpFlag.SYN);
  traffic.sent(syn);
  assert.equal(traffic.received({ family: 4, packet: Buffer.from(syn) })?.dir, 'out');
  const reply = packet('127.0.0.1', 7, '127.0.0.1', 12345, TcpFlag.SYN | TcpFlag.ACK);
  assert.equal(traffic.received({ family: 4, packet: Buffer.from(reply) })?.dir, 'in');
  // The kernel answering for the learner's address (no firewall rule outside the range).
  const kernelRst = packet('127.0.0.1', 12345, '127.0.0.1', 7, TcpFlag.RST);
  assert.equal(traffic.received({ family: 4, packet: Buffer.from(kernelRst) })?.dir, 'out');
});

test('what the learner sends that the raw socket never sees again is reported from the bytes sent', () => {
  const traffic = new LearnerTraffic(ports, 64);
  const fragment = Buffer.from(packet('127.0.0.1', 40005, '127.0.0.1', 7, TcpFlag.SYN));
  fragment[6] = 0x20; // More fragments: the kernel would hold it for reassembly.
  assert.equal(traffic.sent(fragment)?.dir, 'out');
  const garbage = new Uint8Array([0x45, 0x00]);
  assert.deepEqual(traffic.sent(garbage), { dir: 'out', bytes: garbage });
});

test('the same segment sent twice is reported twice, once per copy', () => {
  const traffic = new LearnerTraffic(ports, 64);
  const ack = packet('127.0.0.1', 40006, '127.0.0.1', 7, TcpFlag.ACK);
  traffic.sent(ack);
  traffic.sent(ack);
  const copy = Buffer.from(ack);
  assert.equal(traffic.received({ family: 4, packet: copy })?.dir, 'out');
  assert.equal(traffic.received({ family: 4, packet: copy })?.dir, 'out');
});
