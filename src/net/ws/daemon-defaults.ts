/**
 * The lab daemon's limits when `tcplab lab serve` is given none. Apart from the launcher so
 * that `tcplab help lab` can quote them without loading the daemon.
 */
export const DAEMON_DEFAULTS = {
  maxSessions: 200,
  idleTimeoutMs: 30 * 60_000,
  graceMs: 60_000,
  packetsPerSecond: 100,
  helloTimeoutMs: 10_000,
  maxPendingConnections: 64,
  pingIntervalMs: 30_000,
} as const;
