/**
 * The REPL on a terminal: history loaded, the screen mounted, and back when the learner
 * leaves. Ink and React load here, lazily, so `tcplab` on a pipe never pays for them. The
 * caller owns the session and the network and closes them once this returns.
 *
 * The prompt comes first: it is drawn before Ink, React, the completion tables and (for a
 * starting session) the network are ready, and takes keys meanwhile.
 */
import { completionSource, type CompletionSource } from './completion.js';
import { EarlyPrompt } from './early-prompt.js';
import { HistoryStore } from './history-store.js';
import { loadWithoutCiVariables } from './ink-loader.js';
import { ReplController, type ExitReason } from './repl-controller.js';
import { isStartingSession, type ReplSession, type StartingSession } from './repl-session.js';
import type { ScreenStreams } from './repl-screen.js';
import type { TerminalStreams } from './terminal.js';

export interface RunReplOptions {
  /**
   * The session, or one whose network is still starting. If that network cannot start, the
   * screen goes, the terminal is restored, and runRepl rejects with the network's error.
   */
  session: ReplSession | StartingSession;
  streams?: TerminalStreams;
  /** Where history lives; $XDG_STATE_HOME/tcplab/history by default. */
  historyPath?: string;
  /** A first line for the log, e.g. which network was chosen and why; a starting session brings its own. */
  note?: string;
  /** Sequence numbers counted from each side's ISN, as plain tcpdump shows them. */
  relative?: boolean;
}

const GREETING = 'help lists the commands, ? on an empty line the keys; Ctrl-D leaves.';

/** Clears the screen and its scrollback, and homes the cursor. */
const CLEAR_TERMINAL = '\u001b[2J\u001b[3J\u001b[H';

/** Runs the REPL until the learner quits; resolves with how they left. */
export async function runRepl(options: RunReplOptions): Promise<ExitReason> {
  const streams = options.streams ?? { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  // Keys pressed while Ink loads wait in the terminal; in raw mode, a Ctrl-C or Ctrl-D among
  // them reaches the prompt as a key rather than ending the process or the input.
  const stdin = streams.stdin as NodeJS.ReadStream;
  stdin.setRawMode?.(true);
  try {
    return await runScreen(options, streams);
  } finally {
    stdin.setRawMode?.(false);
    // Stop reading, or the open terminal would keep the process alive after the REPL is done.
    stdin.pause();
  }
}

async function runScreen(options: RunReplOptions, streams: TerminalStreams): Promise<ExitReason> {
  const notes: string[] = [];
  const history = new HistoryStore({ ...(options.historyPath !== undefined ? { path: options.historyPath } : {}), note: (message) => notes.push(message) });
  const lines = await history.load();

  let leave: (reason: ExitReason) => void = () => {};
  const left = new Promise<ExitReason>((resolve) => (leave = resolve));
  const source = options.session;
  let screen: { unmount(): Promise<void>; forget(): void } | null = null;
  let introduced = false;
  const completion = new LazyCompletion();
  const controller = new ReplController({
    session: source,
    history: lines,
    historySink: {
      add: async (line: string) => {
        await history.add(line);
        // A history that cannot be written is said once, in the log, and the session goes on.
        if (introduced) while (notes.length > 0) controller.note(notes.shift()!);
      },
    },
    complete: completion.complete,
    onExit: (reason) => leave(reason),
    onReady: (opened) => introduce(opened.note),
    clearScreen: () => {
      screen?.forget();
      streams.stdout.write(CLEAR_TERMINAL);
    },
  });
  /** The log's first lines: the network, the greeting, then anything history had to say. */
  function introduce(note: string | undefined): void {
    if (note !== undefined) controller.note(note);
    controller.note(GREETING);
    for (const message of notes.splice(0)) controller.note(message);
    introduced = true;
  }
  if (!isStartingSession(source)) introduce(options.note);
  // Rejects if the network cannot start (the controller has then already let go of the screen).
  const startFailure = isStartingSession(source) ? source.ready.then(() => new Promise<never>(() => {})) : new Promise<never>(() => {});
  const ended = Promise.race([left, startFailure]);
  // Awaited below; this only keeps a failure before then from counting as unhandled.
  ended.catch(() => undefined);

  const io = streams as ScreenStreams;
  const early = new EarlyPrompt(controller, io.stdin, io.stdout);
  // Ink and React take longer to load than anything before the first prompt: the early
  // prompt is drawn and takes keys meanwhile. A starting network's code loads first, so the
  // lab host is on its way before Ink and React take the processor.
  const launched = isStartingSession(source) ? Promise.race([source.launched ?? source.ready, source.ready]).then(() => undefined) : Promise.resolve();
  const loading = launched.then(loadScreen);
  launched
    .then(() => completion.load())
    .catch((error: unknown) => {
      if (!controller.getSnapshot().exiting) controller.note(`Tab completion is unavailable: ${error instanceof Error ? error.message : String(error)}`);
    });
  try {
    const first = await Promise.race([loading.then((module) => ({ module })), ended.then((reason) => ({ reason }))]);
    early.stop();
    // Ctrl-C or Ctrl-D at the early prompt: gone before the screen came.
    if ('reason' in first) return first.reason;
    if (controller.getSnapshot().exiting) return await ended;
    screen = first.module.mountReplScreen(controller, io, { relative: options.relative ?? false });
    return await ended;
  } finally {
    early.stop();
    await screen?.unmount();
    controller.dispose();
    await history.save().catch(() => undefined);
  }
}

/**
 * Tab completion from the session's own tables, which load with the session's commands; a
 * Tab pressed before they have offers nothing.
 */
class LazyCompletion {
  private source: CompletionSource | null = null;

  readonly complete: CompletionSource = (text, cursor) => this.source?.(text, cursor) ?? null;

  async load(): Promise<void> {
    const { sessionCompletionData } = await import('./completion-data.js');
    this.source = completionSource(sessionCompletionData());
  }
}

let screenModule: Promise<typeof import('./repl-screen.js')> | null = null;

/** Loads Ink, React and the screen, once (see ink-loader.ts for why through it). */
function loadScreen(): Promise<typeof import('./repl-screen.js')> {
  screenModule ??= loadWithoutCiVariables(() => import('./repl-screen.js'));
  return screenModule;
}
