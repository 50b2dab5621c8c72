/**
 * The sim network: the Network interface over the embedded TCP endpoint. It needs no
 * privileges and runs anywhere Node does; its clock is virtual, so waiting is instant and a
 * seeded run replays exactly. The bundled server's behaviours listen on 127.0.0.1 and ::1 at
 * BEHAVIOUR_PORTS, as on the lab, and the bundled client can open connections to the learner.
 *
 * The learner's packet goes through what a raw socket would do to it on Linux (IPv4 total
 * length and header checksum filled in), then to the simulated kernel, which drops a bad TCP
 * checksum silently (measured: a wrong, zero or pseudo-header-only checksum gets no answer,
 * while a wrong IPv4 header checksum is fixed by the sending kernel and answered).
 */
import type { AppEventKind, Endpoint, NetEvent, Network, NetworkInfo, SendResult } from '../network.js';
import { describeSocketError, formatEndpoint } from '../../server/app-event.js';
import { BEHAVIOUR_PORTS, type ServerBehaviourName, type ServerBehaviourSpec, ServerBehaviourSpecSchema } from '../../server/behaviour.js';
import type { BehaviourClock } from '../../server/behaviour-clock.js';
import { type BehaviourRun, runBehaviour } from '../../server/behaviours.js';
import { DEFAULT_BEHAVIOURS, InvalidBehaviourError } from '../../server/bundled-server.js';
import { checksumOf, sumWords } from '../../wire/checksum.js';
import { canonicalIpv6Address } from '../../wire/ip-address.js';
import { type DecodedPacket, decodePacket, encodePacket, type Packet } from '../../wire/packet.js';
import { TcpFlag } from '../../wire/tcp-flags.js';
import { SimAppConnection } from './app-connection.js';
import { VirtualClock } from './clock.js';
import { isLoopbackAddress, SimKernel } from './kernel.js';
import { freshSeed, SeededRandom } from './random.js';
import type { TcpSocket } from './socket.js';

export interface SimNetworkOptions {
  /** Seeds ISNs, timestamp offsets and ports: the same seed and inputs give the same run. */
  seed?: number;
  /** Why sim was chosen, for info.description. */
  reason?: string;
}

/** Something asked of the sim network that it cannot do: names what and why. */
export class SimNetworkError extends Error {
  override name = 'SimNetworkError';
}

const LEARNER_PORTS = { first: 40000, last: 40999 } as const;
const SERVER_HOSTS = ['127.0.0.1', '::1'] as const;

export function createSimNetwork(options: SimNetworkOptions = {}): SimNetwork {
  return new SimNetwork(options);
}

export class SimNetwork implements Network {
  readonly info: NetworkInfo;
  readonly seed: number;
  /** Learner packets the kernel threw away on arrival, by reason. */
  readonly dropped = { badChecksum: 0, notTcp: 0 };
  private readonly clock = new VirtualClock();
  private readonly kernel: SimKernel;
  private readonly subscribers = new Set<(event: NetEvent) => void>();
  private queue: NetEvent[] = [];
  private flushScheduled = false;
  private readonly specs = new Map<ServerBehaviourName, ServerBehaviourSpec>();
  private readonly runs = new Map<TcpSocket, BehaviourRun | null>();
  private closed = false;
  private readonly behaviourClock: BehaviourClock;

  constructor(options: SimNetworkOptions = {}) {
    this.seed = (options.seed ?? freshSeed()) >>> 0;
    this.info = {
      kind: 'sim',
      description: `sim: the embedded TCP endpoint, on a virtual clock (seed ${this.seed})${options.reason ? `; ${options.reason}` : ''}`,
      learner: { addr4: '127.0.0.1', addr6: '::1', ports: { ...LEARNER_PORTS } },
      server: { addr4: '127.0.0.1', addr6: '::1' },
    };
    this.kernel = new SimKernel({
      clock: this.clock,
      random: new SeededRandom(this.seed),
      onPacket: (packet) => this.emitPacket('in', packet),
      onState: (socket, from, to) => this.emit({ type: 'state', t: this.clock.now(), local: socket.local, remote: socket.remote, from, to }),
      drops: (packet) => isLearnerRst(packet),
    });
    this.behaviourClock = {
      after: (ms, fire) => {
        const handle = this.kernel.timer(ms, fire);
        return () => handle.cancel();
      },
    };
    for (const spec of Object.values(DEFAULT_BEHAVIOURS)) this.specs.set(spec.name, spec);
    for (const host of SERVER_HOSTS) {
      for (const name of Object.keys(BEHAVIOUR_PORTS) as ServerBehaviourName[]) {
        if (name === 'refuse') continue;
        this.listen(name, host);
      }
    }
  }

  now(): number {
    return this.clock.now();
  }

  async wait(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new SimNetworkError(`wait: ${ms} ms is not a duration (a finite number of milliseconds, 0 or more)`);
    this.clock.advance(ms);
  }

  async send(bytes: Uint8Array): Promise<SendResult> {
    const t = this.clock.now();
    if (this.closed) return { ok: false, t, reason: 'the sim network is closed' };
    const decoded = decodePacket(bytes);
    if (decoded.ip === null) {
      const why = decoded.issues.find((issue) => issue.severity === 'error')?.message ?? 'no IP header';
      return { ok: false, t, reason: `EINVAL: not an IP packet the kernel would send (${why})` };
    }
    const dst = decoded.ip.version === 6 ? (canonicalIpv6Address(decoded.ip.dst) ?? decoded.ip.dst) : decoded.ip.dst;
    if (!isLoopbackAddress(dst)) return { ok: false, t, reason: `ENETUNREACH: no route to ${dst}; only the loopback interface exists here` };
    const wire = asRawSocketSends(bytes, decoded);
    this.emit({ type: 'packet', t, dir: 'out', packet: wire });
    if (wire.ip === null || wire.tcp === null) {
      this.dropped.notTcp += 1;
      return { ok: true, t };
    }
    if (wire.tcpChecksum !== 'ok') {
      this.dropped.badChecksum += 1;
      return { ok: true, t };
    }
    const ip = wire.ip.version === 6 ? { ...wire.ip, src: canonicalIpv6Address(wire.ip.src) ?? wire.ip.src, dst } : wire.ip;
    this.kernel.receive({ ip, tcp: wire.tcp });
    return { ok: true, t };
  }

  subscribe(listener: (event: NetEvent) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  async setServer(behaviour: ServerBehaviourSpec): Promise<{ port: number }> {
    const parsed = ServerBehaviourSpecSchema.safeParse(behaviour);
    if (!parsed.success) {
      throw new InvalidBehaviourError(`server behaviour: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'spec'}: ${issue.message}`).join('; ')}`);
    }
    this.specs.set(parsed.data.name, parsed.data);
    return { port: BEHAVIOUR_PORTS[parsed.data.name] };
  }

  async connect(target: Endpoint): Promise<void> {
    if (this.closed) throw new SimNetworkError('connect: the sim network is closed');
    const addr = target.addr.includes(':') ? canonicalIpv6Address(target.addr) : target.addr;
    if (addr === null || !isLoopbackAddress(addr)) throw new SimNetworkError(`connect: ${target.addr} is not a loopback address; the learner is at 127.0.0.1 or ::1`);
    if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) throw new SimNetworkError(`connect: port ${target.port} is not a TCP port (1-65535)`);
    const remote: Endpoint = { addr, port: target.port };
    const socket = this.kernel.connect(addr.includes(':') ? '::1' : '127.0.0.1', remote);
    const emit = (kind: AppEventKind, message: string, data?: Uint8Array): void =>
      this.emitApp(kind, socket.local, remote, message, data);
    socket.app = {
      connected: () => emit('connected', `connected to ${formatEndpoint(remote)}`),
      data: (data) => emit('received', `read ${data.length} byte${data.length === 1 ? '' : 's'}`, data),
      end: () => {
        emit('peer-closed', 'the learner closed; closing our side too (FIN)');
        socket.shutdown();
      },
      error: (code) => emit('error', describeSocketError({ code })),
      closed: (hadError) => emit('closed', hadError ? 'closed after an error' : 'closed'),
    };
    this.kernel.run(() => socket.startReading());
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const run of this.runs.values()) run?.stop();
    this.runs.clear();
    this.subscribers.clear();
    this.queue = [];
  }

  private listen(name: ServerBehaviourName, host: string): void {
    const local: Endpoint = { addr: host, port: BEHAVIOUR_PORTS[name] };
    this.kernel.listen(local, (socket) => this.accept(name, socket));
    this.emitApp('listening', local, null, `${name} listening on ${formatEndpoint(local)}`);
    this.emit({ type: 'state', t: this.clock.now(), local, remote: { addr: host.includes(':') ? '::' : '0.0.0.0', port: 0 }, from: null, to: 'LISTEN' });
  }

  private accept(name: ServerBehaviourName, socket: TcpSocket): void {
    if (this.closed) return;
    const spec = this.specs.get(name) ?? DEFAULT_BEHAVIOURS[name];
    const { local, remote } = socket;
    this.emitApp('accepted', local, remote, `${spec.name} accepted ${formatEndpoint(remote)}`);
    this.runs.set(socket, null);
    const conn = new SimAppConnection(socket, {
      error: (code) => this.emitApp('error', local, remote, describeSocketError({ code })),
      closed: (hadError) => {
        this.runs.get(socket)?.stop();
        this.runs.delete(socket);
        this.emitApp('closed', local, remote, hadError ? 'closed after an error' : 'closed');
      },
    });
    const run = runBehaviour(spec, conn, ({ kind, data, message }) => this.emitApp(kind, local, remote, message, data), { clock: this.behaviourClock });
    if (this.runs.has(socket)) this.runs.set(socket, run);
    else run.stop();
    conn.startReading();
  }

  private emitPacket(dir: 'in' | 'out', packet: Packet): void {
    if (this.closed) return;
    this.emit({ type: 'packet', t: this.clock.now(), dir, packet: decodePacket(encodePacket(packet)) });
  }

  private emitApp(kind: AppEventKind, local: Endpoint, remote: Endpoint | null, message: string, data?: Uint8Array): void {
    this.emit({ type: 'app', t: this.clock.now(), kind, local, remote, message, ...(data ? { data } : {}) });
  }

  /** Events go out in order, after the current call returns (a microtask), never inside it. */
  private emit(event: NetEvent): void {
    if (this.closed) return;
    this.queue.push(event);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const events = this.queue;
    this.queue = [];
    let failure: unknown = null;
    for (const event of events) {
      for (const subscriber of [...this.subscribers]) {
        try {
          subscriber(event);
        } catch (error) {
          failure ??= error;
        }
      }
    }
    if (failure !== null) throw failure;
  }
}

/** The lab's firewall rule: the kernel's RSTs from the learner's ports never leave. */
function isLearnerRst(packet: Packet): boolean {
  return (packet.tcp.flags & TcpFlag.RST) !== 0 && packet.tcp.sport >= LEARNER_PORTS.first && packet.tcp.sport <= LEARNER_PORTS.last;
}

/**
 * What Linux's raw_send_hdrinc does to an IPv4 header on its way out: the total length is
 * always the real one, a zero source becomes the sender's, and the header checksum is
 * computed afresh. IPv6 headers go out as given.
 */
function asRawSocketSends(bytes: Uint8Array, decoded: DecodedPacket): DecodedPacket {
  const ip = decoded.ip;
  if (ip === null || ip.version !== 4) return decoded;
  const headerLength = (bytes[0]! & 0x0f) * 4;
  if (headerLength < 20 || headerLength > bytes.length || bytes.length > 0xffff) return decoded;
  const out = bytes.slice();
  out[2] = out.length >> 8;
  out[3] = out.length & 0xff;
  if (ip.src === '0.0.0.0') out.set([127, 0, 0, 1], 12);
  out[10] = 0;
  out[11] = 0;
  const checksum = checksumOf(sumWords(out, 0, headerLength));
  out[10] = checksum >> 8;
  out[11] = checksum & 0xff;
  return decodePacket(out);
}
