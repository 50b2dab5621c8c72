/**
 * The simulator's only source of chance (ISNs, timestamp offsets, ephemeral ports, flow
 * labels). Seeded, so a run can be replayed exactly; mulberry32, which is small and good
 * enough for numbers that only need to look unpredictable to a learner.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [first, last]. */
  inRange(first: number, last: number): number {
    return first + (this.u32() % (last - first + 1));
  }
}

/** A seed nobody chose, for a run that need not be replayed. */
export function freshSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}
