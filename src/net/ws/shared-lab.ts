import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, extname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ServerBehaviourSpec } from '../../server/behaviour.js';
import { LabChannel } from '../lab/lab-channel.js';
import type { LabEvent, PortRange } from '../lab/lab-protocol.js';
import { DEFAULT_MARK, LabStartError } from '../lab/lab-network.js';
import { hostExecArgv, needsUserNamespace, onPath, toolEnv, unshareArgs } from '../lab/namespace.js';
import type { Endpoint, SendResult } from '../network.js';
import { type SharedMessage, SharedMessageSchema, type SharedReady, type SharedRequest, SHARED_HOST_OPTIONS_FLAG, SLOT_COUNT, slotPorts } from './shared-lab-protocol.js';

// The daemon's side of one shared lab host (shared-lab-host.ts): starts it in a namespace of
// its own, hands its slots to learners, and carries their requests and events.

/**
 * Buckets of the shared namespace's own TCP hash table. /proc/net/tcp walks them all on every
 * read of the sockets' states: 4,096 keep a read near a tenth of a millisecond, and hold a
 * class's sockets in short chains.
 */
export const SHARED_TCP_HASH_BUCKETS = 4096;

export class LabRequestFailed extends Error {
  override name = 'LabRequestFailed';
}

/** One learner's slot on a shared host: the lab a session talks to. */
export interface LabTenant {
  readonly slot: number;
  readonly ports: PortRange;
  /** Which host, for the log. */
  readonly hostPid: number;
  send(bytes: Uint8Array): Promise<SendResult>;
  setServer(behaviour: ServerBehaviourSpec): Promise<{ port: number }>;
  connect(target: Endpoint): Promise<void>;
  /** Ends the learner's lab: every connection of theirs is reset and the slot is cleaned for the next. */
  release(): Promise<void>;
}

type Reply = Exclude<SharedMessage, { type: 'ready' | 'failed' | 'event' | 'slot-free' | 'rejected' }>;

const clock = (): number => performance.timeOrigin + performance.now();
const STDERR_KEPT = 4096;

const liveHosts = new Set<ChildProcess>();
let exitHookInstalled = false;
/** Hosts still running when the daemon exits are killed on the way out, however it exits. */
function watchOnExit(child: ChildProcess): void {
  liveHosts.add(child);
  child.once('exit', () => liveHosts.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const host of liveHosts) host.kill('SIGKILL');
  });
}

export interface SharedLabOptions {
  /** Learners at once on this host. */
  capacity: number;
  mark?: number;
  userNamespace?: boolean;
  startTimeoutMs?: number;
  /** Something the host said that no request was waiting for. */
  onProblem?: (message: string) => void;
}

export class SharedLab {
  /** Clean slots, the longest-free first, so a slot just left rests as long as it can. */
  private readonly free: number[] = [];
  private readonly listeners = new Map<number, (event: LabEvent) => void>();
  private readonly pending = new Map<number, { expects: Reply['type']; resolve(reply: Reply): void; reject(error: Error): void }>();
  private readonly exitListeners = new Set<(reason: string) => void>();
  private nextId = 1;
  private stopped: string | null = null;
  private readonly exited: Promise<void>;
  private ready!: SharedReady;

  private constructor(
    private readonly child: ChildProcess,
    private channel: LabChannel<SharedMessage, SharedRequest>,
    readonly capacity: number,
  ) {
    for (let slot = 0; slot < SLOT_COUNT; slot++) this.free.push(slot);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.ready.pid;
  }

  get setup(): SharedReady {
    return this.ready;
  }

  /** Learners here now. */
  get occupied(): number {
    return this.listeners.size;
  }

  get running(): boolean {
    return this.stopped === null;
  }

  /** Whether one more learner fits: below capacity, with a clean slot for them. */
  get hasRoom(): boolean {
    return this.running && this.listeners.size < this.capacity && this.free.length > 0;
  }

  static async start(options: SharedLabOptions): Promise<SharedLab> {
    const userNamespace = options.userNamespace ?? needsUserNamespace();
    const mark = options.mark ?? DEFAULT_MARK;
    const child = spawnSharedHost({ mark, userNamespace });
    watchOnExit(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT)));

    let lab: SharedLab | null = null;
    let settle: ((outcome: SharedReady | LabStartError) => void) | null = null;
    const started = new Promise<SharedReady | LabStartError>((resolve) => (settle = resolve));
    const channel = new LabChannel<SharedMessage, SharedRequest>(child.stdio[3] as Duplex, SharedMessageSchema, {
      message: (message) => {
        if (message.type === 'ready') settle?.(message);
        else if (message.type === 'failed' && settle !== null) {
          settle(new LabStartError(message.stage, `the shared lab could not start (${message.stage}): ${message.message}`, message.fix ?? 'run `tcplab doctor` to see which requirement is missing'));
        } else lab?.receive(message, options.onProblem);
      },
      problem: (message) => options.onProblem?.(`the shared lab host sent ${message}`),
      end: () => lab?.stop('the shared lab host closed its channel'),
    });
    lab = new SharedLab(child, channel, options.capacity);
    const lastLine = () => stderr.trim().split('\n').at(-1) ?? '';
    child.once('error', (error) => settle?.(new LabStartError('spawn', `the shared lab host could not be started: ${error.message}`, 'sudo apt-get install util-linux')));
    child.once('exit', (code, signal) => {
      const how = signal ?? `status ${code}`;
      settle?.(new LabStartError('spawn', `the shared lab host ended before it was ready (${how}): ${lastLine()}`, 'run `tcplab doctor` to see which requirement is missing'));
      lab?.stop(`the shared lab host ended (${how})${lastLine() ? `: ${lastLine()}` : ''}`);
    });
    const timeoutMs = options.startTimeoutMs ?? 15_000;
    const timer = setTimeout(() => settle?.(new LabStartError('spawn', `the shared lab did not come up within ${timeoutMs} ms`, 'run `tcplab doctor` to see which requirement is missing')), timeoutMs);
    const outcome = await started;
    clearTimeout(timer);
    settle = null;
    if (outcome instanceof LabStartError) {
      child.kill('SIGKILL');
      throw outcome;
    }
    lab.ready = outcome;
    return lab;
  }

  /** Hears once that the host is gone, and why: every tenant's lab went with it. */
  onExit(listener: (reason: string) => void): () => void {
    if (this.stopped !== null) {
      queueMicrotask(() => listener(this.stopped!));
      return () => {};
    }
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Gives a learner a clean slot; their events go to `listener` until release. */
  async open(listener: (event: LabEvent) => void): Promise<LabTenant> {
    if (!this.hasRoom) throw new LabRequestFailed('this lab host is full');
    const slot = this.free.shift()!;
    this.listeners.set(slot, listener);
    try {
      await this.request({ type: 'open', id: 0, slot }, 'opened');
    } catch (error) {
      this.listeners.delete(slot);
      throw error;
    }
    let released: Promise<void> | null = null;
    const ports = slotPorts(slot);
    return {
      slot,
      ports,
      hostPid: this.pid,
      send: async (bytes) => {
        try {
          const reply = await this.request({ type: 'send', id: 0, slot, bytes }, 'sent');
          return reply.type === 'sent' ? reply.result : { ok: false, t: clock(), reason: 'the lab gave no answer' };
        } catch (error) {
          return { ok: false, t: clock(), reason: (error as Error).message };
        }
      },
      setServer: async (behaviour) => {
        const reply = await this.request({ type: 'set-server', id: 0, slot, behaviour }, 'server-set');
        return { port: reply.type === 'server-set' ? reply.port : 0 };
      },
      connect: async (target) => {
        await this.request({ type: 'connect', id: 0, slot, target }, 'connecting');
      },
      release: () => {
        released ??= (async () => {
          this.listeners.delete(slot);
          // A dead host cleans nothing: its namespace, and every socket in it, is gone already.
          if (this.stopped === null) await this.request({ type: 'release', id: 0, slot }, 'released').catch(() => undefined);
        })();
        return released;
      },
    };
  }

  /** Ends the host and with it the namespace, its rules and every socket in it. */
  async shutdown(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.stopped === null) {
      this.channel.send({ type: 'shutdown', id: this.nextId++ });
      const grace = new Promise((resolve) => setTimeout(resolve, 2_000).unref());
      await Promise.race([this.exited, grace]);
    }
    this.stop('the lab host was shut down');
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private request(request: SharedRequest, expects: Reply['type']): Promise<Reply> {
    if (this.stopped !== null) return Promise.reject(new LabRequestFailed(this.stopped));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { expects, resolve, reject });
      this.channel.send({ ...request, id });
    });
  }

  private receive(message: SharedMessage, onProblem?: (message: string) => void): void {
    switch (message.type) {
      case 'event':
        this.listeners.get(message.slot)?.(message.event);
        return;
      case 'slot-free':
        if (!this.listeners.has(message.slot) && !this.free.includes(message.slot)) this.free.push(message.slot);
        return;
      case 'failed':
        this.stop(`the shared lab host failed (${message.stage}): ${message.message}`);
        return;
      case 'ready':
        return;
      case 'rejected': {
        const waiting = message.id === null ? undefined : this.pending.get(message.id);
        if (waiting === undefined) {
          onProblem?.(`the shared lab host refused a message: ${message.message}`);
          return;
        }
        this.pending.delete(message.id!);
        waiting.reject(new LabRequestFailed(message.message));
        return;
      }
      default: {
        const waiting = this.pending.get(message.id);
        if (waiting === undefined || waiting.expects !== message.type) return;
        this.pending.delete(message.id);
        waiting.resolve(message);
      }
    }
  }

  private stop(reason: string): void {
    if (this.stopped !== null) return;
    this.stopped = reason;
    for (const waiting of this.pending.values()) waiting.reject(new LabRequestFailed(reason));
    this.pending.clear();
    for (const listener of this.exitListeners) listener(reason);
    this.exitListeners.clear();
  }
}

/** The host's module beside this one, with this one's extension (.js built, .ts under tsx). */
export function sharedHostEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return join(dirname(here), `shared-lab-host${extname(here)}`);
}

/**
 * As a local lab's host is started (namespace.ts): setpriv kills it with the daemon, the first
 * namespace gives the second a TCP hash table of its own, and the host lives in the second.
 */
function spawnSharedHost(options: { mark: number; userNamespace: boolean }): ChildProcess {
  const node = [process.execPath, ...hostExecArgv(), sharedHostEntry(), SHARED_HOST_OPTIONS_FLAG, JSON.stringify(options)];
  const ownHashTable = `echo ${SHARED_TCP_HASH_BUCKETS} > /proc/sys/net/ipv4/tcp_child_ehash_entries 2>/dev/null; exec unshare --net -- "$@"`;
  const unshare = ['unshare', ...unshareArgs(options.userNamespace), '--', 'sh', '-c', ownHashTable, 'tcplab-shared-lab', ...node];
  const [command, ...args] = onPath('setpriv') ? ['setpriv', '--pdeathsig', 'KILL', '--', ...unshare] : unshare;
  return spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], detached: true, env: toolEnv() });
}
