import type { CellKind } from './cell-kinds.js';
import type { Position } from './lesson-error.js';
import type { Check, Expectation, Hint, RunCommand, SourceText } from './schema.js';

/**
 * A cell as read from its fence, before steps are formed. A cell whose content had errors
 * still takes its place in the step structure, so one mistake is reported once and does not
 * make the cells after it look misplaced.
 */
export type CellDraft = {
  at: Position;
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
