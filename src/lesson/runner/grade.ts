// A lesson played without a learner at the keyboard: each step's tries taken from an answers
// file, in order, as a grader or a test needs. A step whose tries all fail is played on by
// its solution, so the steps after it are still judged on their own; the lesson passes only
// when the learner's own answers pass every step.

import type { Position } from '../format/lesson-error.js';
import type { Hint, Lesson } from '../format/schema.js';
import type { StepAnswers } from './answers.js';
import { gradeStrings } from './grade-strings.js';
import { LessonRun, stepTitle, type LessonRunOptions, type SolutionView } from './lesson-run.js';
import type { StepVerdict } from './verdict.js';
import type { Network } from '../../net/network.js';

export type GradeEvent =
  | { kind: 'step'; step: number; title: string; by: 'learner' | 'lesson' }
  /** `at`: where in the answers file the try was written. */
  | { kind: 'verdict'; verdict: StepVerdict; at?: Position }
  | { kind: 'hint'; step: number; hint: Hint | null }
  /** requested: the answers asked for it; offered: the failed tries reached the lesson's solutionAfter. */
  | { kind: 'solution'; step: number; solution: SolutionView; reason: 'requested' | 'offered' }
  /** `text` is the note in English; `note` the same as facts. */
  | { kind: 'note'; step: number; text: string; note: GradeNote };

/** A remark on how the answers went at a step: it had none, or tries after its pass were not used. */
export type GradeNote = { kind: 'no-answer' } | { kind: 'tries-unused'; count: number };

/** A note's `text` is in English whatever the lesson's language, for graders. */
const ENGLISH = gradeStrings('en');

export type StepOutcome = 'passed' | 'failed' | 'not-reached';

export interface GradeReport {
  lesson: string;
  file: string;
  passed: boolean;
  steps: Array<{ step: number; title: string; outcome: StepOutcome; tries: number }>;
}

export async function gradeLesson(
  lesson: Lesson,
  network: Network,
  answers: ReadonlyMap<number, StepAnswers>,
  options: LessonRunOptions & { onEvent?: (event: GradeEvent) => void } = {},
): Promise<GradeReport> {
  const emit = options.onEvent ?? (() => {});
  const outcomes: GradeReport['steps'] = lesson.steps.map((step) => ({ step: step.number, title: stepTitle(step), outcome: 'not-reached', tries: 0 }));
  const run = await LessonRun.open(lesson, network, options);
  try {
    for (const [i, step] of lesson.steps.entries()) {
      const outcome = outcomes[i]!;
      emit({ kind: 'step', step: step.number, title: outcome.title, by: step.action.kind === 'send' ? 'learner' : 'lesson' });
      if (step.action.kind === 'run') {
        // Played on arrival.
        const verdict = run.state.steps[i]!.verdict;
        if (verdict !== null) emit({ kind: 'verdict', verdict });
        outcome.outcome = verdict?.passed === true ? 'passed' : 'failed';
        if (!verdict?.passed) break;
      } else {
        const passed = await answerStep(run, i, answers.get(step.number), emit);
        outcome.outcome = passed ? 'passed' : 'failed';
        outcome.tries = run.state.steps[i]!.tries;
        if (!passed) {
          const verdict = await run.playSolution();
          emit({ kind: 'verdict', verdict });
          if (!verdict.passed) break;
        }
      }
      if (i + 1 < lesson.steps.length && !(await run.next())) break;
    }
  } finally {
    await run.close();
  }
  return { lesson: lesson.meta.id, file: lesson.file, passed: outcomes.every((step) => step.outcome === 'passed'), steps: outcomes };
}

async function answerStep(run: LessonRun, index: number, answers: StepAnswers | undefined, emit: (event: GradeEvent) => void): Promise<boolean> {
  const step = index + 1;
  const items = answers?.items ?? [];
  const note = (about: GradeNote) => emit({ kind: 'note', step, text: ENGLISH.note(about), note: about });
  if (!items.some((item) => item.kind === 'try')) note({ kind: 'no-answer' });
  let offered = false;
  for (const [n, item] of items.entries()) {
    switch (item.kind) {
      case 'hint':
        emit({ kind: 'hint', step, hint: run.hint() });
        break;
      case 'solution': {
        const solution = run.solution();
        if (solution !== null) emit({ kind: 'solution', step, solution, reason: 'requested' });
        break;
      }
      case 'try': {
        const verdict = await run.submit(item.text);
        emit({ kind: 'verdict', verdict, at: item.at });
        if (verdict.passed) {
          const unused = items.slice(n + 1).filter((later) => later.kind === 'try').length;
          if (unused > 0) note({ kind: 'tries-unused', count: unused });
          return true;
        }
        const state = run.state.steps[index]!;
        if (state.solutionOffered && !offered && !state.solutionShown) {
          offered = true;
          const solution = run.solution();
          if (solution !== null) emit({ kind: 'solution', step, solution, reason: 'offered' });
        }
        break;
      }
    }
  }
  return false;
}
