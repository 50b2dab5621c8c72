// Where a saved lesson picks up. A learner who passed a step and left before moving on left
// at the point of moving on: the lesson resumes at the next step not yet done, not at the
// one they already finished.
import type { LessonPosition } from '../runner/position.js';

export function resumePoint(position: LessonPosition, stepCount: number): LessonPosition {
  const done = (number: number) => {
    const record = position.steps.find((step) => step.number === number);
    return record !== undefined && (record.status === 'passed' || record.status === 'solved');
  };
  let step = Math.min(Math.max(1, position.step), stepCount);
  if (done(step)) {
    for (let next = step + 1; next <= stepCount; next++) {
      if (!done(next)) {
        step = next;
        break;
      }
    }
  }
  return { ...position, step };
}
