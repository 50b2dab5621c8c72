import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { LabEvent } from '../lab/lab-protocol.js';
import { fromBase64, toWireEvent } from './event-wire.js';
import { packetRefusal } from './packet-guard.js';
import {
  type ByeSchema,
  type ClientRequest,
  ClientRequestSchema,
  CloseCode,
  closeReason,
  describeZodIssues,
  type Limits,
  PROTOCOL_VERSION,
  type SequencedMessage,
  type Welcome,
  type WsNetworkInfo,
} from './protocol.js';
import type { LabTenant } from './lab-space.js';
import { POOL } from './slots.js';
import { TokenBucket } from './token-bucket.js';
import type { z } from 'zod';

// One learner's session on the daemon: their lab (a slot on a shared host), the connection
// they are on (or none, for a grace period after it dropped), and everything the daemon has
// said since their last acknowledgement, so that a resumed connection misses nothing.

/** Kept for a dropped connection: a long lesson's worth of events, but bounded. */
const OUTBOX_MESSAGES = 4096;
const OUTBOX_BYTES = 2 * 1024 * 1024;

type Unsequenced = SequencedMessage extends infer M ? (M extends SequencedMessage ? Omit<M, 'seq'> : never) : never;

export interface SessionEnd {
  code: number;
  reason: string;
}

export interface LearnerSessionOptions {
  tenant: LabTenant;
  limits: Limits;
  /** Which token let them in (its line), and from where: for the log. */
  tokenLabel: string;
  peer: string;
  ended: (session: LearnerSession, end: SessionEnd) => void;
}

export class LearnerSession {
  readonly id = randomBytes(12).toString('base64url');
  private readonly secret = randomBytes(24).toString('base64url');
  private readonly secretDigest = digest(this.secret);
  readonly startedAt = Date.now();
  readonly tokenLabel: string;
  readonly peer: string;
  readonly info: WsNetworkInfo;
  private socket: WebSocket | null = null;
  /** Called before each write to the socket: holds writes back to the end of the turn. */
  private hold: () => void = () => {};
  private outbox: Array<{ seq: number; text: string }> = [];
  private outboxBytes = 0;
  private nextSeq = 1;
  /** The highest seq dropped from the outbox unacknowledged: a resume from before it missed some. */
  private droppedThrough = 0;
  private lastRequestId = 0;
  private readonly packets: TokenBucket;
  private readonly messages: TokenBucket;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private graceTimer: ReturnType<typeof setTimeout> | null = null;
  private ending: SessionEnd | null = null;
  resumes = 0;
  packetsSent = 0;

  constructor(private readonly options: LearnerSessionOptions) {
    this.tokenLabel = options.tokenLabel;
    this.peer = options.peer;
    const { ports } = options.tenant;
    this.info = {
      kind: 'ws',
      description: `ws: the Linux kernel on a lab daemon, in a lab of your own; your ports are ${ports.first}-${ports.last}`,
      learner: { addr4: '127.0.0.1', addr6: '::1', ports },
      server: { addr4: '127.0.0.1', addr6: '::1' },
    };
    this.packets = new TokenBucket(options.limits.packetsPerSecond, options.limits.packetBurst);
    this.messages = new TokenBucket(options.limits.messagesPerSecond, options.limits.messagesPerSecond * 2);
    this.touch();
  }

  get connected(): boolean {
    return this.socket !== null;
  }

  get ended(): boolean {
    return this.ending !== null;
  }

  get tenant(): LabTenant {
    return this.options.tenant;
  }

  /** Whether `secret` is this session's, compared in constant time. */
  owns(secret: string): boolean {
    return timingSafeEqual(digest(secret), this.secretDigest);
  }

  /** What the lab reported for this learner. */
  labEvent(event: LabEvent): void {
    this.deliver({ type: 'event', event: toWireEvent(event) });
  }

  /**
   * Puts the session on `socket`: a new one, or a resumed one that missed everything after
   * `after`. A connection the session was still on is told it has been replaced.
   */
  attach(socket: WebSocket, hold: () => void, now: number, after: number | null): void {
    if (this.socket !== null && this.socket !== socket) {
      const old = this.socket;
      this.socket = null;
      sayBye(old, CloseCode.replaced, 'this session was resumed on another connection');
    }
    if (this.graceTimer !== null) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    this.socket = socket;
    this.hold = hold;
    const resumed = after !== null;
    if (resumed) {
      this.resumes += 1;
      this.trim(after);
    }
    const missed = resumed && after < this.droppedThrough ? this.droppedThrough - after : 0;
    const welcome: Welcome = {
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      session: this.id,
      secret: this.secret,
      resumed,
      missed,
      now,
      info: this.info,
      limits: this.options.limits,
    };
    hold();
    socket.send(JSON.stringify(welcome));
    for (const { text } of this.outbox) socket.send(text);
    this.touch();
  }

  /** The connection dropped without a goodbye: keep the lab for the grace period. */
  detach(socket: WebSocket): void {
    if (this.socket !== socket || this.ending !== null) return;
    this.socket = null;
    const { graceMs } = this.options.limits;
    if (graceMs === 0) {
      this.end(CloseCode.normal, 'the connection dropped (no grace period to resume in)');
      return;
    }
    this.graceTimer = setTimeout(() => this.end(CloseCode.normal, `the connection dropped and did not come back within ${graceMs / 1000} s`), graceMs);
  }

  /** Called every ping interval: a connection that did not answer the last ping is taken for dropped. */
  pingOrDrop(alive: WeakSet<WebSocket>): void {
    const socket = this.socket;
    if (socket === null) return;
    if (!alive.has(socket)) {
      socket.terminate();
      return;
    }
    alive.delete(socket);
    socket.ping();
  }

  /** One frame from the learner's connection. A frame that breaks the protocol ends the session. */
  receive(socket: WebSocket, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (socket !== this.socket || this.ending !== null) return;
    if (!this.messages.take()) {
      this.end(CloseCode.flood, `flood: more than ${this.options.limits.messagesPerSecond} messages a second`);
      return;
    }
    if (isBinary) {
      this.end(CloseCode.badMessage, 'bad message: a binary frame (every message is JSON text)');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
    } catch (error) {
      this.end(CloseCode.badMessage, `bad message: not JSON (${(error as Error).message})`);
      return;
    }
    const parsed = ClientRequestSchema.safeParse(value);
    if (!parsed.success) {
      const hello = typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'hello';
      this.end(CloseCode.badMessage, hello ? 'bad message: hello comes once, first' : `bad message: ${describeZodIssues(parsed.error)}`);
      return;
    }
    this.handle(parsed.data);
  }

  /** Ends the session for good: the lab is released, and the learner told why, if connected. */
  end(code: number, reason: string): void {
    if (this.ending !== null) return;
    this.ending = { code, reason };
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    if (this.graceTimer !== null) clearTimeout(this.graceTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket !== null) sayBye(socket, code, reason);
    this.outbox = [];
    this.options.tenant.release();
    this.options.ended(this, this.ending);
  }

  private handle(request: ClientRequest): void {
    if ('ack' in request && request.ack !== undefined) this.trim(request.ack);
    if (request.type === 'ack') {
      this.trim(request.seq);
      return;
    }
    // Ids only grow: one already seen was sent again after a resume, and its reply was kept.
    if (request.id <= this.lastRequestId) return;
    this.lastRequestId = request.id;
    this.touch();
    const { tenant } = this.options;
    switch (request.type) {
      case 'send': {
        const bytes = fromBase64(request.bytes);
        const refusal = this.packets.take()
          ? packetRefusal(bytes, { own: tenant.ports, pool: POOL })
          : `rate limit: a session sends at most ${this.options.limits.packetsPerSecond} packets a second (bursts of ${this.options.limits.packetBurst}); this one was not sent`;
        if (refusal !== null) {
          this.deliver({ type: 'sent', id: request.id, result: { ok: false, t: now(), reason: refusal } });
          return;
        }
        this.packetsSent += 1;
        void tenant.send(bytes).then((result) => this.deliver({ type: 'sent', id: request.id, result }));
        return;
      }
      case 'set-server':
        tenant.setServer(request.behaviour).then(
          ({ port }) => this.deliver({ type: 'server-set', id: request.id, port }),
          (error: Error) => this.deliver({ type: 'rejected', id: request.id, reason: error.message }),
        );
        return;
      case 'connect':
        tenant.connect(request.target).then(
          () => this.deliver({ type: 'connecting', id: request.id }),
          (error: Error) => this.deliver({ type: 'rejected', id: request.id, reason: error.message }),
        );
        return;
      case 'close':
        this.deliver({ type: 'closed', id: request.id });
        this.end(CloseCode.normal, 'closed by the learner');
        return;
    }
  }

  private deliver(message: Unsequenced): void {
    if (this.ending !== null) return;
    const seq = this.nextSeq++;
    const text = JSON.stringify({ ...message, seq });
    this.outbox.push({ seq, text });
    this.outboxBytes += text.length;
    while (this.outbox.length > OUTBOX_MESSAGES || this.outboxBytes > OUTBOX_BYTES) {
      const dropped = this.outbox.shift()!;
      this.outboxBytes -= dropped.text.length;
      this.droppedThrough = dropped.seq;
    }
    if (this.socket !== null) {
      this.hold();
      this.socket.send(text);
    }
  }

  /** Forgets what the learner has acknowledged. */
  private trim(through: number): void {
    let drop = 0;
    while (drop < this.outbox.length && this.outbox[drop]!.seq <= through) {
      this.outboxBytes -= this.outbox[drop]!.text.length;
      drop++;
    }
    if (drop > 0) this.outbox.splice(0, drop);
  }

  private touch(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    const { idleTimeoutMs } = this.options.limits;
    this.idleTimer = setTimeout(() => this.end(CloseCode.idle, `idle: no request for ${idleTimeoutMs / 1000} s, so the session and its lab were closed`), idleTimeoutMs);
  }
}

const now = (): number => performance.timeOrigin + performance.now();

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The whole reason as a message, then the close frame with as much of it as fits. */
export function sayBye(socket: WebSocket, code: number, reason: string): void {
  const bye: z.infer<typeof ByeSchema> = { type: 'bye', code, reason };
  if (socket.readyState === socket.OPEN) {
    socket.send(JSON.stringify(bye));
    socket.close(code, closeReason(reason));
  }
  // A peer that never answers the close frame is cut off.
  setTimeout(() => socket.terminate(), 2_000).unref();
}
