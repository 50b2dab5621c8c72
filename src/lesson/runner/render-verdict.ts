// A step's verdict as plain text: what `tcplab lesson` prints for a learner or a grader, and
// what a UI without its own drawing can show. Every failure leads with the lesson's sentence,
// then the facts: the field, expected and actual (decimal and hex, ISN-relative where that
// helps), both packets in the segment language and as one-liners, and where the lesson says it.

import { pointAt, SegmentSyntaxError } from '../../lang/syntax-error.js';
import type { FieldFeedback, PacketText } from '../../session/log-entry.js';
import { formatPlace } from '../format/lesson-error.js';
import type { Position } from '../format/lesson-error.js';
import type { Feedback, StepVerdict } from './verdict.js';

export interface VerdictTextOptions {
  /** The lesson file, for file:line:column places. */
  file: string;
  /** Draw the ladder under a passed step; true unless set. */
  ladder?: boolean;
  /** Where the tried text came from, shown after it ("answers.md:7"). */
  source?: string;
}

const I = '  ';

export function renderVerdictText(verdict: StepVerdict, options: VerdictTextOptions): string {
  const lines: string[] = [];
  for (const note of verdict.notes) lines.push(`${I}(${note})`);
  const who = verdict.by === 'solution' ? 'the solution' : verdict.by === 'lesson' ? 'the lesson' : verdict.attempt > 0 ? `try ${verdict.attempt}` : 'try';
  if (verdict.text !== null) lines.push(`${I}${who}: ${verdict.text}${options.source !== undefined ? `   (${options.source})` : ''}`);
  if (verdict.passed) {
    lines.push(`${I}PASSED${verdict.by === 'solution' ? ' (by its solution)' : ''}`);
    for (const sentence of verdict.successes) lines.push(`${I}${I}${sentence}`);
    if (options.ladder !== false && verdict.ladder !== '') {
      lines.push(`${I}the exchange so far:`);
      for (const line of verdict.ladder.split('\n')) lines.push(`${I}${I}${line}`);
    }
    return lines.join('\n');
  }
  lines.push(`${I}${failureHeadline(verdict)}`);
  for (const feedback of verdict.feedback) lines.push(...renderFeedback(feedback, options.file).map((line) => `${I}${I}${line}`));
  if (verdict.sent && verdict.segment !== null) {
    lines.push(`${I}${I}your segment, as sent:`);
    lines.push(...packetLines('', verdict.segment).map((line) => `${I}${I}${I}${line.trimStart()}`));
  }
  return lines.join('\n');
}

function failureHeadline(verdict: StepVerdict): string {
  const checks = verdict.feedback.filter((feedback) => feedback.kind === 'check').length;
  if (checks > 0) return `FAILED before sending: ${checks === 1 ? '1 check does' : `${checks} checks do`} not hold, so nothing was sent`;
  if (verdict.feedback.some((feedback) => feedback.kind === 'input')) return 'FAILED: the segment cannot be built as written, so nothing was sent';
  return verdict.sent || verdict.by === 'lesson' ? 'FAILED: what followed was not what the lesson expects' : 'FAILED';
}

export function renderFeedback(feedback: Feedback, file: string): string[] {
  const place = (at: Position) => formatPlace({ file, line: at.line, column: at.column });
  switch (feedback.kind) {
    case 'check':
      return [
        `check ${feedback.matcher} (${place(feedback.at)})`,
        `${I}${feedback.sentence}`,
        ...fieldLines(feedback.fields).map((line) => `${I}${line}`),
        ...(feedback.expected !== null ? packetLines('expected', feedback.expected).map((line) => `${I}${line}`) : []),
        ...packetLines('yours', feedback.actual).map((line) => `${I}${line}`),
      ];
    case 'reply':
      return [
        `${feedback.line} (${place(feedback.at)})`,
        ...(feedback.sentence !== null ? [`${I}${feedback.sentence}`] : []),
        `${I}${feedback.summary}`,
        ...fieldLines(feedback.fields).map((line) => `${I}${line}`),
        ...(feedback.expected !== undefined ? packetLines('expected', feedback.expected).map((line) => `${I}${line}`) : []),
        ...(feedback.actual !== undefined ? packetLines('actual', feedback.actual).map((line) => `${I}${line}`) : []),
      ];
    case 'app':
    case 'state':
      return [`${feedback.line} (${place(feedback.at)})`, ...(feedback.sentence !== null ? [`${I}${feedback.sentence}`] : []), `${I}${feedback.summary}`];
    case 'silence':
      return [
        `silence (${place(feedback.at)})`,
        ...(feedback.sentence !== null ? [`${I}${feedback.sentence}`] : []),
        `${I}${feedback.summary}`,
        ...packetLines('came', feedback.packet).map((line) => `${I}${line}`),
      ];
    case 'input': {
      const lines = [`error: ${feedback.message}`];
      if (feedback.column !== undefined && feedback.column >= 1 && feedback.column <= feedback.text.length + 1) {
        const error = new SegmentSyntaxError('', { column: feedback.column, ...(feedback.length !== undefined ? { length: feedback.length } : {}) });
        lines.push(...pointAt(feedback.text, error).split('\n').map((line) => `${I}${line}`));
      }
      return lines;
    }
    case 'error':
      return [`error: ${feedback.message}${feedback.at !== undefined ? ` (${place(feedback.at)})` : ''}`];
  }
}

function fieldLines(fields: readonly FieldFeedback[]): string[] {
  const width = Math.max(0, ...fields.map((field) => field.field.length));
  const note = (text: string | undefined) => (text === undefined ? '' : `  = ${text}`);
  return fields.flatMap((field) => [
    `${field.field.padEnd(width)}  expected ${field.expected}${note(field.expectedNote)}`,
    `${' '.repeat(width)}  actual   ${field.actual}${note(field.actualNote)}`,
    ...(field.problems ?? []).map((problem) => `${' '.repeat(width)}  ${problem}`),
  ]);
}

function packetLines(label: string, packet: PacketText): string[] {
  const head = label === '' ? '' : `${label.padEnd(8)}  `;
  return [`${head}${packet.segment}`, `${' '.repeat(head.length)}${packet.line}`];
}
