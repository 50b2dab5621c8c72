// `tcplab pack validate` proves a lesson can be passed: every step's solution is played, in
// order, on each network the lesson lists (sim always; the lab where it can run), and a step
// that does not pass becomes an error at the line that did not hold.

import { labAvailability, createLabNetwork, LabStartError } from '../../net/lab/lab-network.js';
import type { Network } from '../../net/network.js';
import { createSimNetwork } from '../../net/sim/index.js';
import type { LessonError } from '../format/lesson-error.js';
import type { Lesson, LessonNetwork } from '../format/schema.js';
import type { SolutionRunner } from '../pack/validate-path.js';
import { LessonRun } from './lesson-run.js';
import type { FieldFeedback } from '../../session/log-entry.js';
import type { Feedback, StepVerdict } from './verdict.js';

/** The seed sim plays solutions with: a failure can be replayed with `tcplab lesson --net sim --seed`. */
export const SOLUTION_SEED = 1;

export interface SolutionRunners {
  runners: SolutionRunner[];
  /** A network that was not used, and why, one line each ("the lab: <why> (fix: ...)"). */
  skipped: string[];
  /** Closes what the runners opened. */
  close(): Promise<void>;
}

/** Runners for sim and, where labAvailability() says it can run, the lab; `only` restricts to one. */
export async function lessonSolutionRunners(only: LessonNetwork | null = null): Promise<SolutionRunners> {
  const runners: SolutionRunner[] = [];
  const skipped: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  if (only !== 'lab') runners.push(simSolutionRunner());
  if (only !== 'sim') {
    const availability = await labAvailability();
    if (availability.ok) {
      const lab = labSolutionRunner();
      runners.push(lab.runner);
      closers.push(lab.close);
    } else {
      skipped.push(`the lab: it cannot run here: ${availability.reason} (fix: ${availability.fix})`);
    }
  }
  return { runners, skipped, close: async () => void (await Promise.all(closers.map((close) => close()))) };
}

/** Each lesson on a sim network of its own, seeded, so a failure replays exactly. */
export function simSolutionRunner(seed = SOLUTION_SEED): SolutionRunner {
  return {
    network: 'sim',
    async run(lesson) {
      const network = createSimNetwork({ seed });
      try {
        return await playSolutions(lesson, network, `on sim (seed ${seed})`);
      } finally {
        await network.close();
      }
    },
  };
}

/** One lab for every lesson, started at the first lesson that needs it; each lesson on ports of its own. */
export function labSolutionRunner(): { runner: SolutionRunner; close: () => Promise<void> } {
  let started: Promise<Network> | null = null;
  return {
    runner: {
      network: 'lab',
      async run(lesson) {
        started ??= createLabNetwork();
        let network: Network;
        try {
          network = await started;
        } catch (error) {
          const why = error instanceof LabStartError ? `${error.message} (fix: ${error.fix})` : error instanceof Error ? error.message : String(error);
          return [{ file: lesson.file, message: `the solutions could not be played on the lab: it did not start: ${why}` }];
        }
        return playSolutions(lesson, network, 'on the lab');
      },
    },
    async close() {
      if (started === null) return;
      const network = await started.catch(() => null);
      await network?.close();
    },
  };
}

/** Plays every step's solution (run steps play themselves); the first step that does not pass is the error. */
export async function playSolutions(lesson: Lesson, network: Network, where: string): Promise<LessonError[]> {
  const run = await LessonRun.open(lesson, network);
  try {
    for (const [i, step] of lesson.steps.entries()) {
      const verdict = step.action.kind === 'run' ? run.state.steps[i]!.verdict : await run.playSolution();
      if (verdict === null || !verdict.passed) return [solutionError(lesson, i, verdict, where)];
      if (i + 1 < lesson.steps.length && !(await run.next())) return [{ file: lesson.file, message: `${where}: could not go on past step ${i + 1}` }];
    }
    return [];
  } finally {
    await run.close();
  }
}

function solutionError(lesson: Lesson, index: number, verdict: StepVerdict | null, where: string): LessonError {
  const step = lesson.steps[index]!;
  const feedback = verdict?.feedback[0];
  const whose = step.action.kind === 'run' ? `step ${step.number} (its run cell)` : `step ${step.number}'s solution (line ${step.solution?.at.line ?? step.action.at.line})`;
  const at = (feedback !== undefined && 'at' in feedback ? feedback.at : undefined) ?? step.solution?.at ?? step.action.at;
  const why = feedback === undefined ? 'it did not run' : describeFailure(feedback);
  return { file: lesson.file, line: at.line, column: at.column, message: `${where}, ${whose} does not pass: ${why}` };
}

function describeFailure(feedback: Feedback): string {
  switch (feedback.kind) {
    case 'check':
      return `the check ${feedback.matcher} does not hold (${fieldsText(feedback.fields)})`;
    case 'reply': {
      const closest = feedback.actual === undefined ? '' : ` (${fieldsText(feedback.fields)}: ${feedback.actual.line})`;
      return `${feedback.line}: ${feedback.summary}${closest}`;
    }
    case 'app':
    case 'state':
      return `${feedback.line}: ${feedback.summary}`;
    case 'silence':
      return `${feedback.summary}: ${feedback.packet.line}`;
    case 'input':
    case 'error':
      return feedback.message;
  }
}

function fieldsText(fields: readonly FieldFeedback[]): string {
  return fields.map((field) => `${field.field} is ${field.actual}, not ${field.expected}`).join(', ');
}
