// A learner's progress per pack, saved atomically in the user's state folder and merged so
// that two tcplab windows never lose each other's work.
export { ProgressStore, ProgressError, progressDir, progressFileName, type ProgressStoreOptions } from './store.js';
export {
  PackProgressSchema,
  LessonProgressSchema,
  PROGRESS_VERSION,
  emptyProgress,
  mergePositions,
  mergeStepRecords,
  type PackProgress,
  type LessonProgress,
} from './schema.js';
export { withFileLock, LockTimeoutError, type LockOptions } from './lock.js';
export { resumePoint } from './resume-point.js';
