import { readFile } from 'node:fs/promises';
import { parseArgs } from '../args.js';
import { UsageError, UserFacingError, type CliIo } from '../command.js';
import { LabStartError } from '../../net/lab/lab-network.js';
import { LabDaemonError, type LabDaemonOptions, startLabDaemon } from '../../net/ws/daemon-launcher.js';
import { SLOT_COUNT } from '../../net/ws/slots.js';
import { TokenFileError, TokenSet } from '../../net/ws/tokens.js';

export async function labServeAction(args: string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args, {
    values: ['port', 'host', 'token-file', 'cert', 'key', 'max-sessions', 'idle-timeout', 'grace', 'rate'],
  });
  if (positional[0] !== 'serve') throw new UsageError(positional.length === 0 ? 'lab needs a subcommand: serve' : `unknown subcommand '${positional[0]}': the one there is is serve`);
  if (positional.length > 1) throw new UsageError(`unexpected '${positional[1]}'`);
  const tokenFile = text(flags, 'token-file');
  if (tokenFile === undefined) throw new UsageError('--token-file FILE is needed: nobody gets a lab without a token (make one with: openssl rand -hex 16)');
  const cert = text(flags, 'cert');
  const key = text(flags, 'key');
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--cert and --key go together: the certificate and its private key');

  const options: LabDaemonOptions = {
    port: whole(flags, 'port', 0, 65535) ?? 7777,
    tokens: await loadTokens(tokenFile),
    tokenSource: tokenFile,
    log: (line) => io.stdout.write(`${line}\n`),
  };
  const host = text(flags, 'host');
  if (host !== undefined) options.host = host;
  if (cert !== undefined && key !== undefined) options.tls = { cert: await readPem(cert, 'certificate'), key: await readPem(key, 'key') };
  const maxSessions = whole(flags, 'max-sessions', 1, SLOT_COUNT);
  if (maxSessions !== undefined) options.maxSessions = maxSessions;
  const idle = whole(flags, 'idle-timeout', 1, 7 * 24 * 3600);
  if (idle !== undefined) options.idleTimeoutMs = idle * 1000;
  const grace = whole(flags, 'grace', 0, 24 * 3600);
  if (grace !== undefined) options.graceMs = grace * 1000;
  const rate = whole(flags, 'rate', 1, 100_000);
  if (rate !== undefined) {
    options.packetsPerSecond = rate;
    options.packetBurst = rate * 2;
  }

  let daemon;
  try {
    daemon = await startLabDaemon(options);
  } catch (error) {
    if (error instanceof LabStartError) throw new UserFacingError(`${error.message} (fix: ${error.fix})`);
    if (error instanceof LabDaemonError || error instanceof TokenFileError) throw new UserFacingError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UserFacingError(`port ${options.port} is in use: choose another with --port`);
    if (code === 'EACCES') throw new UserFacingError(`port ${options.port} needs privileges: choose one above 1023 with --port`);
    if (code === 'EADDRNOTAVAIL') throw new UserFacingError(`no interface here has the address ${options.host}: leave --host out to listen on every one`);
    throw error;
  }

  // SIGHUP: the token file again, for new sessions (an instructor struck a class's line).
  const reload = (): void => {
    loadTokens(tokenFile).then(
      (text) => daemon.setTokens(text),
      (error: Error) => io.stderr.write(`tcplab lab serve: kept the old tokens: ${error.message}\n`),
    );
  };
  process.on('SIGHUP', reload);
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const signalled = new Promise<NodeJS.Signals>((resolve) => (onSignal = resolve));
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    const outcome = await Promise.race([signalled, daemon.ended.then((reason) => ({ reason }))]);
    if (typeof outcome === 'object') throw new UserFacingError(outcome.reason);
    await daemon.close(`the lab daemon is shutting down (${outcome})`);
    return 0;
  } finally {
    process.off('SIGHUP', reload);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/** The token file's text, checked: every line a usable token. */
async function loadTokens(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserFacingError(`cannot read the token file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    TokenSet.parse(text, path);
  } catch (error) {
    if (error instanceof TokenFileError) throw new UserFacingError(error.message);
    throw error;
  }
  return text;
}

async function readPem(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new UserFacingError(`cannot read the ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function text(flags: Map<string, string | true>, name: string): string | undefined {
  const value = flags.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  return value;
}

function whole(flags: Map<string, string | true>, name: string, min: number, max: number): number | undefined {
  const value = text(flags, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`--${name} is a whole number from ${min} to ${max}, not '${value}'`);
  return Number(value);
}
