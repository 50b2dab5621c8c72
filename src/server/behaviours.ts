/**
 * What the bundled server's application does with one accepted connection, written against
 * `AppConnection` only, so the same code answers over node:net on a real kernel and over the
 * simulator's embedded TCP endpoint.
 *
 * On the wire, per behaviour (every one but the slow reader with rate 0 closes its own side
 * with a FIN once it has read the peer's FIN, as inetd's classic services do, so the four-way
 * close unfolds step by step: peer FIN, our ACK, our FIN, peer ACK):
 *
 * - echo: every chunk read is written back unchanged, at once.
 * - discard: every chunk read is dropped; nothing is ever sent.
 * - banner: `text` is written as soon as the connection is accepted (the server speaks
 *   first); what the peer sends afterwards is discarded.
 * - close-after: echo, until `bytes` bytes have been read in all; bytes past the Nth are not
 *   echoed. On reaching N the server calls end(): its FIN goes out first. It keeps reading
 *   (and dropping) whatever still arrives, so the peer can finish its half. With bytes = 0
 *   the FIN follows the handshake immediately.
 * - line: bytes collect until "\n"; each complete line (a "\r" before the "\n" is dropped)
 *   is answered with one line "#<n> <line>\n", n counting messages from 1. Nothing is sent
 *   for an unfinished line, however long the wait. A line that grows past MAX_LINE bytes
 *   without a newline is answered with "error: line longer than 4096 bytes\n" and end().
 * - length-prefixed: a message is a 2-byte big-endian length, then that many bytes. Each
 *   complete message is answered with one frame, the same way: 2-byte length, then
 *   "#<n> " and the message (cut short only if the reply would exceed 65535 bytes).
 * - slow-reader: stops reading at once, so received bytes stay in the receive buffer and the
 *   advertised window shrinks to zero. With bytesPerSecond > 0 it reads one chunk, then
 *   rests as long as that chunk takes at that rate, so on average it reads bytesPerSecond.
 *   With 0 it never reads, so it never sees the peer's FIN either.
 * - refuse: never runs on a connection; there is no listener and the kernel answers RST.
 *
 * A behaviour reports what its application saw: 'received' when it reads bytes and
 * 'peer-closed' when it reads the peer's FIN, each with a line on what it did about it.
 * Accepting, closing and errors belong to whoever hosts the connection: AppConnection
 * cannot see them.
 */
import type { AppEventKind } from '../net/network.js';
import type { AppConnection, ServerBehaviourSpec } from './behaviour.js';
import { type BehaviourClock, wallClock } from './behaviour-clock.js';

export interface BehaviourEvent {
  kind: Extract<AppEventKind, 'received' | 'peer-closed'>;
  /** The bytes read, for 'received'. */
  data?: Uint8Array;
  /** What the behaviour did about it, for a learner. */
  message: string;
}

export interface BehaviourOptions {
  /** Drives the slow reader's rests; wall time unless the host has a clock of its own. */
  clock?: BehaviourClock;
}

/** A behaviour running on one connection; stop() when the connection is gone. */
export interface BehaviourRun {
  /** Cancels anything still scheduled (the slow reader's next read). */
  stop(): void;
}

/** The longest line the line behaviour holds before it gives up on the peer. */
export const MAX_LINE = 4096;
const MAX_FRAME = 0xffff;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

export function runBehaviour(
  spec: ServerBehaviourSpec,
  conn: AppConnection,
  report: (event: BehaviourEvent) => void,
  options: BehaviourOptions = {},
): BehaviourRun {
  switch (spec.name) {
    case 'echo':
      return echo(conn, report);
    case 'discard':
      return discard(conn, report);
    case 'banner':
      conn.write(encoder.encode(spec.text));
      return discard(conn, report);
    case 'close-after':
      return closeAfter(spec.bytes, conn, report);
    case 'line':
      return lines(conn, report);
    case 'length-prefixed':
      return lengthPrefixed(conn, report);
    case 'slow-reader':
      return slowReader(spec.bytesPerSecond, conn, report, options.clock ?? wallClock);
    case 'refuse':
      // Nothing listens, so no connection ever reaches a behaviour; if one is handed over
      // anyway, abort it as the kernel would.
      conn.destroy();
      return idle;
  }
}

const idle: BehaviourRun = { stop() {} };

/** Our half of the connection: closed at most once, and we remember whether it is. */
class OurSide {
  ended = false;

  constructor(private readonly conn: AppConnection) {}

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.conn.end();
  }
}

/** Once the peer has closed and we have nothing left to say, close our side too. */
function closeOnPeerClose(conn: AppConnection, report: (event: BehaviourEvent) => void, ours = new OurSide(conn)): void {
  conn.onEnd(() => {
    if (ours.ended) {
      report({ kind: 'peer-closed', message: 'peer closed; our side was already closed' });
      return;
    }
    report({ kind: 'peer-closed', message: 'peer closed; closing our side too (FIN)' });
    ours.end();
  });
}

function echo(conn: AppConnection, report: (event: BehaviourEvent) => void): BehaviourRun {
  conn.onData((data) => {
    report({ kind: 'received', data, message: `echoed ${plural(data.length, 'byte')}` });
    conn.write(data);
  });
  closeOnPeerClose(conn, report);
  return idle;
}

function discard(conn: AppConnection, report: (event: BehaviourEvent) => void): BehaviourRun {
  conn.onData((data) => {
    report({ kind: 'received', data, message: `discarded ${plural(data.length, 'byte')}` });
  });
  closeOnPeerClose(conn, report);
  return idle;
}

function closeAfter(limit: number, conn: AppConnection, report: (event: BehaviourEvent) => void): BehaviourRun {
  const ours = new OurSide(conn);
  let seen = 0;
  if (limit === 0) ours.end();
  conn.onData((data) => {
    if (ours.ended) {
      report({ kind: 'received', data, message: `discarded ${plural(data.length, 'byte')}: our side is already closed` });
      return;
    }
    const echoed = data.subarray(0, limit - seen);
    seen += echoed.length;
    conn.write(echoed);
    if (seen < limit) {
      report({ kind: 'received', data, message: `echoed ${plural(echoed.length, 'byte')} (${seen} of ${limit})` });
      return;
    }
    const dropped = data.length - echoed.length;
    const tail = dropped > 0 ? `, discarded the ${plural(dropped, 'byte')} past it` : '';
    report({ kind: 'received', data, message: `echoed ${plural(echoed.length, 'byte')}, reaching ${limit}${tail}; closing first (FIN)` });
    ours.end();
  });
  closeOnPeerClose(conn, report, ours);
  return idle;
}

function lines(conn: AppConnection, report: (event: BehaviourEvent) => void): BehaviourRun {
  const ours = new OurSide(conn);
  let pending: Uint8Array = new Uint8Array(0);
  let count = 0;
  conn.onData((data) => {
    if (ours.ended) {
      report({ kind: 'received', data, message: `discarded ${plural(data.length, 'byte')}: our side is already closed` });
      return;
    }
    pending = concat(pending, data);
    const answered: string[] = [];
    let newline: number;
    while ((newline = pending.indexOf(0x0a)) !== -1) {
      const end = newline > 0 && pending[newline - 1] === 0x0d ? newline - 1 : newline;
      const line = pending.subarray(0, end);
      pending = pending.subarray(newline + 1);
      count += 1;
      conn.write(concat(encoder.encode(`#${count} `), line, encoder.encode('\n')));
      answered.push(`#${count} ${quote(line)}`);
    }
    if (pending.length > MAX_LINE) {
      conn.write(encoder.encode(`error: line longer than ${MAX_LINE} bytes\n`));
      report({ kind: 'received', data, message: `no newline in ${MAX_LINE} bytes: gave up and closed (FIN)` });
      ours.end();
      return;
    }
    report({ kind: 'received', data, message: describeFraming('line', answered, pending.length, 'a newline') });
  });
  closeOnPeerClose(conn, report, ours);
  return idle;
}

function lengthPrefixed(conn: AppConnection, report: (event: BehaviourEvent) => void): BehaviourRun {
  let pending: Uint8Array = new Uint8Array(0);
  let count = 0;
  conn.onData((data) => {
    pending = concat(pending, data);
    const answered: string[] = [];
    while (pending.length >= 2) {
      const length = ((pending[0] ?? 0) << 8) | (pending[1] ?? 0);
      if (pending.length < 2 + length) break;
      const message = pending.subarray(2, 2 + length);
      pending = pending.subarray(2 + length);
      count += 1;
      const label = encoder.encode(`#${count} `);
      const body = concat(label, message).subarray(0, MAX_FRAME);
      conn.write(concat(Uint8Array.of(body.length >> 8, body.length & 0xff), body));
      answered.push(`#${count} (${plural(length, 'byte')}) ${quote(message)}`);
    }
    const waitingFor =
      pending.length < 2 ? 'the rest of a 2-byte length' : `the rest of a ${plural(((pending[0] ?? 0) << 8) | (pending[1] ?? 0), 'byte')} message`;
    report({ kind: 'received', data, message: describeFraming('message', answered, pending.length, waitingFor) });
  });
  closeOnPeerClose(conn, report);
  return idle;
}

function slowReader(bytesPerSecond: number, conn: AppConnection, report: (event: BehaviourEvent) => void, clock: BehaviourClock): BehaviourRun {
  conn.pause();
  if (bytesPerSecond === 0) return idle;
  // Milliseconds of reading not yet paid for by resting; grows if a host delivers more while
  // we rest, so the average rate holds whatever the chunk sizes.
  let owed = 0;
  let cancel: (() => void) | null = null;
  const rest = (): void => {
    const ms = Math.ceil(owed);
    owed = 0;
    cancel = clock.after(ms, () => {
      cancel = null;
      if (owed > 0) rest();
      else conn.resume();
    });
  };
  conn.onData((data) => {
    owed += (data.length * 1000) / bytesPerSecond;
    report({ kind: 'received', data, message: `read ${plural(data.length, 'byte')}; resting ${Math.ceil(owed)} ms before reading more` });
    if (cancel === null) {
      conn.pause();
      rest();
    }
  });
  closeOnPeerClose(conn, report);
  conn.resume();
  return {
    stop() {
      cancel?.();
      cancel = null;
    },
  };
}

function describeFraming(unit: string, answered: string[], held: number, waitingFor: string): string {
  const replies = answered.length === 0 ? `no complete ${unit} yet` : `answered ${answered.join(', ')}`;
  return held === 0 ? replies : `${replies}; holding ${plural(held, 'byte')}, waiting for ${waitingFor}`;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function quote(bytes: Uint8Array): string {
  const text = JSON.stringify(decoder.decode(bytes.subarray(0, 40)));
  return bytes.length > 40 ? `${text}...` : text;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
