import { z } from 'zod';
import { ServerBehaviourSpecSchema } from '../../server/behaviour.js';
import { AppEventKindSchema, EndpointSchema, MAX_PACKET_BYTES, PortRangeSchema, SendResultSchema, TcpStateSchema } from '../lab/lab-protocol.js';

// The remote lab's protocol: what a client (tcplab --net ws://...) and the lab daemon
// (tcplab lab serve) say to each other over one WebSocket. Every message is one JSON text
// frame; bytes travel as base64. Each side parses everything it receives with these schemas
// before acting on it. docs/lab-protocol.md describes the same thing for other clients.

/** Bumped whenever a message changes shape; the daemon refuses any other version. */
export const PROTOCOL_VERSION = 1;

/** How long a packet's base64 text can be: 4 characters for every 3 bytes, padded. */
const MAX_PACKET_BASE64 = Math.ceil(MAX_PACKET_BYTES / 3) * 4;

/**
 * The largest frame either side accepts, in bytes: a full-size packet in base64 and the
 * JSON around it, with room to spare. A longer frame is closed with 1009 before it is read.
 */
export const MAX_MESSAGE_BYTES = 128 * 1024;

/** Close codes: the WebSocket's own (1000-1011) and the protocol's (4000-4999). */
export const CloseCode = {
  /** The learner closed the session, or the daemon ended it as asked. */
  normal: 1000,
  /** The daemon is shutting down. */
  goingAway: 1001,
  /** A frame longer than MAX_MESSAGE_BYTES (sent by the ws library itself). */
  tooBig: 1009,
  unauthorized: 4001,
  unsupportedVersion: 4002,
  badMessage: 4003,
  unknownSession: 4004,
  full: 4005,
  idle: 4006,
  labFailed: 4007,
  /** The same session was resumed on another connection. */
  replaced: 4008,
  flood: 4009,
  helloTimeout: 4010,
} as const;

const requestId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const time = z.number().finite();
/** Opaque ids and secrets the daemon hands out: base64url, bounded. */
const opaque = z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, { message: 'expected base64url text' });
const packetBase64 = z.base64().min(1).max(MAX_PACKET_BASE64, { message: `a packet is at most ${MAX_PACKET_BYTES} bytes` });
/** Application data read by a bundled socket: one read, bounded like a packet. */
const dataBase64 = z.base64().max(4 * MAX_PACKET_BASE64);
/** Every message but hello may say which daemon messages have arrived, so the daemon forgets them. */
const ack = seq.optional();

// Client to daemon.

export const ResumeSchema = z.strictObject({
  session: opaque,
  secret: opaque,
  /** The last seq received; everything after it is sent again. */
  after: seq,
});

/** The first message on every connection, and only the first. */
export const HelloSchema = z.strictObject({
  type: z.literal('hello'),
  protocol: z.number().int(),
  token: z.string().min(1).max(1024),
  /** What the client is, for the daemon's log: "tcplab 0.1.0". */
  client: z.string().max(200).optional(),
  resume: ResumeSchema.optional(),
});
export type Hello = z.infer<typeof HelloSchema>;

export const ClientRequestSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('send'), id: requestId, bytes: packetBase64, ack }),
  z.strictObject({ type: z.literal('set-server'), id: requestId, behaviour: ServerBehaviourSpecSchema, ack }),
  z.strictObject({ type: z.literal('connect'), id: requestId, target: EndpointSchema, ack }),
  /** End the session: the lab is destroyed, the daemon answers 'closed' and closes with 1000. */
  z.strictObject({ type: z.literal('close'), id: requestId, ack }),
  z.strictObject({ type: z.literal('ack'), seq }),
]);
export type ClientRequest = z.infer<typeof ClientRequestSchema>;

// Daemon to client.

export const WireEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('packet'), t: time, dir: z.enum(['out', 'in']), bytes: packetBase64 }),
  z.strictObject({
    type: z.literal('app'),
    t: time,
    kind: AppEventKindSchema,
    local: EndpointSchema,
    remote: EndpointSchema.nullable(),
    data: dataBase64.optional(),
    message: z.string().max(4096).optional(),
  }),
  z.strictObject({
    type: z.literal('state'),
    t: time,
    local: EndpointSchema,
    remote: EndpointSchema,
    from: TcpStateSchema.nullable(),
    to: TcpStateSchema,
  }),
]);
export type WireEvent = z.infer<typeof WireEventSchema>;

const address = z.union([z.ipv4(), z.ipv6()]);

export const WsNetworkInfoSchema = z.strictObject({
  kind: z.literal('ws'),
  description: z.string().max(1000),
  learner: z.strictObject({ addr4: address, addr6: address, ports: PortRangeSchema }),
  server: z.strictObject({ addr4: address, addr6: address }),
});

export type WsNetworkInfo = z.infer<typeof WsNetworkInfoSchema>;

export const LimitsSchema = z.strictObject({
  maxMessageBytes: z.number().int().positive(),
  packetsPerSecond: z.number().positive(),
  packetBurst: z.number().int().positive(),
  messagesPerSecond: z.number().positive(),
  /** How long the lab waits for a dropped connection to come back. */
  graceMs: z.number().int().min(0),
  /** How long a session may go without a request before it is ended. */
  idleTimeoutMs: z.number().int().positive(),
});
export type Limits = z.infer<typeof LimitsSchema>;

export const WelcomeSchema = z.strictObject({
  type: z.literal('welcome'),
  protocol: z.literal(PROTOCOL_VERSION),
  session: opaque,
  /** Proves the right to resume this session: keep it as private as the token. */
  secret: opaque,
  resumed: z.boolean(),
  /** Messages that came while the connection was down and were kept no longer (0 but after a very long gap). */
  missed: z.number().int().min(0),
  /** The daemon's clock, in ms, when it sent this: events carry times on that clock. */
  now: time,
  info: WsNetworkInfoSchema,
  limits: LimitsSchema,
});
export type Welcome = z.infer<typeof WelcomeSchema>;

/** Every message after the welcome has a seq, counting from 1, that a resume refers to. */
export const SequencedMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('event'), seq, event: WireEventSchema }),
  z.strictObject({ type: z.literal('sent'), seq, id: requestId, result: SendResultSchema }),
  z.strictObject({ type: z.literal('server-set'), seq, id: requestId, port: z.number().int().min(0).max(0xffff) }),
  /** The bundled client's SYN is on its way. */
  z.strictObject({ type: z.literal('connecting'), seq, id: requestId }),
  z.strictObject({ type: z.literal('closed'), seq, id: requestId }),
  /** A request that was understood but could not be carried out, and why. */
  z.strictObject({ type: z.literal('rejected'), seq, id: requestId, reason: z.string().max(4096) }),
]);
export type SequencedMessage = z.infer<typeof SequencedMessageSchema>;

/** The daemon's last word before it closes the connection: the whole reason (a close frame holds 123 bytes). */
export const ByeSchema = z.strictObject({ type: z.literal('bye'), code: z.number().int().min(1000).max(4999), reason: z.string().max(4096) });
export type Bye = z.infer<typeof ByeSchema>;

export const DaemonMessageSchema = z.union([WelcomeSchema, ByeSchema, SequencedMessageSchema]);
export type DaemonMessage = z.infer<typeof DaemonMessageSchema>;

/** A close frame's reason holds at most 123 bytes of UTF-8: cut a longer one at a character. */
export function closeReason(reason: string): string {
  const bytes = Buffer.from(reason, 'utf8');
  if (bytes.length <= 123) return reason;
  let end = 120;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return `${bytes.subarray(0, end).toString('utf8')}...`;
}

/** One line naming each field that was wrong and why, as zod found it. */
export function describeZodIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'message'}: ${issue.message}`)
    .join('; ');
}
