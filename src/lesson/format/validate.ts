// The rules a lesson meets beyond the syntax of its cells: cells form steps (each send or
// run cell opens one), every cell sits in a step that can use it, a step the learner acts
// in checks something and has a solution, and a learner playing the server is connected to.

import type { CellDraft, CellDraftOf } from './cell-draft.js';
import { aCell } from './cell-kinds.js';
import type { LessonError, Position } from './lesson-error.js';
import type { FrontMatter, Step } from './schema.js';

export interface LessonBody {
  intro: string;
  steps: Step[];
  outro: string;
}

type Opening = CellDraftOf<'send'> | CellDraftOf<'run'>;

interface StepDraft {
  opening: Opening;
  cells: CellDraft[];
  notes: string[];
}

const LEARNER_ONLY = new Set(['check', 'hint', 'solution']);
const CHECKING = new Set(['check', 'expect', 'events', 'silence']);

/** Groups cells into steps and checks where each may be; `trailing` is the prose after the last cell. */
export function buildSteps(file: string, cells: readonly CellDraft[], trailing: string, errors: LessonError[]): LessonBody {
  const drafts: StepDraft[] = [];
  let intro: string[] = [];
  for (const cell of cells) {
    const current = drafts[drafts.length - 1];
    if (cell.kind === 'send' || cell.kind === 'run') {
      const { before, heading } = splitAtStepHeading(cell.prose);
      (current ? current.notes : intro).push(before);
      drafts.push({ opening: { ...cell, prose: heading }, cells: [], notes: [] });
      continue;
    }
    if (current === undefined) {
      intro.push(cell.prose);
      errors.push({ file, ...cell.at, message: `${aCell(cell.kind)} belongs to a step: put it after a \`\`\`tcplab send or \`\`\`tcplab run cell` });
      continue;
    }
    current.notes.push(cell.prose);
    if (current.opening.kind === 'run' && LEARNER_ONLY.has(cell.kind)) {
      errors.push({
        file,
        ...cell.at,
        message: `${aCell(cell.kind)} belongs to a step the learner acts in, but this step opens with a run cell (line ${current.opening.at.line})`,
      });
      continue;
    }
    current.cells.push(cell);
  }
  intro = intro.filter((text) => text !== '');
  const steps = drafts.map((draft, i) => finishStep(file, draft, i + 1, errors));
  if (steps.length === 0) {
    errors.push({ file, line: 1, column: 1, message: 'a lesson needs at least one step: a ```tcplab send or ```tcplab run cell' });
  }
  return { intro: joinProse(intro), steps, outro: trailing };
}

function finishStep(file: string, draft: StepDraft, number: number, errors: LessonError[]): Step {
  const { opening, cells } = draft;
  let solution: CellDraftOf<'solution'> | null = null;
  const step: Step = {
    number,
    prose: opening.prose,
    action: opening.kind === 'send' ? { kind: 'send', template: opening.template, at: opening.at } : { kind: 'run', commands: opening.commands, at: opening.at },
    checks: [],
    expectations: [],
    hints: [],
    solution: null,
    notes: joinProse(draft.notes),
  };
  for (const cell of cells) {
    switch (cell.kind) {
      case 'check':
        step.checks.push(...cell.checks);
        break;
      case 'expect':
      case 'events':
      case 'silence':
        step.expectations.push(...cell.expectations);
        break;
      case 'hint':
        step.hints.push(cell.hint);
        break;
      case 'solution':
        if (solution !== null) {
          errors.push({ file, ...cell.at, message: `this step already has a solution (line ${solution.at.line}); a step has one` });
          break;
        }
        solution = cell;
        step.solution = cell.solution;
        break;
      case 'send':
      case 'run':
        break;
    }
  }
  if (opening.kind === 'send' && opening.unread !== true) {
    if (!cells.some((cell) => CHECKING.has(cell.kind))) {
      errors.push({ file, ...opening.at, message: 'this step checks nothing: add a check, expect, events or silence cell after the send cell' });
    }
    if (solution === null) {
      errors.push({ file, ...opening.at, message: 'this step has no solution: add a ```tcplab solution cell with the segment that passes it' });
    }
  }
  return step;
}

/**
 * A learner playing the server is only ever connected to by a `connect` in a run cell; one
 * playing the client has nothing to be connected to.
 */
export function checkRole(file: string, meta: FrontMatter, roleAt: Position | undefined, steps: readonly Step[], errors: LessonError[]): void {
  const connects = steps.flatMap((step) => (step.action.kind === 'run' ? step.action.commands.filter((command) => command.command === 'connect') : []));
  if (meta.role === 'server' && connects.length === 0) {
    errors.push({
      file,
      ...(roleAt ?? { line: 1, column: 1 }),
      message: "the learner plays the server here, so a run cell needs 'connect' for the bundled client to open the connection",
    });
  }
  if (meta.role === 'client') {
    for (const command of connects) {
      errors.push({
        file,
        ...command.line.at,
        message: "connect has the bundled client connect to the learner, but the learner is the client here: set 'role: server' in the front-matter",
      });
    }
  }
}

const STEP_HEADING = /^ {0,3}#{2,6}(?:[ \t]|$)/m;

/**
 * The prose before a step's opening cell splits at its first heading of level two or deeper:
 * what comes before it closes the previous step (or introduces the lesson), the heading and
 * what follows introduce this step. With no such heading, it all introduces the step.
 */
function splitAtStepHeading(prose: string): { before: string; heading: string } {
  const match = STEP_HEADING.exec(prose);
  if (match === null) return { before: '', heading: prose };
  return { before: prose.slice(0, match.index).trim(), heading: prose.slice(match.index).trim() };
}

function joinProse(parts: readonly string[]): string {
  return parts.filter((part) => part !== '').join('\n\n');
}
