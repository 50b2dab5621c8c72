import { z } from 'zod';
import { ServerBehaviourSpecSchema } from '../../server/behaviour.js';
import { EndpointSchema, LabEventSchema, MAX_PACKET_BYTES, PortRangeSchema, SendResultSchema } from '../lab/lab-protocol.js';
import type { PortRange } from '../lab/lab-protocol.js';

// Between the lab daemon and one shared lab host: a host process in a network namespace of
// its own that serves many learners at once, each in a slot, a block of ports of their own.
// The frames are the local lab's (lab-channel.ts), and as there, each side parses what it
// receives with these schemas before acting on it.

/** Every learner port of a shared host: reserved in its namespace, guarded by its firewall rule. */
export const POOL: PortRange = { first: 20000, last: 59999 };
/** Ports per learner: a session moves to the next one on each reset, so a hundred last a long lesson. */
export const SLOT_PORTS = 100;
export const SLOT_COUNT = (POOL.last - POOL.first + 1) / SLOT_PORTS;

export function slotPorts(slot: number): PortRange {
  const first = POOL.first + slot * SLOT_PORTS;
  return { first, last: first + SLOT_PORTS - 1 };
}

/** The slot a port belongs to, or -1 for a port outside the pool. */
export function slotOfPort(port: number): number {
  if (port < POOL.first || port > POOL.last) return -1;
  return Math.floor((port - POOL.first) / SLOT_PORTS);
}

const slot = z.number().int().min(0).max(SLOT_COUNT - 1);
const requestId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, { message: 'expected bytes (a Uint8Array)' });
const packetBytes = bytes.refine((b) => b.length <= MAX_PACKET_BYTES, { message: `a packet is at most ${MAX_PACKET_BYTES} bytes` });

/** Daemon to host. */
export const SharedRequestSchema = z.discriminatedUnion('type', [
  /** A learner moves into a free slot: from now on its ports' traffic is reported to it. */
  z.object({ type: z.literal('open'), id: requestId, slot }),
  z.object({ type: z.literal('send'), id: requestId, slot, bytes: packetBytes }),
  z.object({ type: z.literal('set-server'), id: requestId, slot, behaviour: ServerBehaviourSpecSchema }),
  z.object({ type: z.literal('connect'), id: requestId, slot, target: EndpointSchema }),
  /** The learner is gone: abort its connections, forget its state, report the slot once clean. */
  z.object({ type: z.literal('release'), id: requestId, slot }),
  /** Close everything and exit: the namespace goes with the process. */
  z.object({ type: z.literal('shutdown'), id: requestId }),
]);
export type SharedRequest = z.infer<typeof SharedRequestSchema>;

export const SharedReadySchema = z.object({
  type: z.literal('ready'),
  pid: z.number().int().positive(),
  firewall: z.enum(['nft', 'iptables']),
  userNamespace: z.boolean(),
  /** False on a kernel without IPv6: the lab then runs IPv4 only. */
  ipv6: z.boolean(),
  pool: PortRangeSchema,
  slotPorts: z.number().int().positive(),
});
export type SharedReady = z.infer<typeof SharedReadySchema>;

/** Host to daemon. */
export const SharedMessageSchema = z.discriminatedUnion('type', [
  SharedReadySchema,
  z.object({ type: z.literal('failed'), stage: z.string(), message: z.string(), fix: z.string().optional() }),
  z.object({ type: z.literal('event'), slot, event: LabEventSchema }),
  /**
   * A released slot has nothing left in the kernel (no TIME-WAIT, no half-open socket on its
   * ports): the next learner there starts from nothing.
   */
  z.object({ type: z.literal('slot-free'), slot }),
  z.object({ type: z.literal('opened'), id: requestId }),
  z.object({ type: z.literal('sent'), id: requestId, result: SendResultSchema }),
  z.object({ type: z.literal('server-set'), id: requestId, port: z.number().int().min(0).max(0xffff) }),
  z.object({ type: z.literal('connecting'), id: requestId }),
  z.object({ type: z.literal('released'), id: requestId }),
  z.object({ type: z.literal('rejected'), id: requestId.nullable(), message: z.string() }),
]);
export type SharedMessage = z.infer<typeof SharedMessageSchema>;

/** The flag that carries the host's options (JSON) on its command line. */
export const SHARED_HOST_OPTIONS_FLAG = '--shared-lab-options';

export const SharedHostOptionsSchema = z.object({
  mark: z.number().int().min(1).max(0xffffffff),
  userNamespace: z.boolean(),
});
export type SharedHostOptions = z.infer<typeof SharedHostOptionsSchema>;
