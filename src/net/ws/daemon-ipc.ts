import { z } from 'zod';

// Between `tcplab lab serve` (the launcher, in the host's namespaces) and the lab daemon it
// starts in a network namespace of its own: node's IPC channel, JSON, parsed with these
// schemas on arrival like every other message tcplab receives. The listening socket travels
// with the 'start' message as a handle; a connection the launcher happened to accept travels
// with a 'connection' message.

/** The daemon's settings: everything `tcplab lab serve` was told, in a form that crosses IPC. */
export const DaemonConfigSchema = z.strictObject({
  /** The token file's text: the daemon keeps only their digests. */
  tokens: z.string(),
  tokenSource: z.string(),
  tls: z.strictObject({ cert: z.string(), key: z.string() }).optional(),
  maxSessions: z.number().int().min(1),
  idleTimeoutMs: z.number().int().min(1),
  graceMs: z.number().int().min(0),
  packetsPerSecond: z.number().positive(),
  packetBurst: z.number().int().min(1),
  helloTimeoutMs: z.number().int().min(1),
  maxPendingConnections: z.number().int().min(1),
  pingIntervalMs: z.number().int().min(1),
  mark: z.number().int().min(1).max(0xffffffff),
  userNamespace: z.boolean(),
});
export type DaemonConfig = z.infer<typeof DaemonConfigSchema>;

/** Launcher to daemon. */
export const ToDaemonSchema = z.discriminatedUnion('type', [
  /** Set the namespace up; the handle that comes with it is the listening socket. */
  z.strictObject({ type: z.literal('start'), config: DaemonConfigSchema }),
  /** A connection the launcher accepted before it let go of the socket: serve it. */
  z.strictObject({ type: z.literal('connection') }),
  /** The token file again (SIGHUP): new sessions need one of these. */
  z.strictObject({ type: z.literal('tokens'), tokens: z.string() }),
  /** End every session and exit. */
  z.strictObject({ type: z.literal('stop'), reason: z.string() }),
]);
export type ToDaemon = z.infer<typeof ToDaemonSchema>;

/** Daemon to launcher. */
export const FromDaemonSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('ready'),
    pid: z.number().int().positive(),
    firewall: z.enum(['nft', 'iptables']),
    ipv6: z.boolean(),
  }),
  /** Setting up failed at `stage`; the daemon exits after sending this. */
  z.strictObject({ type: z.literal('failed'), stage: z.string(), message: z.string(), fix: z.string().optional() }),
  /** One line for the log: a session's start or end, the daemon's own news. */
  z.strictObject({ type: z.literal('log'), line: z.string() }),
]);
export type FromDaemon = z.infer<typeof FromDaemonSchema>;
