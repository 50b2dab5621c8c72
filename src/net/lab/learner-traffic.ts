import type { Direction, Endpoint } from '../network.js';
import { canonicalIpv6Address, parseIpv6Address, readIpv4Address, readIpv6Address } from '../../wire/ip-address.js';
import type { PortRange } from './lab-protocol.js';
import type { RawDatagram } from './raw-channel.js';

// The raw sockets see every TCP packet in the namespace, and the learner's own packets once
// more as loopback delivers them. This picks out the learner's flows, says which way each
// packet went, and makes sure each one is reported exactly once, as whole IP packets:
//
// - An IPv4 TCP packet the learner sent is reported from the copy the raw socket receives,
//   because with IP_HDRINCL the kernel fills in the total length, the header checksum and
//   (when zero) the id and source: the copy is what really travelled. Everything else the
//   learner sends (IPv6, fragments, other protocols) is reported from the bytes sent, and its
//   copy, if one comes, is dropped.
// - IPv6 raw sockets receive no IP header, so one is rebuilt for the packets that came from
//   the kernel: source as received, destination from the flow, hop limit as the lab's
//   loopback sets it, flow label 0 (the host turns automatic flow labels off, so that is
//   true) and traffic class 0 (which hides ECN marks on IPv6: the only field that can lie).

const TCP = 6;
/** How long a sent packet waits for its copy before it is forgotten. */
const COPY_WAIT_MS = 2_000;
const MAX_PENDING = 1_024;
const MAX_FLOWS = 4_096;

export interface LearnerPacket {
  dir: Direction;
  bytes: Uint8Array;
}

interface PendingCopy {
  family: 4 | 6;
  /** The part the kernel leaves alone: what follows the IP header. */
  transport: Uint8Array;
  /** Addresses as canonical text. */
  src: string;
  dst: string;
  /** Report the copy (IPv4 TCP) or drop it (reported already from the sent bytes). */
  reportCopy: boolean;
  sentAt: number;
}

interface Flow {
  learner: Endpoint;
  peer: Endpoint;
}

export class LearnerTraffic {
  private pending: PendingCopy[] = [];
  /** The learner's four-tuples, by "learnerAddr port peerAddr port". */
  private readonly flows = new Map<string, Flow>();
  /** IPv6 address the bundled client was told to reach, by learner port. */
  private readonly listening6 = new Map<number, string>();
  private sawIpv6 = false;

  constructor(
    private readonly ports: PortRange,
    private readonly ipv6HopLimit: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /**
   * Called once the learner's packet has been handed to the kernel. Returns the packet to
   * report now, or null when its copy from the raw socket will be reported instead.
   */
  sent(bytes: Uint8Array): LearnerPacket | null {
    const facts = readFacts(bytes);
    if (facts === null) return { dir: 'out', bytes };
    if (facts.family === 6) this.sawIpv6 = true;
    if (facts.sport !== null && facts.dport !== null) {
      this.remember({ learner: { addr: facts.src, port: facts.sport }, peer: { addr: facts.dst, port: facts.dport } });
    }
    const reportCopy = facts.family === 4 && facts.protocol === TCP && !facts.fragment;
    this.expire();
    this.pending.push({ family: facts.family, transport: facts.transport, src: facts.src, dst: facts.dst, reportCopy, sentAt: this.clock() });
    if (this.pending.length > MAX_PENDING) this.pending.shift();
    return reportCopy ? null : { dir: 'out', bytes };
  }

  /** Learner as server: the bundled client is about to connect to `target`. */
  connecting(target: Endpoint): void {
    const v6 = canonicalIpv6Address(target.addr);
    if (v6 !== null) {
      this.listening6.set(target.port, v6);
      this.sawIpv6 = true;
    }
  }

  /** What the raw sockets received, as a learner's packet, or null when it is none of theirs. */
  received(datagram: RawDatagram): LearnerPacket | null {
    return datagram.family === 4 ? this.received4(datagram.packet) : this.received6(datagram.source, datagram.segment);
  }

  isLearnerPort(port: number): boolean {
    return port >= this.ports.first && port <= this.ports.last;
  }

  /** Whether a bundled socket's peer is the learner: a learner port, or a flow the learner used. */
  isLearnerPeer(local: Endpoint, remote: Endpoint): boolean {
    return this.isLearnerPort(remote.port) || this.flows.has(`${remote.addr} ${remote.port} ${local.addr} ${local.port}`);
  }

  /** Whether the learner has used IPv6 yet: until then there are no IPv6 sockets to watch. */
  get usedIpv6(): boolean {
    return this.sawIpv6;
  }

  private received4(packet: Buffer): LearnerPacket | null {
    const ihl = (packet[0]! & 0x0f) * 4;
    if (packet.length < ihl + 4) return null;
    const src = readIpv4Address(packet, 12);
    const dst = readIpv4Address(packet, 16);
    const transport = packet.subarray(ihl);
    const copy = this.takePending(4, transport, dst);
    if (copy !== null) return copy.reportCopy ? { dir: 'out', bytes: packet } : null;
    const dir = this.directionOf(src, packet.readUInt16BE(ihl), dst, packet.readUInt16BE(ihl + 2));
    return dir === null ? null : { dir, bytes: packet };
  }

  private received6(sourceText: string, segment: Buffer): LearnerPacket | null {
    if (segment.length < 4) return null;
    const src = canonicalIpv6Address(sourceText);
    if (src === null) return null;
    const sport = segment.readUInt16BE(0);
    const dport = segment.readUInt16BE(2);
    // The destination address is unknown here: a copy of the learner's own packet is matched
    // on its source and bytes, and dropped (it was reported from the bytes sent). The raw
    // socket hands over what follows any extension headers, hence a match on the tail.
    const own = this.pending.findIndex((p) => p.family === 6 && p.src === src && endsWith(p.transport, segment));
    if (own !== -1) {
      this.pending.splice(own, 1);
      return null;
    }
    const asOut = this.flows.get(flowKey(src, sport, '', dport, true));
    const asIn = this.flows.get(flowKey('', dport, src, sport, false));
    let dir: Direction;
    let dst: string;
    if (asOut !== undefined) [dir, dst] = ['out', asOut.peer.addr];
    else if (asIn !== undefined) [dir, dst] = ['in', asIn.learner.addr];
    else if (this.isLearnerPort(dport)) [dir, dst] = ['in', this.listening6.get(dport) ?? '::1'];
    else if (this.isLearnerPort(sport)) [dir, dst] = ['out', '::1'];
    else return null;
    return { dir, bytes: this.withIpv6Header(src, dst, segment) };
  }

  private directionOf(src: string, sport: number, dst: string, dport: number): Direction | null {
    if (this.flows.has(`${src} ${sport} ${dst} ${dport}`) || this.isLearnerPort(sport)) return 'out';
    if (this.flows.has(`${dst} ${dport} ${src} ${sport}`) || this.isLearnerPort(dport)) return 'in';
    return null;
  }

  private remember(flow: Flow): void {
    const key = `${flow.learner.addr} ${flow.learner.port} ${flow.peer.addr} ${flow.peer.port}`;
    this.flows.delete(key);
    this.flows.set(key, flow);
    this.flows.set(flowKey(flow.learner.addr, flow.learner.port, '', flow.peer.port, true), flow);
    this.flows.set(flowKey('', flow.learner.port, flow.peer.addr, flow.peer.port, false), flow);
    // Oldest first: a Map keeps insertion order.
    while (this.flows.size > MAX_FLOWS) this.flows.delete(this.flows.keys().next().value!);
  }

  private takePending(family: 4 | 6, transport: Uint8Array, dst: string): PendingCopy | null {
    const index = this.pending.findIndex((p) => p.family === family && p.dst === dst && sameBytes(p.transport, transport));
    if (index === -1) return null;
    return this.pending.splice(index, 1)[0]!;
  }

  private expire(): void {
    const now = this.clock();
    while (this.pending.length > 0 && now - this.pending[0]!.sentAt > COPY_WAIT_MS) this.pending.shift();
  }

  private withIpv6Header(src: string, dst: string, segment: Uint8Array): Uint8Array {
    const packet = new Uint8Array(40 + segment.length);
    packet[0] = 0x60;
    packet[4] = segment.length >>> 8;
    packet[5] = segment.length & 0xff;
    packet[6] = TCP;
    packet[7] = this.ipv6HopLimit;
    packet.set(parseIpv6Address(src)!, 8);
    packet.set(parseIpv6Address(dst) ?? parseIpv6Address('::1')!, 24);
    packet.set(segment, 40);
    return packet;
  }
}

/** Flows keyed by the three parts an IPv6 raw socket reveals: one address and both ports. */
function flowKey(learnerAddr: string, learnerPort: number, peerAddr: string, peerPort: number, fromLearner: boolean): string {
  return fromLearner ? `6> ${learnerAddr} ${learnerPort} ${peerPort}` : `6< ${learnerPort} ${peerAddr} ${peerPort}`;
}

interface PacketFacts {
  family: 4 | 6;
  src: string;
  dst: string;
  protocol: number;
  fragment: boolean;
  transport: Uint8Array;
  sport: number | null;
  dport: number | null;
}

/** Just enough of a sent packet to follow its flow; null when it is not IPv4 or IPv6 at all. */
function readFacts(bytes: Uint8Array): PacketFacts | null {
  const version = bytes[0]! >> 4;
  if (version === 4 && bytes.length >= 20) {
    const ihl = Math.max(20, (bytes[0]! & 0x0f) * 4);
    const transport = bytes.subarray(Math.min(ihl, bytes.length));
    const fragment = (bytes[6]! & 0x20) !== 0 || ((bytes[6]! & 0x1f) << 8) + bytes[7]! !== 0;
    return withPorts({ family: 4, src: readIpv4Address(bytes, 12), dst: readIpv4Address(bytes, 16), protocol: bytes[9]!, fragment, transport });
  }
  if (version === 6 && bytes.length >= 40) {
    // Extension headers are not walked: a segment behind one is still matched by its tail.
    return withPorts({ family: 6, src: readIpv6Address(bytes, 8), dst: readIpv6Address(bytes, 24), protocol: bytes[6]!, fragment: false, transport: bytes.subarray(40) });
  }
  return null;
}

function withPorts(facts: Omit<PacketFacts, 'sport' | 'dport'>): PacketFacts {
  const tcp = facts.protocol === TCP && facts.transport.length >= 4;
  const t = facts.transport;
  return { ...facts, sport: tcp ? (t[0]! << 8) | t[1]! : null, dport: tcp ? (t[2]! << 8) | t[3]! : null };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && endsWith(a, b);
}

function endsWith(whole: Uint8Array, tail: Uint8Array): boolean {
  const start = whole.length - tail.length;
  if (start < 0) return false;
  for (let i = 0; i < tail.length; i++) if (whole[start + i] !== tail[i]) return false;
  return true;
}
