// The exchange so far as a sequence diagram, the textbook picture of a handshake and a close:
// the learner's lifeline on the left, the bundled side's on the right, one arrow per packet
// labelled with its flags (the segment language's letters) and sequence numbers counted from
// each side's SYN, and beside the right lifeline what the server's socket and application
// went through. It fits the width it is given: labels shorten as room runs out, and below
// 60 columns the margin notes give way to the arrows. Its words are in the language asked
// for (ladder-strings.ts): a lesson's, or English for the REPL.

import { z } from 'zod';
import { formatFlags } from '../lang/flags.js';
import type { Direction, Endpoint, NetEvent } from '../net/network.js';
import { formatEndpoint } from '../server/app-event.js';
import { painter, type Painter, type Style } from '../wire/render/ansi.js';
import { RenderOptionsError } from '../wire/render/render-options.js';
import { TcpFlag } from '../wire/tcp-flags.js';
import { findConversations, sameEndpoint, segmentLength, type Conversation, type PacketEvent } from './conversation.js';
import { LADDER_LANGUAGES, ladderStrings, type LadderStrings } from './ladder-strings.js';
import { padStartWidth, textWidth, truncateWidth, wrapWidth } from './text-width.js';

export const LadderOptionsSchema = z.object({
  /** Columns to fit; 80 by default. Below LADDER_MIN_WIDTH the diagram is drawn at that width. */
  width: z.number().int().min(1).optional(),
  /** ANSI colours; off by default. */
  color: z.boolean().optional(),
  /** Sequence numbers counted from each side's SYN (the default), or as on the wire. */
  relative: z.boolean().optional(),
  /** The language of every word it writes (headings, notes, 'resent'): a lesson's; English unless set. */
  language: z.enum(LADDER_LANGUAGES).optional(),
});

export type LadderOptions = z.infer<typeof LadderOptionsSchema>;

export const LADDER_MIN_WIDTH = 16;
/** Narrower than this, the margin notes are left out. */
export const LADDER_NOTES_WIDTH = 60;
const NOTE_GAP = 2;
/** "NEW-SYN-RECV -> ESTABLISHED", the longest state change, on one line. */
const MAX_NOTE_WIDTH = 27;

interface Piece {
  text: string;
  style?: Style;
}

interface Row {
  diagram: Piece[];
  note: Piece | null;
}

type Item =
  | { kind: 'arrow'; dir: Direction; labels: string[]; style: Style; labelStyle: Style }
  | { kind: 'note'; text: string; style: Style }
  | { kind: 'connection'; text: string };

export function renderLadder(events: readonly NetEvent[], options?: LadderOptions): string {
  const opts = checkOptions(options);
  const paint = painter(opts.color);
  const width = Math.max(LADDER_MIN_WIDTH, opts.width ?? 80);
  const withNotes = width >= LADDER_NOTES_WIDTH;
  const noteWidth = withNotes ? Math.min(MAX_NOTE_WIDTH, Math.floor(width * 0.34)) : 0;
  const diagram = width - (withNotes ? noteWidth + NOTE_GAP : 0);

  const words = ladderStrings(opts.language);
  const { list, byEvent } = findConversations(events);
  const items = ladderItems(events, list, byEvent, opts.relative ?? true, words);

  const rows: Row[] = [];
  const lifeline = (): Row => ({ diagram: [{ text: `|${' '.repeat(diagram - 2)}|` }], note: null });
  for (const item of items) {
    if (item.kind === 'arrow') {
      rows.push(arrowRow(item, diagram));
      continue;
    }
    if (item.kind === 'connection') {
      rows.push(connectionRow(item.text, diagram));
      continue;
    }
    if (!withNotes) continue;
    const lines = wrapWidth(item.text, noteWidth);
    lines.forEach((line) => {
      const last = rows[rows.length - 1];
      const row = last !== undefined && last.note === null ? last : lifeline();
      if (row !== last) rows.push(row);
      row.note = { text: line, style: item.style };
    });
  }

  const out = header(list, diagram, words.headings).map((line) => paintPieces(line, paint));
  for (const row of rows) {
    let line = paintPieces(row.diagram, paint);
    if (row.note !== null) line += ' '.repeat(NOTE_GAP) + paintPieces([row.note], paint);
    out.push(line);
  }
  return out.join('\n');
}

function checkOptions(options: LadderOptions | undefined): LadderOptions {
  if (options === undefined) return {};
  const parsed = LadderOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'options';
  throw new RenderOptionsError(`ladder option ${where}: ${issue.message}`);
}

function paintPieces(pieces: readonly Piece[], paint: Painter): string {
  return pieces.map((piece) => (piece.style === undefined ? piece.text : paint(piece.text, piece.style))).join('');
}

// ------------------------------------------------------------------ what is drawn

function ladderItems(
  events: readonly NetEvent[],
  conversations: readonly Conversation[],
  byEvent: ReadonlyMap<number, Conversation>,
  relative: boolean,
  words: LadderStrings,
): Item[] {
  // The furthest sequence number each side has reached, to tell a segment sent again.
  const reached = new Map<Conversation, Record<Direction, number | null>>();
  const items: Item[] = [];
  // With more than one connection in view, a row names the connection whenever the next
  // arrow or note belongs to another one than the last did.
  let shown: Conversation | null = null;
  const belongsTo = (conversation: Conversation | null): void => {
    if (conversations.length < 2 || conversation === null || conversation === shown) return;
    shown = conversation;
    items.push({ kind: 'connection', text: `${formatEndpoint(conversation.learner)} <-> ${formatEndpoint(conversation.peer)}` });
  };
  events.forEach((event, index) => {
    if (event.type === 'packet') {
      const conversation = byEvent.get(index) ?? null;
      let resent = false;
      if (conversation !== null) {
        const furthest = reached.get(conversation) ?? { out: null, in: null };
        reached.set(conversation, furthest);
        resent = isResent(event, furthest);
      }
      belongsTo(conversation);
      items.push(arrowItem(event, conversation, relative, resent, words));
      return;
    }
    const note = noteFor(event, conversations, words);
    if (note === null) return;
    const remote = event.remote;
    const owner = conversations.findLast((c) => sameEndpoint(c.peer, event.local) && remote !== null && sameEndpoint(c.learner, remote));
    belongsTo(owner ?? null);
    items.push(note);
  });
  return items;
}

function isResent(event: PacketEvent, furthest: Record<Direction, number | null>): boolean {
  const tcp = event.packet.tcp!;
  const length = segmentLength(tcp);
  const end = (tcp.seq + length) >>> 0;
  const before = furthest[event.dir];
  const resent = length > 0 && before !== null && ((end - before) | 0) <= 0;
  if (before === null || ((end - before) | 0) > 0) furthest[event.dir] = end;
  return resent;
}

function arrowItem(event: PacketEvent, conversation: Conversation | null, relative: boolean, resent: boolean, words: LadderStrings): Item {
  const { dir, packet } = event;
  const style: Style = dir === 'out' ? 'cyan' : 'yellow';
  const tcp = packet.tcp;
  if (tcp === null || conversation === null) {
    const what = packet.other !== null ? words.notTcp(packet.other.protocol) : words.unreadable;
    return { kind: 'arrow', dir, labels: [what, '?'], style, labelStyle: 'red' };
  }
  const other: Direction = dir === 'out' ? 'in' : 'out';
  const seqBase = relative ? conversation.isn[dir] : null;
  const ackBase = relative ? conversation.isn[other] : null;
  const seq = seqBase === null ? tcp.seq : (tcp.seq - seqBase) >>> 0;
  const ack = ackBase === null ? tcp.ack : (tcp.ack - ackBase) >>> 0;
  const hasAck = (tcp.flags & TcpFlag.ACK) !== 0;
  const flags = tcp.flags === 0 ? words.noFlags : formatFlags(tcp.flags);
  const length = tcp.payload.length;

  const full = [flags, `seq=${seq}`];
  if (hasAck) full.push(`ack=${ack}`);
  if (length > 0) full.push(`len=${length}`);
  if (tcp.window === 0 && (tcp.flags & TcpFlag.RST) === 0) full.push('win=0');
  if (resent) full.push(words.resent);
  const badChecksum = packet.tcpChecksum === 'bad' || packet.ipChecksum === 'bad';
  if (badChecksum) full.push(words.badChecksum);
  const compact = [flags, `s=${seq}`];
  if (hasAck) compact.push(`a=${ack}`);
  if (length > 0) compact.push(`l=${length}`);

  const labelStyle: Style = (tcp.flags & TcpFlag.RST) !== 0 || badChecksum ? 'red' : 'bold';
  return { kind: 'arrow', dir, labels: [full.join(' '), compact.join(' '), flags], style, labelStyle };
}

/** What the bundled side's socket or application did, when it concerns a connection in view. */
function noteFor(event: Exclude<NetEvent, PacketEvent>, conversations: readonly Conversation[], words: LadderStrings): Extract<Item, { kind: 'note' }> | null {
  const ours = conversations.some(
    (c) => sameEndpoint(c.peer, event.local) && (event.remote === null || isWildcard(event.remote) || sameEndpoint(c.learner, event.remote)),
  );
  if (!ours) return null;
  if (event.type === 'state') {
    return { kind: 'note', text: event.from === null ? event.to : `${event.from} -> ${event.to}`, style: 'green' };
  }
  switch (event.kind) {
    case 'received':
      return { kind: 'note', text: words.received(event.data?.length ?? 0), style: 'dim' };
    case 'error':
      return { kind: 'note', text: words.error(event.message), style: 'red' };
    default:
      return { kind: 'note', text: words.app[event.kind], style: 'dim' };
  }
}

/** A listener's remote end: 0.0.0.0:0 or [::]:0. */
function isWildcard(endpoint: Endpoint): boolean {
  return endpoint.port === 0;
}

// ------------------------------------------------------------------ layout

/** Two lines: who is on each side, then their addresses, the right ones flush with the right lifeline. */
function header(conversations: readonly Conversation[], diagram: number, headings: LadderStrings['headings']): Piece[][] {
  // The bundled side is a client only when it opened every connection shown.
  const peerRole = conversations.length > 0 && conversations.every((c) => c.opener === 'peer') ? headings.client : headings.server;
  const learner = commonEndpoint(conversations.map((c) => c.learner));
  const peer = commonEndpoint(conversations.map((c) => c.peer));
  const lines: Piece[][] = [pair(headings.learner, peerRole, diagram)];
  if (learner !== '' || peer !== '') lines.push(pair(learner, peer, diagram));
  return lines;
}

function pair(left: string, right: string, width: number): Piece[] {
  let l = left;
  let r = right;
  if (textWidth(l) + 1 + textWidth(r) > width) {
    const half = Math.floor((width - 1) / 2);
    l = truncateWidth(l, half);
    r = truncateWidth(r, width - 1 - textWidth(l));
  }
  const gap = width - textWidth(l) - textWidth(r);
  return [{ text: l, style: 'bold' }, { text: r === '' ? '' : padStartWidth(r, gap + textWidth(r)), style: 'bold' }];
}

/** "127.0.0.1:40000" when every connection has that end; the address alone when only it is shared. */
function commonEndpoint(endpoints: readonly Endpoint[]): string {
  const first = endpoints[0];
  if (first === undefined) return '';
  if (endpoints.every((e) => sameEndpoint(e, first))) return formatEndpoint(first);
  if (endpoints.every((e) => e.addr === first.addr)) return first.addr;
  return '';
}

/** |   127.0.0.1:40001 <-> 127.0.0.1:7   |: the connection the rows below belong to. */
function connectionRow(text: string, diagram: number): Row {
  const inner = diagram - 2;
  const label = truncateWidth(text, inner - 2);
  const before = Math.floor((inner - textWidth(label)) / 2);
  const after = inner - textWidth(label) - before;
  return {
    diagram: [{ text: `|${' '.repeat(before)}` }, { text: label, style: 'dim' }, { text: `${' '.repeat(after)}|` }],
    note: null,
  };
}

/**
 *   |------ S seq=0 ------>|      (the learner's)
 *   |<--- SA seq=0 ack=1 --|      (the server's)
 * The longest label that leaves a dash either side and the head, or a bare arrow.
 */
function arrowRow(item: Extract<Item, { kind: 'arrow' }>, diagram: number): Row {
  const body = diagram - 2;
  const room = body - 5;
  const label = item.labels.find((candidate) => textWidth(candidate) <= room) ?? truncateWidth(item.labels[item.labels.length - 1]!, room);
  const pieces: Piece[] = [{ text: '|' }];
  if (label === '' || room < 1) {
    const shaft = '-'.repeat(Math.max(0, body - 1));
    pieces.push({ text: item.dir === 'out' ? `${shaft}>` : `<${shaft}`, style: item.style });
  } else {
    const dashes = body - textWidth(label) - 3;
    const before = Math.floor(dashes / 2);
    const after = dashes - before;
    if (item.dir === 'out') {
      pieces.push({ text: `${'-'.repeat(before)} `, style: item.style });
      pieces.push({ text: label, style: item.labelStyle });
      pieces.push({ text: ` ${'-'.repeat(after)}>`, style: item.style });
    } else {
      pieces.push({ text: `<${'-'.repeat(after)} `, style: item.style });
      pieces.push({ text: label, style: item.labelStyle });
      pieces.push({ text: ` ${'-'.repeat(before)}`, style: item.style });
    }
  }
  pieces.push({ text: '|' });
  return { diagram: pieces, note: null };
}
