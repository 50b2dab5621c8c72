/**
 * Every key the prompt knows, in one table: the prompt acts on it, `?` lists it, and
 * docs/keys.md is held to it by a test, so the three never disagree.
 */
import type { EditAction } from './line-editor.js';
import type { KeyPress } from './key-decoder.js';

export type KeyCommand =
  | { type: 'edit'; action: EditAction }
  | { type: 'submit' }
  | { type: 'complete' }
  /** Ctrl-C: clear the line; on an empty line (or pressed twice), quit. */
  | { type: 'interrupt' }
  /** Ctrl-D: quit on an empty line, delete the character under the cursor otherwise. */
  | { type: 'end-of-input' }
  /** `?` on an empty line: show or hide the keys. */
  | { type: 'toggle-help' }
  /** Esc: hide the keys, the completion list and the error. */
  | { type: 'dismiss' }
  /** Ctrl-L: clear the screen and draw the log again. */
  | { type: 'redraw' };

export interface KeyBinding {
  id: string;
  /** How the keys are written in the help and in docs/keys.md. */
  keys: readonly string[];
  does: string;
  command: KeyCommand;
  matches(key: KeyPress): boolean;
}

const letter = (ch: string, mods: { ctrl?: boolean; meta?: boolean }) => (key: KeyPress) =>
  key.name === 'letter' && key.text === ch && key.ctrl === (mods.ctrl ?? false) && key.meta === (mods.meta ?? false);
const named = (name: KeyPress['name'], mods: { ctrl?: boolean; meta?: boolean } = {}) => (key: KeyPress) =>
  key.name === name && (mods.ctrl === undefined || key.ctrl === mods.ctrl) && (mods.meta === undefined || key.meta === mods.meta);
const anyOf = (...tests: Array<(key: KeyPress) => boolean>) => (key: KeyPress) => tests.some((test) => test(key));
const edit = (action: EditAction['type']): KeyCommand => ({ type: 'edit', action: { type: action } as EditAction });

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { id: 'submit', keys: ['Enter'], does: 'run the line', command: { type: 'submit' }, matches: named('return', { meta: false }) },
  { id: 'complete', keys: ['Tab'], does: 'complete the command, field, flag, option or variable', command: { type: 'complete' }, matches: (k) => k.name === 'tab' && !k.shift },
  { id: 'toggle-help', keys: ['?'], does: 'on an empty line: show or hide these keys', command: { type: 'toggle-help' }, matches: (k) => k.name === 'text' && k.text === '?' },
  { id: 'dismiss', keys: ['Esc'], does: 'hide the keys, the completions and the error', command: { type: 'dismiss' }, matches: named('escape') },
  { id: 'redraw', keys: ['Ctrl-L'], does: 'clear the screen and draw the log again', command: { type: 'redraw' }, matches: letter('l', { ctrl: true }) },
  { id: 'interrupt', keys: ['Ctrl-C'], does: 'clear the line; on an empty line, or twice, quit', command: { type: 'interrupt' }, matches: letter('c', { ctrl: true }) },
  { id: 'end-of-input', keys: ['Ctrl-D'], does: 'quit on an empty line; else delete under the cursor', command: { type: 'end-of-input' }, matches: letter('d', { ctrl: true }) },

  { id: 'left', keys: ['Left', 'Ctrl-B'], does: 'one character left', command: edit('left'), matches: anyOf(named('left', { ctrl: false, meta: false }), letter('b', { ctrl: true })) },
  { id: 'right', keys: ['Right', 'Ctrl-F'], does: 'one character right', command: edit('right'), matches: anyOf(named('right', { ctrl: false, meta: false }), letter('f', { ctrl: true })) },
  { id: 'word-left', keys: ['Ctrl-Left', 'Alt-B'], does: 'one word left', command: edit('word-left'), matches: anyOf(named('left', { ctrl: true }), named('left', { meta: true }), letter('b', { meta: true })) },
  { id: 'word-right', keys: ['Ctrl-Right', 'Alt-F'], does: 'one word right', command: edit('word-right'), matches: anyOf(named('right', { ctrl: true }), named('right', { meta: true }), letter('f', { meta: true })) },
  { id: 'home', keys: ['Home', 'Ctrl-A'], does: 'start of the line', command: edit('home'), matches: anyOf(named('home'), letter('a', { ctrl: true })) },
  { id: 'end', keys: ['End', 'Ctrl-E'], does: 'end of the line', command: edit('end'), matches: anyOf(named('end'), letter('e', { ctrl: true })) },

  { id: 'backspace', keys: ['Backspace'], does: 'delete the character before the cursor', command: edit('backspace'), matches: anyOf(named('backspace', { meta: false }), letter('h', { ctrl: true })) },
  { id: 'delete', keys: ['Delete'], does: 'delete the character under the cursor', command: edit('delete'), matches: named('delete') },
  { id: 'kill-to-start', keys: ['Ctrl-U'], does: 'cut from the start of the line to the cursor', command: edit('kill-to-start'), matches: letter('u', { ctrl: true }) },
  { id: 'kill-to-end', keys: ['Ctrl-K'], does: 'cut from the cursor to the end of the line', command: edit('kill-to-end'), matches: letter('k', { ctrl: true }) },
  { id: 'kill-word-before', keys: ['Ctrl-W', 'Alt-Backspace'], does: 'cut the word before the cursor', command: edit('kill-word-before'), matches: anyOf(letter('w', { ctrl: true }), named('backspace', { meta: true })) },
  { id: 'yank', keys: ['Ctrl-Y'], does: 'paste what was cut last', command: edit('yank'), matches: letter('y', { ctrl: true }) },

  { id: 'history-previous', keys: ['Up', 'Ctrl-P'], does: 'the previous line from history', command: edit('history-previous'), matches: anyOf(named('up'), letter('p', { ctrl: true })) },
  { id: 'history-next', keys: ['Down', 'Ctrl-N'], does: 'the next line from history', command: edit('history-next'), matches: anyOf(named('down'), letter('n', { ctrl: true })) },
];

/**
 * The keys as `?` lists them: bindings that go together share a row, so the list fits an
 * 80x24 terminal with room for the prompt.
 */
export const KEY_HELP_ROWS: ReadonlyArray<{ ids: readonly string[]; keys: string; does: string }> = [
  { ids: ['submit'], keys: 'Enter', does: 'run the line' },
  { ids: ['complete'], keys: 'Tab', does: 'complete a command, field, flag, option, $var' },
  { ids: ['toggle-help'], keys: '?', does: 'show or hide these keys (on an empty line)' },
  { ids: ['dismiss'], keys: 'Esc', does: 'hide the keys, completions and error' },
  { ids: ['redraw'], keys: 'Ctrl-L', does: 'clear the screen, draw the log again' },
  { ids: ['interrupt'], keys: 'Ctrl-C', does: 'clear the line; on an empty line, quit' },
  { ids: ['end-of-input'], keys: 'Ctrl-D', does: 'quit (on an empty line)' },
  { ids: ['left', 'right'], keys: '←/→  Ctrl-B/F', does: 'one character left or right' },
  { ids: ['word-left', 'word-right'], keys: 'Ctrl-←/→  Alt-B/F', does: 'one word left or right' },
  { ids: ['home', 'end'], keys: 'Home/End  Ctrl-A/E', does: 'start or end of the line' },
  { ids: ['backspace', 'delete'], keys: 'Backspace/Delete', does: 'delete before or under the cursor' },
  { ids: ['kill-to-start', 'kill-to-end'], keys: 'Ctrl-U  Ctrl-K', does: 'cut to the start, or to the end' },
  { ids: ['kill-word-before'], keys: 'Ctrl-W  Alt-Bksp', does: 'cut the word before the cursor' },
  { ids: ['yank'], keys: 'Ctrl-Y', does: 'paste what was cut last' },
  { ids: ['history-previous', 'history-next'], keys: '↑/↓  Ctrl-P/N', does: 'earlier or later lines (history)' },
];

/** What a key press does, or null for a key the prompt ignores. Text is inserted. */
export function commandFor(key: KeyPress): KeyCommand | null {
  for (const binding of KEY_BINDINGS) if (binding.matches(key)) return binding.command;
  if (key.name === 'text') return { type: 'edit', action: { type: 'insert', text: key.text } };
  return null;
}
