// What must follow a step's segment (or a run cell): replies (recv and expect lines, run as
// the REPL runs them, so the learner's log shows them), what the bundled program saw, the
// state of its socket, and silence. Each is evaluated in the order the lesson wrote them.

import { formatDataLiteral } from '../../lang/data-literal.js';
import type { NetEvent, Network } from '../../net/network.js';
import { packetText } from '../../session/feedback.js';
import type { CheckEntry, ErrorEntry } from '../../session/log-entry.js';
import type { Session } from '../../session/session.js';
import { ArrivalSignal, settle, waitUntil } from '../../session/waiting.js';
import type { Expectation } from '../format/schema.js';
import { runnerError, runnerStrings } from './runner-strings.js';
import { stripColumn } from './segment-checks.js';
import type { AppFacts, Bundled, DataText, Feedback, ReplyFacts } from './verdict.js';

/** A feedback's `summary` and `message` are in English whatever the lesson's language, for graders. */
const ENGLISH = runnerStrings('en');

/** How long an app or state line waits when it names no timeout=, as recv does. */
export const DEFAULT_EVENT_TIMEOUT_MS = 1000;

export interface StepMark {
  /** How many network events the session had when the step's action began. */
  events: number;
  /** How many packets the session had then: a packet numbered above this came during the step. */
  packets: number;
}

export function markNow(session: Session): StepMark {
  return { events: session.events.length, packets: session.packets.length };
}

export type ExpectationResult = { ok: true; success: string | null } | { ok: false; feedback: Feedback };

export interface ExpectationContext {
  session: Session;
  mark: StepMark;
  /** Who the bundled program is, for sentences: the server, or the client when the learner serves. */
  bundled: Bundled;
}

export async function evaluateExpectation(context: ExpectationContext, expectation: Expectation): Promise<ExpectationResult> {
  switch (expectation.kind) {
    case 'reply':
      return reply(context, expectation);
    case 'app':
      return appEvent(context, expectation);
    case 'state':
      return socketState(context, expectation);
    case 'silence':
      return silence(context, expectation);
  }
}

async function reply(context: ExpectationContext, expectation: Extract<Expectation, { kind: 'reply' }>): Promise<ExpectationResult> {
  const { status, entries } = await context.session.execute(expectation.line.text);
  if (status === 'ok') return { ok: true, success: expectation.ok };
  const at = expectation.line.at;
  const check = entries.find((entry): entry is CheckEntry => entry.kind === 'check');
  if (check === undefined || check.outcome === 'pass') {
    const error = entries.find((entry): entry is ErrorEntry => entry.kind === 'error');
    return { ok: false, feedback: runnerError({ kind: 'line-failed', line: expectation.line.text, reason: stripColumn(error?.message ?? status) }, at) };
  }
  const fields = check.fields.filter((field) => !field.ok);
  const facts = replyFacts(check, fields.length);
  return {
    ok: false,
    feedback: {
      kind: 'reply',
      line: expectation.line.text,
      at,
      sentence: expectation.fail,
      outcome: check.outcome,
      summary: ENGLISH.reply(facts),
      facts,
      fields,
      ...(check.expected !== undefined ? { expected: check.expected } : {}),
      ...(check.actual !== undefined ? { actual: check.actual } : {}),
    },
  };
}

type AppEvent = Extract<NetEvent, { type: 'app' }>;

async function appEvent(context: ExpectationContext, expectation: Extract<Expectation, { kind: 'app' }>): Promise<ExpectationResult> {
  const { session, mark } = context;
  const timeoutMs = expectation.timeoutMs ?? DEFAULT_EVENT_TIMEOUT_MS;
  const seen = (): AppEvent[] =>
    session.events
      .slice(mark.events)
      .filter((event): event is AppEvent => event.type === 'app' && (event.kind === 'listening' || event.remote?.port === session.me.port));
  const received = (): Uint8Array => Buffer.concat(seen().filter((event) => event.kind === 'received').map((event) => event.data ?? new Uint8Array()));
  const expectedHex = expectation.data?.hex ?? null;
  const holds = (): boolean => {
    if (expectation.event !== 'received') return seen().some((event) => event.kind === expectation.event);
    if (expectedHex === null) return seen().some((event) => event.kind === 'received');
    return Buffer.from(received()).toString('hex') === expectedHex;
  };
  if (await waitFor(session.network, holds, timeoutMs)) return { ok: true, success: expectation.ok };

  let facts: AppFacts;
  if (expectation.event === 'received') {
    const bytes = received();
    facts = bytes.length === 0 ? { kind: 'read-nothing', timeoutMs } : { kind: 'read-other', read: dataText(bytes), wanted: expectedHex === null ? null : dataText(Buffer.from(expectedHex, 'hex')) };
  } else {
    const error = seen().find((event) => event.kind === 'error');
    facts = { kind: 'event-missing', event: expectation.event, timeoutMs, seen: [...new Set(seen().map((event) => event.kind))], error: error?.message ?? null };
  }
  const { bundled } = context;
  return { ok: false, feedback: { kind: 'app', line: expectation.line.text, at: expectation.line.at, sentence: expectation.fail, summary: ENGLISH.app(bundled, facts), bundled, facts } };
}

async function socketState(context: ExpectationContext, expectation: Extract<Expectation, { kind: 'state' }>): Promise<ExpectationResult> {
  const { session } = context;
  const timeoutMs = expectation.timeoutMs ?? DEFAULT_EVENT_TIMEOUT_MS;
  if (await waitFor(session.network, () => session.bundledState === expectation.state, timeoutMs)) return { ok: true, success: expectation.ok };
  const actual = session.bundledState;
  const { bundled } = context;
  const summary = ENGLISH.state(bundled, expectation.state, actual, timeoutMs);
  return {
    ok: false,
    feedback: { kind: 'state', line: expectation.line.text, at: expectation.line.at, sentence: expectation.fail, expected: expectation.state, actual, timeoutMs, bundled, summary },
  };
}

async function silence(context: ExpectationContext, expectation: Extract<Expectation, { kind: 'silence' }>): Promise<ExpectationResult> {
  const { session, mark } = context;
  // A packet from the peer since the step's segment went out that no recv of the step took.
  const breaking = () => session.unreturned().find((record) => record.index > mark.packets);
  if (!(await waitFor(session.network, () => breaking() !== undefined, expectation.ms))) return { ok: true, success: expectation.ok };
  const record = breaking()!;
  return {
    ok: false,
    feedback: {
      kind: 'silence',
      at: expectation.at,
      sentence: expectation.fail,
      summary: ENGLISH.silence(record.index, expectation.ms),
      index: record.index,
      silenceMs: expectation.ms,
      packet: packetText(record.packet, session.incomingDefaults()),
    },
  };
}

/** Waits on the network's clock until `done()` holds or `ms` pass, woken by every event. */
export async function waitFor(network: Network, done: () => boolean, ms: number): Promise<boolean> {
  const arrivals = new ArrivalSignal();
  // Subscribed after the session, so the session has taken in each event before this wakes.
  const stop = network.subscribe(() => arrivals.notify());
  try {
    return await waitUntil(network, arrivals, done, ms);
  } finally {
    stop();
  }
}

/** Lets `ms` pass on the network's clock, with what it reports taken in. */
export async function pass(network: Network, ms: number): Promise<void> {
  await waitFor(network, () => false, ms);
  await settle();
}

/**
 * Why a recv or expect line did not hold, read off the session's check: it timed out, its
 * packet differs in `differing` of the fields asked about, or nothing had come to check.
 */
function replyFacts(check: CheckEntry, differing: number): ReplyFacts {
  if (check.outcome === 'timeout') return { kind: 'no-match', command: check.command, matcher: check.matcher, timeoutMs: check.timeoutMs ?? 0, closest: check.index };
  return check.index === null ? { kind: 'nothing-yet' } : { kind: 'mismatch', index: check.index, differing, checked: check.fields.length };
}

function dataText(bytes: Uint8Array): DataText {
  return { text: formatDataLiteral(bytes), bytes: bytes.length };
}
