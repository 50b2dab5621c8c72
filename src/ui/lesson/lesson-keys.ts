/**
 * The lesson view's keys beyond the line editor's, in one table: the view acts on it, `?`
 * lists it and docs/lesson-view.md is held to it by a test. They work like a notebook's: Esc
 * leaves the cell for these one-letter commands, Enter or e goes back to editing.
 */
import type { LessonStrings } from './lesson-strings.js';

export type LessonAction = 'hint' | 'solution' | 'reset' | 'next' | 'back' | 'edit' | 'leave' | 'help';

export interface LessonKey {
  action: LessonAction;
  /** The keys as typed in command mode. */
  keys: readonly string[];
  /** How `?` and the key bar write them. */
  label: string;
  does: (strings: LessonStrings) => string;
}

export const LESSON_KEYS: readonly LessonKey[] = [
  { action: 'hint', keys: ['h'], label: 'h', does: (s) => s.keyHint },
  { action: 'solution', keys: ['s'], label: 's', does: (s) => s.keySolution },
  { action: 'reset', keys: ['r'], label: 'r', does: (s) => s.keyReset },
  { action: 'next', keys: ['n'], label: 'n', does: (s) => s.keyNext },
  { action: 'back', keys: ['b'], label: 'b', does: (s) => s.keyBack },
  { action: 'edit', keys: ['e', 'i'], label: 'e', does: (s) => s.keyEdit },
  { action: 'leave', keys: ['q'], label: 'q', does: (s) => s.keyLeave },
  { action: 'help', keys: ['?'], label: '?', does: (s) => s.keyHelp },
];

/** The command-mode action of a typed character, or null. */
export function lessonActionFor(text: string): LessonAction | null {
  return LESSON_KEYS.find((key) => key.keys.includes(text))?.action ?? null;
}
