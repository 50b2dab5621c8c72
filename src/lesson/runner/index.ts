// The lesson runner: a lesson played step by step over a Session, every try checked and
// explained; and the non-interactive ways of playing one (answers files, solutions).
export {
  LessonRun,
  LessonRunError,
  stepTitle,
  type LessonRunOptions,
  type LessonRunState,
  type SolutionView,
  type StepState,
} from './lesson-run.js';
export { LessonPositionSchema, StepRecordSchema, STEP_STATUSES, type LessonPosition, type StepRecord, type StepStatus } from './position.js';
export type {
  AppFeedback,
  CheckFeedback,
  ErrorFeedback,
  Feedback,
  InputFeedback,
  ReplyFeedback,
  SilenceFeedback,
  StateFeedback,
  StepVerdict,
} from './verdict.js';
export { renderVerdictText, renderFeedback, type VerdictTextOptions } from './render-verdict.js';
export { parseAnswers, type AnswerItem, type AnswersParse, type StepAnswers } from './answers.js';
export { gradeLesson, type GradeEvent, type GradeReport, type StepOutcome } from './grade.js';
export { lessonSolutionRunners, simSolutionRunner, labSolutionRunner, playSolutions, SOLUTION_SEED, type SolutionRunners } from './solution-runner.js';
export { DEFAULT_EVENT_TIMEOUT_MS } from './expectations.js';
