// Learner ports for the sessions that share one network: lesson runs and REPLs opened one
// after another from the home screen. A kernel remembers a connection long after a session
// is done with it (an echo server's socket stays ESTABLISHED, a half-open one keeps sending
// its SYN-ACK, TIME-WAIT lasts a minute), so each session, and each fresh start within a
// lesson run, takes a port no earlier one on that network has used, going round the
// network's learner ports.

import type { Network } from '../net/network.js';

const lastTaken = new WeakMap<Network, number>();
const inUse = new WeakMap<Network, Set<number>>();

/** The next port for a session on `network`, past every port taken on it so far, and not held by a live one. */
export function takePort(network: Network): number {
  const { first, last } = network.info.learner.ports;
  const held = inUse.get(network) ?? new Set<number>();
  inUse.set(network, held);
  let port = lastTaken.get(network) ?? first - 1;
  for (let tries = 0; tries <= last - first; tries++) {
    port = port >= last ? first : port + 1;
    if (!held.has(port)) break;
  }
  lastTaken.set(network, port);
  held.add(port);
  return port;
}

/** A port a session no longer uses: it may be taken again once the others have gone round. */
export function releasePort(network: Network, port: number): void {
  inUse.get(network)?.delete(port);
}
