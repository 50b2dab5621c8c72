import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { LearnerSession, sayBye, type SessionEnd } from './learner-session.js';
import { LabPool } from './lab-pool.js';
import { CloseCode, describeZodIssues, type Hello, HelloSchema, type Limits, MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from './protocol.js';
import type { TokenSet } from './tokens.js';

// The lab daemon (tcplab lab serve): an HTTP(S) server that upgrades to WebSocket, gives each
// learner who shows a valid token a lab of their own for as long as their session lasts, and
// serves /healthz. Sessions are independent of one another, so several daemons behind a load
// balancer serve a larger class (docs/classroom.md).

export interface LabDaemonOptions {
  port: number;
  /** Where to listen; every interface by default. */
  host?: string;
  tokens: TokenSet;
  /** PEM certificate and key: wss:// instead of ws://. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  maxSessions?: number;
  idleTimeoutMs?: number;
  graceMs?: number;
  packetsPerSecond?: number;
  packetBurst?: number;
  /** Learners per lab host process (one namespace each). */
  learnersPerHost?: number;
  /** How long a new connection may take to say hello. */
  helloTimeoutMs?: number;
  /** Connections that have not said hello yet, at most. */
  maxPendingConnections?: number;
  /** Between pings to each connection: one that misses a pong is taken for dropped. */
  pingIntervalMs?: number;
  mark?: number;
  userNamespace?: boolean;
  /** One line per session start and end, and the daemon's own news. */
  log?: (line: string) => void;
}

export const DAEMON_DEFAULTS = {
  maxSessions: 200,
  idleTimeoutMs: 30 * 60_000,
  graceMs: 60_000,
  packetsPerSecond: 100,
  packetBurst: 200,
  learnersPerHost: 200,
  helloTimeoutMs: 10_000,
  maxPendingConnections: 64,
  pingIntervalMs: 30_000,
} as const;

export interface DaemonHealth {
  status: 'ok' | 'shutting down';
  protocol: number;
  sessions: number;
  connected: number;
  maxSessions: number;
  labHosts: number;
}

export class LabDaemon {
  private readonly sessions = new Map<string, LearnerSession>();
  /** Sessions whose lab is being made: they count against the maximum already. */
  private placing = 0;
  private readonly pending = new Set<WebSocket>();
  private readonly wss: WebSocketServer;
  private readonly limits: Limits;
  private readonly maxSessions: number;
  private readonly pingTimer: ReturnType<typeof setInterval>;
  private readonly alive = new WeakSet<WebSocket>();
  private closing: Promise<void> | null = null;
  private tokens: TokenSet;

  private constructor(
    private readonly server: Server,
    private readonly pool: LabPool,
    private readonly options: LabDaemonOptions,
  ) {
    this.tokens = options.tokens;
    this.maxSessions = options.maxSessions ?? DAEMON_DEFAULTS.maxSessions;
    const packetsPerSecond = options.packetsPerSecond ?? DAEMON_DEFAULTS.packetsPerSecond;
    this.limits = {
      maxMessageBytes: MAX_MESSAGE_BYTES,
      packetsPerSecond,
      packetBurst: options.packetBurst ?? DAEMON_DEFAULTS.packetBurst,
      // Room for a request and an ack per packet, and then some; beyond it is a flood.
      messagesPerSecond: Math.max(50, packetsPerSecond * 4),
      graceMs: options.graceMs ?? DAEMON_DEFAULTS.graceMs,
      idleTimeoutMs: options.idleTimeoutMs ?? DAEMON_DEFAULTS.idleTimeoutMs,
    };
    // No compression: it costs CPU per message, and a small compressed frame can inflate to a huge one.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: false });
    server.on('request', (request, response) => this.http(request, response));
    server.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
    // TLS handshakes that fail and sockets that error are the client's problem, not the daemon's.
    server.on('clientError', (_error, socket) => socket.destroy());
    this.pingTimer = setInterval(() => this.ping(), options.pingIntervalMs ?? DAEMON_DEFAULTS.pingIntervalMs);
    this.pingTimer.unref();
  }

  /** Starts the first lab host (so a lab that cannot run here fails now), then listens. */
  static async start(options: LabDaemonOptions): Promise<LabDaemon> {
    const learnersPerHost = options.learnersPerHost ?? DAEMON_DEFAULTS.learnersPerHost;
    const log = options.log ?? (() => {});
    const pool = new LabPool({
      learnersPerHost,
      ...(options.mark !== undefined ? { mark: options.mark } : {}),
      ...(options.userNamespace !== undefined ? { userNamespace: options.userNamespace } : {}),
      onProblem: (message) => log(stamp(`lab: ${message}`)),
    });
    // A certificate that does not load fails here, before any namespace is made.
    const server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }) : createHttpServer();
    await pool.start();
    const daemon = new LabDaemon(server, pool, options);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: options.port, ...(options.host !== undefined ? { host: options.host } : {}) }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      await pool.shutdown();
      throw error;
    }
    const { address, port } = server.address() as AddressInfo;
    log(stamp(`lab daemon listening on ${options.tls ? 'wss' : 'ws'}://${address.includes(':') ? `[${address}]` : address}:${port} (protocol ${PROTOCOL_VERSION}, at most ${daemon.maxSessions} sessions, ${options.tokens.size} token${options.tokens.size === 1 ? '' : 's'})`));
    return daemon;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The lab hosts' process ids: each is one namespace. */
  get labHostPids(): number[] {
    return this.pool.hostPids;
  }

  health(): DaemonHealth {
    let connected = 0;
    for (const session of this.sessions.values()) if (session.connected) connected++;
    return {
      status: this.closing === null ? 'ok' : 'shutting down',
      protocol: PROTOCOL_VERSION,
      sessions: this.sessions.size,
      connected,
      maxSessions: this.maxSessions,
      labHosts: this.pool.hostCount,
    };
  }

  /** New tokens for new sessions (an instructor struck a line, or added a class); sessions running go on. */
  setTokens(tokens: TokenSet): void {
    this.tokens = tokens;
    this.log(`tokens reloaded: ${tokens.size} token${tokens.size === 1 ? '' : 's'}`);
  }

  /** Ends every session (telling each learner why), stops every lab host, and stops listening. */
  close(reason = 'the lab daemon is shutting down'): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.pingTimer);
      const listening = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const socket of this.pending) sayBye(socket, CloseCode.goingAway, reason);
      this.pending.clear();
      for (const session of [...this.sessions.values()]) session.end(CloseCode.goingAway, reason);
      await this.pool.shutdown();
      // Give the goodbyes a moment to leave, then cut whatever is still open.
      await new Promise((resolve) => setTimeout(resolve, 100));
      this.server.closeAllConnections?.();
      await listening;
      this.log(`lab daemon stopped: ${reason}`);
    })();
    return this.closing;
  }

  private log(line: string): void {
    this.options.log?.(stamp(line));
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
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${status === 503 ? 'Service Unavailable' : 'Bad Request'}\r\ncontent-type: text/plain\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(text) + 1}\r\n\r\n${text}\n`);
    };
    if (this.closing !== null) return refuse(503, 'the lab daemon is shutting down');
    if (this.pending.size >= (this.options.maxPendingConnections ?? DAEMON_DEFAULTS.maxPendingConnections)) {
      return refuse(503, 'too many connections are waiting to say hello; try again in a moment');
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.connection(ws, request.socket.remoteAddress ?? '?'));
  }

  private connection(socket: WebSocket, peer: string): void {
    this.pending.add(socket);
    this.alive.add(socket);
    socket.on('pong', () => this.alive.add(socket));
    let session: LearnerSession | null = null;
    const helloTimer = setTimeout(() => {
      this.pending.delete(socket);
      sayBye(socket, CloseCode.helloTimeout, `no hello within ${(this.options.helloTimeoutMs ?? DAEMON_DEFAULTS.helloTimeoutMs) / 1000} s`);
    }, this.options.helloTimeoutMs ?? DAEMON_DEFAULTS.helloTimeoutMs);
    // A frame past maxPayload, a bad UTF-8 close reason...: ws closes the socket itself (1009, 1007).
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => {
      if (session !== null) {
        session.receive(socket, data as Buffer, isBinary);
        return;
      }
      if (!this.pending.has(socket)) return; // Still placing the learner's lab: nothing may come before the welcome.
      clearTimeout(helloTimer);
      this.pending.delete(socket);
      // Until the welcome, whatever else comes is dropped above: the protocol says wait for it.
      void this.hello(socket, peer, data as Buffer, isBinary).then((placed) => (session = placed));
    });
    socket.on('close', () => {
      clearTimeout(helloTimer);
      this.pending.delete(socket);
      session?.detach(socket);
    });
  }

  /** Checks the hello and makes or resumes the session; null when the connection was refused. */
  private async hello(socket: WebSocket, peer: string, data: Buffer, isBinary: boolean): Promise<LearnerSession | null> {
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
    const version = typeof value === 'object' && value !== null ? (value as { protocol?: unknown }).protocol : undefined;
    if (typeof version === 'number' && version !== PROTOCOL_VERSION) {
      return refuse(CloseCode.unsupportedVersion, `protocol version ${version} is not supported: this lab daemon speaks version ${PROTOCOL_VERSION} (update tcplab)`);
    }
    const token = typeof value === 'object' && value !== null ? (value as { token?: unknown }).token : undefined;
    if (token === undefined || token === '') {
      return refuse(CloseCode.unauthorized, 'unauthorized: no token; give --token-file FILE or set TCPLAB_TOKEN (ask whoever runs the lab daemon for yours)');
    }
    const parsed = HelloSchema.safeParse(value);
    if (!parsed.success) return refuse(CloseCode.badMessage, `bad message: the first message must be a hello: ${describeZodIssues(parsed.error)}`);
    const hello: Hello = parsed.data;
    const match = this.tokens.match(hello.token);
    if (match === null) {
      this.log(`refused a connection from ${peer}: wrong token`);
      return refuse(CloseCode.unauthorized, 'unauthorized: that token is not one this lab daemon accepts (ask whoever runs it for yours)');
    }
    if (this.closing !== null) return refuse(CloseCode.goingAway, 'the lab daemon is shutting down');
    if (hello.resume !== undefined) {
      const session = this.sessions.get(hello.resume.session);
      if (session === undefined || !session.owns(hello.resume.secret)) {
        return refuse(CloseCode.unknownSession, 'that session cannot be resumed: it has ended (its grace period passed, or it was closed); start a new one');
      }
      if (socket.readyState !== socket.OPEN) return null;
      session.attach(socket, clock(), hello.resume.after);
      return session;
    }
    if (this.sessions.size + this.placing >= this.maxSessions) {
      return refuse(CloseCode.full, `this lab daemon is full: ${this.maxSessions} sessions are running; try again later or another lab host`);
    }
    this.placing++;
    let session: LearnerSession | null = null;
    const early: Parameters<LearnerSession['labEvent']>[0][] = [];
    try {
      const placement = await this.pool.place((event) => (session === null ? early.push(event) : session.labEvent(event)));
      session = new LearnerSession({
        tenant: placement.tenant,
        limits: this.limits,
        tokenLabel: match.label,
        peer,
        ended: (ended, end) => this.ended(ended, end),
      });
      for (const event of early) session.labEvent(event);
      const made = session;
      placement.onLost((reason) => made.end(CloseCode.labFailed, `the lab stopped: ${reason}`));
    } catch (error) {
      return refuse(CloseCode.labFailed, `no lab could be made for this session: ${(error as Error).message}`);
    } finally {
      this.placing--;
    }
    this.sessions.set(session.id, session);
    const { ports, hostPid } = session.tenant;
    this.log(`session ${session.id} start: token ${match.label}, from ${peer}${hello.client ? ` (${hello.client.replace(/[^\x20-\x7e]/g, '?')})` : ''}, lab host ${hostPid} ports ${ports.first}-${ports.last}`);
    if (socket.readyState !== socket.OPEN || this.closing !== null) {
      // Gone while its lab was being made (or the daemon began to close): nothing to keep.
      session.end(CloseCode.goingAway, 'the connection closed before the session started');
      return null;
    }
    session.attach(socket, clock(), null);
    return session;
  }

  private ended(session: LearnerSession, end: SessionEnd): void {
    this.sessions.delete(session.id);
    const seconds = ((Date.now() - session.startedAt) / 1000).toFixed(1);
    const resumes = session.resumes === 1 ? '1 resume' : `${session.resumes} resumes`;
    this.log(`session ${session.id} end after ${seconds} s: ${end.reason} (code ${end.code}, ${session.packetsSent} packets sent, ${resumes})`);
  }

  /** A connection that missed the last ping is dropped: its session waits out the grace period. */
  private ping(): void {
    for (const session of this.sessions.values()) session.pingOrDrop(this.alive);
  }
}

const clock = (): number => performance.timeOrigin + performance.now();

function stamp(line: string): string {
  return `${new Date().toISOString()} ${line}`;
}

export function startLabDaemon(options: LabDaemonOptions): Promise<LabDaemon> {
  return LabDaemon.start(options);
}
