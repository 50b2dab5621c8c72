import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resumePoint } from '../../src/lesson/progress/resume-point.js';
import type { LessonPosition, StepStatus } from '../../src/lesson/runner/position.js';

function position(step: number, statuses: StepStatus[]): LessonPosition {
  return {
    lesson: 'l',
    step,
    steps: statuses.map((status, i) => ({ number: i + 1, status, tries: 0, failedTries: 0, hintsShown: 0, solutionShown: false, answer: null })),
  };
}

test('a lesson left on a step not yet done resumes there', () => {
  assert.equal(resumePoint(position(2, ['passed', 'failed', 'pending']), 3).step, 2);
  assert.equal(resumePoint(position(1, ['pending', 'pending']), 2).step, 1);
});

test('a lesson left just after passing a step resumes at the next step not yet done', () => {
  assert.equal(resumePoint(position(1, ['passed', 'pending']), 2).step, 2);
  assert.equal(resumePoint(position(1, ['solved', 'passed', 'failed']), 3).step, 3);
});

test('with every step after it done, it stays where it was left; a step past the end is the last', () => {
  assert.equal(resumePoint(position(2, ['pending', 'passed', 'passed']), 3).step, 2);
  assert.equal(resumePoint(position(9, ['passed', 'failed']), 2).step, 2);
});
