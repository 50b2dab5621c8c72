/**
 * What the kernel thinks of the bundled sockets, beside the packets: successive snapshots of
 * /proc/net/tcp and /proc/net/tcp6, diffed into state changes. A socket seen for the first
 * time changes from null; one that is gone changes to CLOSED.
 *
 * Polling can miss a state that lasts less than an interval (LAST-ACK on loopback lasts
 * microseconds); poll() right after a packet goes out or comes in narrows that gap.
 */
import { readFile } from 'node:fs/promises';
import type { Endpoint, TcpState } from '../net/network.js';
import { parseProcNetTcp, type ProcNetTcpOptions, type SocketEntry } from './proc-net-tcp.js';

export { parseProcNetTcp, ProcNetTcpError, TCP_STATE_CODES, type SocketEntry } from './proc-net-tcp.js';

export interface SocketStateChange {
  local: Endpoint;
  remote: Endpoint;
  /** Null the first time a socket is seen. */
  from: TcpState | null;
  to: TcpState;
  /** The queues in the new snapshot; 0 for a socket that is gone. */
  rxQueue: number;
  txQueue: number;
}

/** Which sockets are worth watching. */
export type SocketFilter = (entry: SocketEntry) => boolean;

export interface PortRange {
  first: number;
  last: number;
}

/**
 * The bundled server's listeners (local port a server port, no peer), and every connection
 * whose peer port is the learner's: the server's accepted sockets, and the bundled client's
 * connection to a learner listening on one of those ports.
 */
export function bundledSockets(options: { serverPorts: Iterable<number>; learnerPorts: PortRange | Iterable<number> }): SocketFilter {
  const serverPorts = new Set(options.serverPorts);
  const learner = options.learnerPorts;
  const isLearnerPort =
    'first' in learner ? (port: number) => port >= learner.first && port <= learner.last : ((ports) => (port: number) => ports.has(port))(new Set(learner));
  return (entry) => (entry.state === 'LISTEN' ? serverPorts.has(entry.local.port) : isLearnerPort(entry.remote.port));
}

/** The key a socket keeps through its life: its four-tuple. */
function socketKey(entry: { local: Endpoint; remote: Endpoint }): string {
  return `${entry.local.addr} ${entry.local.port} ${entry.remote.addr} ${entry.remote.port}`;
}

/**
 * The changes from `before` to `after`, and `after` keyed for the next round. When a
 * four-tuple shows twice (a new SYN reusing a TIME-WAIT pair), the live socket wins.
 */
export function diffSockets(
  before: ReadonlyMap<string, SocketEntry>,
  after: readonly SocketEntry[],
): { changes: SocketStateChange[]; sockets: Map<string, SocketEntry> } {
  const sockets = new Map<string, SocketEntry>();
  for (const entry of after) {
    const key = socketKey(entry);
    const seen = sockets.get(key);
    if (seen === undefined || seen.state === 'TIME-WAIT') sockets.set(key, entry);
  }
  const changes: SocketStateChange[] = [];
  for (const [key, entry] of sockets) {
    const was = before.get(key)?.state ?? null;
    if (was !== entry.state) {
      changes.push({ local: entry.local, remote: entry.remote, from: was, to: entry.state, rxQueue: entry.rxQueue, txQueue: entry.txQueue });
    }
  }
  for (const [key, entry] of before) {
    if (!sockets.has(key) && entry.state !== 'CLOSED') {
      changes.push({ local: entry.local, remote: entry.remote, from: entry.state, to: 'CLOSED', rxQueue: 0, txQueue: 0 });
    }
  }
  return { changes, sockets };
}

/** This namespace's /proc/net/tcp and /proc/net/tcp6, one after the other; tcp6 may be absent. */
export async function readProcNetTcp(paths: readonly string[] = ['/proc/net/tcp', '/proc/net/tcp6']): Promise<string> {
  const texts = await Promise.all(
    paths.map((path) =>
      readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        // A kernel without IPv6 has no tcp6.
        if (error.code === 'ENOENT' && path.endsWith('6')) return '';
        throw error;
      }),
    ),
  );
  return texts.join('');
}

export interface SocketStateWatcherOptions extends ProcNetTcpOptions {
  onChange: (change: SocketStateChange) => void;
  /** Which sockets to report; all of them by default. */
  filter?: SocketFilter;
  /** Where snapshots come from: readProcNetTcp() by default. */
  read?: () => string | Promise<string>;
  /** A snapshot that could not be read or parsed; the watcher keeps going. */
  onError?: (message: string) => void;
  /** Between snapshots once start()ed. */
  intervalMs?: number;
}

export class SocketStateWatcher {
  private sockets = new Map<string, SocketEntry>();
  private queue: Promise<unknown> = Promise.resolve();
  private inFlight = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly read: () => string | Promise<string>;
  private readonly filter: SocketFilter;

  constructor(private readonly options: SocketStateWatcherOptions) {
    this.read = options.read ?? (() => readProcNetTcp());
    this.filter = options.filter ?? (() => true);
  }

  /** The watched sockets as of the last snapshot. */
  get current(): SocketEntry[] {
    return [...this.sockets.values()];
  }

  /**
   * Takes a snapshot now (after any already under way), reports its changes and returns them.
   * A snapshot that fails reports to onError and changes nothing.
   */
  poll(): Promise<SocketStateChange[]> {
    const next = this.queue.then(() => this.snapshot());
    this.queue = next;
    return next;
  }

  /** Polls every intervalMs (20 by default) until stop(); a tick is skipped while a poll runs. */
  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => {
      if (!this.inFlight) void this.poll();
    }, this.options.intervalMs ?? 20);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async snapshot(): Promise<SocketStateChange[]> {
    this.inFlight = true;
    let entries: SocketEntry[];
    try {
      entries = parseProcNetTcp(await this.read(), this.options).filter(this.filter);
    } catch (error) {
      this.options.onError?.(error instanceof Error ? error.message : String(error));
      return [];
    } finally {
      this.inFlight = false;
    }
    const { changes, sockets } = diffSockets(this.sockets, entries);
    this.sockets = sockets;
    for (const change of changes) this.options.onChange(change);
    return changes;
  }
}
