// What a session says, as data: an append-only list of entries that the Ink UI and the
// plain-text mode both render. Nothing here is formatted for a particular screen except the
// strings a rendering already produced (one-liners, field views), which every front end shows
// the same way.

import type { FieldResult } from '../lang/matcher-match.js';
import type { Direction, Endpoint, NetEvent, TcpState } from '../net/network.js';
import type { DecodedPacket } from '../wire/packet.js';
import type { LearnerState } from './connection.js';

interface EntryBase {
  /** Position in the log, from 0: a stable key for a UI list. */
  id: number;
  /** Milliseconds since the session began, on the network's clock. */
  t: number;
}

/** A command line as the learner (or a script) gave it. */
export interface CommandEntry extends EntryBase {
  kind: 'command';
  line: string;
}

/** ISNs to show sequence numbers from, as the renderings take them. */
export interface SequenceBases {
  seqBase?: number;
  ackBase?: number;
}

export interface PacketEntry extends EntryBase {
  kind: 'packet';
  /** 1, 2, ...: what $pkt[N] and `show N` name. */
  index: number;
  dir: Direction;
  packet: DecodedPacket;
  /** tcpdump's one-liner with absolute numbers, as `tcpdump -S` prints it. */
  line: string;
  /** The same with each sequence number counted from its sender's ISN, as plain tcpdump prints it. */
  relativeLine: string;
  /** The ISNs relativeLine counts from, for a front end that renders the packet itself (in colour, say). */
  bases: SequenceBases;
  /** Whether the packet belongs to the learner's current connection. */
  tracked: boolean;
}

export type AppNetEvent = Extract<NetEvent, { type: 'app' }>;

/** Something the bundled server's or client's application did. */
export interface AppEntry extends EntryBase {
  kind: 'app';
  event: AppNetEvent;
  /** One line: who did what, with the bytes read when there were some. */
  text: string;
}

/**
 * A socket changed state. 'bundled' is the kernel's socket facing the learner (the server's,
 * or the bundled client's), as the network reported it; 'learner' is the learner's own side
 * as RFC 9293 would have it, worked out from the segments they sent and received.
 */
export type StateEntry = EntryBase & { kind: 'state' } & (
    | { side: 'bundled'; local: Endpoint; remote: Endpoint; from: TcpState | null; to: TcpState }
    | { side: 'learner'; local: Endpoint; remote: Endpoint | null; from: LearnerState; to: LearnerState }
  );

export type TextTopic = 'show' | 'hex' | 'ls' | 'ladder' | 'follow' | 'help' | 'server' | 'info';

/** A block of text a command produced: a field view, a hex dump, a listing, help. */
export interface TextEntry extends EntryBase {
  kind: 'text';
  topic: TextTopic;
  /** A short heading, e.g. "#3 in, 0.012 s". */
  title: string;
  text: string;
}

/** A field's verdict with what helps read it, e.g. "= their ISN + 1". */
export interface FieldFeedback extends FieldResult {
  /** How expected and actual relate to the connection, for seq and ack; absent when nothing helps. */
  expectedNote?: string;
  actualNote?: string;
}

/** A packet written two ways: in the segment language and as a one-liner. */
export interface PacketText {
  segment: string;
  line: string;
}

/** The verdict of expect, recv or sr1. */
export interface CheckEntry extends EntryBase {
  kind: 'check';
  command: 'expect' | 'recv' | 'sr1';
  /**
   * pass: the packet matched (or, for sr1 and a bare recv, one came); fail: expect's packet
   * differs; timeout: nothing matched in time.
   */
  outcome: 'pass' | 'fail' | 'timeout';
  /** One line for a learner. */
  summary: string;
  /** The packet checked or returned; on a time-out, the latest that arrived and did not match, if any. */
  index: number | null;
  /** What was asked, variables resolved ("flags=PA ack=1006"); '' for none. */
  matcher: string;
  /** Every field asked about; on a time-out, how the latest packet fell short. */
  fields: FieldFeedback[];
  /** When a packet fell short: the packet the check describes, and the one that came. */
  expected?: PacketText;
  actual?: PacketText;
  timeoutMs?: number;
}

/** A command that could not run: the message names what and where. */
export interface ErrorEntry extends EntryBase {
  kind: 'error';
  message: string;
  /** The line it was about. */
  input: string;
  /** 1-based column and length in `input`, when the error points at a spot. */
  column?: number;
  length?: number;
}

/** A short remark from a command: what it did ("the server is now close-after=5 on port 7001"). */
export interface NoteEntry extends EntryBase {
  kind: 'note';
  text: string;
}

export type LogEntry = CommandEntry | PacketEntry | AppEntry | StateEntry | TextEntry | CheckEntry | ErrorEntry | NoteEntry;

/** Distributes Omit over the union, so each kind keeps its own fields. */
export type NewLogEntry = LogEntry extends infer E ? (E extends LogEntry ? Omit<E, 'id' | 't'> & { t?: number } : never) : never;
