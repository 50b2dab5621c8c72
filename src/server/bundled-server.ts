import { createServer, type Server, type Socket } from 'node:net';
import type { Endpoint } from '../net/network.js';
import { type AppEvent, describeSocketError, formatEndpoint } from './app-event.js';
import { BEHAVIOUR_PORTS, type ServerBehaviourName, type ServerBehaviourSpec, ServerBehaviourSpecSchema } from './behaviour.js';
import type { BehaviourClock } from './behaviour-clock.js';
import { type BehaviourRun, runBehaviour } from './behaviours.js';
import { SocketAppConnection } from './socket-connection.js';

/** What each port does until a lesson or the learner says otherwise. */
export const DEFAULT_BEHAVIOURS: Record<ServerBehaviourName, ServerBehaviourSpec> = {
  echo: { name: 'echo' },
  discard: { name: 'discard' },
  banner: ServerBehaviourSpecSchema.parse({ name: 'banner' }),
  'close-after': { name: 'close-after', bytes: 10 },
  line: { name: 'line' },
  'length-prefixed': { name: 'length-prefixed' },
  'slow-reader': ServerBehaviourSpecSchema.parse({ name: 'slow-reader' }),
  refuse: { name: 'refuse' },
};

export interface BundledServerOptions {
  /** Addresses to listen on; every behaviour listens on each. */
  hosts?: string[];
  /** Ports per behaviour, over BEHAVIOUR_PORTS (tests on a shared host move them up). */
  ports?: Partial<Record<ServerBehaviourName, number>>;
  /** Every application event, in the order the application saw them. */
  onEvent?: (event: AppEvent) => void;
  /** Drives the slow reader; wall time by default. */
  clock?: BehaviourClock;
}

/** A listener that could not be opened: names the address and why. */
export class ServerListenError extends Error {
  override name = 'ServerListenError';
}

/** A behaviour spec that does not parse: names the field and what is wrong with it. */
export class InvalidBehaviourError extends Error {
  override name = 'InvalidBehaviourError';
}

interface LiveConnection {
  socket: Socket;
  run: BehaviourRun;
}

/**
 * The bundled socket server: one node:net listener per behaviour and host, on real kernel
 * sockets. Sockets are half-open capable (allowHalfOpen), so a peer's FIN only reports
 * 'peer-closed' and the behaviour decides when our FIN follows. setBehaviour changes what
 * the next connection on that behaviour's port gets; connections already open keep the
 * behaviour they were accepted with. 'refuse' never listens, so its port answers RST.
 */
export class BundledServer {
  readonly hosts: readonly string[];
  private readonly ports: Record<ServerBehaviourName, number>;
  private readonly specs = new Map<ServerBehaviourName, ServerBehaviourSpec>();
  private readonly listeners: Server[] = [];
  private readonly connections = new Set<LiveConnection>();
  private readonly emit: (event: AppEvent) => void;
  private readonly clock: BehaviourClock | undefined;
  private started = false;

  constructor(options: BundledServerOptions = {}) {
    this.hosts = options.hosts ?? ['127.0.0.1', '::1'];
    this.ports = { ...BEHAVIOUR_PORTS, ...options.ports };
    this.emit = options.onEvent ?? (() => {});
    this.clock = options.clock;
    for (const spec of Object.values(DEFAULT_BEHAVIOURS)) this.specs.set(spec.name, spec);
  }

  portOf(name: ServerBehaviourName): number {
    return this.ports[name];
  }

  behaviourOf(name: ServerBehaviourName): ServerBehaviourSpec {
    return this.specs.get(name) ?? DEFAULT_BEHAVIOURS[name];
  }

  /** Listens on every behaviour's port (but refuse's) on every host. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    try {
      for (const host of this.hosts) {
        for (const name of Object.keys(this.ports) as ServerBehaviourName[]) {
          if (name === 'refuse') continue;
          this.listeners.push(await this.listen(name, host));
        }
      }
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** From now on, new connections on that behaviour's port get this spec. */
  async setBehaviour(spec: ServerBehaviourSpec): Promise<{ port: number }> {
    const parsed = ServerBehaviourSpecSchema.safeParse(spec);
    if (!parsed.success) {
      throw new InvalidBehaviourError(`server behaviour: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'spec'}: ${issue.message}`).join('; ')}`);
    }
    this.specs.set(parsed.data.name, parsed.data);
    return { port: this.ports[parsed.data.name] };
  }

  /** Stops listening and aborts every open connection. */
  async close(): Promise<void> {
    this.started = false;
    for (const { socket, run } of this.connections) {
      run.stop();
      socket.destroy();
    }
    this.connections.clear();
    const listeners = this.listeners.splice(0);
    await Promise.all(listeners.map((listener) => new Promise<void>((resolve) => listener.close(() => resolve()))));
  }

  private listen(name: ServerBehaviourName, host: string): Promise<Server> {
    const local: Endpoint = { addr: host, port: this.ports[name] };
    // Paused on connect: the behaviour decides whether any byte is read (the slow reader).
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => this.accept(name, socket));
    return new Promise((resolve, reject) => {
      const failed = (error: Error): void => {
        server.close();
        reject(new ServerListenError(`cannot listen for ${name} on ${formatEndpoint(local)}: ${describeSocketError(error)}`));
      };
      server.once('error', failed);
      server.listen({ host, port: local.port, ipv6Only: host.includes(':'), exclusive: true }, () => {
        server.off('error', failed);
        server.on('error', (error) => this.emit({ kind: 'error', local, remote: null, message: describeSocketError(error) }));
        this.emit({ kind: 'listening', local, remote: null, message: `${name} listening on ${formatEndpoint(local)}` });
        resolve(server);
      });
    });
  }

  private accept(name: ServerBehaviourName, socket: Socket): void {
    const spec = this.behaviourOf(name);
    const local: Endpoint = { addr: socket.localAddress ?? '', port: socket.localPort ?? this.ports[name] };
    const remote: Endpoint = { addr: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    this.emit({ kind: 'accepted', local, remote, message: `${spec.name} accepted ${formatEndpoint(remote)}` });

    socket.on('error', (error) => this.emit({ kind: 'error', local, remote, message: describeSocketError(error) }));
    const conn = new SocketAppConnection(socket);
    const run = runBehaviour(spec, conn, ({ kind, data, message }) => this.emit(data ? { kind, local, remote, data, message } : { kind, local, remote, message }), this.clock ? { clock: this.clock } : {});
    const live: LiveConnection = { socket, run };
    this.connections.add(live);
    socket.on('close', (hadError) => {
      run.stop();
      this.connections.delete(live);
      this.emit({ kind: 'closed', local, remote, message: hadError ? 'closed after an error' : 'closed' });
    });
    conn.startReading();
  }
}
