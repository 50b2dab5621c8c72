import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as NetServer, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { DaemonConfig } from './daemon-ipc.js';
import type { LabSpace } from './lab-space.js';
import { LearnerSession, sayBye, type SessionEnd } from './learner-session.js';
import { CloseCode, describeZodIssues, type Hello, HelloSchema, type Limits, MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from './protocol.js';
import { TokenSet } from './tokens.js';
import { batchWrites } from './write-batching.js';

// The lab daemon: an HTTP(S) server that upgrades to WebSocket, gives each learner who shows a
// valid token a lab of their own (a slot of the namespace it lives in: lab-space.ts) for as
// long as their session lasts, and serves /healthz. It runs inside that namespace, serving on
// a listening socket the launcher made in the host's (daemon-launcher.ts). Sessions are
// independent of one another, so several daemons behind a load balancer serve a larger class
// (docs/classroom.md).

export interface DaemonHealth {
  status: 'ok' | 'shutting down';
  protocol: number;
  sessions: number;
  connected: number;
  maxSessions: number;
}

export class LabDaemon {
  private readonly sessions = new Map<string, LearnerSession>();
  private readonly pending = new Set<WebSocket>();
  private readonly wss: WebSocketServer;
  private readonly limits: Limits;
  private readonly pingTimer: ReturnType<typeof setInterval>;
  private readonly alive = new WeakSet<WebSocket>();
  private closing: Promise<void> | null = null;
  private tokens: TokenSet;

  private constructor(
    private readonly server: Server,
    private readonly space: LabSpace,
    private readonly config: DaemonConfig,
    private readonly log: (line: string) => void,
  ) {
    this.tokens = TokenSet.parse(config.tokens, config.tokenSource);
    this.limits = {
      maxMessageBytes: MAX_MESSAGE_BYTES,
      packetsPerSecond: config.packetsPerSecond,
      packetBurst: config.packetBurst,
      // Room for a request and an ack per packet, and then some; beyond it is a flood.
      messagesPerSecond: Math.max(50, config.packetsPerSecond * 4),
      graceMs: config.graceMs,
      idleTimeoutMs: config.idleTimeoutMs,
    };
    // No compression: it costs CPU per message, and a small compressed frame can inflate to a huge one.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: false });
    server.on('request', (request, response) => this.http(request, response));
    server.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
    // TLS handshakes that fail and sockets that error are the client's problem, not the daemon's.
    server.on('clientError', (_error, socket) => socket.destroy());
    this.pingTimer = setInterval(() => this.ping(), config.pingIntervalMs);
    this.pingTimer.unref();
    space.onFailure((message) => {
      this.note(`the lab failed: ${message}`);
      void this.close(`the lab failed: ${message}`);
    });
  }

  /** Serves on `listener` (a listening socket, or a port for tests inside a namespace already). */
  static async start(listener: NetServer | { port: number; host?: string }, space: LabSpace, config: DaemonConfig, log: (line: string) => void): Promise<LabDaemon> {
    const server = config.tls ? createHttpsServer({ cert: config.tls.cert, key: config.tls.key }) : createHttpServer();
    const daemon = new LabDaemon(server, space, config, log);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listener, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { address, port } = server.address() as AddressInfo;
    const tokens = daemon.tokens.size;
    daemon.note(`lab daemon listening on ${config.tls ? 'wss' : 'ws'}://${address.includes(':') ? `[${address}]` : address}:${port} (protocol ${PROTOCOL_VERSION}, at most ${config.maxSessions} sessions, ${tokens} token${tokens === 1 ? '' : 's'})`);
    return daemon;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  health(): DaemonHealth {
    let connected = 0;
    for (const session of this.sessions.values()) if (session.connected) connected++;
    return {
      status: this.closing === null ? 'ok' : 'shutting down',
      protocol: PROTOCOL_VERSION,
      sessions: this.sessions.size,
      connected,
      maxSessions: this.config.maxSessions,
    };
  }

  /** A connection accepted elsewhere (by the launcher, in the moment it held the socket): serve it too. */
  adopt(socket: Socket): void {
    this.server.emit('connection', socket);
  }

  /** New tokens for new sessions (an instructor struck a line, or added a class); sessions running go on. */
  setTokens(text: string): void {
    try {
      this.tokens = TokenSet.parse(text, this.config.tokenSource);
      this.note(`tokens reloaded: ${this.tokens.size} token${this.tokens.size === 1 ? '' : 's'}`);
    } catch (error) {
      this.note(`tokens not reloaded, the old ones stand: ${(error as Error).message}`);
    }
  }

  /** Ends every session (telling each learner why), closes the lab, and stops listening. */
  close(reason = 'the lab daemon is shutting down'): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.pingTimer);
      const listening = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const socket of this.pending) sayBye(socket, CloseCode.goingAway, reason);
      this.pending.clear();
      for (const session of [...this.sessions.values()]) session.end(CloseCode.goingAway, reason);
      await this.space.close();
      // Give the goodbyes a moment to leave, then cut whatever is still open.
      await new Promise((resolve) => setTimeout(resolve, 100));
      this.server.closeAllConnections();
      await listening;
      this.note(`lab daemon stopped: ${reason}`);
    })();
    return this.closing;
  }

  private note(line: string): void {
    this.log(`${new Date().toISOString()} ${line}`);
  }

  private http(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/healthz' && (request.method === 'GET' || request.method === 'HEAD')) {
      const health = this.health();
      response.writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : `${JSON.stringify(health)}\n`);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('tcplab lab daemon: connect with a WebSocket (tcplab --net ws://HOST:PORT); GET /healthz for its health\n');
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const refuse = (text: string): void => {
      socket.end(`HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(text) + 1}\r\n\r\n${text}\n`);
    };
    if (this.closing !== null) return refuse('the lab daemon is shutting down');
    if (this.pending.size >= this.config.maxPendingConnections) return refuse('too many connections are waiting to say hello; try again in a moment');
    // Held to the end of the loop's turn: the answers read then leave with the replies.
    const hold = batchWrites(socket, setImmediate);
    this.wss.handleUpgrade(request, socket, head, (ws) => this.connection(ws, hold, request.socket.remoteAddress ?? '?'));
  }

  private connection(socket: WebSocket, hold: () => void, peer: string): void {
    this.pending.add(socket);
    this.alive.add(socket);
    socket.on('pong', () => this.alive.add(socket));
    let session: LearnerSession | null = null;
    const helloTimer = setTimeout(() => {
      this.pending.delete(socket);
      sayBye(socket, CloseCode.helloTimeout, `no hello within ${this.config.helloTimeoutMs / 1000} s`);
    }, this.config.helloTimeoutMs);
    // A frame past maxPayload, bad UTF-8...: ws closes the socket itself (1009, 1007), and says why.
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => {
      if (session !== null) {
        session.receive(socket, data as Buffer, isBinary);
        return;
      }
      if (!this.pending.has(socket)) return; // Refused already: the goodbye is on its way.
      clearTimeout(helloTimer);
      this.pending.delete(socket);
      session = this.hello(socket, hold, peer, data as Buffer, isBinary);
    });
    socket.on('close', () => {
      clearTimeout(helloTimer);
      this.pending.delete(socket);
      session?.detach(socket);
    });
  }

  /** Checks the hello and makes or resumes the session; null when the connection was refused. */
  private hello(socket: WebSocket, hold: () => void, peer: string, data: Buffer, isBinary: boolean): LearnerSession | null {
    const refuse = (code: number, reason: string): null => {
      sayBye(socket, code, reason);
      return null;
    };
    if (isBinary) return refuse(CloseCode.badMessage, 'bad message: a binary frame (every message is JSON text)');
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch (error) {
      return refuse(CloseCode.badMessage, `bad message: not JSON (${(error as Error).message})`);
    }
    const fields = typeof value === 'object' && value !== null ? (value as { protocol?: unknown; token?: unknown }) : {};
    if (typeof fields.protocol === 'number' && fields.protocol !== PROTOCOL_VERSION) {
      return refuse(CloseCode.unsupportedVersion, `protocol version ${fields.protocol} is not supported: this lab daemon speaks version ${PROTOCOL_VERSION} (update tcplab)`);
    }
    if (fields.token === undefined || fields.token === '') {
      return refuse(CloseCode.unauthorized, 'unauthorized: no token; give --token-file FILE or set TCPLAB_TOKEN (ask whoever runs the lab daemon for yours)');
    }
    const parsed = HelloSchema.safeParse(value);
    if (!parsed.success) return refuse(CloseCode.badMessage, `bad message: the first message must be a hello: ${describeZodIssues(parsed.error)}`);
    const hello: Hello = parsed.data;
    const match = this.tokens.match(hello.token);
    if (match === null) {
      this.note(`refused a connection from ${peer}: wrong token`);
      return refuse(CloseCode.unauthorized, 'unauthorized: that token is not one this lab daemon accepts (ask whoever runs it for yours)');
    }
    if (this.closing !== null) return refuse(CloseCode.goingAway, 'the lab daemon is shutting down');
    if (hello.resume !== undefined) {
      const session = this.sessions.get(hello.resume.session);
      if (session === undefined || !session.owns(hello.resume.secret)) {
        return refuse(CloseCode.unknownSession, 'that session cannot be resumed: it has ended (its grace period passed, or it was closed); start a new one');
      }
      session.attach(socket, hold, clock(), hello.resume.after);
      return session;
    }
    if (this.sessions.size >= this.config.maxSessions) {
      return refuse(CloseCode.full, `this lab daemon is full: ${this.config.maxSessions} sessions are running; try again later or another lab host`);
    }
    let session: LearnerSession | null = null;
    const tenant = this.space.enter((event) => session?.labEvent(event));
    if (tenant === null) {
      return refuse(CloseCode.full, 'this lab daemon has no clean slot left: the slots of learners who just left are still draining; try again in a minute');
    }
    session = new LearnerSession({ tenant, limits: this.limits, tokenLabel: match.label, peer, ended: (ended, end) => this.ended(ended, end) });
    this.sessions.set(session.id, session);
    const { ports } = tenant;
    const client = hello.client === undefined ? '' : ` (${hello.client.replace(/[^\x20-\x7e]/g, '?')})`;
    this.note(`session ${session.id} start: token ${match.label}, from ${peer}${client}, ports ${ports.first}-${ports.last}`);
    session.attach(socket, hold, clock(), null);
    return session;
  }

  private ended(session: LearnerSession, end: SessionEnd): void {
    this.sessions.delete(session.id);
    const seconds = ((Date.now() - session.startedAt) / 1000).toFixed(1);
    const resumes = session.resumes === 1 ? '1 resume' : `${session.resumes} resumes`;
    this.note(`session ${session.id} end after ${seconds} s: ${end.reason} (code ${end.code}, ${session.packetsSent} packets sent, ${resumes})`);
  }

  /** A connection that missed the last ping is dropped: its session waits out the grace period. */
  private ping(): void {
    for (const session of this.sessions.values()) session.pingOrDrop(this.alive);
  }
}

const clock = (): number => performance.timeOrigin + performance.now();
