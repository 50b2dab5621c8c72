// Where a learner is in a lesson, as plain data that survives a restart: the step shown,
// and for every step how it went. The text that passed a step is kept, so that on resume the
// connection can be rebuilt with the learner's own segments (their ISN, their choices).

import { z } from 'zod';

export const STEP_STATUSES = ['pending', 'passed', 'failed', 'solved'] as const;

/**
 * pending: not tried yet. passed: the learner's segment (or, for a run step, the lesson's
 * commands) met every check and expectation. failed: tried, not passed yet. solved: passed
 * by playing its solution on request, not by the learner.
 */
export type StepStatus = (typeof STEP_STATUSES)[number];

export const StepRecordSchema = z.object({
  number: z.number().int().min(1),
  status: z.enum(STEP_STATUSES),
  /** Tries the learner made that were judged (the text could be read and built). */
  tries: z.number().int().min(0),
  failedTries: z.number().int().min(0),
  hintsShown: z.number().int().min(0),
  solutionShown: z.boolean(),
  /** The learner's text that passed the step, for replaying it. */
  answer: z.string().nullable(),
});

export type StepRecord = z.infer<typeof StepRecordSchema>;

export const LessonPositionSchema = z.object({
  lesson: z.string().min(1),
  /** The step shown, from 1. */
  step: z.number().int().min(1),
  steps: z.array(StepRecordSchema),
});

export type LessonPosition = z.infer<typeof LessonPositionSchema>;
