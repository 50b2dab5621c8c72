import { WebSocket } from 'ws';
import { ServerBehaviourSpecSchema } from '../../server/behaviour.js';
import { EndpointSchema } from '../lab/lab-protocol.js';
import type { Endpoint, NetEvent, Network, NetworkInfo, SendResult, ServerBehaviourSpec } from '../network.js';
import { DaemonClock } from './daemon-clock.js';
import { fromWireEvent, toBase64 } from './event-wire.js';
import { type Bye, CloseCode, DaemonMessageSchema, describeZodIssues, type Hello, type Limits, MAX_MESSAGE_BYTES, PROTOCOL_VERSION, type SequencedMessage, type Welcome } from './protocol.js';

// The learner's end of a remote lab: a Network over one WebSocket to a lab daemon, so the
// REPL and every lesson run on it as on a local lab. A connection that drops is resumed
// within the daemon's grace period: requests still unanswered are sent again (the daemon
// drops any it already had, by id), and everything it said meanwhile is replayed.

export interface WsNetworkOptions {
  token: string;
  /** Certificate authority for a daemon whose certificate is self-signed (wss:// only). */
  ca?: string | Buffer;
  /** How long connecting and the hello may take. */
  connectTimeoutMs?: number;
  /** Resume after a dropped connection (the default). */
  resume?: boolean;
  /** What this client is, for the daemon's log. */
  client?: string;
  /**
   * News of the connection that no request is waiting to hear: a drop, a resume, the session's
   * end, a message from the daemon that did not validate.
   */
  onProblem?: (message: string) => void;
}

/** The daemon could not be reached, or refused the session: the message says why. */
export class WsConnectError extends Error {
  override name = 'WsConnectError';
  constructor(
    message: string,
    /** The close code the daemon gave, when it gave one (CloseCode). */
    readonly code: number | null,
  ) {
    super(message);
  }
}

/** A request the daemon refused or could not carry out, or a session that has ended. */
export class WsRequestError extends Error {
  override name = 'WsRequestError';
}

type Reply = Exclude<SequencedMessage, { type: 'event' }>;
type Request = { type: string; id: number; [field: string]: unknown };

interface PendingRequest {
  request: Request;
  expects: Reply['type'];
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

const clock = (): number => performance.timeOrigin + performance.now();
/** An ack goes out after this many unacknowledged messages, or this long after the first. */
const ACK_EVERY = 32;
const ACK_AFTER_MS = 500;
/** Closes that no daemon sends on purpose: a proxy or the network went away, so try to resume. */
const RESUMABLE = new Set([1001, 1005, 1006, 1011, 1012, 1013, 1014]);

interface Opened {
  socket: WebSocket;
  welcome: Welcome;
  /** When the welcome arrived, on our clock. */
  receivedAt: number;
  /** Messages that arrived right behind the welcome, before anyone listened. */
  early: unknown[];
}

export class WsNetwork implements Network {
  readonly info: NetworkInfo;
  readonly session: string;
  readonly limits: Limits;
  private secret: string;
  private socket: WebSocket;
  private readonly listeners = new Set<(event: NetEvent) => void>();
  private readonly pending = new Map<number, PendingRequest>();
  private nextId = 1;
  private lastSeq = 0;
  private acked = 0;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly clock: DaemonClock;
  private stopped: string | null = null;
  private closing = false;
  private bye: Bye | null = null;

  private constructor(
    private readonly url: URL,
    private readonly options: WsNetworkOptions,
    opened: Opened,
  ) {
    const { welcome } = opened;
    this.session = welcome.session;
    this.secret = welcome.secret;
    this.limits = welcome.limits;
    // Events carry times on the daemon's clock: ours reads it, never ahead of it.
    this.clock = new DaemonClock(welcome.now, opened.receivedAt);
    const { ports } = welcome.info.learner;
    this.info = {
      ...welcome.info,
      description: `ws: the Linux kernel on ${url.host}, in a lab of your own (session ${welcome.session.slice(0, 8)}); your ports are ${ports.first}-${ports.last}`,
    };
    this.socket = opened.socket;
    this.listen(opened);
  }

  static async connect(url: string | URL, options: WsNetworkOptions): Promise<WsNetwork> {
    const parsed = parseUrl(url);
    const hello: Hello = { type: 'hello', protocol: PROTOCOL_VERSION, token: options.token, ...(options.client !== undefined ? { client: options.client } : {}) };
    return new WsNetwork(parsed, options, await open(parsed, hello, options));
  }

  now(): number {
    return this.clock.now();
  }

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }

  async send(bytes: Uint8Array): Promise<SendResult> {
    if (!(bytes instanceof Uint8Array)) return { ok: false, t: this.now(), reason: 'send needs the packet as bytes (a Uint8Array)' };
    if (bytes.length === 0) return { ok: false, t: this.now(), reason: 'an empty packet cannot be sent' };
    if (bytes.length > 0xffff) return { ok: false, t: this.now(), reason: `an IP packet is at most 65535 bytes; this one has ${bytes.length}` };
    try {
      const reply = await this.request({ type: 'send', id: 0, bytes: toBase64(bytes) }, 'sent');
      return reply.type === 'sent' ? reply.result : { ok: false, t: this.now(), reason: 'the lab gave no answer' };
    } catch (error) {
      return { ok: false, t: this.now(), reason: (error as Error).message };
    }
  }

  subscribe(listener: (event: NetEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async setServer(behaviour: ServerBehaviourSpec): Promise<{ port: number }> {
    const parsed = ServerBehaviourSpecSchema.safeParse(behaviour);
    if (!parsed.success) throw new WsRequestError(`server behaviour: ${describeZodIssues(parsed.error)}`);
    const reply = await this.request({ type: 'set-server', id: 0, behaviour: parsed.data }, 'server-set');
    return { port: reply.type === 'server-set' ? reply.port : 0 };
  }

  async connect(target: Endpoint): Promise<void> {
    const parsed = EndpointSchema.safeParse(target);
    if (!parsed.success) throw new WsRequestError(`connect: ${describeZodIssues(parsed.error)}`);
    await this.request({ type: 'connect', id: 0, target: parsed.data }, 'connecting');
  }

  /** Ends the session: the daemon destroys the lab and says goodbye. */
  async close(): Promise<void> {
    if (this.stopped !== null) return;
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    const grace = new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref());
    if (this.socket.readyState === WebSocket.OPEN) {
      void this.request({ type: 'close', id: 0 }, 'closed').catch(() => undefined);
      await Promise.race([closed, grace]);
    }
    this.stop('the session is closed');
    this.socket.terminate();
  }

  private request(request: Request, expects: Reply['type']): Promise<Reply> {
    if (this.stopped !== null) return Promise.reject(new WsRequestError(this.stopped));
    const id = this.nextId++;
    const withId = { ...request, id };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { request: withId, expects, resolve, reject });
      // While the connection is down the request waits, and goes out on resume.
      if (this.socket.readyState === WebSocket.OPEN) this.transmit(withId);
    });
  }

  private transmit(request: Request): void {
    this.acked = this.lastSeq;
    this.socket.send(JSON.stringify({ ...request, ack: this.lastSeq }));
  }

  private listen(opened: Opened): void {
    const socket = opened.socket;
    socket.on('message', (data, isBinary) => this.receive(socket, data as Buffer, isBinary));
    socket.on('close', (code, reason) => this.closed(socket, code, reason.toString()));
    socket.on('error', () => {});
    for (const message of opened.early) this.handle(message);
  }

  private receive(socket: WebSocket, data: Buffer, isBinary: boolean): void {
    if (socket !== this.socket) return;
    if (isBinary) {
      this.options.onProblem?.('the lab daemon sent a binary frame, which is not part of the protocol; ignored');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch {
      this.options.onProblem?.('the lab daemon sent a message that is not JSON; ignored');
      return;
    }
    this.handle(value);
  }

  private handle(value: unknown): void {
    const parsed = DaemonMessageSchema.safeParse(value);
    if (!parsed.success) {
      this.options.onProblem?.(`the lab daemon sent an invalid message (${describeZodIssues(parsed.error)}); ignored`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'event') this.clock.heard(message.event.t);
    else if (message.type === 'sent') this.clock.heard(message.result.t);
    if (message.type === 'bye') {
      this.bye = message;
      return;
    }
    if (message.type === 'welcome') return;
    // A replay after a resume can repeat what already came.
    if (message.seq <= this.lastSeq) return;
    this.lastSeq = message.seq;
    this.scheduleAck();
    if (message.type === 'event') {
      this.deliver(fromWireEvent(message.event));
      return;
    }
    const waiting = this.pending.get(message.id);
    if (waiting === undefined) return;
    this.pending.delete(message.id);
    if (message.type === 'rejected') waiting.reject(new WsRequestError(message.reason));
    else if (message.type !== waiting.expects) waiting.reject(new WsRequestError(`the lab daemon answered ${message.type} to a request for ${waiting.expects}`));
    else waiting.resolve(message);
  }

  private deliver(event: NetEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A listener's bug is its own: it surfaces, and the others still hear the event.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private scheduleAck(): void {
    if (this.lastSeq - this.acked >= ACK_EVERY) {
      this.sendAck();
      return;
    }
    this.ackTimer ??= setTimeout(() => this.sendAck(), ACK_AFTER_MS);
  }

  private sendAck(): void {
    if (this.ackTimer !== null) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    if (this.socket.readyState !== WebSocket.OPEN || this.acked === this.lastSeq) return;
    this.acked = this.lastSeq;
    this.socket.send(JSON.stringify({ type: 'ack', seq: this.lastSeq }));
  }

  private closed(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket || this.stopped !== null) return;
    if (this.closing) {
      this.stop('the session is closed');
      return;
    }
    if (this.bye !== null) {
      this.stop(`the lab daemon ended the session: ${this.bye.reason}`);
      this.options.onProblem?.(`the lab daemon ended the session: ${this.bye.reason}`);
      return;
    }
    if ((this.options.resume ?? true) && RESUMABLE.has(code) && this.limits.graceMs > 0) {
      void this.resume(code);
      return;
    }
    const why = `the connection to the lab daemon closed (${code}${reason ? `: ${reason}` : ''})`;
    this.stop(why);
    this.options.onProblem?.(why);
  }

  /** Tries again and again, backing off, until the daemon's grace period has passed. */
  private async resume(code: number): Promise<void> {
    const lostAt = clock();
    const deadline = lostAt + this.limits.graceMs;
    this.options.onProblem?.(`the connection to the lab daemon dropped (${code}); resuming session ${this.session.slice(0, 8)}...`);
    let delay = 100;
    let last = '';
    while (clock() < deadline && this.stopped === null && !this.closing) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 2_000);
      const hello: Hello = {
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        token: this.options.token,
        ...(this.options.client !== undefined ? { client: this.options.client } : {}),
        resume: { session: this.session, secret: this.secret, after: this.lastSeq },
      };
      try {
        const opened = await open(this.url, hello, { ...this.options, connectTimeoutMs: Math.max(1_000, Math.min(this.options.connectTimeoutMs ?? 10_000, deadline - clock())) });
        if (this.stopped !== null || this.closing) {
          opened.socket.terminate();
          return;
        }
        this.socket = opened.socket;
        this.secret = opened.welcome.secret;
        this.clock.heard(opened.welcome.now, opened.receivedAt);
        this.bye = null;
        this.acked = this.lastSeq;
        this.listen(opened);
        // The daemon drops any of these it already had; the rest are carried out now.
        for (const { request } of [...this.pending.values()]) this.transmit(request);
        const missed = opened.welcome.missed > 0 ? `; ${opened.welcome.missed} messages from meanwhile were lost` : '';
        this.options.onProblem?.(`resumed session ${this.session.slice(0, 8)} after ${((clock() - lostAt) / 1000).toFixed(1)} s${missed}`);
        return;
      } catch (error) {
        last = (error as Error).message;
        // The daemon is there and says the session is gone: no use trying again.
        if (error instanceof WsConnectError && error.code !== null) break;
      }
    }
    if (this.stopped !== null || this.closing) return;
    const why = `the connection to the lab daemon dropped and the session could not be resumed: ${last || 'the grace period passed'}`;
    this.stop(why);
    this.options.onProblem?.(why);
  }

  private stop(reason: string): void {
    if (this.stopped !== null) return;
    this.stopped = reason;
    if (this.ackTimer !== null) clearTimeout(this.ackTimer);
    for (const waiting of this.pending.values()) waiting.reject(new WsRequestError(reason));
    this.pending.clear();
  }
}

function parseUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WsConnectError(`'${String(url)}' is not a URL: a remote lab is ws://HOST:PORT or wss://HOST:PORT`, null);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new WsConnectError(`a remote lab's URL starts with ws:// or wss://, not ${parsed.protocol}//`, null);
  }
  return parsed;
}

/** Opens a connection and says hello; resolves with the welcome, or rejects saying why not. */
function open(url: URL, hello: Hello, options: WsNetworkOptions): Promise<Opened> {
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      maxPayload: 8 * MAX_MESSAGE_BYTES,
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
    });
    let bye: Bye | null = null;
    let welcome: Omit<Opened, 'early'> | null = null;
    const early: unknown[] = [];
    let settled = false;
    const fail = (message: string, code: number | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.terminate();
      reject(new WsConnectError(message, code));
    };
    const timer = setTimeout(() => fail(`the lab daemon at ${url.host} did not answer within ${timeoutMs} ms`, null), timeoutMs);
    socket.on('open', () => {
      socket.send(JSON.stringify(hello));
    });
    const onMessage = (data: Buffer): void => {
      let value: unknown;
      try {
        value = JSON.parse(data.toString('utf8'));
      } catch {
        return fail(`the server at ${url.host} is not a tcplab lab daemon (it sent something that is not JSON)`, null);
      }
      if (welcome !== null) {
        early.push(value);
        return;
      }
      const parsed = DaemonMessageSchema.safeParse(value);
      if (!parsed.success) return fail(`the lab daemon at ${url.host} sent an invalid welcome: ${describeZodIssues(parsed.error)}`, null);
      if (parsed.data.type === 'bye') {
        bye = parsed.data;
        return;
      }
      if (parsed.data.type !== 'welcome') return fail(`the lab daemon at ${url.host} spoke before its welcome`, null);
      welcome = { socket, welcome: parsed.data, receivedAt: clock() };
      // Whatever follows in this same turn (a resume's replay) is kept for the network to read.
      setImmediate(() => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off('message', onMessage);
        socket.off('close', onClose);
        resolve({ ...welcome!, early });
      });
    };
    const onClose = (code: number, reason: Buffer): void => {
      const said = bye?.reason ?? reason.toString();
      if (bye !== null || code >= 4000) return fail(`the lab daemon refused the session: ${said}`, bye?.code ?? code);
      if (code === CloseCode.tooBig) return fail(`the lab daemon closed the connection: ${said || 'a message was too big'}`, code);
      fail(`the connection to the lab daemon at ${url.host} closed before the welcome (${code}${said ? `: ${said}` : ''})`, null);
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body = (body + chunk.toString()).slice(0, 300)));
      response.on('end', () => {
        // A daemon that cannot take the connection says why in the body (503); anything else is not a lab daemon.
        const said = response.statusCode === 503 && body.trim() !== '' ? `: ${body.trim()}` : ' instead of a WebSocket: is it a tcplab lab daemon?';
        fail(`the server at ${url.host} answered HTTP ${response.statusCode}${said}`, null);
      });
      response.on('error', () => fail(`the server at ${url.host} answered HTTP ${response.statusCode}`, null));
    });
    socket.on('error', (error) => fail(`cannot reach the lab daemon at ${url.host}: ${error.message}`, null));
  });
}

/** Connects to the lab daemon at `url` (ws:// or wss://) and starts a session: a lab of the learner's own. */
export function connectWsNetwork(url: string | URL, options: WsNetworkOptions): Promise<WsNetwork> {
  return WsNetwork.connect(url, options);
}
