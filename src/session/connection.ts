// The learner's side of the connection, as a TCP following RFC 9293 would hold it, worked
// out from the segments the learner sent and the peer sent back. The learner has no socket:
// this is what their segments amount to, so feedback can say "the SYN-ACK acknowledged your
// ISN + 1" and "ack should be 5001 = their ISN + 1".

import type { Direction, Endpoint } from '../net/network.js';
import type { DecodedPacket } from '../wire/packet.js';
import { TcpFlag } from '../wire/tcp-flags.js';
import type { SequenceBases } from './log-entry.js';

export type LearnerState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN-SENT'
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT';

/** Who opened the connection: the learner (client) or the bundled client (the learner serves). */
export type LearnerRole = 'client' | 'server';

export interface ConnectionView {
  state: LearnerState;
  role: LearnerRole;
  me: Endpoint;
  /** The other end, once a SYN named it. */
  peer: Endpoint | null;
  /** The learner's initial sequence number: the seq of the SYN (or SYN-ACK) they sent. */
  isn: number | null;
  /** The peer's initial sequence number. */
  peerIsn: number | null;
  /** The oldest of the learner's sequence numbers not yet acknowledged. */
  sndUna: number | null;
  /** The learner's next sequence number: past every byte, SYN and FIN sent. */
  sndNxt: number | null;
  /** The next sequence number expected from the peer: past its in-order bytes, SYN and FIN. */
  rcvNxt: number | null;
}

export interface StateChange {
  from: LearnerState;
  to: LearnerState;
}

const { SYN, ACK, FIN, RST } = TcpFlag;
const MOD = 2 ** 32;

/** a - b in sequence space, as a signed distance. */
function seqDiff(a: number, b: number): number {
  const d = (((a - b) % MOD) + MOD) % MOD;
  return d >= MOD / 2 ? d - MOD : d;
}

function seqAdd(a: number, n: number): number {
  return (a + n) % MOD;
}

/** How much sequence space a segment takes: its bytes, plus one each for SYN and FIN. */
export function segmentLength(flags: number, payloadLength: number): number {
  return payloadLength + ((flags & SYN) !== 0 ? 1 : 0) + ((flags & FIN) !== 0 ? 1 : 0);
}

export class ConnectionTracker {
  private state: LearnerState = 'CLOSED';
  private role: LearnerRole = 'client';
  private peer: Endpoint | null = null;
  private isn: number | null = null;
  private peerIsn: number | null = null;
  private sndUna: number | null = null;
  private sndNxt: number | null = null;
  private rcvNxt: number | null = null;
  /** The sequence number just past the learner's FIN, once sent. */
  private finEnd: number | null = null;
  /** What observe() or listen() moved through, handed back when it returns. */
  private changes: StateChange[] = [];

  constructor(readonly me: Endpoint) {}

  view(): ConnectionView {
    return {
      state: this.state,
      role: this.role,
      me: this.me,
      peer: this.peer,
      isn: this.isn,
      peerIsn: this.peerIsn,
      sndUna: this.sndUna,
      sndNxt: this.sndNxt,
      rcvNxt: this.rcvNxt,
    };
  }

  /** The learner as server: the bundled client is about to connect. */
  listen(): StateChange[] {
    this.forget();
    this.role = 'server';
    this.move('LISTEN');
    return this.takeChanges();
  }

  /** Whether a packet is on the tracked connection (or could open it). */
  belongs(dir: Direction, packet: DecodedPacket): boolean {
    const { ip, tcp } = packet;
    if (ip === null || tcp === null) return false;
    const [mine, theirs, theirAddr] = dir === 'out' ? [tcp.sport, tcp.dport, ip.dst] : [tcp.dport, tcp.sport, ip.src];
    if (mine !== this.me.port) return false;
    if (this.peer !== null && this.peer.port === theirs && this.peer.addr === theirAddr) return true;
    // A SYN may open a new connection from here: the learner's own, or one to a listening learner.
    const syn = (tcp.flags & (SYN | ACK | RST)) === SYN;
    if (dir === 'out') return syn && this.state !== 'LISTEN';
    return syn && this.state === 'LISTEN';
  }

  /** ISNs to count this packet's numbers from, when it is on the connection and they are known. */
  bases(dir: Direction, packet: DecodedPacket): SequenceBases {
    if (!this.belongs(dir, packet)) return {};
    const [seqBase, ackBase] = dir === 'out' ? [this.isn, this.peerIsn] : [this.peerIsn, this.isn];
    return { ...(seqBase !== null ? { seqBase } : {}), ...(ackBase !== null ? { ackBase } : {}) };
  }

  /** Follow one packet; returns the learner's state changes it caused, in order. */
  observe(dir: Direction, packet: DecodedPacket): StateChange[] {
    if (!this.belongs(dir, packet)) return [];
    if (dir === 'out') this.sent(packet);
    else this.received(packet);
    return this.takeChanges();
  }

  private sent(packet: DecodedPacket): void {
    const { ip, tcp } = packet as { ip: NonNullable<DecodedPacket['ip']>; tcp: NonNullable<DecodedPacket['tcp']> };
    const flags = tcp.flags;
    if ((flags & RST) !== 0) return this.move('CLOSED');

    const retransmittedSyn = this.state === 'SYN-SENT' && tcp.seq === this.isn;
    if ((flags & SYN) !== 0 && (flags & ACK) === 0 && !retransmittedSyn) {
      // A new active open: whatever was before is forgotten.
      this.forget();
      this.role = 'client';
      this.peer = { addr: ip.dst, port: tcp.dport };
      this.startSending(tcp.seq);
      this.advanceSent(tcp.seq, flags, tcp.payload.length);
      return this.move('SYN-SENT');
    }
    if ((flags & SYN) !== 0 && (flags & ACK) !== 0 && (this.state === 'LISTEN' || this.state === 'SYN-SENT')) {
      this.startSending(tcp.seq);
      this.advanceSent(tcp.seq, flags, tcp.payload.length);
      return this.move('SYN-RECEIVED');
    }
    this.advanceSent(tcp.seq, flags, tcp.payload.length);
    if ((flags & FIN) !== 0) {
      this.finEnd = seqAdd(tcp.seq, segmentLength(flags & ~SYN, tcp.payload.length));
      if (this.state === 'ESTABLISHED' || this.state === 'SYN-RECEIVED') return this.move('FIN-WAIT-1');
      if (this.state === 'CLOSE-WAIT') return this.move('LAST-ACK');
    }
  }

  private received(packet: DecodedPacket): void {
    const { ip, tcp } = packet as { ip: NonNullable<DecodedPacket['ip']>; tcp: NonNullable<DecodedPacket['tcp']> };
    const flags = tcp.flags;
    if ((flags & RST) !== 0) {
      if (this.state !== 'LISTEN') this.move('CLOSED');
      return;
    }

    if ((flags & SYN) !== 0) {
      if (this.state === 'LISTEN') {
        this.peer = { addr: ip.src, port: tcp.sport };
        this.peerIsn = tcp.seq;
        this.rcvNxt = seqAdd(tcp.seq, 1);
        return;
      }
      if (this.state === 'SYN-SENT') {
        if ((flags & ACK) === 0) {
          // Simultaneous open: both sent a SYN.
          this.peerIsn = tcp.seq;
          this.rcvNxt = seqAdd(tcp.seq, 1);
          return this.move('SYN-RECEIVED');
        }
        if (this.sndNxt !== null && tcp.ack === this.sndNxt) {
          this.peerIsn = tcp.seq;
          this.rcvNxt = seqAdd(tcp.seq, 1);
          this.sndUna = tcp.ack;
          return this.move('ESTABLISHED');
        }
      }
      return;
    }

    if ((flags & ACK) !== 0) this.acknowledged(tcp.ack);
    const finArrived = this.advanceReceived(tcp.seq, flags, tcp.payload.length);
    const ourFinAcked = this.finEnd !== null && this.sndUna !== null && seqDiff(this.sndUna, this.finEnd) >= 0;

    switch (this.state) {
      case 'SYN-RECEIVED':
        if (this.isn !== null && this.sndUna !== null && seqDiff(this.sndUna, this.isn) > 0) {
          this.move('ESTABLISHED');
          if (finArrived) this.move('CLOSE-WAIT');
        }
        return;
      case 'ESTABLISHED':
        if (finArrived) this.move('CLOSE-WAIT');
        return;
      case 'FIN-WAIT-1':
        if (finArrived) this.move(ourFinAcked ? 'TIME-WAIT' : 'CLOSING');
        else if (ourFinAcked) this.move('FIN-WAIT-2');
        return;
      case 'FIN-WAIT-2':
        if (finArrived) this.move('TIME-WAIT');
        return;
      case 'CLOSING':
        if (ourFinAcked) this.move('TIME-WAIT');
        return;
      case 'LAST-ACK':
        if (ourFinAcked) this.move('CLOSED');
        return;
      default:
        return;
    }
  }

  private startSending(isn: number): void {
    this.isn = isn;
    this.sndUna = isn;
    this.sndNxt = isn;
    this.finEnd = null;
  }

  private advanceSent(seq: number, flags: number, payloadLength: number): void {
    const end = seqAdd(seq, segmentLength(flags, payloadLength));
    if (this.sndNxt === null || seqDiff(end, this.sndNxt) > 0) this.sndNxt = end;
  }

  private acknowledged(ack: number): void {
    if (this.sndUna === null || this.sndNxt === null) return;
    // Only an ACK of something sent moves SND.UNA (RFC 9293 3.10.7.4).
    if (seqDiff(ack, this.sndUna) > 0 && seqDiff(ack, this.sndNxt) <= 0) this.sndUna = ack;
  }

  /** Moves RCV.NXT over in-order data; returns whether a FIN was among what it passed. */
  private advanceReceived(seq: number, flags: number, payloadLength: number): boolean {
    if (this.rcvNxt === null) return false;
    const end = seqAdd(seq, payloadLength);
    // In order (or overlapping what came before): everything up to its end is now in.
    if (seqDiff(seq, this.rcvNxt) > 0 || seqDiff(end, this.rcvNxt) < 0) return false;
    const fin = (flags & FIN) !== 0;
    const next = fin ? seqAdd(end, 1) : end;
    if (seqDiff(next, this.rcvNxt) <= 0) return false;
    this.rcvNxt = next;
    return fin;
  }

  private forget(): void {
    this.peer = null;
    this.isn = null;
    this.peerIsn = null;
    this.sndUna = null;
    this.sndNxt = null;
    this.rcvNxt = null;
    this.finEnd = null;
  }

  private move(to: LearnerState): void {
    const from = this.state;
    this.state = to;
    if (from !== to) this.changes.push({ from, to });
  }

  private takeChanges(): StateChange[] {
    const changes = this.changes;
    this.changes = [];
    return changes;
  }
}
