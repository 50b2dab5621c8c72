/**
 * The REPL on a terminal: history loaded, the screen mounted, and back when the learner
 * leaves. Ink and React load here, lazily, so `tcplab` on a pipe never pays for them. The
 * caller owns the session and the network and closes them once this returns.
 */
import { sessionCompletionData } from './completion-data.js';
import { completionSource } from './completion.js';
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

/** Clears the screen and its scrollback, and homes the cursor. */
const CLEAR_TERMINAL = '\u001b[2J\u001b[3J\u001b[H';

/** Runs the REPL until the learner quits; resolves with how they left. */
export async function runRepl(options: RunReplOptions): Promise<ExitReason> {
  const streams = options.streams ?? { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  const notes: string[] = [];
  const history = new HistoryStore({ ...(options.historyPath !== undefined ? { path: options.historyPath } : {}), note: (message) => notes.push(message) });
  const [lines, { mountReplScreen }] = await Promise.all([history.load(), importScreen()]);

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
  for (const message of notes.splice(0)) controller.note(message);

  screen = mountReplScreen(controller, streams as ScreenStreams, { relative: options.relative ?? false });
  try {
    return await left;
  } finally {
    await screen.unmount();
    controller.dispose();
    await history.save().catch(() => undefined);
  }
}

/**
 * Ink checks CI and CONTINUOUS_INTEGRATION once, when it loads, and then draws nothing but
 * the last frame. A REPL runs only on a terminal a person is typing at, so Ink loads with
 * them hidden, and they are put back for everything else.
 */
async function importScreen(): Promise<typeof import('./repl-screen.js')> {
  const hidden: Record<string, string | undefined> = {};
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) {
    hidden[name] = process.env[name];
    delete process.env[name];
  }
  try {
    return await import('./repl-screen.js');
  } finally {
    for (const [name, value] of Object.entries(hidden)) if (value !== undefined) process.env[name] = value;
  }
}
