/**
 * The REPL on a terminal: history loaded, the screen mounted, and back when the learner
 * leaves. Ink and React load here, lazily, so `tcplab` on a pipe never pays for them. The
 * caller owns the session and the network and closes them once this returns.
 */
import { sessionCompletionData } from './completion-data.js';
import { completionSource } from './completion.js';
import { EarlyPrompt } from './early-prompt.js';
import { HistoryStore } from './history-store.js';
import { ReplController, type ExitReason } from './repl-controller.js';
import type { ReplSession } from './repl-session.js';
import type { ScreenStreams } from './repl-screen.js';
import type { TerminalStreams } from './terminal.js';

export interface RunReplOptions {
  session: ReplSession;
  streams?: TerminalStreams;
  /** Where history lives; $XDG_STATE_HOME/tcplab/history by default. */
  historyPath?: string;
  /** A first line for the log, e.g. which network was chosen and why. */
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
  // Ink and React take longer to load than anything before the first prompt: the early
  // prompt is drawn and takes keys meanwhile.
  const loading = loadScreen();
  const lines = await history.load();

  let leave: (reason: ExitReason) => void = () => {};
  const left = new Promise<ExitReason>((resolve) => (leave = resolve));
  let screen: { unmount(): Promise<void>; forget(): void } | null = null;
  const controller = new ReplController({
    session: options.session,
    history: lines,
    historySink: {
      add: async (line: string) => {
        await history.add(line);
        // A history that cannot be written is said once, in the log, and the session goes on.
        while (notes.length > 0) controller.note(notes.shift()!);
      },
    },
    complete: completionSource(sessionCompletionData()),
    onExit: (reason) => leave(reason),
    clearScreen: () => {
      screen?.forget();
      streams.stdout.write(CLEAR_TERMINAL);
    },
  });
  if (options.note !== undefined) controller.note(options.note);
  controller.note(GREETING);
  for (const message of notes.splice(0)) controller.note(message);

  const io = streams as ScreenStreams;
  const early = new EarlyPrompt(controller, io.stdin, io.stdout);
  try {
    const { mountReplScreen } = await loading;
    early.stop();
    // Ctrl-C or Ctrl-D at the early prompt: gone before the screen came.
    if (controller.getSnapshot().exiting) return await left;
    screen = mountReplScreen(controller, io, { relative: options.relative ?? false });
    return await left;
  } finally {
    early.stop();
    await screen?.unmount();
    controller.dispose();
    await history.save().catch(() => undefined);
  }
}

let screenModule: Promise<typeof import('./repl-screen.js')> | null = null;

/**
 * Loads Ink, React and the screen, once.
 *
 * Ink checks CI and CONTINUOUS_INTEGRATION once, as it loads, and then draws nothing but the
 * last frame. A REPL runs only on a terminal a person types at, so Ink loads with them hidden
 * (nothing else in tcplab reads them), and they are put back once it has.
 */
function loadScreen(): Promise<typeof import('./repl-screen.js')> {
  if (screenModule !== null) return screenModule;
  const hidden: Array<[string, string]> = [];
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) {
    const value = process.env[name];
    if (value === undefined) continue;
    hidden.push([name, value]);
    delete process.env[name];
  }
  const restore = () => {
    for (const [name, value] of hidden) process.env[name] = value;
  };
  screenModule = import('./repl-screen.js').finally(restore);
  return screenModule;
}
