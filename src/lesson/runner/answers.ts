// The answers file `tcplab lesson FILE --answers ANSWERS` reads: what a learner wrote in each
// step's send cell, one try a line, under a heading per step. docs/lesson-answers.md is its
// reference; every mistake in it is reported at its line and column.
//
//   # Answers: the three-way handshake
//   ## step 1
//   tcp flags=S seq=1000
//   ## step 2
//   hint
//   tcp flags=A seq=$tx.seq+2 ack=$rx.seq+1
//   tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1

import type { LessonError, Position } from '../format/lesson-error.js';
import type { Lesson } from '../format/schema.js';

export type AnswerItem =
  /** A try: the segment as the learner wrote it, and where it starts. */
  | { kind: 'try'; text: string; at: Position }
  /** Reveal the step's next hint. */
  | { kind: 'hint'; at: Position }
  /** Show the step's solution. */
  | { kind: 'solution'; at: Position };

export interface StepAnswers {
  step: number;
  /** Where the step's heading is. */
  at: Position;
  items: AnswerItem[];
}

export type AnswersParse = { ok: true; steps: Map<number, StepAnswers> } | { ok: false; errors: LessonError[] };

const HEADING = /^( {0,3})(#{1,6})([ \t]+|$)(.*)$/;
const STEP_WORD = /^step[ \t]+/i;
const FENCE = /^ {0,3}(```|~~~)/;

/** Reads an answers file against the lesson it answers: every step it names must take a segment. */
export function parseAnswers(text: string, file: string, lesson: Lesson): AnswersParse {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const errors: LessonError[] = [];
  const steps = new Map<number, StepAnswers>();
  // The step whose answers follow; 'wrong' under a step heading that was itself a mistake.
  let current: StepAnswers | 'wrong' | null = null;
  lines.forEach((raw, i) => {
    const line = i + 1;
    const indent = raw.length - raw.trimStart().length;
    const content = raw.trim();
    const column = indent + 1;
    if (content === '' || FENCE.test(raw)) return;
    const heading = HEADING.exec(raw);
    if (heading !== null) {
      const title = heading[4] ?? '';
      // A heading that is not "step N" is a title or a comment.
      if (!STEP_WORD.test(title)) return;
      const numberColumn = (heading[1]?.length ?? 0) + (heading[2]?.length ?? 0) + (heading[3]?.length ?? 0) + (STEP_WORD.exec(title)?.[0].length ?? 0) + 1;
      const word = /^[^\s:.)]*/.exec(title.replace(STEP_WORD, ''))?.[0] ?? '';
      const where = { file, line, column: numberColumn };
      current = 'wrong';
      if (!/^\d+$/.test(word)) {
        errors.push({ ...where, message: `expected a step number after 'step', got ${word === '' ? 'nothing' : `'${word}'`}; e.g. ## step 2` });
        return;
      }
      const number = Number(word);
      const step = lesson.steps[number - 1];
      if (step === undefined) {
        errors.push({ ...where, message: `the lesson has no step ${number}: its steps are 1 to ${lesson.steps.length}` });
        return;
      }
      if (step.action.kind !== 'send') {
        errors.push({ ...where, message: `step ${number} is played by the lesson itself (a run cell): it takes no answers` });
        return;
      }
      const earlier = steps.get(number);
      if (earlier !== undefined) {
        errors.push({ ...where, message: `step ${number} already has its answers at line ${earlier.at.line}: put every try at a step under one heading` });
        return;
      }
      current = { step: number, at: { line, column: column }, items: [] };
      steps.set(number, current);
      return;
    }
    const at = { line, column };
    const section = current as StepAnswers | 'wrong' | null;
    // Under a step heading that was wrong, its one error is enough.
    if (section === 'wrong') return;
    if (section === null) {
      errors.push({ file, ...at, message: 'an answer belongs under a step heading: put a line such as ## step 1 above it' });
      return;
    }
    const word = content.split(/\s+/)[0]!.toLowerCase();
    if (word === 'tcp' || (word === 'send' && /^send\s+tcp(\s|$)/i.test(content))) {
      section.items.push({ kind: 'try', text: content, at });
    } else if (content.toLowerCase() === 'hint') {
      section.items.push({ kind: 'hint', at });
    } else if (content.toLowerCase() === 'solution') {
      section.items.push({ kind: 'solution', at });
    } else {
      errors.push({ file, ...at, message: `expected a segment (tcp ...), hint or solution, got '${content.length > 40 ? `${content.slice(0, 40)}...` : content}'` });
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, steps };
}
