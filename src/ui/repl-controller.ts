/**
 * The REPL screen's state and everything that changes it, without React: keys come in as
 * raw terminal input, the session's log entries as they are made, and components only
 * render the snapshot. A new snapshot object is made on every change, so React (through
 * useSyncExternalStore) redraws exactly when something changed.
 *
 * The session may still be starting (its network takes a while): the prompt works all the
 * same, and the lines entered meanwhile run once it is ready, in the order they were entered.
 */
import { formatEndpoint } from '../server/app-event.js';
import type { LogEntry } from '../session/log-entry.js';
import type { CompletionSource } from './completion.js';
import { applyCompletion } from './completion.js';
import { decodeInput, type KeyPress } from './key-decoder.js';
import { commandFor } from './key-bindings.js';
import { applyEdit, clearLine, createEditor, replaceRange, submit, type EditorState } from './line-editor.js';
import type { PromptError } from './prompt-layout.js';
import { isStartingSession, type OpenedSession, type ReplSession, type StartingSession } from './repl-session.js';
import type { StatusInfo } from './status-text.js';

export interface LogItem {
  key: string;
  entry: LogEntry;
  /** The entry just above, so an error can tell whether its command's echo is right there. */
  previous: LogEntry | undefined;
}

export interface ReplView {
  /** Append-only: the log as drawn above the prompt. */
  items: readonly LogItem[];
  /** Bumped to draw the whole log again (after a resize or Ctrl-L). */
  epoch: number;
  editor: EditorState;
  error: PromptError | null;
  completions: readonly string[];
  helpVisible: boolean;
  status: StatusInfo;
  exiting: boolean;
}

/** Where history lines go; the HistoryStore, or nothing in a test that keeps none. */
export interface HistorySink {
  add(line: string): unknown;
}

export type ExitReason = 'interrupt' | 'end-of-input' | 'quit';

export interface ReplControllerOptions {
  /** The session, or one still starting. */
  session: ReplSession | StartingSession;
  /**
   * Called once a starting session is ready, before the lines that waited for it run: the
   * place for the first lines of the log.
   */
  onReady?(opened: OpenedSession): void;
  /** Earlier lines, oldest first, for Up. */
  history?: readonly string[];
  historySink?: HistorySink;
  complete?: CompletionSource;
  /** Called once, when the learner leaves. */
  onExit(reason: ExitReason): void;
  /** Clears the terminal before the log is drawn again. */
  clearScreen?: () => void;
}

export class ReplController {
  private view: ReplView;
  private readonly listeners = new Set<() => void>();
  private unsubscribe: () => void = () => {};
  private readonly options: ReplControllerOptions;
  /** Null while the network starts. */
  private session: ReplSession | null = null;
  /** The session once it is ready; null if its network could not start. */
  private readonly ready: Promise<ReplSession | null>;
  /** The network being started, named in the status bar until it is ready. */
  private readonly startingNetwork: string;
  private pending: LogEntry[] = [];
  private flushQueued = false;
  private localCount = 0;
  private running = 0;
  private runningName: string | null = null;
  private disposed = false;

  constructor(options: ReplControllerOptions) {
    this.options = options;
    const source = options.session;
    this.startingNetwork = isStartingSession(source) ? source.starting : source.network.info.kind;
    this.view = {
      items: [],
      epoch: 0,
      editor: createEditor(options.history ?? []),
      error: null,
      completions: [],
      helpVisible: false,
      status: this.status(),
      exiting: false,
    };
    if (isStartingSession(source)) {
      this.ready = source.ready.then(
        (opened) => this.becomeReady(opened),
        () => this.startFailed(),
      );
    } else {
      this.attach(source);
      this.ready = Promise.resolve(source);
    }
  }

  /** The session from now on: its log so far, and every entry it makes. */
  private attach(session: ReplSession): void {
    this.session = session;
    const items = itemsFrom(session.log, this.view.items[this.view.items.length - 1]?.entry);
    this.unsubscribe = session.subscribe((entry) => this.receive(entry));
    this.update({ items: [...this.view.items, ...items], status: this.status() });
  }

  private becomeReady(opened: OpenedSession): ReplSession | null {
    if (this.disposed) return null;
    this.attach(opened.session);
    this.options.onReady?.(opened);
    return opened.session;
  }

  /**
   * The network could not start: the screen goes, and the lines that waited are dropped.
   * Whoever started the network says why (the controller knows nothing of networks).
   */
  private startFailed(): null {
    if (!this.disposed) this.update({ exiting: true, helpVisible: false, completions: [] });
    return null;
  }

  // --- the store React reads -----------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ReplView => this.view;

  private update(change: Partial<ReplView>): void {
    this.view = { ...this.view, ...change };
    for (const listener of this.listeners) listener();
  }

  // --- input ---------------------------------------------------------------------------

  /** Raw terminal input: one chunk may hold several keys ("send tcp\r"). */
  input(raw: string): void {
    for (const key of decodeInput(raw)) this.key(key);
  }

  key(key: KeyPress): void {
    if (this.view.exiting) return;
    const command = commandFor(key);
    if (command === null) return;
    const editor = this.view.editor;
    switch (command.type) {
      case 'edit':
        return this.edit(applyEdit(editor, command.action));
      case 'submit':
        return this.submitLine();
      case 'complete':
        return this.complete();
      case 'interrupt':
        if (editor.text !== '') return this.update({ editor: clearLine(editor), error: null, completions: [] });
        return this.exit('interrupt');
      case 'end-of-input':
        if (editor.text === '') return this.exit('end-of-input');
        return this.edit(applyEdit(editor, { type: 'delete' }));
      case 'toggle-help':
        if (editor.text !== '') return this.edit(applyEdit(editor, { type: 'insert', text: key.text }));
        if (this.view.helpVisible) return this.hideHelp();
        return this.update({ helpVisible: true, completions: [] });
      case 'dismiss':
        if (this.view.helpVisible) this.hideHelp();
        return this.update({ completions: [], error: null });
      case 'redraw':
        return this.redraw();
    }
  }

  /**
   * The keys take most of the screen and push the log up out of view; once they go, the
   * log is drawn again so it fills the screen down to the prompt as before.
   */
  private hideHelp(): void {
    this.update({ helpVisible: false });
    this.redraw();
  }

  private edit(editor: EditorState): void {
    if (editor === this.view.editor) return;
    // The completions belonged to the word as it was; an error, to a line now gone.
    this.update({ editor, completions: [], error: editor.text === '' ? null : this.view.error });
  }

  private complete(): void {
    const source = this.options.complete;
    if (source === undefined) return;
    const { editor } = this.view;
    let result;
    try {
      result = applyCompletion(editor.text, editor.cursor, source);
    } catch (error) {
      // Completion is a convenience; a fault in it must not cost the learner the line.
      return this.update({ error: { message: `completion failed: ${messageOf(error)}`, input: editor.text } });
    }
    if (result === null) return;
    const next = result.insert !== null ? replaceRange(editor, result.insert.start, result.insert.end, result.insert.text) : editor;
    this.update({ editor: next, completions: result.candidates.length > 1 ? result.candidates : [] });
  }

  private submitLine(): void {
    const { line, state } = submit(this.view.editor);
    if (this.view.helpVisible) this.hideHelp();
    this.update({ editor: state, error: null, completions: [] });
    if (line.trim() === '') return;
    void this.options.historySink?.add(line);
    void this.run(line);
  }

  private async run(line: string): Promise<void> {
    this.running++;
    this.runningName = line.trim().split(/\s+/)[0] ?? null;
    this.refreshStatus();
    try {
      // A line entered while the network starts waits for it; lines wait in the order entered.
      const session = this.session ?? (await this.ready);
      if (session === null || this.disposed) return;
      const outcome = await session.execute(line);
      if (this.disposed) return;
      const failure = outcome.entries.find((entry) => entry.kind === 'error' && entry.input === line);
      if (failure !== undefined && failure.kind === 'error') this.showError(failure, line);
      if (outcome.status === 'quit') this.exit('quit');
    } catch (error) {
      // The session turns bad input into error entries; anything that still escapes is shown
      // the same way, and the prompt carries on.
      this.appendLocal({ kind: 'error', id: -1, t: 0, message: `internal error: ${messageOf(error)}`, input: line });
      this.update({ error: { message: `internal error: ${messageOf(error)}`, input: line } });
    } finally {
      this.running--;
      if (this.running === 0) this.runningName = null;
      if (!this.disposed) this.refreshStatus();
    }
  }

  /**
   * An error that points at a column puts the line back in the prompt with the cursor there,
   * so the learner fixes it rather than typing it again; unless they already started another.
   */
  private showError(entry: Extract<LogEntry, { kind: 'error' }>, line: string): void {
    const error: PromptError = { message: entry.message, input: entry.input };
    if (entry.column !== undefined) error.column = entry.column;
    if (entry.length !== undefined) error.length = entry.length;
    let editor = this.view.editor;
    if (entry.column !== undefined && editor.text === '') {
      editor = replaceRange(editor, 0, 0, line);
      editor = { ...editor, cursor: Math.min(line.length, Math.max(0, entry.column - 1)) };
    }
    this.update({ editor, error });
  }

  // --- the log -------------------------------------------------------------------------

  private receive(entry: LogEntry): void {
    this.pending.push(entry);
    // A burst of entries (a handshake's worth on sim) is drawn as one frame.
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.pending.length === 0 || this.disposed) return;
    const fresh = itemsFrom(this.pending, this.view.items[this.view.items.length - 1]?.entry);
    this.pending = [];
    this.update({ items: [...this.view.items, ...fresh], status: this.status() });
  }

  /** A line the UI itself adds (a note that history could not be saved, an internal error). */
  appendLocal(entry: LogEntry): void {
    const previous = this.view.items[this.view.items.length - 1]?.entry;
    this.update({ items: [...this.view.items, { key: `ui-${this.localCount++}`, entry, previous }] });
  }

  note(text: string): void {
    this.appendLocal({ kind: 'note', id: -1, t: 0, text });
  }

  /** Clears the screen and draws the whole log again at the terminal's current size. */
  redraw(): void {
    this.options.clearScreen?.();
    this.update({ epoch: this.view.epoch + 1 });
  }

  // --- the status bar ------------------------------------------------------------------

  private refreshStatus(): void {
    this.update({ status: this.status() });
  }

  private status(): StatusInfo {
    const session = this.session;
    if (session === null) {
      return { network: this.startingNetwork, me: '', server: '', learnerState: '', serverState: null, busy: this.runningName, starting: true };
    }
    return {
      network: session.network.info.kind,
      me: formatEndpoint(session.me),
      server: formatEndpoint(session.server),
      learnerState: session.connection.state,
      serverState: session.bundledState,
      busy: this.runningName,
    };
  }

  // --- leaving -------------------------------------------------------------------------

  private exit(reason: ExitReason): void {
    if (this.view.exiting) return;
    this.update({ exiting: true, helpVisible: false, completions: [] });
    this.options.onExit(reason);
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
    this.listeners.clear();
  }
}

function itemsFrom(entries: readonly LogEntry[], before: LogEntry | undefined): LogItem[] {
  let previous = before;
  return entries.map((entry) => {
    const item = { key: `s-${entry.id}`, entry, previous };
    previous = entry;
    return item;
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
