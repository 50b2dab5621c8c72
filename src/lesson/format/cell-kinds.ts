/** The kinds of cell, in the order the reference presents them. */
export const CELL_KINDS = ['send', 'check', 'expect', 'events', 'silence', 'hint', 'solution', 'run'] as const;

export type CellKind = (typeof CELL_KINDS)[number];

/** A step opens at one of these; the cells after it, up to the next, belong to it. */
export const OPENING_KINDS: readonly CellKind[] = ['send', 'run'];

export const CELL_DESCRIPTIONS: Record<CellKind, string> = {
  send: 'the segment the learner writes; its content, if any, is the template they start from',
  check: "checks on the learner's segment before it is sent, each with the sentence shown when it fails",
  expect: 'the replies that must come back: recv and expect lines',
  events: "what the bundled program must see: app events and its socket's state",
  silence: 'no packet from the peer for a while',
  hint: 'a hint, in Markdown; several are revealed one at a time',
  solution: "the segment that passes the step, shown on request or after failed tries",
  run: 'REPL commands the lesson runs itself: server, connect, send, wait, reset',
};

/** The word that starts a cell's info string. */
export const CELL_TAG = 'tcplab';
