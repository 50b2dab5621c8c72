// The lesson file format: a Markdown file with YAML front-matter and ```tcplab cells, read
// into a Lesson (plain data a runner executes and a UI shows) or into positioned errors.
export { parseLesson, readLessonFile, type LessonParse } from './parse-lesson.js';
export { formatLessonError, formatPlace, sortLessonErrors, type LessonError, type Position } from './lesson-error.js';
export {
  FrontMatterSchema,
  LessonSchema,
  StepSchema,
  ExpectationSchema,
  RunCommandSchema,
  CheckSchema,
  HintSchema,
  LanguageTagSchema,
  LESSON_NETWORKS,
  lessonJsonSchema,
  parsedLessonJsonSchema,
  type Check,
  type Expectation,
  type Hint,
  type FrontMatter,
  type FrontMatterInput,
  type Lesson,
  type LessonNetwork,
  type RunCommand,
  type SourceText,
  type Step,
} from './schema.js';
export { CELL_KINDS, CELL_TAG, type CellKind } from './cell-kinds.js';
export { RUN_COMMANDS } from './run-cell.js';
export { SERVER_BEHAVIOUR_SYNTAX, formatServerBehaviour, parseServerBehaviour } from './server-spec.js';
export { parseDuration, parseTimeoutSeconds } from './duration.js';
export { checkVariable, matcherVariables, segmentVariables, type VariableUse, type VariableUseSite } from './variables.js';
