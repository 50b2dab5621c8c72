import { createInterface, type Interface } from 'node:readline';
import { parseArgs } from '../args.js';
import { UsageError, UserFacingError, type CliIo } from '../command.js';
import { networkChoice } from '../network-flags.js';
import { readInput } from '../read-input.js';
import { NetworkUnavailableError, selectNetwork } from '../../net/select.js';
import { COMMAND_NAMES } from '../../session/commands/registry.js';
import { renderEntryText } from '../../session/render-text.js';
import { runScript, scriptLines } from '../../session/script-runner.js';
import { Session } from '../../session/session.js';
import { canUseTerminalUi } from '../../ui/terminal.js';

export async function replAction(args: string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args, { values: ['net', 'script', 'seed', 'token-file'], switches: ['ipv6', 'relative'] });
  if (positional.length > 0) throw new UsageError(`unexpected '${positional[0]}': give a script with --script FILE`);
  const { kind, options: networkOptions } = networkChoice(flags);
  const scriptPath = flags.get('script');
  if (scriptPath === true) throw new UsageError('--script needs a file');
  const script = scriptPath === undefined ? null : Buffer.from(await readInput(scriptPath, io.stdin)).toString('utf8');
  const stdin = io.stdin as NodeJS.ReadStream;
  const interactive = script === null && stdin.isTTY === true;

  let selected;
  try {
    selected = await selectNetwork(kind, networkOptions);
  } catch (error) {
    if (error instanceof NetworkUnavailableError) throw new UserFacingError(error.message);
    throw error;
  }
  const { network, note } = selected;
  try {
    const session = await Session.open(network, { family: flags.has('ipv6') ? 6 : 4 });
    const relative = flags.has('relative');
    try {
      if (!interactive) {
        // The note names a random seed; it goes to stderr so a script's output is its own.
        io.stderr.write(`${note}\n`);
        const lines = script !== null ? scriptLines(script) : createInterface({ input: io.stdin, crlfDelay: Infinity });
        const name = typeof scriptPath === 'string' ? scriptPath : 'stdin';
        const result = await runScript(session, lines, { write: (text) => io.stdout.write(text), name, relative });
        return result.exitCode;
      }
      if (canUseTerminalUi(io)) {
        // Ink and React load only here, so a script or a pipe never pays for them.
        const { runRepl } = await import('../../ui/run-repl.js');
        await runRepl({ session, streams: io, note, relative });
        return 0;
      }
      // Keys from a terminal, output to a file or a pipe: a plain line prompt.
      return await lineMode(session, io, note, relative);
    } finally {
      session.close();
    }
  } finally {
    await network.close();
  }
}



/** The plain line REPL: a prompt, Tab for command names, every log entry printed as it comes. */
async function lineMode(session: Session, io: CliIo, note: string, relative: boolean): Promise<number> {
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
