/** The kinds of cell, in the order the reference presents them. */
export const CELL_KINDS = ['send', 'check', 'expect', 'events', 'silence', 'hint', 'solution', 'run'] as const;

export type CellKind = (typeof CELL_KINDS)[number];

/** The word that starts a cell's info string. */
export const CELL_TAG = 'tcplab';

/** "a check cell", "an expect cell": the kind with its article, for messages. */
export function aCell(kind: CellKind): string {
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} cell`;
}
