/**
 * The only clock a behaviour reads: the slow reader's rests. Injected, so the simulator's
 * virtual clock can drive the same behaviour the real server runs on wall time.
 */
export interface BehaviourClock {
  /** Calls `fire` once, `ms` milliseconds from now on this clock; the result cancels it. */
  after(ms: number, fire: () => void): () => void;
}

/** Wall time, for the bundled server on a real kernel. */
export const wallClock: BehaviourClock = {
  after(ms, fire) {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  },
};
