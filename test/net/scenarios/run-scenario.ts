/**
 * Runs a scenario on any Network and records what the learner sees: every packet from the
 * peer on the scenario's flow (see trace.ts for what is kept of it), the bundled
 * application's events and its socket's states. The same code drives the lab and sim; the
 * only difference is how a wait passes: on the lab the runner is woken by the replies, on
 * sim it moves the virtual clock on a millisecond at a time until they are there.
 */
import { buildPacket, parseSegment, type SegmentDefaults, type VariableRef } from '../../../src/lang/index.js';
import type { Endpoint, NetEvent, Network, TcpState } from '../../../src/net/network.js';
import { BEHAVIOUR_PORTS } from '../../../src/server/behaviour.js';
import { type DecodedPacket, encodePacket, type Packet } from '../../../src/wire/packet.js';
import { TcpFlag } from '../../../src/wire/tcp-flags.js';
import type { TcpRepr } from '../../../src/wire/tcp.js';
import { ACTIONS, describeStep, type Scenario, type Step } from './scenario.js';
import { appText, type ScenarioRun, TIMING_STEP_MS, tracePacket, type TracePacket } from './trace.js';

export interface RunOptions {
  /**
   * Once a wait for replies is satisfied, this much more time passes (on both networks), so
   * that a reply sent right after the awaited ones still counts for the same action.
   */
  graceMs?: number;
  /** After the last step, time for the application's last events and the last states. */
  settleMs?: number;
  /** Checks the scenario's port is free first, on a network that runs several scenarios. */
  ledger?: PortLedger;
  /** How long to wait for that port to come free (real time). */
  portWaitMs?: number;
}

type PacketEvent = Extract<NetEvent, { type: 'packet' }>;

/** Lets the network's queued events reach their subscribers (sim delivers on a microtask). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/**
 * The states of the bundled sockets on a network that runs one scenario after another, by
 * the learner's port, so that a scenario never starts on a port whose last connection is
 * still there (in TIME-WAIT for a minute after a close the server began, for instance): the
 * new SYN would meet that socket instead of a listener.
 */
export class PortLedger {
  private readonly sockets = new Map<string, { local: Endpoint; remote: Endpoint; state: TcpState }>();
  private readonly unsubscribe: () => void;
  private changed: (() => void) | null = null;

  constructor(network: Network) {
    this.unsubscribe = network.subscribe((event) => {
      if (event.type !== 'state') return;
      const key = `${event.local.addr} ${event.local.port} ${event.remote.addr} ${event.remote.port}`;
      if (event.to === 'CLOSED') this.sockets.delete(key);
      else this.sockets.set(key, { local: event.local, remote: event.remote, state: event.to });
      this.changed?.();
    });
  }

  /** The sockets still open whose peer is the learner's `port`, one line each. */
  busy(port: number): string[] {
    return [...this.sockets.values()]
      .filter((socket) => socket.remote.port === port && socket.state !== 'LISTEN')
      .map((socket) => `${socket.local.addr}.${socket.local.port} ${socket.state}`);
  }

  /** Resolves once nothing holds `port`; rejects after `timeoutMs`, naming what still does. */
  async untilFree(port: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.busy(port).length > 0) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new ScenarioError(
          `port ${port} is still in use: ${this.busy(port).join(', ')}. TIME-WAIT lasts 60 s on Linux: give each scenario a learner port of its own`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.changed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.changed = null;
    }
  }

  close(): void {
    this.unsubscribe();
  }
}

export async function runScenario(network: Network, scenario: Scenario, options: RunOptions = {}): Promise<ScenarioRun> {
  const { first, last } = network.info.learner.ports;
  if (scenario.port < first || scenario.port > last) {
    throw new ScenarioError(`${scenario.name}: port ${scenario.port} is not one of the learner's (${first}-${last})`);
  }
  await options.ledger?.untilFree(scenario.port, options.portWaitMs ?? 2000);
  const runner = new Runner(network, scenario, options);
  try {
    return await runner.run();
  } finally {
    runner.stop();
  }
}

class Runner {
  private readonly me: Endpoint;
  private server: Endpoint;
  /** Learner as server: the bundled client's end, once its SYN has come. */
  private client: Endpoint | null = null;
  private clientMode = false;
  private readonly rx: DecodedPacket[] = [];
  private readonly tx: Packet[] = [];
  private learnerIsn: number | null = null;
  private peerIsn: number | null = null;
  private readonly packets: TracePacket[] = [];
  private readonly received: ScenarioRun['received'] = [];
  private readonly app: Array<{ kind: string; text: string }> = [];
  private readonly states: TcpState[] = [];
  private actionStep = 0;
  private actionAt = 0;
  private sinceAction = 0;
  /** A send is under way whose packet the network has not reported yet. */
  private sending = false;
  private wake: (() => void) | null = null;
  private readonly unsubscribe: () => void;
  private readonly virtual: boolean;
  private readonly graceMs: number;
  private readonly settleMs: number;

  constructor(
    private readonly network: Network,
    private readonly scenario: Scenario,
    options: RunOptions,
  ) {
    const { learner, server } = network.info;
    const v6 = scenario.family === 6;
    this.me = { addr: v6 ? learner.addr6 : learner.addr4, port: scenario.port };
    this.server = { addr: v6 ? server.addr6 : server.addr4, port: BEHAVIOUR_PORTS.echo };
    this.virtual = network.info.kind === 'sim';
    this.graceMs = options.graceMs ?? 20;
    this.settleMs = options.settleMs ?? 150;
    this.unsubscribe = network.subscribe((event) => this.hear(event));
  }

  stop(): void {
    this.unsubscribe();
  }

  async run(): Promise<ScenarioRun> {
    for (const [index, step] of this.scenario.steps.entries()) {
      if (ACTIONS.has(step.kind)) {
        this.actionStep = index + 1;
        this.sinceAction = 0;
        this.actionAt = this.network.now();
        this.sending = step.kind === 'send';
      }
      try {
        await this.perform(step);
      } catch (error) {
        if (error instanceof ScenarioError) throw error;
        throw new ScenarioError(`${this.scenario.name} on ${this.network.info.kind}, step ${index + 1} (${describeStep(step)}): ${(error as Error).message}`, { cause: error });
      }
    }
    await this.network.wait(this.settleMs);
    await settle();
    return {
      network: this.network.info.kind,
      trace: {
        packets: this.packets,
        app: this.app.map((event) => event.text),
        states: this.states,
      },
      received: this.received,
    };
  }

  private async perform(step: Step): Promise<void> {
    switch (step.kind) {
      case 'send': {
        const packet = this.build(step.line);
        // Known before the send: on loopback the answer may be in before send() returns.
        if ((packet.tcp.flags & TcpFlag.SYN) !== 0) this.learnerIsn ??= packet.tcp.seq;
        this.tx.push(packet);
        const result = await this.network.send(encodePacket(packet));
        if (!result.ok) throw new ScenarioError(`${this.scenario.name} on ${this.network.info.kind}: ${describeStep(step)} did not go out: ${result.reason}`);
        // The packet's own time on the wire, when the network reported it; else when it was sent.
        if (this.sending) this.actionAt = result.t;
        this.sending = false;
        await settle();
        return;
      }
      case 'connect':
        this.clientMode = true;
        await this.network.connect(this.me);
        await settle();
        return;
      case 'server': {
        const { port } = await this.network.setServer(step.behaviour);
        this.server = { addr: this.server.addr, port };
        return;
      }
      case 'replies':
        await this.until(() => this.sinceAction >= step.count, step.withinMs);
        await this.pass(this.graceMs);
        return;
      case 'wait':
        await this.pass(step.ms);
        return;
      case 'app':
        await this.until(() => this.app.some((event) => event.kind === step.event), step.withinMs);
        return;
    }
  }

  /** Lets `ms` pass on the network's clock. */
  private async pass(ms: number): Promise<void> {
    await this.network.wait(ms);
    await settle();
  }

  /** Until `done()`, or `withinMs` on the network's clock; running out is not an error: the trace shows what came. */
  private async until(done: () => boolean, withinMs: number): Promise<void> {
    if (this.virtual) {
      for (let waited = 0; !done() && waited < withinMs; waited++) await this.pass(1);
      return;
    }
    if (done()) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, withinMs);
      function finish(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        if (done()) finish();
      };
    });
    this.wake = null;
  }

  private hear(event: NetEvent): void {
    if (event.type === 'packet') this.hearPacket(event);
    else if (event.type === 'app') {
      if (event.remote?.port !== this.me.port) return;
      this.app.push({ kind: event.kind, text: appText(event.kind, event.data) });
    } else if (event.remote.port === this.me.port) {
      this.states.push(event.to);
    }
    this.wake?.();
  }

  private hearPacket(event: PacketEvent): void {
    const { packet } = event;
    const tcp = packet.tcp;
    if (tcp === null || packet.ip === null) return;
    if (event.dir === 'out') {
      if (this.sending && tcp.sport === this.me.port) {
        this.actionAt = event.t;
        this.sending = false;
      }
      return;
    }
    if (tcp.dport !== this.me.port || packet.ip.version !== this.scenario.family) return;
    if ((tcp.flags & TcpFlag.SYN) !== 0) {
      this.peerIsn ??= tcp.seq;
      if (this.clientMode) this.client ??= { addr: packet.ip.src, port: tcp.sport };
    }
    this.rx.push(packet);
    this.sinceAction += 1;
    const after = this.scenario.timing ? Math.round((event.t - this.actionAt) / TIMING_STEP_MS) * TIMING_STEP_MS : undefined;
    this.packets.push(tracePacket(this.actionStep, packet, this.peerIsn, this.learnerIsn, after));
    this.received.push({ packet, seqBase: this.peerIsn, ackBase: this.learnerIsn, afterMs: event.t - this.actionAt });
  }

  /** The other end of the learner's flow: the bundled server, or the bundled client once it has sent its SYN. */
  private get peer(): Endpoint {
    return this.clientMode && this.client !== null ? this.client : this.server;
  }

  private build(line: string): Packet {
    const peer = this.peer;
    const v4 = this.scenario.family === 4;
    const defaults: SegmentDefaults = {
      version: this.scenario.family,
      ipv4: { src: v4 ? this.me.addr : this.network.info.learner.addr4, dst: v4 ? peer.addr : this.network.info.server.addr4 },
      ipv6: { src: v4 ? this.network.info.learner.addr6 : this.me.addr, dst: v4 ? this.network.info.server.addr6 : peer.addr },
      sport: this.me.port,
      dport: peer.port,
      seq: 0,
      ack: 0,
      flags: 0,
      win: 64240,
      urp: 0,
      ttl: 64,
      id: 0,
      tos: 0,
      df: true,
    };
    return buildPacket(parseSegment(line), { defaults, resolve: (ref) => this.resolve(ref) });
  }

  /** The variables a learner has in the REPL, over this scenario's flow. */
  private resolve(ref: VariableRef): number | string | undefined {
    if (ref.field === null) return undefined;
    if (ref.name === 'rx' || ref.name === 'tx') {
      const list: Array<Packet | DecodedPacket> = ref.name === 'rx' ? this.rx : this.tx;
      const index = ref.index === null ? list.length - 1 : ref.index < 0 ? list.length + ref.index : ref.index;
      const packet = list[index];
      if (packet === undefined || packet.ip === null || packet.tcp === null) return undefined;
      return packetField(packet.ip, packet.tcp, ref.field);
    }
    const endpoint = ref.name === 'me' ? this.me : ref.name === 'server' ? this.server : ref.name === 'peer' ? this.peer : undefined;
    if (endpoint === undefined) return undefined;
    if (ref.field === 'addr') return endpoint.addr;
    if (ref.field === 'port') return endpoint.port;
    return undefined;
  }
}

function packetField(ip: Packet['ip'], tcp: TcpRepr, field: string): number | string | undefined {
  const ts = tcp.options.find((option) => option.kind === 'ts');
  switch (field) {
    case 'seq':
      return tcp.seq;
    case 'ack':
      return tcp.ack;
    case 'len':
      return tcp.payload.length;
    case 'win':
      return tcp.window;
    case 'flags':
      return tcp.flags;
    case 'sport':
      return tcp.sport;
    case 'dport':
      return tcp.dport;
    case 'urp':
      return tcp.urgent;
    case 'ttl':
      return ip.version === 4 ? ip.ttl : ip.hopLimit;
    case 'src':
      return ip.src;
    case 'dst':
      return ip.dst;
    case 'tsval':
      return ts?.kind === 'ts' ? ts.tsval : undefined;
    case 'tsecr':
      return ts?.kind === 'ts' ? ts.tsecr : undefined;
    default:
      return undefined;
  }
}
