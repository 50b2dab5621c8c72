// A learner's progress through one pack, as it is kept on disk: which lessons are passed,
// where to resume each, and how every step went. Validated on every read; a file that does
// not match is set aside, never trusted in part.

import { z } from 'zod';
import { LESSON_ID_PATTERN } from '../format/schema.js';
import { LessonPositionSchema, type LessonPosition, type StepRecord, type StepStatus } from '../runner/position.js';

export const PROGRESS_VERSION = 1;

const Timestamp = z.string().datetime({ offset: true });

export const LessonProgressSchema = z.object({
  /** Passed once, by the learner: every step. Never taken back. */
  passed: z.boolean(),
  /** When it was first passed. */
  passedAt: Timestamp.nullable(),
  /** Where to resume: the step shown and each step's record; null before the lesson is started. */
  position: LessonPositionSchema.nullable(),
  updatedAt: Timestamp,
});

export type LessonProgress = z.infer<typeof LessonProgressSchema>;

export const PackProgressSchema = z.object({
  version: z.literal(PROGRESS_VERSION),
  /** The pack's name, as its manifest gives it. */
  pack: z.string().min(1),
  /** The lesson the learner was in last, to resume the pack at. */
  current: z.string().regex(LESSON_ID_PATTERN).nullable(),
  /** By lesson id. */
  lessons: z.record(z.string().regex(LESSON_ID_PATTERN, { error: 'not a lesson id' }), LessonProgressSchema),
  updatedAt: Timestamp,
});

export type PackProgress = z.infer<typeof PackProgressSchema>;

export function emptyProgress(pack: string, now = new Date()): PackProgress {
  return { version: PROGRESS_VERSION, pack, current: null, lessons: {}, updatedAt: now.toISOString() };
}

const RANK: Record<StepStatus, number> = { pending: 0, failed: 1, solved: 2, passed: 3 };

/**
 * Two records of one step, from two windows (or a saved one and a new run): the better
 * status wins, counts take the larger, a passing answer is kept. Nothing earned is lost.
 */
export function mergeStepRecords(a: StepRecord, b: StepRecord): StepRecord {
  const better = RANK[b.status] > RANK[a.status] ? b : a;
  return {
    number: a.number,
    status: better.status,
    tries: Math.max(a.tries, b.tries),
    failedTries: Math.max(a.failedTries, b.failedTries),
    hintsShown: Math.max(a.hintsShown, b.hintsShown),
    solutionShown: a.solutionShown || b.solutionShown,
    answer: (b.status === 'passed' ? b.answer : null) ?? (a.status === 'passed' ? a.answer : null) ?? b.answer ?? a.answer,
  };
}

/** A run's position laid over what was saved: the run's step shown, every step's record merged. */
export function mergePositions(saved: LessonPosition | null, incoming: LessonPosition): LessonPosition {
  if (saved === null || saved.lesson !== incoming.lesson) return incoming;
  const byNumber = new Map(saved.steps.map((step) => [step.number, step]));
  const steps = incoming.steps.map((step) => {
    const old = byNumber.get(step.number);
    byNumber.delete(step.number);
    return old === undefined ? step : mergeStepRecords(old, step);
  });
  steps.push(...byNumber.values());
  steps.sort((x, y) => x.number - y.number);
  return { lesson: incoming.lesson, step: incoming.step, steps };
}
