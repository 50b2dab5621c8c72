/**
 * The browser's rows as text at a width, and which of them fit the height: pure, so the
 * layout is tested without a terminal.
 */
import { padWidth, textWidth, truncateWidth } from '../../session/text-width.js';
import type { HomeRow, HomeView } from './home-controller.js';
import type { HomeStrings } from './home-strings.js';

export interface RowLine {
  text: string;
  tone: 'pack' | 'lesson' | 'passed' | 'started' | 'problem' | 'repl';
  selected: boolean;
}

export function rowLine(view: HomeView, index: number, strings: HomeStrings, width: number): RowLine {
  const row = view.rows[index]!;
  const selected = index === view.selected;
  const pointer = selected ? '› ' : '  ';
  switch (row.kind) {
    case 'pack': {
      const pack = view.packs[row.pack]!;
      const passed = pack.lessons.filter((lesson) => lesson.passed).length;
      const progress = pack.lessons.length > 0 ? `  ·  ${strings.packProgress(passed, pack.lessons.length)}` : '';
      return { text: truncateWidth(`${pack.title}${progress}`, width), tone: 'pack', selected: false };
    }
    case 'problem': {
      const pack = view.packs[row.pack]!;
      const problem = pack.problem!;
      return { text: truncateWidth(`  ✗ ${strings.brokenPack(problem.count)} ${problem.first}`, width), tone: 'problem', selected: false };
    }
    case 'repl':
      return { text: truncateWidth(`${pointer}   ${strings.repl}`, width), tone: 'repl', selected };
    case 'lesson': {
      const lesson = view.packs[row.pack]!.lessons[row.lesson]!;
      const mark = lesson.passed ? '✓' : lesson.resumeStep !== null ? '●' : ' ';
      const right = lesson.passed ? strings.passedMark : lesson.resumeStep !== null ? strings.atStep(lesson.resumeStep, lesson.steps) : '';
      const left = `${pointer}${mark} ${String(row.lesson + 1).padStart(2)}. `;
      const room = width - textWidth(left) - (right === '' ? 0 : textWidth(right) + 2);
      const title = padWidth(truncateWidth(lesson.title, Math.max(1, room)), Math.max(1, room));
      const text = right === '' ? `${left}${title}` : `${left}${title}  ${right}`;
      return { text: truncateWidth(text, width), tone: lesson.passed ? 'passed' : lesson.resumeStep !== null ? 'started' : 'lesson', selected };
    }
  }
}

/** The rows that fit `height` lines, keeping the chosen one in view, with how many are cut above and below. */
export function visibleRows(rows: readonly HomeRow[], selected: number, height: number): { first: number; last: number; above: number; below: number } {
  const total = rows.length;
  if (total <= height) return { first: 0, last: total - 1, above: 0, below: 0 };
  // One line each for the "more" markers, when they are needed.
  const room = Math.max(1, height - 2);
  let first = Math.max(0, Math.min(selected - Math.floor(room / 2), total - room));
  // The pack a lesson belongs to is worth showing with it, when it is just above.
  if (first > 0 && rows[first - 1]?.kind === 'pack' && selected - first < room - 1) first -= 1;
  const last = Math.min(total - 1, first + room - 1);
  return { first, last, above: first, below: total - 1 - last };
}
