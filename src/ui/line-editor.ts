/**
 * The prompt's editing state machine, as pure functions over an immutable state: every key
 * the prompt understands is one EditAction, and applyEdit gives the next state. The cursor
 * moves over grapheme clusters, so a CJK character or an emoji is one step, never half.
 */
import { graphemes } from '../session/text-width.js';

export interface EditorState {
  readonly text: string;
  /** UTF-16 index into text, always on a cluster boundary. */
  readonly cursor: number;
  /** Earlier lines, oldest first. */
  readonly history: readonly string[];
  /** Which history line is shown; history.length means the line being written. */
  readonly historyIndex: number;
  /** The line being written, kept while the learner looks through history. */
  readonly draft: string;
  /** The last text cut with Ctrl-U, Ctrl-K or Ctrl-W, for Ctrl-Y. */
  readonly killed: string;
}

export type EditAction =
  | { type: 'insert'; text: string }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'word-left' }
  | { type: 'word-right' }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'backspace' }
  | { type: 'delete' }
  | { type: 'kill-to-start' }
  | { type: 'kill-to-end' }
  | { type: 'kill-word-before' }
  | { type: 'yank' }
  | { type: 'history-previous' }
  | { type: 'history-next' };

export function createEditor(history: readonly string[] = []): EditorState {
  return { text: '', cursor: 0, history, historyIndex: history.length, draft: '', killed: '' };
}

export function applyEdit(state: EditorState, action: EditAction): EditorState {
  switch (action.type) {
    case 'insert':
      return insertText(state, action.text);
    case 'left':
      return { ...state, cursor: previousBoundary(state.text, state.cursor) };
    case 'right':
      return { ...state, cursor: nextBoundary(state.text, state.cursor) };
    case 'word-left':
      return { ...state, cursor: wordStartBefore(state.text, state.cursor) };
    case 'word-right':
      return { ...state, cursor: wordEndAfter(state.text, state.cursor) };
    case 'home':
      return { ...state, cursor: 0 };
    case 'end':
      return { ...state, cursor: state.text.length };
    case 'backspace':
      return replaceRange(state, previousBoundary(state.text, state.cursor), state.cursor, '');
    case 'delete':
      return replaceRange(state, state.cursor, nextBoundary(state.text, state.cursor), '');
    case 'kill-to-start':
      return kill(state, 0, state.cursor);
    case 'kill-to-end':
      return kill(state, state.cursor, state.text.length);
    case 'kill-word-before':
      return kill(state, wordStartBefore(state.text, state.cursor), state.cursor);
    case 'yank':
      return insertText(state, state.killed);
    case 'history-previous':
      return showHistory(state, state.historyIndex - 1);
    case 'history-next':
      return showHistory(state, state.historyIndex + 1);
  }
}

/**
 * Inserts typed or pasted text at the cursor. Tabs become spaces and other control
 * characters are dropped: a line holds one command, and a stray escape must not reach the
 * terminal through the echo.
 */
export function insertText(state: EditorState, text: string): EditorState {
  const clean = sanitize(text);
  if (clean === '') return state;
  return replaceRange(state, state.cursor, state.cursor, clean);
}

/** Replaces text[start, end) (UTF-16 indices) and leaves the cursor after the new text. */
export function replaceRange(state: EditorState, start: number, end: number, replacement: string): EditorState {
  if (start === end && replacement === '') return state;
  const text = state.text.slice(0, start) + replacement + state.text.slice(end);
  return { ...state, text, cursor: start + replacement.length };
}

/**
 * The line as entered, and a fresh editor whose history has it at the end (unless it is
 * blank or repeats the previous line).
 */
export function submit(state: EditorState): { line: string; state: EditorState } {
  const line = state.text;
  const last = state.history[state.history.length - 1];
  const history = line.trim() === '' || line === last ? state.history : [...state.history, line];
  return { line, state: { ...createEditor(history), killed: state.killed } };
}

/** The same editor with an empty line (Ctrl-C on a line being written). */
export function clearLine(state: EditorState): EditorState {
  return { ...state, text: '', cursor: 0, historyIndex: state.history.length, draft: '' };
}

export function sanitize(text: string): string {
  return text.replace(/\t/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function kill(state: EditorState, start: number, end: number): EditorState {
  if (start === end) return state;
  const killed = state.text.slice(start, end);
  return { ...state, text: state.text.slice(0, start) + state.text.slice(end), cursor: start, killed };
}

function showHistory(state: EditorState, index: number): EditorState {
  if (index < 0 || index > state.history.length || index === state.historyIndex) return state;
  const browsingFromDraft = state.historyIndex === state.history.length;
  const draft = browsingFromDraft ? state.text : state.draft;
  const text = index === state.history.length ? draft : state.history[index]!;
  return { ...state, text, cursor: text.length, historyIndex: index, draft };
}

/** Cluster boundaries of text, 0 and text.length included. */
function boundaries(text: string): number[] {
  const marks = [0];
  let at = 0;
  for (const cluster of graphemes(text)) {
    at += cluster.length;
    marks.push(at);
  }
  return marks;
}

function previousBoundary(text: string, cursor: number): number {
  if (cursor <= 0) return 0;
  let before = 0;
  for (const mark of boundaries(text)) {
    if (mark >= cursor) break;
    before = mark;
  }
  return before;
}

function nextBoundary(text: string, cursor: number): number {
  if (cursor >= text.length) return text.length;
  for (const mark of boundaries(text)) if (mark > cursor) return mark;
  return text.length;
}

/** Words are runs of non-spaces, as the shell's Ctrl-W sees them. */
function wordStartBefore(text: string, cursor: number): number {
  let at = cursor;
  while (at > 0 && text[at - 1] === ' ') at--;
  while (at > 0 && text[at - 1] !== ' ') at--;
  return at;
}

function wordEndAfter(text: string, cursor: number): number {
  let at = cursor;
  while (at < text.length && text[at] === ' ') at++;
  while (at < text.length && text[at] !== ' ') at++;
  return at;
}
