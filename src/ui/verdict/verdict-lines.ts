/**
 * A step's verdict laid out for a learner at a terminal: the same facts as the plain text of
 * render-verdict.ts, ordered for reading. A ✓ or ✗ headline; on a failure the lesson's
 * sentence comes first, then where the lesson says it, the fields expected beside actual,
 * and both packets; on a pass the lesson's `ok:` sentences and the exchange so far. Every
 * line fits the width: text wraps with hanging indents, the ladder is cut, a long segment
 * with a mistake is shown as a window around the caret.
 */
import type { FieldFeedback, PacketText } from '../../session/log-entry.js';
import { formatPlace, type Position } from '../../lesson/format/lesson-error.js';
import { failureHeadline, whoTried } from '../../lesson/runner/render-verdict.js';
import type { Feedback, StepVerdict } from '../../lesson/runner/verdict.js';
import { runnerStrings, tellMessage, tellNotes, tellSummary, type RunnerStrings } from '../../lesson/runner/runner-strings.js';
import { translateIsnNote, verdictStrings, type VerdictStrings } from '../../lesson/runner/verdict-strings.js';
import { textWidth, truncateWidth } from '../../session/text-width.js';
import { caretWindow } from './caret-window.js';
import { indented, type Tone, type ToneLine, type ToneSpan } from './tone.js';

export interface VerdictLayoutOptions {
  /** The lesson file, for file:line:column places. */
  file: string;
  /** The lesson's language tag: labels are told in it. */
  language?: string;
  width: number;
}

const BODY = 2;
const DETAIL = 4;

type Side = 'learner' | 'server';

export function layoutVerdict(verdict: StepVerdict, options: VerdictLayoutOptions): ToneLine[] {
  const s = verdictStrings(options.language);
  const width = Math.max(1, options.width);
  const lines: ToneLine[] = [];
  const put = (spans: ToneSpan[], indent: number, hang = 0) => lines.push(...indented(spans, width, indent, hang));

  if (verdict.passed) {
    put([span('✓ ', 'pass'), span(s.passed(verdict.by === 'solution'), 'pass')], 0, 2);
    for (const sentence of verdict.successes) put([span('• ', 'pass'), span(sentence, 'plain')], BODY, 2);
    if (verdict.ladder !== '') {
      put([span(s.exchangeSoFar, 'dim')], BODY);
      for (const line of verdict.ladder.split('\n')) lines.push([span(' '.repeat(DETAIL), 'plain'), span(truncateWidth(line, width - DETAIL), ladderTone(line))]);
    }
  } else {
    put([span('✗ ', 'fail'), span(failureHeadline(verdict, s), 'fail')], 0, 2);
    const r = runnerStrings(options.language);
    for (const feedback of verdict.feedback) lines.push(...feedbackLines(feedback, options.file, s, r, width));
    if (verdict.sent && verdict.segment !== null) {
      put([span(s.yourSegmentAsSent, 'dim')], BODY);
      lines.push(...packetLines('', verdict.segment, 'learner', s, width));
    }
  }
  if (verdict.text !== null) put([span(`${whoTried(verdict, s)}${s.colon}`, 'dim'), span(verdict.text, 'dim')], BODY, 2);
  for (const note of tellNotes(verdict, runnerStrings(options.language))) put([span(s.aside(note), 'dim')], BODY, 1);
  return lines;
}

function span(text: string, style: Tone): ToneSpan {
  return { text, style };
}

/** One thing that did not hold: the lesson's sentence (or what happened, when it gave none) first. */
function feedbackLines(feedback: Feedback, file: string, s: VerdictStrings, r: RunnerStrings, width: number): ToneLine[] {
  const lines: ToneLine[] = [];
  const put = (spans: ToneSpan[], indent: number, hang = 0) => lines.push(...indented(spans, width, indent, hang));
  const place = (at: Position) => formatPlace({ file, line: at.line, column: at.column });
  const where = (what: string, at: Position) => put([span(`${what} (${place(at)})`, 'dim')], DETAIL, 2);
  const explained = (sentence: string | null, summary: string) => {
    put([span(sentence ?? summary, 'sentence')], BODY);
    return sentence !== null;
  };
  switch (feedback.kind) {
    case 'check':
      put([span(feedback.sentence, 'sentence')], BODY);
      where(`${s.check} ${feedback.matcher}`, feedback.at);
      lines.push(...fieldLines(feedback.fields, s, width));
      if (feedback.expected !== null) lines.push(...packetLines(s.packetExpected, feedback.expected, 'learner', s, width));
      lines.push(...packetLines(s.packetYours, feedback.actual, 'learner', s, width));
      break;
    case 'reply': {
      const summary = tellSummary(feedback, r);
      const told = explained(feedback.sentence, summary);
      where(feedback.line, feedback.at);
      if (told) put([span(summary, 'plain')], DETAIL);
      lines.push(...fieldLines(feedback.fields, s, width));
      if (feedback.expected !== undefined) lines.push(...packetLines(s.packetExpected, feedback.expected, 'server', s, width));
      if (feedback.actual !== undefined) lines.push(...packetLines(s.packetActual, feedback.actual, 'server', s, width));
      break;
    }
    case 'app':
    case 'state': {
      const summary = tellSummary(feedback, r);
      const told = explained(feedback.sentence, summary);
      where(feedback.line, feedback.at);
      if (told) put([span(summary, 'plain')], DETAIL);
      break;
    }
    case 'silence': {
      const summary = tellSummary(feedback, r);
      const told = explained(feedback.sentence, summary);
      where(s.silence, feedback.at);
      if (told) put([span(summary, 'plain')], DETAIL);
      lines.push(...packetLines(s.packetCame, feedback.packet, 'server', s, width));
      break;
    }
    case 'input': {
      put([span(`${s.error}${s.colon}`, 'fail'), span(tellMessage(feedback, r), 'sentence')], BODY, 2);
      const room = Math.max(1, width - DETAIL);
      if (feedback.column !== undefined && feedback.column >= 1 && feedback.column <= feedback.text.length + 1) {
        const { text, caret } = caretWindow(feedback.text, feedback.column, feedback.length, room);
        lines.push([span(' '.repeat(DETAIL), 'plain'), span(text, 'learner')], [span(' '.repeat(DETAIL), 'plain'), span(caret, 'caret')]);
      } else if (feedback.text !== '') {
        lines.push([span(' '.repeat(DETAIL), 'plain'), span(truncateWidth(feedback.text, room), 'learner')]);
      }
      break;
    }
    case 'error':
      put([span(`${s.error}${s.colon}`, 'fail'), span(tellMessage(feedback, r), 'sentence')], BODY, 2);
      if (feedback.at !== undefined) put([span(`(${place(feedback.at)})`, 'dim')], DETAIL, 2);
      break;
  }
  return lines;
}

/**
 * Each field's expected over its actual, the values padded so the ISN notes line up:
 *   ack  expected 2693262068 (0xa087eaf4)  = their ISN + 1
 *        actual   2693262067 (0xa087eaf3)  = their ISN + 0
 */
function fieldLines(fields: readonly FieldFeedback[], s: VerdictStrings, width: number): ToneLine[] {
  const nameWidth = Math.max(0, ...fields.map((field) => textWidth(field.field)));
  const labelWidth = Math.max(textWidth(s.fieldExpected), textWidth(s.fieldActual));
  const pad = (text: string, to: number) => text + ' '.repeat(Math.max(0, to - textWidth(text)));
  return fields.flatMap((field) => {
    const valueWidth = Math.max(textWidth(field.expected), textWidth(field.actual));
    // The actual row starts under the expected row's label: its indent, not spaces a wrap would drop.
    const row = (name: string | null, label: string, value: string, tone: Tone, note: string | undefined): ToneLine[] => {
      const indent = name !== null ? DETAIL : DETAIL + nameWidth + 2;
      const hang = name !== null ? nameWidth + 2 + labelWidth + 1 : labelWidth + 1;
      const head = [...(name !== null ? [span(pad(name, nameWidth + 2), 'label')] : []), span(pad(label, labelWidth + 1), 'dim')];
      if (note === undefined) return indented([...head, span(value, tone)], width, indent, hang);
      const told = `= ${translateIsnNote(note, s)}`;
      const whole = [...head, span(pad(value, valueWidth), tone), span(`  ${told}`, 'dim')];
      if (whole.reduce((sum, part) => sum + textWidth(part.text), indent) <= width) return indented(whole, width, indent, hang);
      // Too narrow for the note beside the value: it goes whole on the line below, under the value.
      return [...indented([...head, span(value, tone)], width, indent, hang), ...indented([span(told, 'dim')], width, indent + hang)];
    };
    return [
      ...row(field.field, s.fieldExpected, field.expected, 'expected', field.expectedNote),
      ...row(null, s.fieldActual, field.actual, 'actual', field.actualNote),
      ...(field.problems ?? []).flatMap((problem) => indented([span(problem, 'plain')], width, DETAIL + nameWidth + 2, 2)),
    ];
  });
}

/** A packet under its label: the segment language in the side's colour, its one-liner dimmer below. */
function packetLines(label: string, packet: PacketText, side: Side, s: VerdictStrings, width: number): ToneLine[] {
  const labelWidth = label === '' ? 0 : Math.max(...[s.packetExpected, s.packetYours, s.packetActual, s.packetCame].map(textWidth)) + 2;
  const head = label === '' ? [] : [span(label + ' '.repeat(labelWidth - textWidth(label)), 'dim')];
  const segment = indented([...head, span(packet.segment, side)], width, DETAIL, labelWidth);
  const line = indented([span(packet.line, side === 'learner' ? 'learnerLine' : 'serverLine')], width, DETAIL + labelWidth, 2);
  return [...segment, ...line];
}

/** A ladder row in the colour of the side that sent it; the headings and idle rows dim. */
function ladderTone(line: string): Tone {
  if (/-+>\|/.test(line)) return 'learner';
  if (/\|<-+/.test(line)) return 'server';
  return 'dim';
}
