// The lab daemon's namespace, shared by its learners. The daemon process lives in it (see
// daemon-launcher.ts for how it gets there): it does what a local lab's host does (loopback
// up, ports reserved, the firewall rule, raw sockets, the bundled server, socket states) once
// for everyone, and keeps each learner to a slot, a block of ports whose traffic, application
// events and socket states are reported to that learner and no other.
//
// What the namespace shares, and why nothing leaks between slots:
// - the raw sockets see every packet: each is reported to the slot that owns its port, and
//   the packet guard lets a learner send only from their own ports, never to another's;
// - the bundled listeners are shared: each accepted connection runs the behaviour of the slot
//   it came from (shared-server.ts), and their queues are longer than every slot could fill;
// - per-destination TCP metrics would let one learner's connections shape the next one's to
//   127.0.0.1: tcp_no_metrics_save turns them off;
// - a slot a learner has left is handed out again only once the kernel holds nothing on its
//   ports (no TIME-WAIT, no half-open socket), and the longest-free slot goes first.
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { AppEvent } from '../../server/app-event.js';
import { BEHAVIOUR_PORTS, type ServerBehaviourName, type ServerBehaviourSpec } from '../../server/behaviour.js';
import { type BundledClientHandle, connectBundledClient } from '../../server/bundled-client.js';
import { DEFAULT_BEHAVIOURS } from '../../server/bundled-server.js';
import { bundledSockets, SocketStateWatcher } from '../../server/socket-states.js';
import { FirewallError, installFirewall, type FirewallTool } from '../lab/firewall.js';
import type { LabEvent, PortRange } from '../lab/lab-protocol.js';
import { LearnerTraffic } from '../lab/learner-traffic.js';
import { RawChannel, type RawDatagram, RawSocketError } from '../lab/raw-channel.js';
import { runTool } from '../lab/run-tool.js';
import type { Endpoint, SendResult } from '../network.js';
import { connectRefusal, LAB_ADDRESS4, LAB_ADDRESS6, packetRefusal } from './packet-guard.js';
import { SHARED_BACKLOG, SharedBundledServer, type ServerTenant } from './shared-server.js';
import { POOL, SLOT_COUNT, slotOfPort, slotPorts } from './slots.js';

const clock = (): number => performance.timeOrigin + performance.now();

/** A kernel booted with ipv6.disable=1 has no IPv6 at all: the lab then runs IPv4 only. */
const IPV6 = existsSync('/proc/sys/net/ipv6');

/** After each snapshot of the sockets' states, rest this many times as long as it took. */
const POLL_REST = 10;

/** A setup step that failed: which, why, and what fixes it. */
export class LabSetupError extends Error {
  override name = 'LabSetupError';
  constructor(
    readonly stage: string,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

/** One learner's slot: the lab a session talks to. */
export interface LabTenant {
  readonly slot: number;
  readonly ports: PortRange;
  send(bytes: Uint8Array): Promise<SendResult>;
  setServer(behaviour: ServerBehaviourSpec): Promise<{ port: number }>;
  connect(target: Endpoint): Promise<void>;
  /** Ends the learner's lab: every connection of theirs is reset, and the slot cleaned for the next. */
  release(): void;
}

/** A learner in a slot, as the namespace's parts see them. */
class Tenant implements ServerTenant {
  readonly traffic: LearnerTraffic;
  readonly specs = new Map<ServerBehaviourName, ServerBehaviourSpec>();
  private readonly aborts = new Set<() => void>();
  private readonly clients: BundledClientHandle[] = [];
  private gone = false;

  constructor(
    readonly slot: number,
    readonly ports: PortRange,
    hopLimit: number,
    private readonly listener: (event: LabEvent) => void,
  ) {
    this.traffic = new LearnerTraffic(ports, hopLimit);
  }

  behaviourOf(name: ServerBehaviourName): ServerBehaviourSpec {
    return this.specs.get(name) ?? DEFAULT_BEHAVIOURS[name];
  }

  report(event: AppEvent): void {
    const { kind, local, remote, data, message } = event;
    this.emit({ type: 'app', t: clock(), kind, local, remote, ...(data !== undefined ? { data } : {}), ...(message !== undefined ? { message } : {}) });
  }

  emit(event: LabEvent): void {
    if (this.gone) return;
    try {
      this.listener(event);
    } catch (error) {
      // A session's bug is its own: it surfaces, and the namespace goes on.
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  track(abort: () => void): () => void {
    this.aborts.add(abort);
    return () => this.aborts.delete(abort);
  }

  connect(target: Endpoint): void {
    this.traffic.connecting(target);
    this.clients.push(connectBundledClient(target, (event) => this.report(event)));
  }

  /** The learner has left: nothing more is reported, and every connection of theirs is reset. */
  leave(): void {
    this.gone = true;
    for (const abort of [...this.aborts]) abort();
    this.aborts.clear();
    for (const client of this.clients.splice(0)) client.destroy();
  }
}

export interface LabSpaceSetup {
  firewall: FirewallTool;
  ipv6: boolean;
}

export class LabSpace {
  private raw: RawChannel | null = null;
  private server: SharedBundledServer | null = null;
  private watcher: SocketStateWatcher | null = null;
  private readonly tenants = new Map<number, Tenant>();
  /** Clean slots, the longest-free first. */
  private readonly free: number[] = [];
  /** Slots left by their learner that still have sockets in the kernel. */
  private readonly draining = new Set<number>();
  private hopLimit = 64;
  private pollQueued = false;
  private drainQueued = false;
  private restUntil = 0;
  private drainCheckQueued = false;
  private stopping = false;
  private readonly failureListeners = new Set<(message: string) => void>();
  setup!: LabSpaceSetup;

  private constructor(private readonly mark: number) {
    for (let slot = 0; slot < SLOT_COUNT; slot++) this.free.push(slot);
  }

  /** Sets the namespace up: this process must already be in a network namespace of its own. */
  static async open(mark: number): Promise<LabSpace> {
    const space = new LabSpace(mark);
    try {
      await space.setUp();
    } catch (error) {
      await space.close();
      throw error;
    }
    return space;
  }

  /** Learners here now. */
  get occupied(): number {
    return this.tenants.size;
  }

  /** Whether a clean slot is free. */
  get hasRoom(): boolean {
    return !this.stopping && this.free.length > 0;
  }

  /** Hears that the namespace can no longer carry packets (its raw socket failed). */
  onFailure(listener: (message: string) => void): void {
    this.failureListeners.add(listener);
  }

  /** A clean slot for a learner, whose events go to `listener` until release(); null when none is free. */
  enter(listener: (event: LabEvent) => void): LabTenant | null {
    if (!this.hasRoom) return null;
    const slot = this.free.shift()!;
    const tenant = new Tenant(slot, slotPorts(slot), this.hopLimit, listener);
    this.tenants.set(slot, tenant);
    const gone = (): Error => new Error('this lab is closed');
    const here = (): boolean => this.tenants.get(slot) === tenant && !this.stopping;
    return {
      slot,
      ports: tenant.ports,
      send: (bytes) => (here() ? this.send(tenant, bytes) : Promise.resolve({ ok: false, t: clock(), reason: gone().message })),
      setServer: async (behaviour) => {
        if (!here()) throw gone();
        tenant.specs.set(behaviour.name, behaviour);
        return { port: BEHAVIOUR_PORTS[behaviour.name] };
      },
      connect: async (target) => {
        if (!here()) throw gone();
        const refusal = connectRefusal(target, tenant.ports);
        if (refusal !== null) throw new Error(refusal);
        tenant.connect(target);
        this.queuePoll();
      },
      release: () => {
        if (this.tenants.get(slot) !== tenant) return;
        this.tenants.delete(slot);
        tenant.leave();
        if (this.stopping) return;
        this.draining.add(slot);
        this.queuePoll();
      },
    };
  }

  /** Ends every learner's lab and closes the namespace's sockets; the namespace goes with the process. */
  async close(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.watcher?.stop();
    for (const tenant of this.tenants.values()) tenant.leave();
    this.tenants.clear();
    this.raw?.close();
    await this.server?.close();
  }

  private async setUp(): Promise<void> {
    const loopback = await runTool('ip', ['link', 'set', 'lo', 'up']);
    if (!loopback.ok) throw new LabSetupError('loopback', `could not bring the lab's loopback up: ${loopback.message}`, loopback.missing ? 'sudo apt-get install iproute2' : undefined);
    await writeSysctl('net/ipv4/ip_local_reserved_ports', `${POOL.first}-${POOL.last}`);
    // The bundled clients' own ports come from above the pool.
    await writeSysctl('net/ipv4/ip_local_port_range', `${POOL.last + 1} 65535`);
    if (IPV6) await writeSysctl('net/ipv6/auto_flowlabels', '0');
    await writeSysctl('net/core/somaxconn', String(SHARED_BACKLOG));
    await writeSysctl('net/ipv4/tcp_max_syn_backlog', String(SHARED_BACKLOG));
    await writeSysctl('net/ipv4/tcp_no_metrics_save', '1');
    await writeSysctl('net/ipv4/tcp_max_tw_buckets', '262144');
    this.hopLimit = Number.parseInt(await readFile('/proc/sys/net/ipv6/conf/lo/hop_limit', 'utf8').catch(() => '64'), 10) || 64;

    let firewall: FirewallTool;
    try {
      firewall = await installFirewall(POOL, this.mark);
    } catch (error) {
      if (error instanceof FirewallError) throw new LabSetupError('firewall', error.message, error.fix);
      throw error;
    }
    try {
      this.raw = RawChannel.open(this.mark, clock, IPV6);
    } catch (error) {
      if (error instanceof RawSocketError) throw new LabSetupError('raw sockets', error.message, error.fix);
      throw error;
    }
    this.raw.onDatagram((datagram) => this.received(datagram));
    this.raw.onFailure((error) => {
      for (const listener of this.failureListeners) listener(`the raw socket failed: ${error.message}`);
    });

    this.server = new SharedBundledServer(IPV6 ? [LAB_ADDRESS4, LAB_ADDRESS6] : [LAB_ADDRESS4], (port) => this.tenants.get(slotOfPort(port)) ?? null, (message) =>
      process.stderr.write(`tcplab lab daemon: ${message}\n`),
    );
    try {
      await this.server.start();
    } catch (error) {
      throw new LabSetupError('bundled server', (error as Error).message);
    }

    this.watcher = new SocketStateWatcher({
      // Drained first, so that a state never overtakes the packet that caused it.
      read: () => {
        this.raw?.drain();
        return readProcNetTcpNow();
      },
      filter: bundledSockets({ serverPorts: Object.values(BEHAVIOUR_PORTS), learnerPorts: POOL }),
      onChange: (change) => {
        this.tenants.get(slotOfPort(change.remote.port))?.emit({ type: 'state', t: clock(), local: change.local, remote: change.remote, from: change.from, to: change.to });
        this.queueDrainCheck();
      },
      onError: (message) => process.stderr.write(`tcplab lab daemon: reading socket states: ${message}\n`),
    });
    // The listeners as they are now, so that the first changes reported are a learner's.
    await this.watcher.poll();
    this.setup = { firewall, ipv6: IPV6 };
  }

  private send(tenant: Tenant, bytes: Uint8Array): Promise<SendResult> {
    // The last check before the raw socket: the daemon checked already, but this is the one that counts.
    const refusal = packetRefusal(bytes, { own: tenant.ports, pool: POOL });
    if (refusal !== null) return Promise.resolve({ ok: false, t: clock(), reason: refusal });
    return new Promise((resolve) => {
      this.raw!.send(bytes, (outcome) => {
        if (outcome.ok) {
          const now = tenant.traffic.sent(bytes);
          if (now !== null) tenant.emit({ type: 'packet', t: clock(), dir: now.dir, bytes: now.bytes });
          this.queuePoll();
          this.queueDrain();
        }
        resolve(outcome);
      });
    });
  }

  private received(datagram: RawDatagram): void {
    const header = datagram.family === 4 ? datagram.packet : datagram.segment;
    const at = datagram.family === 4 ? (header[0]! & 0x0f) * 4 : 0;
    if (header.length < at + 4) return;
    const sport = header.readUInt16BE(at);
    const dport = header.readUInt16BE(at + 2);
    // Exactly one end of a learner's packet is in the pool: the guard keeps learners off each other's ports.
    const owner = slotOfPort(sport) !== -1 ? slotOfPort(sport) : slotOfPort(dport);
    const tenant = this.tenants.get(owner);
    if (tenant === undefined) return;
    const packet = tenant.traffic.received(datagram);
    if (packet === null) return;
    tenant.emit({ type: 'packet', t: clock(), dir: packet.dir, bytes: packet.bytes });
    this.queuePoll();
  }

  /**
   * On loopback the kernel has usually answered before sendto() returns: the answers are read
   * at the end of this turn of the loop, once for every packet sent in it, so that they leave
   * with the replies to the sends (an empty read costs as much as a full one).
   */
  private queueDrain(): void {
    if (this.drainQueued) return;
    this.drainQueued = true;
    setImmediate(() => {
      this.drainQueued = false;
      if (!this.stopping) this.raw?.drain();
    });
  }

  /**
   * One snapshot after a burst of packets, not one per packet; after each, a rest POLL_REST
   * times as long as it took. With one learner a snapshot takes a tenth of a millisecond and
   * the next may follow at once; with a class /proc/net/tcp is long, and the rest keeps the
   * snapshots from taking the time the packets need.
   */
  private queuePoll(): void {
    if (this.pollQueued || this.watcher === null || this.stopping) return;
    this.pollQueued = true;
    const poll = (): void => {
      this.pollQueued = false;
      if (this.stopping) return;
      const started = performance.now();
      void this.watcher?.poll().then(() => {
        this.restUntil = performance.now() + (performance.now() - started) * POLL_REST;
        this.pollWhileConnected();
        this.queueDrainCheck();
      });
    };
    const rest = this.restUntil - performance.now();
    if (rest > 0) setTimeout(poll, rest);
    else setImmediate(poll);
  }

  /** Timers change states too (TIME-WAIT ends, a SYN-ACK is given up): poll while anything is open. */
  private pollWhileConnected(): void {
    if (this.watcher === null || this.stopping) return;
    if (this.watcher.current.some((entry) => entry.state !== 'LISTEN')) this.watcher.start();
    else this.watcher.stop();
  }

  /** Frees every draining slot that the last snapshot shows nothing of. */
  private queueDrainCheck(): void {
    if (this.drainCheckQueued || this.draining.size === 0) return;
    this.drainCheckQueued = true;
    setImmediate(() => {
      this.drainCheckQueued = false;
      if (this.watcher === null) return;
      const dirty = new Set(this.watcher.current.map((entry) => slotOfPort(entry.remote.port)));
      for (const slot of this.draining) {
        if (dirty.has(slot)) continue;
        this.draining.delete(slot);
        this.free.push(slot);
      }
    });
  }
}

async function writeSysctl(name: string, value: string): Promise<void> {
  try {
    await writeFile(`/proc/sys/${name}`, value);
  } catch (error) {
    throw new LabSetupError('sysctl', `could not set ${name.replaceAll('/', '.')} inside the lab: ${(error as Error).message}`);
  }
}

function readProcNetTcpNow(): string {
  const v4 = readFileSync('/proc/net/tcp', 'utf8');
  if (!IPV6) return v4;
  try {
    return v4 + readFileSync('/proc/net/tcp6', 'utf8');
  } catch {
    return v4;
  }
}
