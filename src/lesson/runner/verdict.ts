// What a learner is told after a try at a step, as plain data: the UI draws it, the
// non-interactive `tcplab lesson` prints it as text, and a grader can read it as JSON.
// Every failure carries the lesson's own sentence, where the lesson said it (file:line:col),
// and what was expected beside what happened.

import type { TcpState } from '../../net/network.js';
import type { FieldFeedback, PacketText } from '../../session/log-entry.js';
import type { Position } from '../format/lesson-error.js';

/** One check on the learner's segment that did not hold: nothing was sent. */
export interface CheckFeedback {
  kind: 'check';
  /** The matcher as the lesson wrote it, e.g. `ack=$rx.seq+1`, and where. */
  matcher: string;
  at: Position;
  /** The lesson's sentence for this check. */
  sentence: string;
  /** The fields that differ: expected and actual in decimal and hex, and relative to an ISN where that helps. */
  fields: FieldFeedback[];
  /** The segment the check describes (the learner's, with the asked values put in) and the learner's own. */
  expected: PacketText | null;
  actual: PacketText;
}

/** A recv or expect line that did not hold. */
export interface ReplyFeedback {
  kind: 'reply';
  line: string;
  at: Position;
  /** The lesson's fail sentence; null when it gave none. */
  sentence: string | null;
  outcome: 'fail' | 'timeout';
  /** One line in English: what was asked and what came ("nothing from the peer matched flags=SA ack=1001 within 1 s"). */
  summary: string;
  /** The same as facts, for a grader and for telling it in the lesson's language. */
  facts: ReplyFacts;
  fields: FieldFeedback[];
  /** The packet the line describes, and the one that came closest, when one came. */
  expected?: PacketText;
  actual?: PacketText;
}

/** An `app ...` line: the bundled program did not see what it should have. */
export interface AppFeedback {
  kind: 'app';
  line: string;
  at: Position;
  sentence: string | null;
  /** What the program saw instead, in English. */
  summary: string;
  /** Whose program: the server's, or the client's when the learner serves. */
  bundled: Bundled;
  facts: AppFacts;
}

/** A `state ...` line: the bundled program's socket is not in the state named. */
export interface StateFeedback {
  kind: 'state';
  line: string;
  at: Position;
  sentence: string | null;
  expected: TcpState;
  /** The socket's state when the wait ended; null when there is no socket facing the learner. */
  actual: TcpState | null;
  /** How long the line waited for the state. */
  timeoutMs: number;
  bundled: Bundled;
  /** The same in English. */
  summary: string;
}

/** A silence cell: something came back when nothing should have. */
export interface SilenceFeedback {
  kind: 'silence';
  at: Position;
  sentence: string | null;
  /** What broke it, in English. */
  summary: string;
  /** The number of the first packet that broke the silence, and the silence the lesson asked for. */
  index: number;
  silenceMs: number;
  /** That packet. */
  packet: PacketText;
}

/** The learner's text could not be read or built: nothing was judged, nothing sent. */
export interface InputFeedback {
  kind: 'input';
  message: string;
  /** The text as the learner wrote it, with where the mistake is (1-based), for a caret. */
  text: string;
  column?: number;
  length?: number;
  /** Set when the text was read but no packet could be built from it; the message says it in English. */
  facts?: { kind: 'unbuildable'; reason: string };
}

/**
 * Something the learner did not cause: a line of the lesson that could not be evaluated, a
 * network that refused a packet, earlier steps that could not be replayed.
 */
export interface ErrorFeedback {
  kind: 'error';
  /** In English. */
  message: string;
  at?: Position;
  /** What went wrong as facts, when the runner said it (absent: the message is told as it is). */
  facts?: ErrorFacts;
}

export type Feedback = CheckFeedback | ReplyFeedback | AppFeedback | StateFeedback | SilenceFeedback | InputFeedback | ErrorFeedback;

export interface StepVerdict {
  /** The step, from 1. */
  step: number;
  /** Which judged try this was (1, 2, ...); 0 when the text could not be read, or for a run step. */
  attempt: number;
  /** The text that was tried; null for a run step. */
  text: string | null;
  /** What played it: the learner, the step's solution (played on request), or the lesson (a run step). */
  by: 'learner' | 'solution' | 'lesson';
  passed: boolean;
  /** Whether a segment left: false when a check or the text stopped it first. */
  sent: boolean;
  /** The learner's segment as it went out (or as it would have gone, when a check stopped it). */
  segment: PacketText | null;
  /** What did not hold, in the order it was evaluated; empty when the step passed. */
  feedback: Feedback[];
  /** The lesson's `ok:` sentences for what held, in order: what the kernel did and why. */
  successes: string[];
  /** How the try ran, in English: a fresh connection, earlier steps replayed (the restarts, told). */
  notes: string[];
  /** Each time the connection started afresh before the try. */
  restarts: Restart[];
  /** The exchange on the learner's connection so far, as a ladder diagram. */
  ladder: string;
}

/** Who the bundled program is: the server, or the client when the learner plays the server. */
export type Bundled = 'server' | 'client';

/** Why a recv or expect line did not hold. */
export type ReplyFacts =
  /** Nothing from the peer matched `matcher` ('' for anything) within the time-out; `closest` is the packet that came nearest. */
  | { kind: 'no-match'; command: 'expect' | 'recv' | 'sr1'; matcher: string; timeoutMs: number; closest: number | null }
  /** expect's packet #index differs in `differing` of the `checked` fields it asks about. */
  | { kind: 'mismatch'; index: number; differing: number; checked: number }
  /** expect, before anything had come from the peer. */
  | { kind: 'nothing-yet' };

/** Bytes as the segment language writes them ("hello\r\n"), and how many. */
export interface DataText {
  text: string;
  bytes: number;
}

/** Why an app line did not hold. */
export type AppFacts =
  | { kind: 'read-nothing'; timeoutMs: number }
  /** It read other bytes than `wanted` (null: anything would have done). */
  | { kind: 'read-other'; read: DataText; wanted: DataText | null }
  /** The event did not come within the time-out; `seen` are the events that did, `error` the socket's error if there was one. */
  | { kind: 'event-missing'; event: string; timeoutMs: number; seen: string[]; error: string | null };

/** Something the runner could not do. `reason`s are as the session or the network gave them. */
export type ErrorFacts =
  /** A recv or expect line of the lesson could not run. */
  | { kind: 'line-failed'; line: string; reason: string }
  /** A command of a run cell could not run. */
  | { kind: 'command-failed'; line: string; reason: string }
  /** The network refused the learner's segment. */
  | { kind: 'not-sent'; reason: string }
  | { kind: 'check-unreadable'; reason: string }
  /** A check names a variable that has no value yet. */
  | { kind: 'check-unresolved'; matcher: string; reason: string }
  /** Replaying the steps before this one failed at `step`, played by its commands or its solution (or it has none); `cause` is why. */
  | { kind: 'rebuild-failed'; step: number; by: 'commands' | 'solution' | 'no-solution'; cause: Feedback | null }
  /** The steps before `step` could not be replayed, however often tried. */
  | { kind: 'replay-exhausted'; step: number };

/** The connection started afresh: a new learner port, and the steps before this one played again. */
export interface Restart {
  port: number;
  /** Steps 1 to `replayed` were played again (0: none came before). */
  replayed: number;
  /** Those of them played by their solution rather than the learner's answer. */
  bySolution: number[];
  /** Some of those had an answer of the learner's that named numbers of the old connection. */
  staleAnswers: boolean;
}
