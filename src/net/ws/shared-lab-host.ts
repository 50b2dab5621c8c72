// A shared lab host: the process that lives in one network namespace and serves many
// learners at once for the lab daemon. It does what a local lab's host does (loopback up,
// ports reserved, the firewall rule, raw sockets, the bundled server, socket states) once
// for the whole namespace, and keeps each learner to a slot: a block of ports whose traffic,
// application events and socket states are reported to that learner and no other.
//
// What a namespace shares and why it does not leak between slots:
// - the raw sockets see every packet; each is reported to the slot that owns its port;
// - the bundled listeners are shared; each accepted connection runs the behaviour of the
//   slot it came from (shared-server.ts), and the queues are longer than all slots could fill;
// - per-destination TCP metrics would let one learner's connections shape the next one's
//   to 127.0.0.1: tcp_no_metrics_save turns them off;
// - a released slot is handed out again only once the kernel holds nothing on its ports.
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { AppEvent } from '../../server/app-event.js';
import { BEHAVIOUR_PORTS, type ServerBehaviourName, type ServerBehaviourSpec } from '../../server/behaviour.js';
import { type BundledClientHandle, connectBundledClient } from '../../server/bundled-client.js';
import { DEFAULT_BEHAVIOURS } from '../../server/bundled-server.js';
import { bundledSockets, SocketStateWatcher } from '../../server/socket-states.js';
import { FirewallError, installFirewall } from '../lab/firewall.js';
import { describeIssues, LabChannel } from '../lab/lab-channel.js';
import type { LabEvent, PortRange } from '../lab/lab-protocol.js';
import { LearnerTraffic } from '../lab/learner-traffic.js';
import { RawChannel, type RawDatagram, RawSocketError } from '../lab/raw-channel.js';
import { runTool } from '../lab/run-tool.js';
import { connectRefusal, LAB_ADDRESS4, LAB_ADDRESS6, packetRefusal } from './packet-guard.js';
import { SharedBundledServer, SHARED_BACKLOG, type ServerTenant } from './shared-server.js';
import {
  POOL,
  type SharedHostOptions,
  SharedHostOptionsSchema,
  type SharedMessage,
  type SharedReady,
  type SharedRequest,
  SharedRequestSchema,
  SHARED_HOST_OPTIONS_FLAG,
  SLOT_PORTS,
  slotOfPort,
  slotPorts,
} from './shared-lab-protocol.js';

const clock = (): number => performance.timeOrigin + performance.now();

/** A kernel booted with ipv6.disable=1 has no IPv6 at all: the lab then runs IPv4 only. */
const IPV6 = existsSync('/proc/sys/net/ipv6');

class SetupError extends Error {
  constructor(
    readonly stage: string,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

/** One learner's slot while the learner is there. */
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
    private readonly emit: (slot: number, event: LabEvent) => void,
  ) {
    this.traffic = new LearnerTraffic(ports, hopLimit);
  }

  behaviourOf(name: ServerBehaviourName): ServerBehaviourSpec {
    return this.specs.get(name) ?? DEFAULT_BEHAVIOURS[name];
  }

  report(event: AppEvent): void {
    const { kind, local, remote, data, message } = event;
    this.send({ type: 'app', t: clock(), kind, local, remote, ...(data !== undefined ? { data } : {}), ...(message !== undefined ? { message } : {}) });
  }

  send(event: LabEvent): void {
    if (!this.gone) this.emit(this.slot, event);
  }

  track(abort: () => void): () => void {
    this.aborts.add(abort);
    return () => this.aborts.delete(abort);
  }

  connect(target: { addr: string; port: number }): void {
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

class SharedLabHost {
  private raw: RawChannel | null = null;
  private server: SharedBundledServer | null = null;
  private watcher: SocketStateWatcher | null = null;
  private readonly tenants = new Map<number, Tenant>();
  /** Released slots that still have sockets in the kernel. */
  private readonly draining = new Set<number>();
  private hopLimit = 64;
  private pollQueued = false;
  private drainCheckQueued = false;
  private stopping = false;

  constructor(
    private readonly channel: { send(message: SharedMessage): void; close(): void },
    private readonly options: SharedHostOptions,
  ) {}

  async setUp(): Promise<SharedReady> {
    const loopback = await runTool('ip', ['link', 'set', 'lo', 'up']);
    if (!loopback.ok) throw new SetupError('loopback', `could not bring the lab's loopback up: ${loopback.message}`, loopback.missing ? 'sudo apt-get install iproute2' : undefined);
    await this.writeSysctl('net/ipv4/ip_local_reserved_ports', `${POOL.first}-${POOL.last}`);
    if (IPV6) await this.writeSysctl('net/ipv6/auto_flowlabels', '0');
    await this.writeSysctl('net/core/somaxconn', String(SHARED_BACKLOG));
    await this.writeSysctl('net/ipv4/tcp_max_syn_backlog', String(SHARED_BACKLOG));
    await this.writeSysctl('net/ipv4/tcp_no_metrics_save', '1');
    await this.writeSysctl('net/ipv4/tcp_max_tw_buckets', '262144');
    this.hopLimit = Number.parseInt(await readFile('/proc/sys/net/ipv6/conf/lo/hop_limit', 'utf8').catch(() => '64'), 10) || 64;

    let firewall: SharedReady['firewall'];
    try {
      firewall = await installFirewall(POOL, this.options.mark);
    } catch (error) {
      if (error instanceof FirewallError) throw new SetupError('firewall', error.message, error.fix);
      throw error;
    }
    try {
      this.raw = RawChannel.open(this.options.mark, clock, IPV6);
    } catch (error) {
      if (error instanceof RawSocketError) throw new SetupError('raw sockets', error.message, error.fix);
      throw error;
    }
    this.raw.onDatagram((datagram) => this.received(datagram));
    this.raw.onFailure((error) => this.fail('raw sockets', `the raw socket failed: ${error.message}`));

    this.server = new SharedBundledServer(IPV6 ? [LAB_ADDRESS4, LAB_ADDRESS6] : [LAB_ADDRESS4], (port) => this.tenants.get(slotOfPort(port)) ?? null, (message) =>
      process.stderr.write(`tcplab shared lab: ${message}\n`),
    );
    try {
      await this.server.start();
    } catch (error) {
      throw new SetupError('bundled server', (error as Error).message);
    }

    this.watcher = new SocketStateWatcher({
      read: () => {
        this.raw?.drain();
        return readProcNetTcpNow();
      },
      filter: bundledSockets({ serverPorts: Object.values(BEHAVIOUR_PORTS), learnerPorts: POOL }),
      onChange: (change) => {
        this.tenants.get(slotOfPort(change.remote.port))?.send({ type: 'state', t: clock(), local: change.local, remote: change.remote, from: change.from, to: change.to });
        this.queueDrainCheck();
      },
      onError: (message) => process.stderr.write(`tcplab shared lab: reading socket states: ${message}\n`),
    });
    await this.watcher.poll();
    return { type: 'ready', pid: process.pid, firewall, userNamespace: this.options.userNamespace, ipv6: IPV6, pool: POOL, slotPorts: SLOT_PORTS };
  }

  handle(request: SharedRequest): void {
    if (request.type === 'shutdown') {
      void this.stop().then(() => {
        this.channel.close();
        setTimeout(() => process.exit(0), 20).unref();
      });
      return;
    }
    if (request.type === 'open') {
      if (this.tenants.has(request.slot) || this.draining.has(request.slot)) {
        this.reject(request.id, `slot ${request.slot} is not free`);
        return;
      }
      this.tenants.set(request.slot, new Tenant(request.slot, slotPorts(request.slot), this.hopLimit, (slot, event) => this.channel.send({ type: 'event', slot, event })));
      this.channel.send({ type: 'opened', id: request.id });
      return;
    }
    const tenant = this.tenants.get(request.slot);
    if (tenant === undefined) {
      this.reject(request.id, `slot ${request.slot} has no learner`);
      return;
    }
    switch (request.type) {
      case 'send': {
        const refusal = packetRefusal(request.bytes, { own: tenant.ports, pool: POOL });
        if (refusal !== null) {
          this.channel.send({ type: 'sent', id: request.id, result: { ok: false, t: clock(), reason: refusal } });
          return;
        }
        this.raw!.send(request.bytes, (outcome) => {
          if (outcome.ok) {
            const now = tenant.traffic.sent(request.bytes);
            if (now !== null) tenant.send({ type: 'packet', t: clock(), dir: now.dir, bytes: now.bytes });
            this.queuePoll();
            // On loopback the kernel has usually answered before sendto() returns.
            this.raw!.drain();
          }
          this.channel.send({ type: 'sent', id: request.id, result: outcome });
        });
        return;
      }
      case 'set-server':
        tenant.specs.set(request.behaviour.name, request.behaviour);
        this.channel.send({ type: 'server-set', id: request.id, port: BEHAVIOUR_PORTS[request.behaviour.name] });
        return;
      case 'connect': {
        const refusal = connectRefusal(request.target, tenant.ports);
        if (refusal !== null) {
          this.reject(request.id, refusal);
          return;
        }
        tenant.connect(request.target);
        this.channel.send({ type: 'connecting', id: request.id });
        this.queuePoll();
        return;
      }
      case 'release':
        this.tenants.delete(request.slot);
        tenant.leave();
        this.draining.add(request.slot);
        this.channel.send({ type: 'released', id: request.id });
        this.queuePoll();
        return;
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.watcher?.stop();
    for (const tenant of this.tenants.values()) tenant.leave();
    this.tenants.clear();
    this.raw?.close();
    await this.server?.close();
  }

  fail(stage: string, message: string): void {
    this.channel.send({ type: 'failed', stage, message });
    void this.stop().finally(() => process.exit(1));
  }

  private reject(id: number, message: string): void {
    this.channel.send({ type: 'rejected', id, message });
  }

  private received(datagram: RawDatagram): void {
    const header = datagram.family === 4 ? datagram.packet : datagram.segment;
    const at = datagram.family === 4 ? (header[0]! & 0x0f) * 4 : 0;
    if (header.length < at + 4) return;
    const sport = header.readUInt16BE(at);
    const dport = header.readUInt16BE(at + 2);
    const owner = slotOfPort(sport) !== -1 ? slotOfPort(sport) : slotOfPort(dport);
    const tenant = this.tenants.get(owner);
    if (tenant === undefined) return;
    const packet = tenant.traffic.received(datagram);
    if (packet === null) return;
    tenant.send({ type: 'packet', t: clock(), dir: packet.dir, bytes: packet.bytes });
    this.queuePoll();
  }

  /** One snapshot after a burst of packets, not one per packet. */
  private queuePoll(): void {
    if (this.pollQueued || this.watcher === null || this.stopping) return;
    this.pollQueued = true;
    setImmediate(() => {
      this.pollQueued = false;
      void this.watcher?.poll().then(() => {
        this.pollWhileConnected();
        this.queueDrainCheck();
      });
    });
  }

  private pollWhileConnected(): void {
    if (this.watcher === null || this.stopping) return;
    if (this.watcher.current.some((entry) => entry.state !== 'LISTEN')) this.watcher.start();
    else this.watcher.stop();
  }

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
        this.channel.send({ type: 'slot-free', slot });
      }
    });
  }

  private async writeSysctl(name: string, value: string): Promise<void> {
    try {
      await writeFile(`/proc/sys/${name}`, value);
    } catch (error) {
      throw new SetupError('sysctl', `could not set ${name.replaceAll('/', '.')} inside the lab: ${(error as Error).message}`);
    }
  }
}

function readProcNetTcpNow(): string {
  const v4 = readFileSync('/proc/net/tcp', 'utf8');
  try {
    return v4 + readFileSync('/proc/net/tcp6', 'utf8');
  } catch {
    return v4;
  }
}

function readOptions(argv: string[]): SharedHostOptions {
  const at = argv.indexOf(SHARED_HOST_OPTIONS_FLAG);
  const text = at === -1 ? undefined : argv[at + 1];
  if (text === undefined) throw new SetupError('options', `the shared lab host needs ${SHARED_HOST_OPTIONS_FLAG} JSON`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SetupError('options', `${SHARED_HOST_OPTIONS_FLAG} is not JSON: ${text}`);
  }
  const parsed = SharedHostOptionsSchema.safeParse(value);
  if (!parsed.success) throw new SetupError('options', `${SHARED_HOST_OPTIONS_FLAG}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

async function main(): Promise<void> {
  let host: SharedLabHost | null = null;
  const queued: SharedRequest[] = [];
  let stream: Socket;
  try {
    stream = new Socket({ fd: 3, readable: true, writable: true });
  } catch {
    process.stderr.write('tcplab shared lab host: this program is started by the lab daemon, with its channel on fd 3\n');
    process.exit(2);
  }
  const channel = new LabChannel<SharedRequest, SharedMessage>(stream, SharedRequestSchema, {
    message: (request) => (host === null ? queued.push(request) : host.handle(request)),
    problem: (message, id) => channel.send({ type: 'rejected', id, message }),
    // The daemon is gone: so is every learner's lab.
    end: () => void (host?.stop() ?? Promise.resolve()).finally(() => process.exit(0)),
  });
  process.on('uncaughtException', (error) => {
    channel.send({ type: 'failed', stage: 'running', message: `the shared lab host failed: ${error.message}` });
    setTimeout(() => process.exit(1), 20);
  });
  let options: SharedHostOptions;
  try {
    options = readOptions(process.argv);
  } catch (error) {
    channel.send({ type: 'failed', stage: (error as SetupError).stage, message: (error as Error).message });
    setTimeout(() => process.exit(1), 20);
    return;
  }
  const candidate = new SharedLabHost(channel, options);
  try {
    channel.send(await candidate.setUp());
  } catch (error) {
    const stage = error instanceof SetupError ? error.stage : 'setup';
    const fix = error instanceof SetupError ? error.fix : undefined;
    channel.send({ type: 'failed', stage, message: (error as Error).message, ...(fix !== undefined ? { fix } : {}) });
    await candidate.stop();
    setTimeout(() => process.exit(1), 20);
    return;
  }
  host = candidate;
  for (const request of queued.splice(0)) host.handle(request);
}

void main();
