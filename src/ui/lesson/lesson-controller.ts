/**
 * The lesson view's state and everything that changes it, without React: keys come in as raw
 * terminal input, the lesson run's verdicts and the session's packets as they happen, and
 * the components only draw the snapshot.
 *
 * The view reads like a notebook: the lesson's prose, each try, the packets it caused and the
 * verdict are appended to a transcript (drawn once, in Ink's Static); below it live the
 * current cell, a status line and the keys. Like a notebook it has two modes: in the cell,
 * keys edit and Enter sends; Esc leaves the cell for one-letter commands (hint, solution,
 * reset, next, back), and Enter or e goes back.
 */
import type { Hint, Lesson } from '../../lesson/format/schema.js';
import type { LessonPosition } from '../../lesson/runner/position.js';
import type { LessonRun, LessonRunState, SolutionView } from '../../lesson/runner/lesson-run.js';
import type { StepVerdict } from '../../lesson/runner/verdict.js';
import { formatEndpoint } from '../../server/app-event.js';
import type { LogEntry } from '../../session/log-entry.js';
import { applyCompletion, type CompletionSource } from '../completion.js';
import { decodeInput, type KeyPress } from '../key-decoder.js';
import { commandFor } from '../key-bindings.js';
import { applyEdit, clearLine, createEditor, replaceRange, submit, type EditorState } from '../line-editor.js';
import type { PromptError } from '../prompt-layout.js';
import { lessonActionFor, type LessonAction } from './lesson-keys.js';
import { lessonStrings, type LessonStrings } from './lesson-strings.js';

export type LessonItem = { key: string } & (
  | { kind: 'title'; pack: string; title: string; summary: string }
  | { kind: 'prose'; markdown: string }
  | { kind: 'step'; text: string }
  | { kind: 'try'; text: string; by: StepVerdict['by'] }
  | { kind: 'entry'; entry: LogEntry; previous: LogEntry | undefined }
  | { kind: 'verdict'; verdict: StepVerdict }
  | { kind: 'hint'; hint: Hint; index: number; total: number }
  | { kind: 'solution'; solution: SolutionView }
  | { kind: 'note'; text: string; tone: 'info' | 'pass' | 'warn' }
);

type NewItem = LessonItem extends infer T ? (T extends LessonItem ? Omit<T, 'key'> : never) : never;

export type LessonMode = 'edit' | 'command';

export interface LessonStatus {
  network: string;
  step: number;
  total: number;
  stepStatus: 'pending' | 'failed' | 'passed' | 'solved';
  tries: number;
  me: string;
  /** The bundled program's end: the server, or the client when the learner plays the server. */
  peer: string;
  peerRole: 'server' | 'client';
  serverState: string | null;
}

export interface LessonView {
  items: readonly LessonItem[];
  /** Bumped to draw the whole transcript again (after a resize or Ctrl-L). */
  epoch: number;
  mode: LessonMode;
  /** The step shown takes a segment from the learner (false: the lesson plays it). */
  sends: boolean;
  editor: EditorState;
  error: PromptError | null;
  helpVisible: boolean;
  busy: boolean;
  status: LessonStatus;
  /** Which key bar to show. */
  bar: 'edit' | 'command' | 'passed' | 'run';
  exiting: boolean;
}

/** Where progress goes: the pack's ProgressStore, or nothing in a test that keeps none. */
export interface ProgressSink {
  save(position: LessonPosition, passed: boolean): Promise<unknown>;
}

/** The part of a LessonRun the view drives; LessonRun satisfies it as it is. */
export type LessonRunPort = Pick<
  LessonRun,
  'lesson' | 'state' | 'subscribe' | 'position' | 'setDraft' | 'submit' | 'hint' | 'solution' | 'playSolution' | 'next' | 'back' | 'resetStep'
> & { readonly session: Pick<LessonRun['session'], 'log' | 'subscribe' | 'server' | 'bundledState' | 'connection'> & { readonly network: { readonly info: { kind: string } } } };

export interface LessonControllerOptions {
  run: LessonRunPort;
  /** The pack's title, for the heading. */
  packTitle: string;
  progress?: ProgressSink;
  /** The run was resumed from saved progress. */
  resumed?: boolean;
  /** The lesson file as feedback names it (e.g. relative to its pack); the path it was read from unless set. */
  file?: string;
  complete?: CompletionSource;
  /** Called once, when the learner leaves the lesson. */
  onLeave(): void;
  clearScreen?: () => void;
}

/** The cell holds a segment, not a REPL line: completion sees it as the argument of `send`. */
const CELL_COMMAND = 'send ';

export class LessonController {
  readonly strings: LessonStrings;
  /** The lesson file, for file:line:column places in feedback. */
  readonly lessonFile: string;
  readonly language: string;
  private view: LessonView;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribers: Array<() => void> = [];
  private count = 0;
  private lastEntry: LogEntry | undefined;
  private saving: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** The step whose prose the transcript shows last, so arriving twice does not repeat it. */
  private shownStep = 0;
  /** The solution was shown at the step shown, in this sitting: a second s plays it. */
  private solutionOnScreen = false;
  /** Steps whose notes are in the transcript already. */
  private readonly notesShown = new Set<number>();

  constructor(private readonly options: LessonControllerOptions) {
    const { run } = options;
    this.strings = lessonStrings(run.lesson.meta.language);
    this.lessonFile = options.file ?? run.lesson.file;
    this.language = run.lesson.meta.language;
    const state = run.state;
    this.view = {
      items: [],
      epoch: 0,
      mode: 'edit',
      sends: true,
      editor: createEditor(),
      error: null,
      helpVisible: false,
      busy: state.busy,
      status: this.status(state),
      bar: 'edit',
      exiting: false,
    };
    const lesson = run.lesson;
    this.append({ kind: 'title', pack: options.packTitle, title: lesson.meta.title, summary: lesson.meta.summary });
    if (options.resumed === true && state.current > 1) this.append({ kind: 'note', text: this.strings.resumed(state.current, lesson.steps.length), tone: 'info' });
    else if (lesson.intro.trim() !== '') this.append({ kind: 'prose', markdown: withoutHeading(lesson.intro, lesson.meta.title) });
    this.arrive();
    // What the lesson did before the screen came (a run step played on arrival) is in the log.
    for (const entry of run.session.log) this.entry(entry);
    const step = state.steps[state.current - 1];
    if (step?.verdict !== null && step?.verdict !== undefined) this.append({ kind: 'verdict', verdict: step.verdict });
    this.unsubscribers.push(run.session.subscribe((entry) => this.entry(entry)));
    this.unsubscribers.push(run.subscribe((next) => this.update({ busy: next.busy, status: this.status(next) })));
    this.settleMode();
  }

  // --- the store React reads -----------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LessonView => this.view;

  private update(change: Partial<LessonView>): void {
    if (this.disposed) return;
    this.view = { ...this.view, ...change };
    for (const listener of this.listeners) listener();
  }

  private append(item: NewItem): void {
    this.update({ items: [...this.view.items, { ...item, key: `l-${this.count++}` } as LessonItem] });
  }

  // --- keys ----------------------------------------------------------------------------

  /** Raw terminal input: one chunk may hold several keys ("tcp flags=S\r"). */
  input(raw: string): void {
    for (const key of decodeInput(raw)) this.key(key);
  }

  key(key: KeyPress): void {
    if (this.view.exiting) return;
    if (key.name === 'letter' && key.ctrl && key.text === 'l') return this.redraw();
    if (this.view.mode === 'command') return this.commandKey(key);
    const command = commandFor(key);
    if (command === null) return;
    const editor = this.view.editor;
    switch (command.type) {
      case 'edit':
        return this.edit(applyEdit(editor, command.action));
      case 'submit':
        return void this.send();
      case 'complete':
        return this.complete();
      case 'interrupt':
        if (editor.text !== '') return this.edit(clearLine(editor));
        return void this.leave();
      case 'end-of-input':
        if (editor.text === '') return void this.leave();
        return this.edit(applyEdit(editor, { type: 'delete' }));
      case 'toggle-help':
        if (editor.text !== '') return this.edit(applyEdit(editor, { type: 'insert', text: key.text }));
        return this.toggleHelp();
      case 'dismiss':
        if (this.view.helpVisible) return this.hideHelp();
        return this.update({ mode: 'command', bar: this.barFor('command'), error: null });
      case 'redraw':
        return this.redraw();
    }
  }

  private commandKey(key: KeyPress): void {
    if (key.name === 'letter' && key.ctrl && (key.text === 'c' || key.text === 'd')) return void this.leave();
    if (key.name === 'escape') {
      if (this.view.helpVisible) return this.hideHelp();
      if (this.view.sends) this.update({ mode: 'edit', bar: 'edit' });
      return;
    }
    if (key.name === 'return') {
      const status = this.view.status.stepStatus;
      if (status === 'passed' || status === 'solved' || !this.view.sends) return void this.act('next');
      return void this.act('edit');
    }
    if (key.name !== 'text' || key.ctrl || key.meta) return;
    // A paste or fast typing can bring several characters at once: only a lone letter is a command.
    const action = lessonActionFor(key.text.toLowerCase());
    if (action !== null) return void this.act(action);
    // Anything else typed is meant for the cell: a learner who forgot the mode loses nothing.
    if (this.view.sends && key.text.length >= 1) {
      this.update({ mode: 'edit', bar: 'edit' });
      this.edit(applyEdit(this.view.editor, { type: 'insert', text: key.text }));
    }
  }

  /** One of the lesson's commands, by key or by a caller (a test, a menu). */
  async act(action: LessonAction): Promise<void> {
    const { run } = this.options;
    switch (action) {
      case 'edit':
        if (this.view.sends) this.update({ mode: 'edit', bar: 'edit' });
        return;
      case 'help':
        return this.toggleHelp();
      case 'leave':
        return this.leave();
      case 'hint':
        return this.showHint();
      case 'solution':
        return this.solution();
      case 'reset': {
        const step = run.state.current;
        const verdict = await run.resetStep();
        this.append({ kind: 'note', text: this.strings.startedAgain(step), tone: 'info' });
        if (verdict !== null) this.verdict(verdict);
        this.settleMode();
        return this.save();
      }
      case 'next': {
        const state = run.state;
        if (state.current >= state.steps.length) {
          const step = state.steps[state.current - 1]!;
          this.note(step.status === 'passed' || step.status === 'solved' ? this.finishedText(state) : this.strings.passFirst, 'info');
          return;
        }
        this.keepDraft();
        if (!(await run.next())) return this.note(this.strings.passFirst, 'warn');
        this.arrive();
        const arrived = run.state.steps[run.state.current - 1];
        if (arrived?.verdict !== null && arrived?.verdict !== undefined && arrived.kind === 'run') this.verdict(arrived.verdict);
        this.settleMode();
        return this.save();
      }
      case 'back': {
        this.keepDraft();
        if (!(await run.back())) return this.note(this.strings.firstStep, 'info');
        this.arrive();
        this.settleMode();
        return this.save();
      }
    }
  }

  private edit(editor: EditorState): void {
    if (editor === this.view.editor) return;
    this.update({ editor, error: editor.text === '' ? null : this.view.error });
  }

  private complete(): void {
    const source = this.options.complete;
    if (source === undefined) return;
    const { editor } = this.view;
    const shifted: CompletionSource = (text, cursor) => {
      const found = source(CELL_COMMAND + text, cursor + CELL_COMMAND.length);
      if (found === null || found.start < CELL_COMMAND.length) return null;
      return { ...found, start: found.start - CELL_COMMAND.length };
    };
    const result = applyCompletion(editor.text, editor.cursor, shifted);
    if (result === null || result.insert === null) return;
    this.edit(replaceRange(editor, result.insert.start, result.insert.end, result.insert.text));
  }

  private toggleHelp(): void {
    if (this.view.helpVisible) return this.hideHelp();
    this.update({ helpVisible: true });
  }

  /** The keys pushed the transcript up; once they go, it is drawn again down to the cell. */
  private hideHelp(): void {
    this.update({ helpVisible: false });
    this.redraw();
  }

  redraw(): void {
    this.options.clearScreen?.();
    this.update({ epoch: this.view.epoch + 1 });
  }

  // --- trying the step -----------------------------------------------------------------

  private async send(): Promise<void> {
    const { run } = this.options;
    if (this.view.busy) return;
    const { line, state } = submit(this.view.editor);
    if (line.trim() === '') return this.update({ error: { message: this.strings.emptyCell, input: '' } });
    this.update({ editor: state, error: null });
    this.append({ kind: 'try', text: line, by: 'learner' });
    const verdict = await run.submit(line);
    this.verdict(verdict);
    const input = verdict.feedback.find((feedback) => feedback.kind === 'input');
    if (!verdict.passed) {
      // The line comes back to be fixed, the cursor at the mistake when there is one.
      let editor = replaceRange(this.view.editor, 0, this.view.editor.text.length, line);
      if (input !== undefined && input.kind === 'input' && input.column !== undefined) editor = { ...editor, cursor: Math.min(line.length, Math.max(0, input.column - 1)) };
      const error: PromptError | null =
        input !== undefined && input.kind === 'input'
          ? { message: input.message, input: line, ...(input.column !== undefined ? { column: input.column } : {}), ...(input.length !== undefined ? { length: input.length } : {}) }
          : null;
      this.update({ editor, error });
      const step = run.state.steps[run.state.current - 1];
      if (step !== undefined && step.solutionOffered && !step.solutionShown && step.failedTries === this.lessonSolutionAfter()) {
        this.note(this.strings.solutionOffered(step.failedTries), 'info');
      }
    } else {
      // A passed try stays in the cell, dimmed, as what passed the step.
      this.update({ editor: replaceRange(this.view.editor, 0, this.view.editor.text.length, line) });
    }
    this.settleMode();
    await this.save();
  }

  private showHint(): void {
    const { run } = this.options;
    const total = run.lesson.steps[run.state.current - 1]!.hints.length;
    const shown = run.state.steps[run.state.current - 1]!.hintsShown;
    const hint = run.hint();
    if (hint === null) return this.note(total === 0 ? this.strings.noHints : this.strings.noMoreHints, 'info');
    this.append({ kind: 'hint', hint, index: shown + 1, total });
    void this.save();
  }

  private async solution(): Promise<void> {
    const { run } = this.options;
    const before = run.state.steps[run.state.current - 1]!;
    if (before.kind === 'run') return this.note(this.strings.noSolution, 'info');
    if (!before.solutionShown || !this.solutionOnScreen) {
      const solution = run.solution();
      if (solution === null) return this.note(this.strings.noSolution, 'info');
      this.solutionOnScreen = true;
      this.append({ kind: 'solution', solution });
      this.note(this.strings.solutionAgain, 'info');
      return this.save();
    }
    this.append({ kind: 'try', text: run.lesson.steps[run.state.current - 1]!.solution?.text ?? '', by: 'solution' });
    const verdict = await run.playSolution();
    this.verdict(verdict);
    this.settleMode();
    await this.save();
  }

  private verdict(verdict: StepVerdict): void {
    this.append({ kind: 'verdict', verdict });
    const state = this.options.run.state;
    if (verdict.passed && verdict.step === state.steps.length && state.complete) this.note(this.finishedText(state), 'pass');
  }

  private finishedText(state: LessonRunState): string {
    return state.passed ? this.strings.lessonPassed : this.strings.lessonComplete;
  }

  private lessonSolutionAfter(): number {
    return this.options.run.lesson.meta.solutionAfter;
  }

  // --- arriving at a step --------------------------------------------------------------

  /** Shows the step now current: its heading and prose, and its cell with the learner's draft. */
  private arrive(): void {
    const { run } = this.options;
    const state = run.state;
    const lesson: Lesson = run.lesson;
    const step = lesson.steps[state.current - 1]!;
    const record = state.steps[state.current - 1]!;
    this.solutionOnScreen = false;
    if (this.shownStep !== state.current) {
      this.shownStep = state.current;
      this.append({ kind: 'step', text: this.strings.stepHeading(state.current, lesson.steps.length, record.title) });
      const prose = withoutHeading(step.prose, record.title);
      if (prose.trim() !== '') this.append({ kind: 'prose', markdown: prose });
      if (step.action.kind === 'run') this.note(this.strings.runStep, 'info');
    }
    const history = this.view.editor.history;
    const editor = replaceRange(createEditor(history), 0, 0, record.draft);
    this.update({ editor, error: null, sends: step.action.kind === 'send', status: this.status(state) });
  }

  /** After a pass (or on a step the lesson plays) the keys are the lesson's; else the cell's. */
  private settleMode(): void {
    const state = this.options.run.state;
    const step = state.steps[state.current - 1]!;
    const done = step.status === 'passed' || step.status === 'solved';
    if (step.kind === 'run') return this.update({ mode: 'command', bar: 'run', status: this.status(state) });
    if (done) {
      // The notes between the cells explain what just happened: they are read after a pass.
      const notes = this.options.run.lesson.steps[state.current - 1]!.notes;
      if (notes.trim() !== '' && !this.notesShown.has(state.current)) {
        this.notesShown.add(state.current);
        this.append({ kind: 'prose', markdown: notes });
      }
      return this.update({ mode: 'command', bar: 'passed', status: this.status(state) });
    }
    this.update({ mode: 'edit', bar: 'edit', status: this.status(state) });
  }

  private barFor(mode: LessonMode): LessonView['bar'] {
    if (mode === 'edit') return 'edit';
    const step = this.options.run.state.steps[this.options.run.state.current - 1]!;
    if (step.kind === 'run') return 'run';
    return step.status === 'passed' || step.status === 'solved' ? 'passed' : 'command';
  }

  private keepDraft(): void {
    if (this.view.sends) this.options.run.setDraft(this.view.editor.text);
  }

  // --- the session's log ---------------------------------------------------------------

  /** Packets, the server's application events and its socket's states: what the try caused. */
  private entry(entry: LogEntry): void {
    if (entry.kind !== 'packet' && entry.kind !== 'app' && entry.kind !== 'state') return;
    this.append({ kind: 'entry', entry, previous: this.lastEntry });
    this.lastEntry = entry;
    if (entry.kind === 'state') this.update({ status: this.status(this.options.run.state) });
  }

  private note(text: string, tone: 'info' | 'pass' | 'warn'): void {
    this.append({ kind: 'note', text, tone });
  }

  // --- progress ------------------------------------------------------------------------

  /** Saves where the run is; saves go one after another, and a failure is said, not thrown. */
  private save(): Promise<void> {
    const sink = this.options.progress;
    if (sink === undefined) return Promise.resolve();
    const { run } = this.options;
    const position = run.position();
    const passed = run.state.passed;
    const saved = this.saving.then(() => sink.save(position, passed)).then(
      () => undefined,
      (error: unknown) => this.note(this.strings.progressNotSaved(error instanceof Error ? error.message : String(error)), 'warn'),
    );
    this.saving = saved;
    return saved;
  }

  // --- the status line -----------------------------------------------------------------

  private status(state: LessonRunState): LessonStatus {
    const { session } = this.options.run;
    const step = state.steps[state.current - 1]!;
    return {
      network: session.network.info.kind,
      step: state.current,
      total: state.steps.length,
      stepStatus: step.status,
      tries: step.tries,
      me: formatEndpoint(state.me),
      ...(this.options.run.lesson.meta.role === 'server'
        ? { peerRole: 'client' as const, peer: session.connection.peer !== null ? formatEndpoint(session.connection.peer) : '-' }
        : { peerRole: 'server' as const, peer: formatEndpoint(session.server) }),
      serverState: session.bundledState,
    };
  }

  // --- leaving -------------------------------------------------------------------------

  private async leave(): Promise<void> {
    if (this.view.exiting) return;
    this.keepDraft();
    this.update({ exiting: true, helpVisible: false });
    await this.save();
    this.options.onLeave();
  }

  dispose(): void {
    this.disposed = true;
    for (const stop of this.unsubscribers.splice(0)) stop();
    this.listeners.clear();
  }
}

/** Prose without the heading that repeats `title`: the view's own heading says it already. */
function withoutHeading(prose: string, title: string): string {
  const heading = /^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(prose);
  if (heading === null || heading[1] !== title) return prose;
  return prose.slice(0, heading.index) + prose.slice(heading.index + heading[0].length);
}
