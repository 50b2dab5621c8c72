// The learner's segment before it leaves: read, built with the session's variables (`$tx` is
// still the segment before this one), and held against the step's checks. A segment that
// fails a check is never sent, so a wrong ACK number is explained instead of being dropped
// by the kernel without a word.

import { allMatch, matchPacket, resolveMatcher } from '../../lang/matcher-match.js';
import { parseSegment } from '../../lang/segment-parser.js';
import { SegmentSyntaxError } from '../../lang/syntax-error.js';
import { expectedPacketText, packetText, withIsnNotes } from '../../session/feedback.js';
import type { PacketText } from '../../session/log-entry.js';
import type { Session } from '../../session/session.js';
import { decodePacket, encodePacket, WireEncodeError, type DecodedPacket, type Packet } from '../../wire/packet.js';
import type { LessonError } from '../format/lesson-error.js';
import { parseBareMatcherAt } from '../format/lang-text.js';
import type { Check } from '../format/schema.js';
import { runnerError, runnerStrings } from './runner-strings.js';
import type { CheckFeedback, ErrorFeedback, InputFeedback } from './verdict.js';

const ENGLISH = runnerStrings('en');

export type BuiltSegment =
  | { ok: true; packet: Packet; decoded: DecodedPacket; text: PacketText }
  | { ok: false; feedback: InputFeedback };

/** `tcp ...` (or `send tcp ...`, as typed in the REPL) built in the session as it is now. */
export function buildLearnerSegment(session: Session, raw: string): BuiltSegment {
  const text = raw.replace(/[\r\n]+$/, '');
  // The REPL's `send ` in front is accepted: the columns still point into what was written.
  const prefix = /^\s*send\s+(?=\S)/i.exec(text)?.[0] ?? '';
  const line = ' '.repeat(prefix.length) + text.slice(prefix.length);
  try {
    const packet = session.build(parseSegment(line));
    const decoded = decodePacket(encodePacket(packet));
    return { ok: true, packet, decoded, text: packetText(decoded, session.segmentDefaults()) };
  } catch (error) {
    if (error instanceof SegmentSyntaxError) {
      return { ok: false, feedback: { kind: 'input', message: error.message, text, column: error.column, ...(error.length !== undefined ? { length: error.length } : {}) } };
    }
    if (error instanceof WireEncodeError) {
      return { ok: false, feedback: { kind: 'input', message: ENGLISH.unbuildable(error.message), text, facts: { kind: 'unbuildable', reason: error.message } } };
    }
    throw error;
  }
}

/** Every check that does not hold (all are evaluated, so the learner sees every mistake at once). */
export function failedChecks(session: Session, file: string, checks: readonly Check[], segment: { packet: Packet; decoded: DecodedPacket }): Array<CheckFeedback | ErrorFeedback> {
  const failures: Array<CheckFeedback | ErrorFeedback> = [];
  for (const check of checks) {
    const at = check.matcher.at;
    const errors: LessonError[] = [];
    const matcher = parseBareMatcherAt(file, { text: check.matcher.text, line: at.line, column: at.column }, errors);
    if (matcher === null) {
      failures.push(runnerError({ kind: 'check-unreadable', reason: errors[0]?.message ?? check.matcher.text }, at));
      continue;
    }
    let resolved;
    try {
      resolved = resolveMatcher(matcher, session.resolve);
    } catch (error) {
      if (!(error instanceof SegmentSyntaxError)) throw error;
      failures.push(runnerError({ kind: 'check-unresolved', matcher: check.matcher.text, reason: stripColumn(error.message) }, at));
      continue;
    }
    const results = matchPacket(resolved, segment.decoded);
    if (allMatch(results)) continue;
    const fields = withIsnNotes(results, 'out', session.connection).filter((field) => !field.ok);
    const defaults = session.segmentDefaults();
    failures.push({
      kind: 'check',
      matcher: check.matcher.text,
      at,
      sentence: check.fail,
      fields,
      expected: expectedPacketText(resolved, segment.decoded, defaults),
      actual: packetText(segment.decoded, defaults),
    });
  }
  return failures;
}

/** "unknown variable $rx at column 5; nothing has come yet" reads without the column in a lesson's message. */
export function stripColumn(message: string): string {
  return message.replace(/ at column \d+/, '');
}
