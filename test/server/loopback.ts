// Real loopback connections for the server tests: free high ports (the classic 7, 9 and 13
// belong to the host), a bundled server that records its events, and a client that records
// what it sees.
import { readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import type { AppEvent } from '../../src/server/app-event.js';
import { BEHAVIOUR_PORTS, type ServerBehaviourName } from '../../src/server/behaviour.js';
import type { BehaviourClock } from '../../src/server/behaviour-clock.js';
import { BundledServer } from '../../src/server/bundled-server.js';

/**
 * A port free on both 127.0.0.1 and ::1 right now, chosen below the kernel's ephemeral range:
 * a port the kernel hands out (listen on 0) can be handed out again, between our check and
 * the listen, as the source port of some other test's outgoing connection.
 */
export async function freePort(): Promise<number> {
  const [ephemeralStart] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const high = Math.min(ephemeralStart ?? 32768, 32768) - 1;
  const low = Math.max(1024, high - 12_000);
  for (;;) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if ((await canListen('127.0.0.1', port)) && (await canListen('::1', port))) return port;
  }
}

function canListen(host: string, port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ host, port, ...(host.includes(':') ? { ipv6Only: true } : {}) }, () => server.close(() => resolve(true)));
  });
}

export async function freeBehaviourPorts(): Promise<Record<ServerBehaviourName, number>> {
  const ports = {} as Record<ServerBehaviourName, number>;
  const taken = new Set<number>();
  for (const name of Object.keys(BEHAVIOUR_PORTS) as ServerBehaviourName[]) {
    let port = await freePort();
    // Each pick is free when checked, and released again: two picks may land on one port.
    while (taken.has(port)) port = await freePort();
    taken.add(port);
    ports[name] = port;
  }
  return ports;
}

export async function waitUntil(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface TestServer {
  server: BundledServer;
  ports: Record<ServerBehaviourName, number>;
  events: AppEvent[];
  /** The kinds of the events of connections from `clientPort`, in order. */
  kindsFor(clientPort: number): string[];
  eventsFor(clientPort: number): AppEvent[];
}

export async function startTestServer(options: { hosts?: string[]; clock?: BehaviourClock } = {}): Promise<TestServer> {
  const ports = await freeBehaviourPorts();
  const events: AppEvent[] = [];
  const server = new BundledServer({
    ports,
    onEvent: (event) => events.push(event),
    ...(options.hosts ? { hosts: options.hosts } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await server.start();
  const eventsFor = (clientPort: number): AppEvent[] => events.filter((event) => event.remote?.port === clientPort);
  return { server, ports, events, eventsFor, kindsFor: (clientPort) => eventsFor(clientPort).map((event) => event.kind) };
}

/** A plain kernel client, half-open capable, that keeps everything it sees. */
export class TestClient {
  readonly socket: Socket;
  received: Buffer = Buffer.alloc(0);
  sawFin = false;
  closed = false;
  error: NodeJS.ErrnoException | null = null;
  connected = false;
  /** Kept from the connect: a closed socket forgets its port. */
  localPort = 0;

  constructor(host: string, port: number) {
    this.socket = connect({ host, port, allowHalfOpen: true, noDelay: true });
    this.socket.on('connect', () => {
      this.connected = true;
      this.localPort = this.socket.localPort ?? 0;
    });
    this.socket.on('data', (chunk: Buffer) => (this.received = Buffer.concat([this.received, chunk])));
    this.socket.on('end', () => (this.sawFin = true));
    this.socket.on('error', (error) => (this.error = error));
    this.socket.on('close', () => (this.closed = true));
  }

  static async open(host: string, port: number): Promise<TestClient> {
    const client = new TestClient(host, port);
    await waitUntil(`a connection to ${host}:${port}`, () => client.connected || client.error !== null);
    if (client.error) throw client.error;
    return client;
  }

  text(): string {
    return this.received.toString('latin1');
  }

  async receive(what: string, bytes: number): Promise<void> {
    await waitUntil(`${what} (${bytes} bytes, have ${this.received.length})`, () => this.received.length >= bytes);
  }
}

/** A clock that moves only when told to, as the simulator's does. */
export class ManualClock implements BehaviourClock {
  now = 0;
  private timers: { at: number; fire: () => void; live: boolean }[] = [];

  after(ms: number, fire: () => void): () => void {
    const timer = { at: this.now + ms, fire, live: true };
    this.timers.push(timer);
    return () => (timer.live = false);
  }

  /** Delays of the timers still pending, from now. */
  pending(): number[] {
    return this.timers.filter((timer) => timer.live).map((timer) => timer.at - this.now);
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.live && timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      due.live = false;
      this.now = due.at;
      due.fire();
    }
    this.now = until;
    this.timers = this.timers.filter((timer) => timer.live);
  }
}
