import type { Position } from './lesson-error.js';
import type { CellKind } from './cell-kinds.js';
import type { Expectation, RunCommand, SourceText } from './schema.js';
import type { z } from 'zod';
import type { CheckSchema, HintSchema } from './schema.js';

type Check = z.infer<typeof CheckSchema>;
type Hint = z.infer<typeof HintSchema>;

/**
 * A cell as read from its fence, before steps are formed. `valid` is false when its content
 * had errors: the cell still takes its place in the step structure, so one mistake is
 * reported once and does not make the cells after it look misplaced.
 */
export type CellDraft = {
  at: Position;
  valid: boolean;
  /** True when the content was never read (a misspelt kind, an unclosed fence): rules about what the cell holds do not apply. */
  unread?: boolean;
  prose: string;
} & (
  | { kind: 'send'; template: SourceText | null }
  | { kind: 'run'; commands: RunCommand[] }
  | { kind: 'check'; checks: Check[] }
  | { kind: 'expect'; expectations: Expectation[] }
  | { kind: 'events'; expectations: Expectation[] }
  | { kind: 'silence'; expectations: Expectation[] }
  | { kind: 'hint'; hint: Hint }
  | { kind: 'solution'; solution: SourceText | null }
);

export type CellDraftOf<K extends CellKind> = Extract<CellDraft, { kind: K }>;
