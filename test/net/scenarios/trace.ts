/**
 * The learner-visible trace of a scenario, and how two traces (or a trace and its
 * expectation) are compared. Only what does not legitimately differ between two kernels is
 * kept: sequence and acknowledgment numbers relative to the ISNs, never the ISNs themselves;
 * option kinds in order with the values that are Linux's choices (MSS, window scale, SACK
 * edges relative to the learner's ISN), never TS values; no IP ids, no ports the kernel
 * picked.
 */
import { createHash } from 'node:crypto';
import type { TcpState } from '../../../src/net/network.js';
import { formatDataLiteral } from '../../../src/lang/index.js';
import type { DecodedPacket } from '../../../src/wire/packet.js';
import { renderOneLine } from '../../../src/wire/render/index.js';
import { tcpdumpFlags } from '../../../src/wire/render/index.js';
import { TcpFlag } from '../../../src/wire/tcp-flags.js';
import type { TcpOption } from '../../../src/wire/tcp-options.js';
import { describeStep, type ExpectedTrace, type Scenario } from './scenario.js';

/** Reply times are kept to this step: coarse enough for a loaded machine, fine enough for 1 s vs 2 s. */
export const TIMING_STEP_MS = 250;

export interface TracePacket {
  /** The step (1-based) of the action that drew this reply. */
  step: number;
  /** tcpdump's letters: "S.", "P.", "R", ... */
  flags: string;
  /** Relative to the peer's ISN (signed), or as sent when the peer sent no SYN. */
  seq: number;
  /** Relative to the learner's ISN when ACK is set (signed); as sent otherwise. */
  ack: number;
  win: number;
  /** IPv4's TOS byte (its low bits are ECN); 0 for IPv6, whose traffic class the lab cannot see. */
  tos: number;
  options: string[];
  /** The payload as the segment language writes it; '' for none. */
  payload: string;
  /** Milliseconds since the action, rounded to TIMING_STEP_MS; only for timed scenarios. */
  after?: number;
}

export interface Trace {
  packets: TracePacket[];
  /** The bundled application's events: kind, and for 'received' the data. */
  app: string[];
  /** The bundled socket's TCP states, in order. */
  states: TcpState[];
}

/** A trace and, beside each packet, the packet itself with the bases that make it relative. */
export interface ScenarioRun {
  network: string;
  trace: Trace;
  /** Each reply, with its time since the action that drew it. */
  received: Array<{ packet: DecodedPacket; seqBase: number | null; ackBase: number | null; afterMs: number }>;
}

const signed = (value: number): number => value | 0;

export function relative(value: number, base: number | null): number {
  return base === null ? value : signed(value - base);
}

export function tracePacket(step: number, packet: DecodedPacket, peerIsn: number | null, learnerIsn: number | null, after?: number): TracePacket {
  const tcp = packet.tcp!;
  const hasAck = (tcp.flags & TcpFlag.ACK) !== 0;
  return {
    step,
    flags: tcpdumpFlags(tcp.flags),
    seq: relative(tcp.seq, peerIsn),
    ack: hasAck ? relative(tcp.ack, learnerIsn) : tcp.ack,
    win: tcp.window,
    tos: packet.ip?.version === 4 ? packet.ip.tos : 0,
    options: tcp.options.map((option) => optionText(option, learnerIsn)),
    payload: payloadText(tcp.payload),
    ...(after !== undefined ? { after } : {}),
  };
}

/** Payloads past this many bytes are written as their first bytes, their length and a digest. */
const PAYLOAD_SHOWN = 48;

/** The payload as the segment language writes it, or for a long one enough to tell two apart. */
export function payloadText(payload: Uint8Array): string {
  if (payload.length === 0) return '';
  if (payload.length <= PAYLOAD_SHOWN) return formatDataLiteral(payload);
  const digest = createHash('sha256').update(payload).digest('hex').slice(0, 12);
  return `${formatDataLiteral(payload.subarray(0, 16))}... (${payload.length} bytes, sha256 ${digest})`;
}

function optionText(option: TcpOption, learnerIsn: number | null): string {
  switch (option.kind) {
    case 'mss':
      return `mss ${option.value}`;
    case 'wscale':
      return `wscale ${option.value}`;
    case 'sackok':
      return 'sackOK';
    case 'ts':
      return 'TS';
    case 'sack':
      return `sack ${option.blocks.map(([left, right]) => `${relative(left, learnerIsn)}-${relative(right, learnerIsn)}`).join(' ')}`;
    case 'unknown':
      return `kind ${option.type}`;
    default:
      return option.kind;
  }
}

/** One line per reply, as expectations are written: `3: P. seq 1 ack 6 win 512 [nop,nop,TS] "hello"`. */
export function formatTracePacket(packet: TracePacket): string {
  let line = `${packet.step}: ${packet.flags} seq ${packet.seq}`;
  if (packet.flags.includes('.')) line += ` ack ${packet.ack}`;
  else if (packet.ack !== 0) line += ` ack(unset) ${packet.ack}`;
  line += ` win ${packet.win}`;
  if (packet.tos !== 0) line += ` tos 0x${packet.tos.toString(16)}`;
  if (packet.options.length > 0) line += ` [${packet.options.join(',')}]`;
  if (packet.payload !== '') line += ` ${packet.payload}`;
  if (packet.after !== undefined) line += ` +${(packet.after / 1000).toFixed(2)}s`;
  return line;
}

export function appText(kind: string, data?: Uint8Array): string {
  return kind === 'received' && data !== undefined ? `received ${payloadText(data)}` : kind;
}

/**
 * Is `seen` what `expected` allows? States marked '?' may be missing from `seen` (the lab
 * polls /proc and can miss one that lasts microseconds); `exact` allows no gaps at all, for
 * sim, which reports every change.
 */
export function statesMatch(seen: readonly string[], expected: readonly string[], exact: boolean): boolean {
  const plain = expected.map((state) => state.replace(/\?$/, ''));
  if (exact) return seen.length === plain.length && seen.every((state, i) => state === plain[i]);
  let at = 0;
  for (let i = 0; i < expected.length; i++) {
    if (at < seen.length && seen[at] === plain[i]) at++;
    else if (!expected[i]!.endsWith('?')) return false;
  }
  return at === seen.length;
}

/** Is `part` what is left of `whole` with some entries taken out? */
export function isSubsequence(part: readonly string[], whole: readonly string[]): boolean {
  let at = 0;
  for (const entry of whole) if (at < part.length && part[at] === entry) at++;
  return at === part.length;
}

const FIELDS = ['step', 'flags', 'seq', 'ack', 'win', 'tos', 'options', 'payload', 'after'] as const;

function fieldText(packet: TracePacket, field: (typeof FIELDS)[number]): string {
  const value = packet[field];
  if (field === 'ack' && !packet.flags.includes('.')) return `${value} (ACK not set)`;
  if (Array.isArray(value)) return `[${value.join(',')}]`;
  return value === undefined ? '-' : String(value);
}

function oneLiner(run: ScenarioRun, index: number): string {
  const received = run.received[index];
  if (received === undefined) return '(none)';
  const bases = {
    ...(received.seqBase !== null ? { seqBase: received.seqBase } : {}),
    ...(received.ackBase !== null ? { ackBase: received.ackBase } : {}),
  };
  return renderOneLine(received.packet, bases);
}

function stepText(scenario: Scenario, step: number | undefined): string {
  const found = step === undefined ? undefined : scenario.steps[step - 1];
  return found === undefined ? 'no step' : `step ${step} (${describeStep(found)})`;
}

/**
 * Where two runs of one scenario differ, for a person: for each reply that differs, the step
 * that drew it, each field that differs with both values, and both packets as tcpdump's
 * one-liners; then the application's events and the socket states, if they differ. The
 * states of `b` (sim) must contain those of `a` (the lab, which may miss a short-lived one).
 * Empty when they agree.
 */
export function diffRuns(scenario: Scenario, a: ScenarioRun, b: ScenarioRun): string[] {
  const out: string[] = [];
  const count = Math.max(a.trace.packets.length, b.trace.packets.length);
  for (let i = 0; i < count; i++) {
    const pa = a.trace.packets[i];
    const pb = b.trace.packets[i];
    if (pa !== undefined && pb !== undefined) {
      const fields = FIELDS.filter((field) => fieldText(pa, field) !== fieldText(pb, field));
      if (fields.length === 0) continue;
      out.push(`reply ${i + 1}, ${stepText(scenario, pa.step)}:`);
      for (const field of fields) out.push(`  ${field}: ${a.network} ${fieldText(pa, field)}, ${b.network} ${fieldText(pb, field)}`);
    } else {
      const [has, lacks, packet] = pa !== undefined ? [a, b, pa] : [b, a, pb!];
      out.push(`reply ${i + 1}, ${stepText(scenario, packet.step)}: only ${has.network} sent ${formatTracePacket(packet)}; ${lacks.network} sent nothing more`);
    }
    out.push(`  ${a.network}: ${oneLiner(a, i)}`);
    out.push(`  ${b.network}: ${oneLiner(b, i)}`);
  }
  if (!sameList(a.trace.app, b.trace.app)) {
    out.push(`application events differ:`, `  ${a.network}: ${a.trace.app.join(', ')}`, `  ${b.network}: ${b.trace.app.join(', ')}`);
  }
  if (!isSubsequence(a.trace.states, b.trace.states)) {
    out.push(
      `socket states: ${b.network}'s do not contain ${a.network}'s in order:`,
      `  ${a.network}: ${a.trace.states.join(' ')}`,
      `  ${b.network}: ${b.trace.states.join(' ')}`,
    );
  }
  return out;
}

/** Where a run differs from the scenario's expectation; empty when it matches. */
export function diffExpected(scenario: Scenario, run: ScenarioRun, exactStates: boolean): string[] {
  const out: string[] = [];
  const expected: ExpectedTrace = scenario.expected;
  const lines = run.trace.packets.map(formatTracePacket);
  const count = Math.max(lines.length, expected.packets.length);
  for (let i = 0; i < count; i++) {
    if (lines[i] === expected.packets[i]) continue;
    const step = run.trace.packets[i]?.step ?? Number.parseInt(expected.packets[i] ?? '', 10);
    out.push(`reply ${i + 1}, ${stepText(scenario, step)}:`);
    out.push(`  expected: ${expected.packets[i] ?? '(nothing)'}`);
    out.push(`  ${run.network}: ${lines[i] ?? '(nothing)'}`);
    if (lines[i] !== undefined) out.push(`  ${run.network}: ${oneLiner(run, i)}`);
  }
  if (!sameList(run.trace.app, expected.app)) {
    out.push('application events differ:', `  expected: ${expected.app.join(', ')}`, `  ${run.network}: ${run.trace.app.join(', ')}`);
  }
  if (!statesMatch(run.trace.states, expected.states, exactStates)) {
    out.push('socket states differ:', `  expected: ${expected.states.join(' ')}`, `  ${run.network}: ${run.trace.states.join(' ')}`);
  }
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((entry, i) => entry === b[i]);
}
