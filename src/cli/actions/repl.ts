// What `tcplab repl` does (its usage is in ../commands/repl.ts). Only what every path needs
// is imported up front: on a terminal, the prompt is drawn before the network and the
// session's modules have loaded.
import { createInterface, type Interface } from 'node:readline';
import { parseArgs } from '../args.js';
import { UsageError, type CliIo } from '../command.js';
import { networkChoice, type NetworkChoice } from '../network-flags.js';
import { startingNetworkName, startReplSession, type OpenReplSession } from '../open-repl-session.js';
import { readInput } from '../read-input.js';
import type { Session } from '../../session/session.js';
import { canUseTerminalUi } from '../../ui/terminal.js';

export async function replAction(args: string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args, { values: ['net', 'script', 'seed', 'token-file'], switches: ['ipv6', 'relative'] });
  if (positional.length > 0) throw new UsageError(`unexpected '${positional[0]}': give a script with --script FILE`);
  const choice = networkChoice(flags);
  const scriptPath = flags.get('script');
  if (scriptPath === true) throw new UsageError('--script needs a file');
  const script = scriptPath === undefined ? null : Buffer.from(await readInput(scriptPath, io.stdin)).toString('utf8');
  const stdin = io.stdin as NodeJS.ReadStream;
  const interactive = script === null && stdin.isTTY === true;
  const family = flags.has('ipv6') ? 6 : 4;
  const relative = flags.has('relative');

  if (interactive && canUseTerminalUi(io)) return await terminalMode(io, choice, family, relative);

  const opened = await startReplSession(choice, family).ready;
  try {
    if (!interactive) {
      // The note names a random seed; it goes to stderr so a script's output is its own.
      io.stderr.write(`${opened.note}\n`);
      const { runScript, scriptLines } = await import('../../session/script-runner.js');
      const lines = script !== null ? scriptLines(script) : createInterface({ input: io.stdin, crlfDelay: Infinity });
      const name = typeof scriptPath === 'string' ? scriptPath : 'stdin';
      const result = await runScript(opened.session, lines, { write: (text) => io.stdout.write(text), name, relative });
      return result.exitCode;
    }
    // Keys from a terminal, output to a file or a pipe: a plain line prompt.
    return await lineMode(opened.session, io, opened.note, relative);
  } finally {
    await close(opened);
  }
}

/**
 * The Ink REPL. The network starts while the prompt is drawn (the lab host takes about a
 * quarter of a second); lines entered meanwhile wait for it. If it cannot start, the screen
 * goes and the learner gets the one line that says why, as without a screen.
 */
async function terminalMode(io: CliIo, choice: NetworkChoice, family: 4 | 6, relative: boolean): Promise<number> {
  // Ink and React load only under here, so a script or a pipe never pays for them.
  const { runRepl } = await import('../../ui/run-repl.js');
  const { launched, ready } = startReplSession(choice, family);
  try {
    await runRepl({ session: { starting: startingNetworkName(choice), ready, launched }, streams: io, relative });
    return 0;
  } finally {
    // Left before the network was up: it is still closed properly. If it failed, runRepl has said so.
    const opened = await ready.catch(() => null);
    if (opened !== null) await close(opened);
  }
}

async function close(opened: OpenReplSession): Promise<void> {
  try {
    opened.session.close();
  } finally {
    await opened.network.close();
  }
}

/** The plain line REPL: a prompt, Tab for command names, every log entry printed as it comes. */
async function lineMode(session: Session, io: CliIo, note: string, relative: boolean): Promise<number> {
  const [{ COMMAND_NAMES }, { renderEntryText }] = await Promise.all([import('../../session/commands/registry.js'), import('../../session/render-text.js')]);
  const rl: Interface = createInterface({
    input: io.stdin,
    output: io.stdout,
    prompt: 'tcplab> ',
    completer: (line: string) => {
      if (line.includes(' ')) return [[], line];
      const hits = COMMAND_NAMES.filter((name) => name.startsWith(line));
      return [hits.length > 0 ? hits.map((name) => `${name} `) : [], line];
    },
  });
  let busy = false;
  // Entries that arrive while the prompt waits (a retransmission, a late FIN) are printed above it.
  const stop = session.subscribe((entry) => {
    if (entry.kind === 'command') return;
    if (!busy) io.stdout.write('\r\u001b[K');
    io.stdout.write(`${renderEntryText(entry, { relative })}\n`);
    if (!busy) rl.prompt(true);
  });
  io.stdout.write(`${note}\nType help for the commands, quit to leave.\n`);
  rl.prompt();
  try {
    for await (const line of rl) {
      busy = true;
      const { status } = await session.execute(line);
      busy = false;
      if (status === 'quit') break;
      rl.prompt();
    }
  } finally {
    stop();
    rl.close();
  }
  return 0;
}
