// The lab host: the process that lives inside the lab's network namespace (see namespace.ts
// for how it gets there). It brings loopback up, reserves the learner's ports, installs the
// firewall rule, opens the learner's raw sockets and runs the bundled server; then it carries
// out the parent's requests and reports every packet on the learner's flows, every event of
// the bundled applications and every change of their sockets' TCP state, each time-stamped.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { isIP, Socket } from 'node:net';
import type { z } from 'zod';
import type { AppEvent } from '../../server/app-event.js';
import { type BundledClientHandle, connectBundledClient } from '../../server/bundled-client.js';
import { BundledServer } from '../../server/bundled-server.js';
import { SocketStateWatcher } from '../../server/socket-states.js';
import { canonicalIpv6Address } from '../../wire/ip-address.js';
import { FirewallError, installFirewall } from './firewall.js';
import { LabChannel, describeIssues } from './lab-channel.js';
import {
  type LabEvent,
  LabHostOptionsSchema,
  type LabMessage,
  type LabReady,
  type LabRequest,
  LabRequestSchema,
} from './lab-protocol.js';
import { LearnerTraffic, type LearnerPacket } from './learner-traffic.js';
import { HOST_OPTIONS_FLAG } from './namespace.js';
import { ProcNetTcpFiles } from './proc-net-files.js';
import { RawChannel, RawSocketError } from './raw-channel.js';
import { runTool } from './run-tool.js';

/** Wall-clock milliseconds, comparable across processes (the parent uses the same). */
const clock = (): number => performance.timeOrigin + performance.now();

/** A kernel booted with ipv6.disable=1 has no IPv6 at all: the lab then runs IPv4 only. */
const IPV6 = existsSync('/proc/sys/net/ipv6');

/** A setup step that failed: which, why, and what fixes it. */
class SetupError extends Error {
  constructor(
    readonly stage: string,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

type HostOptions = z.output<typeof LabHostOptionsSchema>;

class LabHost {
  private raw: RawChannel | null = null;
  private server: BundledServer | null = null;
  private watcher: SocketStateWatcher | null = null;
  private procFiles: ProcNetTcpFiles | null = null;
  private traffic: LearnerTraffic | null = null;
  private readonly clients: BundledClientHandle[] = [];
  private ready = false;
  private pollQueued = false;
  private stopping = false;

  constructor(
    private readonly channel: { send(message: LabMessage): void; close(): void },
    private readonly options: HostOptions,
  ) {}

  async setUp(): Promise<LabReady> {
    const { ports, mark } = this.options;
    const loopback = await runTool('ip', ['link', 'set', 'lo', 'up']);
    if (!loopback.ok) {
      throw new SetupError('loopback', `could not bring the lab's loopback up: ${loopback.message}`, loopback.missing ? 'sudo apt-get install iproute2' : undefined);
    }
    await this.writeSysctl('net/ipv4/ip_local_reserved_ports', `${ports.first}-${ports.last}`);
    if (IPV6) await this.writeSysctl('net/ipv6/auto_flowlabels', '0');
    const hopLimit = Number.parseInt(await readFile('/proc/sys/net/ipv6/conf/lo/hop_limit', 'utf8').catch(() => '64'), 10) || 64;

    let firewall: LabReady['firewall'];
    try {
      firewall = await installFirewall(ports, mark, this.options.firewall);
    } catch (error) {
      if (error instanceof FirewallError) throw new SetupError('firewall', error.message, error.fix);
      throw error;
    }

    try {
      this.raw = RawChannel.open(mark, clock, IPV6);
    } catch (error) {
      if (error instanceof RawSocketError) throw new SetupError('raw sockets', error.message, error.fix);
      throw error;
    }
    this.traffic = new LearnerTraffic(ports, hopLimit);
    this.raw.onDatagram((datagram) => {
      const packet = this.traffic!.received(datagram);
      if (packet !== null) this.reportPacket(packet);
    });
    this.raw.onFailure((error) => this.fail('raw sockets', `the raw socket failed: ${error.message}`));

    this.server = new BundledServer({ hosts: IPV6 ? ['127.0.0.1', '::1'] : ['127.0.0.1'], onEvent: (event) => this.reportApp(event) });
    try {
      await this.server.start();
    } catch (error) {
      throw new SetupError('bundled server', (error as Error).message);
    }

    const files = new ProcNetTcpFiles();
    this.procFiles = files;
    const traffic = this.traffic;
    this.watcher = new SocketStateWatcher({
      // Read at once, not through the thread pool: a state that lasts only until the
      // learner's next segment (LAST-ACK) is still there when the snapshot is taken.
      read: () => {
        this.raw?.drain();
        return files.read(traffic.usedIpv6);
      },
      // The bundled sockets whose peer is the learner. Listeners are left out: they never
      // change while the lab runs, and skipping them lets IPv6 wait until the learner uses it.
      filter: (entry) => entry.state !== 'LISTEN' && traffic.isLearnerPeer(entry.local, entry.remote),
      // Timers change states too (TIME-WAIT ends, a SYN-ACK is given up); a few tens of
      // milliseconds is close enough for those.
      intervalMs: 50,
      onChange: (change) => {
        this.report({ type: 'state', t: clock(), local: change.local, remote: change.remote, from: change.from, to: change.to });
        this.pollWhileConnected();
      },
      // Not an event of any socket: it goes to stderr, which the parent keeps for diagnosis.
      onError: (message) => process.stderr.write(`tcplab lab: reading socket states: ${message}\n`),
    });
    this.ready = true;
    return { type: 'ready', pid: process.pid, firewall, userNamespace: this.options.userNamespace, ipv6: IPV6, ports, mark };
  }

  handle(request: LabRequest): void {
    if (!this.ready && request.type !== 'close') {
      this.channel.send({ type: 'rejected', id: request.id, message: 'the lab is not ready yet' });
      return;
    }
    switch (request.type) {
      case 'send':
        this.raw!.send(request.bytes, (outcome) => {
          if (outcome.ok) {
            const now = this.traffic!.sent(request.bytes);
            if (now !== null) this.reportPacket(now);
            // On loopback the kernel has usually answered before sendto() returns: report
            // the answer now rather than a turn of the event loop later.
            this.raw!.drain();
          }
          this.channel.send({ type: 'sent', id: request.id, result: outcome });
        });
        return;
      case 'set-server':
        this.server!.setBehaviour(request.behaviour).then(
          ({ port }) => this.channel.send({ type: 'server-set', id: request.id, port }),
          (error: Error) => this.channel.send({ type: 'rejected', id: request.id, message: error.message }),
        );
        return;
      case 'connect': {
        const problem = this.connectProblem(request.target.addr, request.target.port);
        if (problem !== null) {
          this.channel.send({ type: 'rejected', id: request.id, message: problem });
          return;
        }
        this.traffic!.connecting(request.target);
        this.clients.push(connectBundledClient(request.target, (event) => this.reportApp(event)));
        this.channel.send({ type: 'connecting', id: request.id });
        this.queuePoll();
        return;
      }
      case 'close':
        void this.stop().then(() => {
          this.channel.send({ type: 'closed', id: request.id });
          this.channel.close();
          // Give the reply a moment to leave; the parent reaps us either way.
          setTimeout(() => process.exit(0), 20).unref();
        });
        return;
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.watcher?.stop();
    this.procFiles?.close();
    for (const client of this.clients) client.destroy();
    this.raw?.close();
    await this.server?.close();
  }

  fail(stage: string, message: string): void {
    this.channel.send({ type: 'failed', stage, message });
    void this.stop().finally(() => process.exit(1));
  }

  private connectProblem(addr: string, port: number): string | null {
    const { first, last } = this.options.ports;
    if (port < first || port > last) {
      return `the learner's port must be in ${first}-${last}: only there does the lab keep the kernel from resetting connections it does not know (got ${port})`;
    }
    const loopback = isIP(addr) === 4 ? addr.startsWith('127.') : canonicalIpv6Address(addr) === '::1';
    if (!loopback) return `the lab has only loopback: connect to 127.0.0.1 or ::1 (got ${addr})`;
    return null;
  }

  private reportPacket(packet: LearnerPacket): void {
    this.report({ type: 'packet', t: clock(), dir: packet.dir, bytes: packet.bytes });
    this.queuePoll();
  }

  private reportApp(event: AppEvent): void {
    const { kind, local, remote, data, message } = event;
    this.report({
      type: 'app',
      t: clock(),
      kind,
      local,
      remote,
      ...(data !== undefined ? { data } : {}),
      ...(message !== undefined ? { message } : {}),
    });
    this.queuePoll();
  }

  private report(event: LabEvent): void {
    this.channel.send({ type: 'event', event });
  }

  /** One snapshot after a burst of packets, not one per packet. */
  private queuePoll(): void {
    if (this.pollQueued || this.watcher === null || this.stopping) return;
    this.pollQueued = true;
    setImmediate(() => {
      this.pollQueued = false;
      void this.watcher?.poll().then(() => this.pollWhileConnected());
    });
  }

  /** Timers change states too (TIME-WAIT ends, a SYN-ACK is given up): poll while anything is open. */
  private pollWhileConnected(): void {
    if (this.watcher === null || this.stopping) return;
    if (this.watcher.current.some((entry) => entry.state !== 'LISTEN')) this.watcher.start();
    else this.watcher.stop();
  }

  private async writeSysctl(name: string, value: string): Promise<void> {
    try {
      await writeFile(`/proc/sys/${name}`, value);
    } catch (error) {
      throw new SetupError('sysctl', `could not set ${name.replaceAll('/', '.')} inside the lab: ${(error as Error).message}`);
    }
  }
}

function readOptions(argv: string[]): HostOptions {
  const at = argv.indexOf(HOST_OPTIONS_FLAG);
  const text = at === -1 ? undefined : argv[at + 1];
  if (text === undefined) throw new SetupError('options', `the lab host needs ${HOST_OPTIONS_FLAG} JSON`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SetupError('options', `${HOST_OPTIONS_FLAG} is not JSON: ${text}`);
  }
  const parsed = LabHostOptionsSchema.safeParse(value);
  if (!parsed.success) throw new SetupError('options', `${HOST_OPTIONS_FLAG}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

async function main(): Promise<void> {
  let host: LabHost | null = null;
  const queued: LabRequest[] = [];
  let stream: Socket;
  try {
    stream = new Socket({ fd: 3, readable: true, writable: true });
  } catch {
    process.stderr.write('tcplab lab host: this program is started by tcplab itself, with its channel on fd 3\n');
    process.exit(2);
  }
  const channel = new LabChannel<LabRequest, LabMessage>(stream, LabRequestSchema, {
    message: (request) => (host === null ? queued.push(request) : host.handle(request)),
    problem: (message, id) => channel.send({ type: 'rejected', id, message }),
    // The parent is gone: so is the lab.
    end: () => void (host?.stop() ?? Promise.resolve()).finally(() => process.exit(0)),
  });
  process.on('uncaughtException', (error) => {
    channel.send({ type: 'failed', stage: 'running', message: `the lab host failed: ${error.message}` });
    setTimeout(() => process.exit(1), 20);
  });
  let options: HostOptions;
  try {
    options = readOptions(process.argv);
  } catch (error) {
    channel.send({ type: 'failed', stage: (error as SetupError).stage, message: (error as Error).message });
    setTimeout(() => process.exit(1), 20);
    return;
  }
  const candidate = new LabHost(channel, options);
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
