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
  /** One line: what was asked and what came ("nothing from the peer matched flags=SA ack=1001 within 1 s"). */
  summary: string;
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
  summary: string;
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
  summary: string;
}

/** A silence cell: something came back when nothing should have. */
export interface SilenceFeedback {
  kind: 'silence';
  at: Position;
  sentence: string | null;
  summary: string;
  /** The first packet that broke the silence. */
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
}

/**
 * Something the learner did not cause: a line of the lesson that could not be evaluated, a
 * network that refused a packet, earlier steps that could not be replayed.
 */
export interface ErrorFeedback {
  kind: 'error';
  message: string;
  at?: Position;
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
  /** Remarks about how the try ran: a fresh connection, earlier steps replayed. */
  notes: string[];
  /** The exchange on the learner's connection so far, as a ladder diagram. */
  ladder: string;
}
