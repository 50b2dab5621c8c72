/**
 * The home screen's state without React: the lesson browser's rows (packs, their lessons
 * with progress marks, the REPL), which one is chosen, and what the keys do. The screen only
 * draws the snapshot; choosing a row is handed to whoever runs the screens.
 */
import { decodeInput, type KeyPress } from '../key-decoder.js';
import { homeStrings, type HomeStrings } from './home-strings.js';

export interface HomeLesson {
  id: string;
  title: string;
  summary: string;
  /** Where the lesson can run: lab, sim. */
  networks: readonly string[];
  steps: number;
  passed: boolean;
  /** The step to resume at, when the lesson was started and not passed; null otherwise. */
  resumeStep: number | null;
}

export interface HomePack {
  /** The pack's folder: one entry per folder. */
  dir: string;
  title: string;
  language: string | null;
  lessons: readonly HomeLesson[];
  /** Why the pack cannot be opened (its first mistake), with how many there are; null when it is fine. */
  problem: { count: number; first: string } | null;
  /** The lesson the learner was in last, in this pack, and when. */
  current: string | null;
  updatedAt: string | null;
}

export type HomeRow =
  | { kind: 'pack'; pack: number }
  | { kind: 'lesson'; pack: number; lesson: number }
  | { kind: 'problem'; pack: number }
  | { kind: 'repl' };

export type HomeChoice = { kind: 'lesson'; pack: HomePack; lesson: HomeLesson } | { kind: 'repl' } | { kind: 'quit' };

export interface HomeView {
  packs: readonly HomePack[];
  rows: readonly HomeRow[];
  /** Index into rows; always a lesson or the REPL. */
  selected: number;
  network: { text: string; kind: string | null; state: 'starting' | 'ready' | 'failed' };
  /** A sentence about the last key (a lesson that cannot run here), or null. */
  message: string | null;
  helpVisible: boolean;
  exiting: boolean;
}

export interface HomeControllerOptions {
  packs: readonly HomePack[];
  /** Called once, with what the learner chose. */
  onChoose(choice: HomeChoice): void;
  /** Rows a page key moves; the screen sets it from the terminal's height. */
  pageRows?: number;
}

export class HomeController {
  readonly strings: HomeStrings;
  private view: HomeView;
  private readonly listeners = new Set<() => void>();
  pageRows: number;

  constructor(private readonly options: HomeControllerOptions) {
    const packs = options.packs;
    this.strings = homeStrings(packs[0]?.language ?? 'en');
    this.pageRows = options.pageRows ?? 10;
    const rows = rowsOf(packs);
    this.view = {
      packs,
      rows,
      selected: initialRow(packs, rows),
      network: { text: '', kind: null, state: 'starting' },
      message: null,
      helpVisible: false,
      exiting: false,
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): HomeView => this.view;

  private update(change: Partial<HomeView>): void {
    this.view = { ...this.view, ...change };
    for (const listener of this.listeners) listener();
  }

  /** A sentence for the learner under the list: a warning, why a lesson did not open. */
  say(text: string): void {
    this.update({ message: this.view.message === null ? text : `${this.view.message}\n${text}` });
  }

  /** What the network is doing, for the line under the title. */
  setNetwork(network: HomeView['network']): void {
    this.update({ network });
  }

  input(raw: string): void {
    for (const key of decodeInput(raw)) this.key(key);
  }

  key(key: KeyPress): void {
    if (this.view.exiting) return;
    const text = key.name === 'text' && !key.ctrl && !key.meta ? key.text : null;
    if (key.name === 'letter' && key.ctrl && (key.text === 'c' || key.text === 'd')) return this.choose({ kind: 'quit' });
    if (key.name === 'up' || text === 'k') return this.move(-1);
    if (key.name === 'down' || text === 'j') return this.move(1);
    if (key.name === 'pageup') return this.move(-this.pageRows);
    if (key.name === 'pagedown') return this.move(this.pageRows);
    if (key.name === 'home' || text === 'g') return this.moveTo(0, 1);
    if (key.name === 'end' || text === 'G') return this.moveTo(this.view.rows.length - 1, -1);
    if (key.name === 'escape') return this.update({ helpVisible: false, message: null });
    if (text === '?') return this.update({ helpVisible: !this.view.helpVisible });
    if (text === 'q') return this.choose({ kind: 'quit' });
    if (text === 'r') return this.choose({ kind: 'repl' });
    if (key.name === 'return') return this.open();
  }

  /** The row chosen, if it can be opened here; otherwise a sentence says why not. */
  private open(): void {
    const row = this.view.rows[this.view.selected];
    if (row === undefined) return;
    if (row.kind === 'repl') return this.choose({ kind: 'repl' });
    if (row.kind !== 'lesson') return;
    const pack = this.view.packs[row.pack]!;
    const lesson = pack.lessons[row.lesson]!;
    const { network } = this.view;
    // ws is a real kernel too: a lesson for the lab runs on it.
    const kind = network.kind === 'sim' ? 'sim' : network.kind === null ? null : 'lab';
    if (kind !== null && !lesson.networks.includes(kind)) {
      return this.update({ message: this.strings.needsNetwork(lesson.networks.join(' '), network.kind ?? kind) });
    }
    this.choose({ kind: 'lesson', pack, lesson });
  }

  private choose(choice: HomeChoice): void {
    this.update({ exiting: true, helpVisible: false });
    this.options.onChoose(choice);
  }

  private move(by: number): void {
    const { rows, selected } = this.view;
    let target = selected;
    const step = Math.sign(by);
    let left = Math.abs(by);
    for (let i = selected + step; i >= 0 && i < rows.length && left > 0; i += step) {
      if (selectable(rows[i]!)) {
        target = i;
        left--;
      }
    }
    if (target !== selected) this.update({ selected: target, message: null });
  }

  private moveTo(index: number, direction: 1 | -1): void {
    const { rows } = this.view;
    for (let i = index; i >= 0 && i < rows.length; i += direction) {
      if (selectable(rows[i]!)) return this.update({ selected: i, message: null });
    }
  }
}

function selectable(row: HomeRow): boolean {
  return row.kind === 'lesson' || row.kind === 'repl';
}

function rowsOf(packs: readonly HomePack[]): HomeRow[] {
  const rows: HomeRow[] = [];
  packs.forEach((pack, p) => {
    rows.push({ kind: 'pack', pack: p });
    if (pack.problem !== null) rows.push({ kind: 'problem', pack: p });
    pack.lessons.forEach((_, l) => rows.push({ kind: 'lesson', pack: p, lesson: l }));
  });
  rows.push({ kind: 'repl' });
  return rows;
}

/**
 * Where the cursor starts: the lesson the learner was in last (in the pack used most
 * recently), else the first lesson not yet passed, else the first lesson.
 */
function initialRow(packs: readonly HomePack[], rows: readonly HomeRow[]): number {
  const find = (test: (pack: HomePack, lesson: HomeLesson) => boolean) =>
    rows.findIndex((row) => row.kind === 'lesson' && test(packs[row.pack]!, packs[row.pack]!.lessons[row.lesson]!));
  const recent = [...packs].filter((pack) => pack.current !== null).sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''))[0];
  if (recent !== undefined) {
    const current = recent.lessons.find((lesson) => lesson.id === recent.current);
    // A lesson passed: on to the pack's next one not yet passed.
    if (current !== undefined && current.passed) {
      const after = recent.lessons.slice(recent.lessons.indexOf(current) + 1).find((lesson) => !lesson.passed);
      const index = after !== undefined ? find((pack, lesson) => pack === recent && lesson === after) : -1;
      if (index !== -1) return index;
    }
    const index = find((pack, lesson) => pack === recent && lesson.id === recent.current);
    if (index !== -1) return index;
  }
  const firstOpen = find((_, lesson) => !lesson.passed);
  if (firstOpen !== -1) return firstOpen;
  const first = find(() => true);
  return first !== -1 ? first : rows.length - 1;
}
