import type { PortRange } from '../lab/lab-protocol.js';

// A lab daemon's namespace is shared by its learners, each in a slot: a block of ports of
// their own. The whole pool is reserved in the namespace (the kernel never picks one of its
// ports for a socket of its own) and covered by the firewall rule that drops the kernel's
// resets from learner ports.

export const POOL: PortRange = { first: 20000, last: 59999 };
/** Ports per learner: a session moves to the next one on each reset, so a hundred last a long lesson. */
export const SLOT_PORTS = 100;
/** Learners one namespace can hold at once. */
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
