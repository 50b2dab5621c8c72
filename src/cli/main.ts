import { UsageError, UserFacingError, type CliCommand, type CliIo } from './command.js';
import { commands } from './registry.js';

/**
 * What bare `tcplab` opens: the place to start. Options alone (`tcplab --net sim`) go to it too.
 */
const BARE_COMMAND = 'home';

/** `tcplab` with nothing, or with options and no command name. */
function namesNoCommand(argv: readonly string[]): boolean {
  return argv[0] === undefined || (argv[0].startsWith('--') && argv[0] !== '--help');
}

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.description}`);
  return ['tcplab: a terminal classroom for TCP', '', 'Commands:', ...lines, '', 'tcplab help COMMAND shows its usage.', ''].join('\n');
}

function usageOf(command: CliCommand): string {
  return command.usage.map((line) => `  ${line}`).join('\n');
}

export async function main(argv: string[], io: CliIo = process): Promise<void> {
  // `tcplab decode big.pcap | head` closes the pipe early; that is the reader's choice, not a fault.
  io.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const [name, ...rest] = namesNoCommand(argv) ? [BARE_COMMAND, ...argv] : argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0] && commands.find((c) => c.name === rest[0]);
    io.stdout.write(topic ? `${topic.description}\n\nUsage:\n${usageOf(topic)}\n` : helpText());
    return;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`tcplab: unknown command '${name}'\n\n${helpText()}`);
    process.exitCode = 2;
    return;
  }
  try {
    process.exitCode = await command.action(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`tcplab ${command.name}: ${error.message}\nUsage:\n${usageOf(command)}\n`);
      process.exitCode = 2;
    } else if (error instanceof UserFacingError) {
      io.stderr.write(`tcplab ${command.name}: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      // An unexpected fault is still one readable line; the trace is there for whoever asks.
      const message = error instanceof Error ? error.message : String(error);
      io.stderr.write(`tcplab ${command.name}: internal error: ${message}\n`);
      if (process.env.TCPLAB_DEBUG) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
      process.exitCode = 70;
    }
  }
}
