import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, extname, join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { describeIssues } from '../lab/lab-channel.js';
import { DEFAULT_MARK, LabStartError } from '../lab/lab-network.js';
import { hostExecArgv, needsUserNamespace, onPath, toolEnv, unshareArgs } from '../lab/namespace.js';
import { type DaemonConfig, type FromDaemon, FromDaemonSchema, type ToDaemon } from './daemon-ipc.js';
import { DAEMON_DEFAULTS } from './daemon-defaults.js';
import { SLOT_COUNT } from './slots.js';
import { TokenSet } from './tokens.js';

// `tcplab lab serve` starts the lab daemon here. It listens in the host's namespace, then
// starts the daemon (daemon-process.ts) in a network namespace of its own and hands it the
// listening socket: learners reach the daemon over the host's network, and everything the
// daemon does with packets happens inside the namespace, where there is loopback and nothing
// else. One process serves every learner, each in a slot of that namespace: a lab host process
// holds 60 MB before it does anything, and 200 learners with a process each would need 12 GB
// (docs/lab-protocol.md, "One namespace, many learners").

export { DAEMON_DEFAULTS };

export interface LabDaemonOptions {
  port: number;
  /** Where to listen; every interface by default. */
  host?: string;
  /** The token file's text (one token a line), and where it came from, for messages. */
  tokens: string;
  tokenSource?: string;
  /** PEM certificate and key: wss:// instead of ws://. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  maxSessions?: number;
  idleTimeoutMs?: number;
  graceMs?: number;
  packetsPerSecond?: number;
  /** Packets a session may send at once before the rate applies (twice the rate by default). */
  packetBurst?: number;
  helloTimeoutMs?: number;
  maxPendingConnections?: number;
  /** Between pings to each connection: one that misses a pong is taken for dropped. */
  pingIntervalMs?: number;
  mark?: number;
  userNamespace?: boolean;
  startTimeoutMs?: number;
  /** One line per session start and end, and the daemon's own news. */
  log?: (line: string) => void;
}

export class LabDaemonError extends Error {
  override name = 'LabDaemonError';
}

/** The running daemon, seen from the launcher. */
export class LabDaemonProcess {
  /** Resolves, with the reason, once the daemon process has ended. */
  readonly ended: Promise<string>;
  private endReason: string | null = null;

  constructor(
    private readonly child: ChildProcess,
    /** The port learners connect to. */
    readonly port: number,
    /** The daemon's process id: the namespace is its (/proc/PID/ns/net). */
    readonly pid: number,
    exited: Promise<string>,
  ) {
    this.ended = exited.then((reason) => (this.endReason = reason));
  }

  get running(): boolean {
    return this.endReason === null;
  }

  /** A new token file for new sessions; sessions already running go on. */
  setTokens(text: string): void {
    send(this.child, { type: 'tokens', tokens: text });
  }

  /** Ends every session (each learner is told why), removes the namespace, and waits for the daemon to end. */
  async close(reason = 'the lab daemon is shutting down'): Promise<void> {
    if (this.endReason === null) {
      send(this.child, { type: 'stop', reason });
      const late = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await this.ended;
      clearTimeout(late);
    }
  }
}

function send(child: ChildProcess, message: ToDaemon, handle?: Server | Socket): void {
  if (child.connected) child.send(message, handle as Server);
}

/** Validates the settings, listens, starts the daemon in its namespace and waits until it serves. */
export async function startLabDaemon(options: LabDaemonOptions): Promise<LabDaemonProcess> {
  const config = configOf(options);
  const listener = createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen({ port: options.port, ...(options.host !== undefined ? { host: options.host } : {}) }, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  const { port } = listener.address() as { port: number };

  const child = spawnDaemon(config.userNamespace);
  watchOnExit(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4096)));
  const log = options.log ?? (() => {});
  let settle: ((outcome: number | Error) => void) | null = null;
  const started = new Promise<number | Error>((resolve) => (settle = resolve));
  child.on('message', (value: unknown) => {
    const parsed = FromDaemonSchema.safeParse(value);
    if (!parsed.success) {
      log(`${new Date().toISOString()} the lab daemon sent an invalid message: ${describeIssues(parsed.error)}`);
      return;
    }
    const message: FromDaemon = parsed.data;
    if (message.type === 'log') log(message.line);
    else if (message.type === 'ready') settle?.(message.pid);
    else if (settle !== null) settle(new LabStartError(message.stage, `the lab daemon could not start (${message.stage}): ${message.message}`, message.fix ?? 'run `tcplab doctor` to see which requirement is missing'));
    else log(`${new Date().toISOString()} the lab daemon failed (${message.stage}): ${message.message}`);
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      const how = signal ?? `status ${code}`;
      const said = stderr.trim().split('\n').at(-1);
      settle?.(new LabStartError('spawn', `the lab daemon ended before it was ready (${how})${said ? `: ${said}` : ''}`, 'run `tcplab doctor` to see which requirement is missing'));
      resolve(`the lab daemon ended (${how})`);
    });
  });
  child.once('error', (error) => settle?.(new LabStartError('spawn', `the lab daemon could not be started: ${error.message}`, 'sudo apt-get install util-linux')));

  // The socket goes to the daemon, and this process lets go of it before its loop could accept
  // anything; should a connection slip in all the same, it follows the socket.
  listener.on('connection', (socket) => send(child, { type: 'connection' }, socket));
  child.send({ type: 'start', config } satisfies ToDaemon, listener, () => listener.close());

  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const timer = setTimeout(() => settle?.(new LabStartError('spawn', `the lab daemon did not come up within ${timeoutMs} ms`, 'run `tcplab doctor` to see which requirement is missing')), timeoutMs);
  const outcome = await started;
  clearTimeout(timer);
  settle = null;
  if (outcome instanceof Error) {
    listener.close();
    child.kill('SIGKILL');
    await exited;
    throw outcome;
  }
  return new LabDaemonProcess(child, port, outcome, exited);
}

/** The settings as the daemon takes them, each checked here so that a mistake shows before anything starts. */
function configOf(options: LabDaemonOptions): DaemonConfig {
  const tokenSource = options.tokenSource ?? 'the token file';
  TokenSet.parse(options.tokens, tokenSource);
  const maxSessions = options.maxSessions ?? DAEMON_DEFAULTS.maxSessions;
  if (!Number.isInteger(maxSessions) || maxSessions < 1 || maxSessions > SLOT_COUNT) {
    throw new LabDaemonError(`at most ${SLOT_COUNT} sessions fit in one lab daemon (got ${maxSessions}): run more daemons for a larger class (docs/classroom.md)`);
  }
  let tls: DaemonConfig['tls'];
  if (options.tls !== undefined) {
    const cert = options.tls.cert.toString();
    const key = options.tls.key.toString();
    try {
      createSecureContext({ cert, key });
    } catch (error) {
      throw new LabDaemonError(`the certificate or key does not load (${(error as Error).message}): give PEM files, the key matching the certificate`);
    }
    tls = { cert, key };
  }
  const packetsPerSecond = options.packetsPerSecond ?? DAEMON_DEFAULTS.packetsPerSecond;
  return {
    tokens: options.tokens,
    tokenSource,
    ...(tls !== undefined ? { tls } : {}),
    maxSessions,
    idleTimeoutMs: options.idleTimeoutMs ?? DAEMON_DEFAULTS.idleTimeoutMs,
    graceMs: options.graceMs ?? DAEMON_DEFAULTS.graceMs,
    packetsPerSecond,
    packetBurst: options.packetBurst ?? Math.max(1, Math.round(packetsPerSecond * 2)),
    helloTimeoutMs: options.helloTimeoutMs ?? DAEMON_DEFAULTS.helloTimeoutMs,
    maxPendingConnections: options.maxPendingConnections ?? DAEMON_DEFAULTS.maxPendingConnections,
    pingIntervalMs: options.pingIntervalMs ?? DAEMON_DEFAULTS.pingIntervalMs,
    mark: options.mark ?? DEFAULT_MARK,
    userNamespace: options.userNamespace ?? needsUserNamespace(),
  };
}

/**
 * Buckets of the namespace's own TCP hash table. /proc/net/tcp walks them all on every read
 * of the sockets' states: 4,096 keep a read near a tenth of a millisecond, and hold a class's
 * sockets in short chains.
 */
export const DAEMON_TCP_HASH_BUCKETS = 4096;

/** The program the daemon runs: daemon-process.js beside this module (.ts under tsx). */
export function daemonEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return join(dirname(here), `daemon-process${extname(here)}`);
}

/**
 * As a local lab's host is started (namespace.ts): setpriv kills the daemon with its launcher,
 * the first namespace gives the second a TCP hash table of its own, and the daemon lives in
 * the second. Every step execs, so the IPC channel (fd 3) reaches node unchanged.
 */
function spawnDaemon(userNamespace: boolean): ChildProcess {
  const node = [process.execPath, ...hostExecArgv(), daemonEntry()];
  const ownHashTable = `echo ${DAEMON_TCP_HASH_BUCKETS} > /proc/sys/net/ipv4/tcp_child_ehash_entries 2>/dev/null; exec unshare --net -- "$@"`;
  const unshare = ['unshare', ...unshareArgs(userNamespace), '--', 'sh', '-c', ownHashTable, 'tcplab-lab-daemon', ...node];
  const [command, ...args] = onPath('setpriv') ? ['setpriv', '--pdeathsig', 'KILL', '--', ...unshare] : unshare;
  // A session of its own: Ctrl-C in the terminal reaches the launcher, which decides.
  return spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: true, env: toolEnv() });
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
/** A daemon still running when its launcher exits is killed on the way out, however it exits. */
function watchOnExit(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const daemon of live) daemon.kill('SIGKILL');
  });
}
