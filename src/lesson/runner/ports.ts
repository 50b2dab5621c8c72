// Learner ports for lesson runs on one network. A kernel remembers a connection long after a
// lesson is done with it (an echo server's socket stays ESTABLISHED, TIME-WAIT lasts a
// minute), so each run, and each fresh start within a run, takes a port no earlier run on
// that network has used, going round the network's learner ports.

import type { Network } from '../../net/network.js';

const lastTaken = new WeakMap<Network, number>();
const inUse = new WeakMap<Network, Set<number>>();

/** The next port for a run on `network`, past every port taken on it so far, and not held by a live run. */
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

/** A port a run no longer uses: it may be taken again once the others have gone round. */
export function releasePort(network: Network, port: number): void {
  inUse.get(network)?.delete(port);
}
