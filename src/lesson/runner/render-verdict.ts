// A step's verdict as plain text: what `tcplab lesson` prints for a learner or a grader, and
// what a UI without its own drawing can show. Every failure leads with the lesson's sentence,
// then the facts: the field, expected and actual (decimal and hex, ISN-relative where that
// helps), both packets in the segment language and as one-liners, and where the lesson says it.
// The fixed phrases come from the table for the lesson's language (verdict-strings.ts).

import { pointAt, SegmentSyntaxError } from '../../lang/syntax-error.js';
import type { FieldFeedback, PacketText } from '../../session/log-entry.js';
import { textWidth } from '../../session/text-width.js';
import { formatPlace } from '../format/lesson-error.js';
import type { Position } from '../format/lesson-error.js';
import type { Feedback, StepVerdict } from './verdict.js';
import { runnerStrings, tellMessage, tellNotes, tellSummary } from './runner-strings.js';
import { translateIsnNote, verdictStrings, type VerdictStrings } from './verdict-strings.js';

export interface VerdictTextOptions {
  /** The lesson file, for file:line:column places. */
  file: string;
  /** Draw the ladder under a passed step; true unless set. */
  ladder?: boolean;
  /** Where the tried text came from, shown after it ("answers.md:7"). */
  source?: string;
  /** The lesson's language tag: its fixed phrases are told in it (English unless set, or unknown). */
  language?: string;
}

const I = '  ';

export function renderVerdictText(verdict: StepVerdict, options: VerdictTextOptions): string {
  const s = verdictStrings(options.language);
  const lines: string[] = [];
  for (const note of tellNotes(verdict, runnerStrings(options.language))) lines.push(`${I}${s.aside(note)}`);
  if (verdict.text !== null) lines.push(`${I}${whoTried(verdict, s)}${s.colon}${verdict.text}${options.source !== undefined ? `   (${options.source})` : ''}`);
  if (verdict.passed) {
    lines.push(`${I}${s.passed(verdict.by === 'solution')}`);
    for (const sentence of verdict.successes) lines.push(`${I}${I}${sentence}`);
    if (options.ladder !== false && verdict.ladder !== '') {
      lines.push(`${I}${s.exchangeSoFar}`);
      for (const line of verdict.ladder.split('\n')) lines.push(`${I}${I}${line}`);
    }
    return lines.join('\n');
  }
  lines.push(`${I}${failureHeadline(verdict, s)}`);
  for (const feedback of verdict.feedback) lines.push(...renderFeedback(feedback, options.file, options.language).map((line) => `${I}${I}${line}`));
  if (verdict.sent && verdict.segment !== null) {
    lines.push(`${I}${I}${s.yourSegmentAsSent}`);
    lines.push(...packetLines('', verdict.segment, s).map((line) => `${I}${I}${I}${line.trimStart()}`));
  }
  return lines.join('\n');
}

/** Who played the step: "try 2", "the solution", "the lesson". */
export function whoTried(verdict: StepVerdict, s: VerdictStrings): string {
  if (verdict.by === 'solution') return s.theSolution;
  if (verdict.by === 'lesson') return s.theLesson;
  return verdict.attempt > 0 ? s.tryNumber(verdict.attempt) : s.tryUnjudged;
}

/** Why the step failed, in one line: before sending (checks, unreadable text) or after. */
export function failureHeadline(verdict: StepVerdict, s: VerdictStrings = verdictStrings()): string {
  const checks = verdict.feedback.filter((feedback) => feedback.kind === 'check').length;
  if (checks > 0) return s.failedChecks(checks);
  if (verdict.feedback.some((feedback) => feedback.kind === 'input')) return s.failedInput;
  return verdict.sent || verdict.by === 'lesson' ? s.failedAfterSending : s.failed;
}

export function renderFeedback(feedback: Feedback, file: string, language?: string): string[] {
  const s = verdictStrings(language);
  const r = runnerStrings(language);
  const place = (at: Position) => formatPlace({ file, line: at.line, column: at.column });
  const packets = (label: string, packet: PacketText) => packetLines(label, packet, s).map((line) => `${I}${line}`);
  switch (feedback.kind) {
    case 'check':
      return [
        `${s.check} ${feedback.matcher} (${place(feedback.at)})`,
        `${I}${feedback.sentence}`,
        ...fieldLines(feedback.fields, s).map((line) => `${I}${line}`),
        ...(feedback.expected !== null ? packets(s.packetExpected, feedback.expected) : []),
        ...packets(s.packetYours, feedback.actual),
      ];
    case 'reply':
      return [
        `${feedback.line} (${place(feedback.at)})`,
        ...(feedback.sentence !== null ? [`${I}${feedback.sentence}`] : []),
        `${I}${tellSummary(feedback, r)}`,
        ...fieldLines(feedback.fields, s).map((line) => `${I}${line}`),
        ...(feedback.expected !== undefined ? packets(s.packetExpected, feedback.expected) : []),
        ...(feedback.actual !== undefined ? packets(s.packetActual, feedback.actual) : []),
      ];
    case 'app':
    case 'state':
      return [`${feedback.line} (${place(feedback.at)})`, ...(feedback.sentence !== null ? [`${I}${feedback.sentence}`] : []), `${I}${tellSummary(feedback, r)}`];
    case 'silence':
      return [
        `${s.silence} (${place(feedback.at)})`,
        ...(feedback.sentence !== null ? [`${I}${feedback.sentence}`] : []),
        `${I}${tellSummary(feedback, r)}`,
        ...packets(s.packetCame, feedback.packet),
      ];
    case 'input': {
      const lines = [`${s.error}${s.colon}${tellMessage(feedback, r)}`];
      if (feedback.column !== undefined && feedback.column >= 1 && feedback.column <= feedback.text.length + 1) {
        const error = new SegmentSyntaxError('', { column: feedback.column, ...(feedback.length !== undefined ? { length: feedback.length } : {}) });
        lines.push(...pointAt(feedback.text, error).split('\n').map((line) => `${I}${line}`));
      }
      return lines;
    }
    case 'error':
      return [`${s.error}${s.colon}${tellMessage(feedback, r)}${feedback.at !== undefined ? ` (${place(feedback.at)})` : ''}`];
  }
}

function fieldLines(fields: readonly FieldFeedback[], s: VerdictStrings): string[] {
  const width = Math.max(0, ...fields.map((field) => field.field.length));
  const labelWidth = Math.max(textWidth(s.fieldExpected), textWidth(s.fieldActual));
  const label = (text: string) => text + ' '.repeat(labelWidth - textWidth(text) + 1);
  const note = (text: string | undefined) => (text === undefined ? '' : `  = ${translateIsnNote(text, s)}`);
  return fields.flatMap((field) => [
    `${field.field.padEnd(width)}  ${label(s.fieldExpected)}${field.expected}${note(field.expectedNote)}`,
    `${' '.repeat(width)}  ${label(s.fieldActual)}${field.actual}${note(field.actualNote)}`,
    ...(field.problems ?? []).map((problem) => `${' '.repeat(width)}  ${problem}`),
  ]);
}

/** The label column beside packets: as wide as the widest of the language's packet labels. */
function packetLabelWidth(s: VerdictStrings): number {
  return Math.max(...[s.packetExpected, s.packetYours, s.packetActual, s.packetCame].map(textWidth));
}

function packetLines(label: string, packet: PacketText, s: VerdictStrings): string[] {
  const head = label === '' ? '' : `${label}${' '.repeat(packetLabelWidth(s) - textWidth(label))}  `;
  return [`${head}${packet.segment}`, `${' '.repeat(textWidth(head))}${packet.line}`];
}
