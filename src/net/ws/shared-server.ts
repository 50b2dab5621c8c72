import { createServer, type Server, type Socket } from 'node:net';
import type { AppEvent } from '../../server/app-event.js';
import { describeSocketError, formatEndpoint } from '../../server/app-event.js';
import { BEHAVIOUR_PORTS, type ServerBehaviourName, type ServerBehaviourSpec } from '../../server/behaviour.js';
import { runBehaviour } from '../../server/behaviours.js';
import { SocketAppConnection } from '../../server/socket-connection.js';
import type { Endpoint } from '../network.js';

// The bundled server of a lab daemon's namespace: one listener per behaviour and address, as in a
// local lab (so echo is 127.0.0.1:7 for everyone), but each accepted connection belongs to
// the learner whose port it came from, runs that learner's behaviour spec and reports to that
// learner alone. A connection from a port no learner holds is reset at once.
//
// The listeners' queues are shared, so they are made too long to fill: the backlog exceeds
// every learner port there is, and a learner can only send from its own ports (the packet
// guard), so no learner can push another into SYN cookies or dropped SYNs.

/** One learner's side of the server. */
export interface ServerTenant {
  behaviourOf(name: ServerBehaviourName): ServerBehaviourSpec;
  report(event: AppEvent): void;
  /** Keeps the connection so that the learner's leaving can abort it; returns the forget function. */
  track(abort: () => void): () => void;
}

export const SHARED_BACKLOG = 65_535;

export class SharedBundledServer {
  private readonly listeners: Server[] = [];

  constructor(
    private readonly hosts: readonly string[],
    private readonly tenantOf: (remotePort: number) => ServerTenant | null,
    private readonly onProblem: (message: string) => void,
  ) {}

  async start(): Promise<void> {
    try {
      for (const host of this.hosts) {
        for (const name of Object.keys(BEHAVIOUR_PORTS) as ServerBehaviourName[]) {
          if (name !== 'refuse') this.listeners.push(await this.listen(name, host));
        }
      }
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const listeners = this.listeners.splice(0);
    await Promise.all(listeners.map((listener) => new Promise<void>((resolve) => listener.close(() => resolve()))));
  }

  private listen(name: ServerBehaviourName, host: string): Promise<Server> {
    const local: Endpoint = { addr: host, port: BEHAVIOUR_PORTS[name] };
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => this.accept(name, socket));
    return new Promise((resolve, reject) => {
      const failed = (error: Error): void => {
        server.close();
        reject(new Error(`cannot listen for ${name} on ${formatEndpoint(local)}: ${describeSocketError(error)}`));
      };
      server.once('error', failed);
      server.listen({ host, port: local.port, ipv6Only: host.includes(':'), exclusive: true, backlog: SHARED_BACKLOG }, () => {
        server.off('error', failed);
        server.on('error', (error) => this.onProblem(`the ${name} listener on ${formatEndpoint(local)}: ${describeSocketError(error)}`));
        resolve(server);
      });
    });
  }

  private accept(name: ServerBehaviourName, socket: Socket): void {
    const tenant = this.tenantOf(socket.remotePort ?? 0);
    if (tenant === null) {
      // The learner left between the SYN and the accept: nobody to hear of it.
      socket.on('error', () => {});
      socket.resetAndDestroy();
      return;
    }
    const spec = tenant.behaviourOf(name);
    const local: Endpoint = { addr: socket.localAddress ?? '', port: socket.localPort ?? BEHAVIOUR_PORTS[name] };
    const remote: Endpoint = { addr: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    tenant.report({ kind: 'accepted', local, remote, message: `${spec.name} accepted ${formatEndpoint(remote)}` });
    socket.on('error', (error) => tenant.report({ kind: 'error', local, remote, message: describeSocketError(error) }));
    const conn = new SocketAppConnection(socket);
    const run = runBehaviour(spec, conn, ({ kind, data, message }) => tenant.report(data ? { kind, local, remote, data, message } : { kind, local, remote, message }));
    const forget = tenant.track(() => {
      run.stop();
      if (!socket.destroyed) socket.resetAndDestroy();
    });
    socket.on('close', (hadError) => {
      run.stop();
      forget();
      tenant.report({ kind: 'closed', local, remote, message: hadError ? 'closed after an error' : 'closed' });
    });
    conn.startReading();
  }
}
