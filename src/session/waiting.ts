import type { Network } from '../net/network.js';

/**
 * Virtual time is let pass in steps this long, so that waiting stops within a millisecond of
 * the packet it waits for, and what the simulated kernel would do later (a delayed ACK, a
 * retransmission) has not happened yet when the command returns. Finer than a jiffy (4 ms),
 * the granularity of the simulated kernel's timers.
 */
const VIRTUAL_STEP_MS = 1;

/** Tells waiters that the session has taken in another event. */
export class ArrivalSignal {
  private waiters: Array<() => void> = [];

  /** Resolves at the next arrival. */
  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Lets events already on their way in (a queued microtask, a ready socket) arrive. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Lets the network's time pass until `done()` holds, checking after every arrival, for at
 * most `timeoutMs` on the network's clock. Returns whether `done()` held. On a real clock it
 * wakes the moment an event arrives; on sim's virtual clock it advances in small steps,
 * because advancing is instant and fires everything due on the way.
 */
export async function waitUntil(network: Network, arrivals: ArrivalSignal, done: () => boolean, timeoutMs: number): Promise<boolean> {
  if (done()) return true;
  const deadline = network.now() + timeoutMs;
  if (network.info.kind === 'sim') {
    // Sim reports events in a microtask after the call that caused them: let those in first.
    await settle();
    if (done()) return true;
    while (network.now() < deadline) {
      await network.wait(Math.min(VIRTUAL_STEP_MS, deadline - network.now()));
      await settle();
      if (done()) return true;
    }
    return false;
  }
  for (;;) {
    const remaining = deadline - network.now();
    if (remaining <= 0) return done();
    const arrived = await arrivalOrTimeout(arrivals, remaining);
    if (done()) return true;
    if (!arrived) return false;
  }
}

/**
 * Our own timer rather than network.wait(): it is cleared when the event comes first, so a
 * finished wait leaves nothing behind to keep the process alive.
 */
function arrivalOrTimeout(arrivals: ArrivalSignal, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    // The network's own handles keep the process alive while it is open; a learner who quits
    // mid-wait closes it, and this timer must not hold the process until it runs out.
    timer.unref();
    void arrivals.next().then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
