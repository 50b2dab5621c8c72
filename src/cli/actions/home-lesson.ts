// A lesson run opened for the lesson view, with its progress store: where the learner left
// it (unless it was passed: then afresh, to do again), and where each change is saved.
import { relative } from 'node:path';
import type { Network } from '../../net/network.js';
import { resumePoint } from '../../lesson/progress/resume-point.js';
import { ProgressStore } from '../../lesson/progress/store.js';
import { LessonRun } from '../../lesson/runner/lesson-run.js';

/** A run of `lesson`, resumed where the learner left it unless it was passed (then afresh, to do again). */
export async function openLesson(network: Network, packName: string, packTitle: string, lesson: LessonRun['lesson'], width: number, family: 4 | 6) {
  const store = new ProgressStore(packName);
  const progress = await store.load();
  const saved = Object.hasOwn(progress.lessons, lesson.meta.id) ? progress.lessons[lesson.meta.id] : undefined;
  const position = saved !== undefined && !saved.passed ? ProgressStore.resumeFrom(progress, lesson.meta.id) : null;
  const resume = position !== null ? resumePoint(position, lesson.steps.length) : null;
  const run = await LessonRun.open(lesson, network, { width, family, ...(resume !== null ? { resume } : {}) });
  return {
    run,
    packTitle,
    file: displayPath(lesson.file),
    resumed: resume !== null,
    progress: { save: (position: ReturnType<LessonRun['position']>, passed: boolean) => store.saveRun(position, passed) },
  };
}

/** A lesson file as feedback names it: from the current folder when it is below it, else as read. */
function displayPath(file: string): string {
  const near = relative(process.cwd(), file);
  return near !== '' && !near.startsWith('..') ? near : file;
}
