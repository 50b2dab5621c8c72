// Which packets belong to which TCP connection, and where each side's sequence space starts:
// what the ladder needs to number segments from zero and what "follow stream" needs to put
// payloads in order. A connection is its four-tuple seen from the learner; when one ends
// (a RST, or a FIN from each side) a fresh SYN on the same four-tuple starts a new one, as
// when a port is reused.

import type { Direction, Endpoint, NetEvent } from '../net/network.js';
import { TcpFlag } from '../wire/tcp-flags.js';
import type { TcpRepr } from '../wire/tcp.js';

export type PacketEvent = Extract<NetEvent, { type: 'packet' }>;

export interface Conversation {
  /** 0 for the first connection in the events, then 1, 2, ... */
  index: number;
  learner: Endpoint;
  /** The bundled side: the server, or the bundled client when the learner is the server. */
  peer: Endpoint;
  /** Who sent the first SYN without ACK; null when none was seen. */
  opener: 'learner' | 'peer' | null;
  /** Each side's initial sequence number: the seq of its SYN, null when it sent none. */
  isn: Record<Direction, number | null>;
  /**
   * The sequence number of each side's first data byte: ISN + 1 after a SYN, otherwise the
   * lowest seq that side sent. Null when it sent nothing.
   */
  dataStart: Record<Direction, number | null>;
  /** Indexes into the events of its packets, in order. */
  packets: number[];
}

export interface Conversations {
  list: Conversation[];
  /** The conversation of each readable TCP packet, by event index. */
  byEvent: Map<number, Conversation>;
}

interface Tracking {
  conversation: Conversation;
  finSeen: Record<Direction, boolean>;
  ended: boolean;
  /** Seq of each side's packets with no SYN, for the lowest. */
  seqs: Record<Direction, number[]>;
}

export function findConversations(events: readonly NetEvent[]): Conversations {
  const list: Conversation[] = [];
  const byEvent = new Map<number, Conversation>();
  const current = new Map<string, Tracking>();
  const all: Tracking[] = [];

  events.forEach((event, index) => {
    if (event.type !== 'packet') return;
    const ends = packetEnds(event);
    if (ends === null) return;
    const tcp = event.packet.tcp!;
    const key = `${ends.learner.addr}|${ends.learner.port}|${ends.peer.addr}|${ends.peer.port}`;
    const pureSyn = (tcp.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN;
    let tracking = current.get(key);
    if (tracking === undefined || (tracking.ended && pureSyn)) {
      tracking = {
        conversation: {
          index: list.length,
          ...ends,
          opener: null,
          isn: { out: null, in: null },
          dataStart: { out: null, in: null },
          packets: [],
        },
        finSeen: { out: false, in: false },
        ended: false,
        seqs: { out: [], in: [] },
      };
      current.set(key, tracking);
      list.push(tracking.conversation);
      all.push(tracking);
    }
    const conversation = tracking.conversation;
    const dir = event.dir;
    conversation.packets.push(index);
    byEvent.set(index, conversation);
    if ((tcp.flags & TcpFlag.SYN) !== 0) {
      if (conversation.isn[dir] === null) conversation.isn[dir] = tcp.seq;
      if (pureSyn && conversation.opener === null) conversation.opener = dir === 'out' ? 'learner' : 'peer';
    } else {
      tracking.seqs[dir].push(tcp.seq);
    }
    if ((tcp.flags & TcpFlag.RST) !== 0) tracking.ended = true;
    if ((tcp.flags & TcpFlag.FIN) !== 0) tracking.finSeen[dir] = true;
    if (tracking.finSeen.out && tracking.finSeen.in) tracking.ended = true;
  });

  for (const tracking of all) {
    const conversation = tracking.conversation;
    for (const dir of ['out', 'in'] as const) {
      const isn = conversation.isn[dir];
      conversation.dataStart[dir] = isn !== null ? (isn + 1) >>> 0 : lowestSeq(tracking.seqs[dir]);
    }
  }
  return { list, byEvent };
}

/** The learner's and the peer's ends of a readable TCP packet; null for anything else. */
export function packetEnds(event: PacketEvent): { learner: Endpoint; peer: Endpoint } | null {
  const { ip, tcp } = event.packet;
  if (ip === null || tcp === null) return null;
  const source = { addr: ip.src, port: tcp.sport };
  const destination = { addr: ip.dst, port: tcp.dport };
  return event.dir === 'out' ? { learner: source, peer: destination } : { learner: destination, peer: source };
}

/** The earliest of sequence numbers that may wrap: each is read as an offset from the first. */
function lowestSeq(seqs: readonly number[]): number | null {
  const first = seqs[0];
  if (first === undefined) return null;
  let lowest = 0;
  for (const seq of seqs) lowest = Math.min(lowest, (seq - first) | 0);
  return (first + lowest) >>> 0;
}

/**
 * Sequence space a segment takes: its payload, plus one for a SYN and one for a FIN.
 */
export function segmentLength(tcp: TcpRepr): number {
  return tcp.payload.length + ((tcp.flags & TcpFlag.SYN) !== 0 ? 1 : 0) + ((tcp.flags & TcpFlag.FIN) !== 0 ? 1 : 0);
}

/** Whether two endpoints are the same address and port. */
export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && a.addr === b.addr;
}
