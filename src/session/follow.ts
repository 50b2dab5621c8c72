// "Follow TCP stream", as Wireshark has it: the bytes each side sent, put back in sequence
// order, each byte once however often it was sent, with what never arrived marked as a gap,
// and the two directions interleaved in the order they were sent. Reassembly follows the
// sequence numbers on the wire, not what either kernel accepted: a learner sees the stream
// their segments describe.

import { z } from 'zod';
import type { Direction, Endpoint, NetEvent } from '../net/network.js';
import { formatEndpoint } from '../server/app-event.js';
import { painter, type Style } from '../wire/render/ansi.js';
import { RenderOptionsError } from '../wire/render/render-options.js';
import { TcpFlag } from '../wire/tcp-flags.js';
import { findConversations, type Conversation, type PacketEvent } from './conversation.js';
import { textWidth } from './text-width.js';

export type FollowChunk =
  /** Bytes that became readable in order, at `offset` in that direction's stream. */
  | { kind: 'data'; dir: Direction; offset: number; bytes: Uint8Array; t: number }
  /** Bytes never seen: `length` of them from `offset`, before data that was seen. */
  | { kind: 'gap'; dir: Direction; offset: number; length: number; t: number };

export interface FollowedStream {
  /** The connection followed; null when the events hold none. */
  learner: Endpoint | null;
  peer: Endpoint | null;
  /** Who opened it: the learner, or the bundled side (the learner as server); null when no SYN was seen. */
  opener: 'learner' | 'peer' | null;
  /** Each direction's bytes in order, gaps left out. */
  out: Uint8Array;
  in: Uint8Array;
  /** Data and gaps in the order they were sent. */
  chunks: FollowChunk[];
  /** Bytes sent again (retransmitted or overlapping), counted once in the stream. */
  repeated: Record<Direction, number>;
  /** Bytes never seen before data that was. */
  missing: Record<Direction, number>;
}

export const FollowOptionsSchema = z.object({
  /** Follow the latest connection from this learner port; the latest connection otherwise. */
  learnerPort: z.number().int().min(0).max(0xffff).optional(),
  /** Columns to fit; 80 by default. */
  width: z.number().int().min(1).optional(),
  color: z.boolean().optional(),
  /** Bytes as escaped text, as a hex dump, or (the default) each block as whichever it mostly is. */
  as: z.enum(['auto', 'text', 'hex']).optional(),
});

export type FollowOptions = z.infer<typeof FollowOptionsSchema>;

const MIN_WIDTH = 16;

// ------------------------------------------------------------------ reassembly

interface Held {
  offset: number;
  bytes: Uint8Array;
  /** Event index and time of the packet that brought it. */
  index: number;
  t: number;
}

interface Ordered {
  chunk: FollowChunk;
  /** The event at which the bytes became readable, then their place among that event's chunks. */
  index: number;
  order: number;
}

/** One direction's stream: what is in order so far, and what waits for a gap to fill. */
class Reassembly {
  delivered = 0;
  repeated = 0;
  missing = 0;
  private held: Held[] = [];

  constructor(
    private readonly dir: Direction,
    private readonly emit: (chunk: FollowChunk, index: number) => void,
  ) {}

  add(segment: Held): void {
    if (segment.offset > this.delivered) {
      this.held.push(segment);
      return;
    }
    this.deliver(segment, segment.index, segment.t);
    this.held.sort((a, b) => a.offset - b.offset);
    while (this.held.length > 0 && this.held[0]!.offset <= this.delivered) {
      this.deliver(this.held.shift()!, segment.index, segment.t);
    }
  }

  /** At the end: what still waits goes in after a gap, where it was sent. */
  finish(): void {
    this.held.sort((a, b) => a.offset - b.offset);
    for (const segment of this.held) {
      if (segment.offset > this.delivered) {
        const length = segment.offset - this.delivered;
        this.emit({ kind: 'gap', dir: this.dir, offset: this.delivered, length, t: segment.t }, segment.index);
        this.missing += length;
        this.delivered = segment.offset;
      }
      this.deliver(segment, segment.index, segment.t);
    }
    this.held = [];
  }

  private deliver(segment: Held, index: number, t: number): void {
    const end = segment.offset + segment.bytes.length;
    if (end <= this.delivered) {
      this.repeated += segment.bytes.length;
      return;
    }
    const skip = this.delivered - segment.offset;
    this.repeated += skip;
    this.emit({ kind: 'data', dir: this.dir, offset: this.delivered, bytes: segment.bytes.subarray(skip), t }, index);
    this.delivered = end;
  }
}

export function followStreams(events: readonly NetEvent[], options?: Pick<FollowOptions, 'learnerPort'>): FollowedStream {
  const opts = checkOptions(options);
  const { list } = findConversations(events);
  const candidates = opts.learnerPort === undefined ? list : list.filter((c) => c.learner.port === opts.learnerPort);
  const conversation = candidates[candidates.length - 1];
  if (conversation === undefined) {
    return {
      learner: null,
      peer: null,
      opener: null,
      out: new Uint8Array(0),
      in: new Uint8Array(0),
      chunks: [],
      repeated: { out: 0, in: 0 },
      missing: { out: 0, in: 0 },
    };
  }
  return reassemble(events, conversation);
}

function reassemble(events: readonly NetEvent[], conversation: Conversation): FollowedStream {
  const ordered: Ordered[] = [];
  const emit = (chunk: FollowChunk, index: number): void => {
    ordered.push({ chunk, index, order: ordered.length });
  };
  const streams = { out: new Reassembly('out', emit), in: new Reassembly('in', emit) };
  for (const index of conversation.packets) {
    const event = events[index] as PacketEvent;
    const tcp = event.packet.tcp!;
    // A receiver ignores the payload of a RST; it is not part of the stream.
    if (tcp.payload.length === 0 || (tcp.flags & TcpFlag.RST) !== 0) continue;
    const start = conversation.dataStart[event.dir]!;
    const first = (tcp.seq + ((tcp.flags & TcpFlag.SYN) !== 0 ? 1 : 0)) >>> 0;
    let offset = (first - start) | 0;
    let bytes = tcp.payload;
    const stream = streams[event.dir];
    if (offset < 0) {
      // Bytes from before the stream began (sent again, or a wild seq) are not part of it.
      const before = Math.min(bytes.length, -offset);
      stream.repeated += before;
      bytes = bytes.subarray(before);
      offset = 0;
      if (bytes.length === 0) continue;
    }
    stream.add({ offset, bytes, index, t: event.t });
  }
  streams.out.finish();
  streams.in.finish();
  ordered.sort((a, b) => a.index - b.index || a.order - b.order);
  const chunks = ordered.map((entry) => entry.chunk);
  return {
    learner: conversation.learner,
    peer: conversation.peer,
    opener: conversation.opener,
    out: concat(chunks, 'out'),
    in: concat(chunks, 'in'),
    chunks,
    repeated: { out: streams.out.repeated, in: streams.in.repeated },
    missing: { out: streams.out.missing, in: streams.in.missing },
  };
}

function concat(chunks: readonly FollowChunk[], dir: Direction): Uint8Array {
  const parts = chunks.filter((c): c is Extract<FollowChunk, { kind: 'data' }> => c.kind === 'data' && c.dir === dir);
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.bytes.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part.bytes, at);
    at += part.bytes.length;
  }
  return out;
}

function checkOptions(options: FollowOptions | undefined): FollowOptions {
  if (options === undefined) return {};
  const parsed = FollowOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'options';
  throw new RenderOptionsError(`follow option ${where}: ${issue.message}`);
}

// ------------------------------------------------------------------ rendering

/**
 * The stream as text:
 *
 *   127.0.0.1:40000 (learner) <-> 127.0.0.1:7 (server)
 *   learner sent 7 bytes, server sent 7 bytes
 *
 *   --> learner, 7 bytes
 *   hello\r\n
 *   <-- server, 7 bytes
 *   hello\r\n
 *
 * Text is shown as is, line breaks as \r and \n at the end of the line they end, other
 * bytes as \xNN; a block that is mostly not text is a hex dump, offsets counted in its
 * direction's stream.
 */
export function renderFollow(events: readonly NetEvent[], options?: FollowOptions): string {
  const opts = checkOptions(options);
  const paint = painter(opts.color);
  const width = Math.max(MIN_WIDTH, opts.width ?? 80);
  const stream = followStreams(events, opts.learnerPort === undefined ? undefined : { learnerPort: opts.learnerPort });
  if (stream.learner === null || stream.peer === null) return 'no TCP connection to follow yet';

  const peerRole = stream.opener === 'peer' ? 'client' : 'server';
  const roleOf = (dir: Direction): string => (dir === 'out' ? 'learner' : peerRole);
  const lines: string[] = [
    paint(`${formatEndpoint(stream.learner)} (learner) <-> ${formatEndpoint(stream.peer)} (${peerRole})`, 'bold'),
    summary(stream, roleOf),
  ];
  const blocks = toBlocks(stream.chunks);
  if (blocks.length > 0) lines.push('');
  for (const block of blocks) {
    const style: Style = block.dir === 'out' ? 'cyan' : 'yellow';
    const arrow = block.dir === 'out' ? '-->' : '<--';
    const count = block.chunks.reduce((sum, c) => sum + (c.kind === 'data' ? c.bytes.length : 0), 0);
    lines.push(paint(`${arrow} ${roleOf(block.dir)}, ${bytesText(count)}`, 'bold'));
    for (const chunk of block.chunks) {
      if (chunk.kind === 'gap') {
        lines.push(paint(`[${bytesText(chunk.length)} missing]`, 'red'));
        continue;
      }
      const hex = opts.as === 'hex' || (opts.as !== 'text' && !isMostlyText(chunk.bytes));
      const body = hex ? hexDump(chunk.bytes, chunk.offset, width) : textLines(chunk.bytes, width);
      for (const line of body) lines.push(paint(line, style));
    }
  }
  return lines.join('\n');
}

function summary(stream: FollowedStream, roleOf: (dir: Direction) => string): string {
  const parts = (['out', 'in'] as const).map((dir) => {
    let text = `${roleOf(dir)} sent ${bytesText(dir === 'out' ? stream.out.length : stream.in.length)}`;
    const notes: string[] = [];
    if (stream.repeated[dir] > 0) notes.push(`${stream.repeated[dir]} more sent again`);
    if (stream.missing[dir] > 0) notes.push(`${stream.missing[dir]} missing`);
    if (notes.length > 0) text += ` (${notes.join(', ')})`;
    return text;
  });
  return parts.join(', ');
}

function bytesText(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}

/** Consecutive chunks of one direction, shown under one heading. */
function toBlocks(chunks: readonly FollowChunk[]): Array<{ dir: Direction; chunks: FollowChunk[] }> {
  const blocks: Array<{ dir: Direction; chunks: FollowChunk[] }> = [];
  for (const chunk of chunks) {
    const last = blocks[blocks.length - 1];
    if (last !== undefined && last.dir === chunk.dir) last.chunks.push(chunk);
    else blocks.push({ dir: chunk.dir, chunks: [chunk] });
  }
  return blocks;
}

// ------------------------------------------------------------------ bytes as text

/** Printable characters, whole UTF-8 ones included, and the escapes for everything else. */
function textUnits(bytes: Uint8Array): Array<{ text: string; lineEnd: boolean; printable: boolean }> {
  const units: Array<{ text: string; lineEnd: boolean; printable: boolean }> = [];
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    if (byte === 0x0a) units.push({ text: '\\n', lineEnd: true, printable: true });
    else if (byte === 0x0d) units.push({ text: '\\r', lineEnd: false, printable: true });
    else if (byte === 0x09) units.push({ text: '\\t', lineEnd: false, printable: true });
    else if (byte === 0x5c) units.push({ text: '\\\\', lineEnd: false, printable: true });
    else if (byte >= 0x20 && byte < 0x7f) units.push({ text: String.fromCharCode(byte), lineEnd: false, printable: true });
    else {
      const character = utf8Character(bytes, i);
      if (character !== null) {
        units.push({ text: character.text, lineEnd: false, printable: true });
        i += character.length;
        continue;
      }
      units.push({ text: `\\x${byte.toString(16).padStart(2, '0')}`, lineEnd: false, printable: false });
    }
    i += 1;
  }
  return units;
}

/** A whole, printable UTF-8 character of two to four bytes at `at`; null for anything else. */
function utf8Character(bytes: Uint8Array, at: number): { text: string; length: number } | null {
  const lead = bytes[at]!;
  const length = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 && lead <= 0xdf ? 2 : 0;
  if (length === 0 || lead > 0xf4 || at + length > bytes.length) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + length));
  } catch {
    return null;
  }
  // Controls and format characters (C1, zero-width, bidi marks) would act, not show.
  if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(text)) return null;
  return { text, length };
}

/** Text when at least two thirds of the bytes read as text, as the segment language decides. */
function isMostlyText(bytes: Uint8Array): boolean {
  const units = textUnits(bytes);
  const escaped = units.filter((unit) => !unit.printable).length;
  return escaped * 3 <= bytes.length;
}

/** The bytes as lines of escaped text, broken after each \n and wherever a line would pass `width`. */
function textLines(bytes: Uint8Array, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const unit of textUnits(bytes)) {
    const w = textWidth(unit.text);
    if (used + w > width && line !== '') {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += unit.text;
    used += w;
    if (unit.lineEnd) {
      lines.push(line);
      line = '';
      used = 0;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `0010  68 65 6c 6c 6f 0d 0a  hello..`: 16 bytes a row when they fit the width, else 8 or 4. */
function hexDump(bytes: Uint8Array, offset: number, width: number): string[] {
  const perRow = [16, 8, 4].find((n) => 6 + n * 3 + 1 + n <= width) ?? 4;
  const lines: string[] = [];
  for (let row = 0; row < bytes.length; row += perRow) {
    const slice = bytes.subarray(row, row + perRow);
    const hex = [...slice].map((b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(perRow * 3 - 1);
    const ascii = [...slice].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${(offset + row).toString(16).padStart(4, '0')}  ${hex}  ${ascii}`);
  }
  return lines;
}
