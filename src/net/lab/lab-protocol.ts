import { z } from 'zod';
import { ServerBehaviourSpecSchema } from '../../server/behaviour.js';
import { TCP_STATES } from '../network.js';

// Every message between a LabNetwork and its lab host, in both directions. The host runs in
// another process (and may one day sit behind a WebSocket), so nothing crosses unchecked:
// each side parses what it receives with these schemas before acting on it.

/** IP packets never exceed 65,535 bytes; anything longer is not a packet. */
export const MAX_PACKET_BYTES = 0xffff;

const port = z.number().int().min(0).max(0xffff);
const requestId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const time = z.number().finite();
/** Any Uint8Array (a Buffer is one), whatever memory it views. */
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, { message: 'expected bytes (a Uint8Array)' });
const packetBytes = bytes.refine((bytes) => bytes.length <= MAX_PACKET_BYTES, { message: `a packet is at most ${MAX_PACKET_BYTES} bytes` });

/** An empty address stands for one the kernel no longer tells (a socket already destroyed). */
export const EndpointSchema = z.object({ addr: z.union([z.ipv4(), z.ipv6(), z.literal('')]), port });

export const PortRangeSchema = z
  .object({ first: port.min(1), last: port.min(1) })
  .refine((range) => range.first <= range.last, { message: 'the first port of a range cannot come after its last' });
export type PortRange = z.infer<typeof PortRangeSchema>;

export const TcpStateSchema = z.enum(TCP_STATES);

export const AppEventKindSchema = z.enum(['listening', 'accepted', 'connected', 'received', 'peer-closed', 'closed', 'error']);

/** A NetEvent as the host sends it: packets travel as bytes and are decoded by the receiver. */
export const LabEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('packet'), t: time, dir: z.enum(['out', 'in']), bytes: packetBytes }),
  z.object({
    type: z.literal('app'),
    t: time,
    kind: AppEventKindSchema,
    local: EndpointSchema,
    remote: EndpointSchema.nullable(),
    data: bytes.optional(),
    message: z.string().optional(),
  }),
  z.object({
    type: z.literal('state'),
    t: time,
    local: EndpointSchema,
    remote: EndpointSchema,
    from: TcpStateSchema.nullable(),
    to: TcpStateSchema,
  }),
]);
export type LabEvent = z.infer<typeof LabEventSchema>;

export const SendResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), t: time }),
  z.object({ ok: z.literal(false), t: time, reason: z.string() }),
]);

/** Parent to host. Every request carries an id that its reply repeats. */
export const LabRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('send'), id: requestId, bytes: packetBytes }),
  z.object({ type: z.literal('set-server'), id: requestId, behaviour: ServerBehaviourSpecSchema }),
  z.object({ type: z.literal('connect'), id: requestId, target: EndpointSchema }),
  z.object({ type: z.literal('close'), id: requestId }),
]);
export type LabRequest = z.infer<typeof LabRequestSchema>;

/** What the host found while setting up its namespace, reported once before any event. */
export const LabReadySchema = z.object({
  type: z.literal('ready'),
  pid: z.number().int().positive(),
  firewall: z.enum(['nft', 'iptables']),
  userNamespace: z.boolean(),
  /** False on a kernel without IPv6: the lab is then IPv4 only. */
  ipv6: z.boolean(),
  ports: PortRangeSchema,
  mark: z.number().int().min(1).max(0xffffffff),
});
export type LabReady = z.infer<typeof LabReadySchema>;

/** Host to parent. */
export const LabMessageSchema = z.discriminatedUnion('type', [
  LabReadySchema,
  /** Setting up the namespace failed at `stage`; the host exits after sending this. */
  z.object({ type: z.literal('failed'), stage: z.string(), message: z.string(), fix: z.string().optional() }),
  z.object({ type: z.literal('event'), event: LabEventSchema }),
  z.object({ type: z.literal('sent'), id: requestId, result: SendResultSchema }),
  z.object({ type: z.literal('server-set'), id: requestId, port }),
  /** The bundled client's connect() has been issued: its SYN is on its way. */
  z.object({ type: z.literal('connecting'), id: requestId }),
  z.object({ type: z.literal('closed'), id: requestId }),
  /** A request that could not be carried out (or could not even be read: then id is null). */
  z.object({ type: z.literal('rejected'), id: requestId.nullable(), message: z.string() }),
]);
export type LabMessage = z.infer<typeof LabMessageSchema>;

/** The host's command line: what the parent decided, validated again on the host's side. */
export const LabHostOptionsSchema = z.object({
  ports: PortRangeSchema,
  mark: z.number().int().min(1).max(0xffffffff),
  userNamespace: z.boolean(),
  /** Which tool installs the rule: nft where present, else iptables, unless one is named. */
  firewall: z.enum(['auto', 'nft', 'iptables']).default('auto'),
});
export type LabHostOptions = z.input<typeof LabHostOptionsSchema>;
