import type { ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { ServerBehaviourSpecSchema } from '../../server/behaviour.js';
import { decodePacket } from '../../wire/packet.js';
import type { Endpoint, NetEvent, Network, NetworkInfo, SendResult, ServerBehaviourSpec } from '../network.js';
import { LabChannel, describeIssues } from './lab-channel.js';
import { type LabEvent, type LabMessage, LabMessageSchema, type LabReady, type LabRequest, MAX_PACKET_BYTES, type PortRange, PortRangeSchema } from './lab-protocol.js';
import { DEFAULT_LEARNER_PORTS, DEFAULT_MARK, type LabHostProcess, startLabHost } from './lab-host-process.js';
import { needsUserNamespace } from './namespace.js';

export { labAvailability } from './requirements.js';
export { DEFAULT_LEARNER_PORTS, DEFAULT_MARK } from './lab-host-process.js';

export interface LabNetworkOptions {
  /** The learner's ports: the kernel's RSTs from them are dropped and it never picks them itself. */
  ports?: PortRange;
  mark?: number;
  /** Go through a user namespace even as root (the default only for other users). */
  userNamespace?: boolean;
  /** The tool for the lab's firewall rule; by default nft, or iptables where nft is missing. */
  firewall?: 'auto' | 'nft' | 'iptables';
  /** How long the host may take to set its namespace up. */
  startTimeoutMs?: number;
  /**
   * Something on the channel that no caller is waiting to hear: a message from the host that
   * was not valid (and was ignored), or the host refusing one of ours that it could not read.
   */
  onProblem?: (message: string) => void;
  /**
   * A host already started (startLabHost) before this module loaded, to be used instead of
   * starting one; ports, mark, userNamespace and firewall are then the ones it was started with.
   */
  host?: LabHostProcess;
}

/** The lab could not start: which step failed, why, and what fixes it. */
export class LabStartError extends Error {
  override name = 'LabStartError';
  constructor(
    readonly stage: string,
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/** A request the lab refused or could not carry out, or a lab that is no longer running. */
export class LabRequestError extends Error {
  override name = 'LabRequestError';
}

type Reply = Exclude<LabMessage, { type: 'ready' | 'failed' | 'event' | 'rejected' }>;

interface PendingRequest {
  expects: Reply['type'];
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

const clock = (): number => performance.timeOrigin + performance.now();

/**
 * The lab: the learner's packets go through raw sockets to the real Linux kernel, in a
 * network namespace of tcplab's own where the bundled server listens on loopback. All of
 * that lives in a host process (lab-host.ts); this is its proxy in tcplab's process.
 */
export class LabNetwork implements Network {
  readonly info: NetworkInfo;
  private readonly listeners = new Set<(event: NetEvent) => void>();
  private readonly pending = new Map<number, PendingRequest>();
  private nextId = 1;
  private stopped: string | null = null;
  /** close() has begun: the host going away is expected from now on. */
  private closing = false;
  private readonly exited: Promise<void>;
  private ready: LabReady | null = null;

  private constructor(
    private readonly child: ChildProcess,
    private readonly channel: LabChannel<LabMessage, LabRequest>,
    ports: PortRange,
    private readonly onProblem: (message: string) => void,
  ) {
    this.info = {
      kind: 'lab',
      description: `lab: the Linux kernel in a network namespace of tcplab's own; the learner's ports are ${ports.first}-${ports.last}`,
      learner: { addr4: '127.0.0.1', addr6: '::1', ports },
      server: { addr4: '127.0.0.1', addr6: '::1' },
    };
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** The host's pid (in tcplab's own pid namespace) and how it set the lab up. */
  get host(): LabReady {
    return this.ready!;
  }

  static async start(options: LabNetworkOptions = {}): Promise<LabNetwork> {
    const host = options.host ?? LabNetwork.startHost(options);
    const child = host.child;
    const ports = host.options.ports;

    let lab: LabNetwork | null = null;
    let settle: ((outcome: LabReady | LabStartError) => void) | null = null;
    const started = new Promise<LabReady | LabStartError>((resolve) => (settle = resolve));
    const channel = new LabChannel<LabMessage, LabRequest>(child.stdio[3] as Duplex, LabMessageSchema, {
      message: (message) => {
        if (message.type === 'rejected' && (message.id === null || !lab?.pending.has(message.id))) {
          options.onProblem?.(`the lab host refused a message: ${message.message}`);
        } else if (lab?.ready) lab.receive(message);
        else if (message.type === 'ready') settle?.(message);
        else if (message.type === 'failed') settle?.(new LabStartError(message.stage, `the lab could not start (${message.stage}): ${message.message}`, message.fix ?? 'run `tcplab doctor` to see which requirement is missing'));
      },
      problem: (message) => options.onProblem?.(message),
      end: () => lab?.stop('the lab host closed its channel'),
    });
    lab = new LabNetwork(child, channel, ports, options.onProblem ?? (() => {}));
    host.onSpawnError((error) => settle?.(new LabStartError('spawn', `the lab host could not be started: ${error.message}`, 'sudo apt-get install util-linux')));
    host.onExit(({ code, signal }) => {
      settle?.(new LabStartError('spawn', `the lab host ended before it was ready (${signal ?? `status ${code}`})${stderrLine(host.stderr)}`, startFix(host.stderr)));
      lab?.stop(`the lab host ended (${signal ?? `status ${code}`})${stderrLine(host.stderr)}`);
    });
    const timeoutMs = options.startTimeoutMs ?? 15_000;
    const timer = setTimeout(() => settle?.(new LabStartError('spawn', `the lab did not come up within ${timeoutMs} ms${stderrLine(host.stderr)}`, 'run `tcplab doctor` to see which requirement is missing')), timeoutMs);
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

  /** Checks the options and starts a host with them. */
  private static startHost(options: LabNetworkOptions): LabHostProcess {
    const parsedPorts = PortRangeSchema.safeParse(options.ports ?? DEFAULT_LEARNER_PORTS);
    if (!parsedPorts.success) {
      throw new LabStartError('options', `the learner's ports: ${describeIssues(parsedPorts.error)}`, 'give a range such as { first: 40000, last: 40999 }');
    }
    const mark = options.mark ?? DEFAULT_MARK;
    if (!Number.isInteger(mark) || mark < 1 || mark > 0xffffffff) {
      throw new LabStartError('options', `the mark must be a whole number from 1 to 0xffffffff (got ${mark})`, `leave it out to use ${DEFAULT_MARK}`);
    }
    return startLabHost({ ports: parsedPorts.data, mark, userNamespace: options.userNamespace ?? needsUserNamespace(), firewall: options.firewall ?? 'auto' });
  }

  now(): number {
    return clock();
  }

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }

  async send(bytes: Uint8Array): Promise<SendResult> {
    if (!(bytes instanceof Uint8Array)) return { ok: false, t: clock(), reason: 'send needs the packet as bytes (a Uint8Array)' };
    if (bytes.length > MAX_PACKET_BYTES) return { ok: false, t: clock(), reason: `an IP packet is at most ${MAX_PACKET_BYTES} bytes; this one has ${bytes.length}` };
    try {
      const reply = await this.request({ type: 'send', id: 0, bytes }, 'sent');
      return reply.type === 'sent' ? reply.result : { ok: false, t: clock(), reason: 'the lab gave no answer' };
    } catch (error) {
      return { ok: false, t: clock(), reason: (error as Error).message };
    }
  }

  subscribe(listener: (event: NetEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async setServer(behaviour: ServerBehaviourSpec): Promise<{ port: number }> {
    const parsed = ServerBehaviourSpecSchema.safeParse(behaviour);
    if (!parsed.success) throw new LabRequestError(`server behaviour: ${describeIssues(parsed.error)}`);
    const reply = await this.request({ type: 'set-server', id: 0, behaviour: parsed.data }, 'server-set');
    return { port: reply.type === 'server-set' ? reply.port : 0 };
  }

  async connect(target: Endpoint): Promise<void> {
    await this.request({ type: 'connect', id: 0, target }, 'connecting');
  }

  /** Ends the host and with it the namespace, its rules and every socket in it. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.child.exitCode === null && this.child.signalCode === null && this.stopped === null) {
      const closing = this.request({ type: 'close', id: 0 }, 'closed').catch(() => undefined);
      const grace = new Promise((resolve) => setTimeout(resolve, 2_000).unref());
      await Promise.race([Promise.all([closing, this.exited]), grace]);
    }
    this.stop('the lab is closed', true);
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private request(request: LabRequest, expects: Reply['type']): Promise<Reply> {
    if (this.stopped !== null) return Promise.reject(new LabRequestError(this.stopped));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { expects, resolve, reject });
      this.channel.send({ ...request, id });
    });
  }

  private receive(message: LabMessage): void {
    switch (message.type) {
      case 'event':
        this.deliver(toNetEvent(message.event));
        return;
      case 'failed':
        this.stop(`the lab stopped (${message.stage}): ${message.message}`);
        return;
      case 'ready':
        return;
      case 'rejected': {
        const waiting = message.id === null ? undefined : this.pending.get(message.id);
        if (waiting === undefined) return;
        this.pending.delete(message.id!);
        waiting.reject(new LabRequestError(message.message));
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

  private deliver(event: NetEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A listener's bug is its own: it surfaces, and the others still hear the event.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Why the lab no longer runs, or null while it does. */
  get stoppedBecause(): string | null {
    return this.stopped;
  }

  private stop(reason: string, expected = false): void {
    if (this.stopped !== null) return;
    // Once close() has begun, however the host's end shows itself, it is the close.
    this.stopped = this.closing ? 'the lab is closed' : reason;
    if (!expected && !this.closing && this.ready !== null) this.onProblem(reason);
    for (const waiting of this.pending.values()) waiting.reject(new LabRequestError(reason));
    this.pending.clear();
  }
}

function toNetEvent(event: LabEvent): NetEvent {
  if (event.type === 'packet') {
    const bytes = new Uint8Array(event.bytes.buffer, event.bytes.byteOffset, event.bytes.byteLength);
    return { type: 'packet', t: event.t, dir: event.dir, packet: decodePacket(bytes) };
  }
  if (event.type === 'app') {
    const { data, message, ...rest } = event;
    return { ...rest, ...(data !== undefined ? { data } : {}), ...(message !== undefined ? { message } : {}) };
  }
  return event;
}

/** The line of the host's stderr that best says what went wrong: an error's own line, else the last. */
function stderrLine(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const line = lines.find((l) => /^(\w*Error\b|unshare:|setpriv:|tcplab lab)/.test(l)) ?? lines.at(-1);
  return line ? `: ${line}` : '';
}

/** The commonest reasons the namespace cannot be made, from what unshare printed. */
function startFix(stderr: string): string {
  if (/unshare: .*Operation not permitted|write failed \/proc\/self\/uid_map/.test(stderr)) {
    return 'user namespaces are off: run `tcplab doctor` for the setting that turns them on';
  }
  if (/(unshare|setpriv): (command )?not found|No such file or directory.*unshare/.test(stderr)) return 'sudo apt-get install util-linux';
  return 'run `tcplab doctor` to see which requirement is missing';
}

/** Starts a lab. Rejects with a LabStartError naming the step that failed and its fix. */
export function createLabNetwork(options: LabNetworkOptions = {}): Promise<LabNetwork> {
  return LabNetwork.start(options);
}
