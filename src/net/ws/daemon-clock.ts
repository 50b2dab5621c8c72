// The lab daemon's clock as the learner's side can know it. Events carry times on the
// daemon's clock, and a session counts them from the moment it began, read on this clock: if
// this clock ever read ahead of the daemon's, a packet that came after the session began would
// be shown before it (a SYN at -0.002 s). So it is never estimated from the middle of a round
// trip, which is ahead whenever the way back was the shorter; it is the latest time the
// daemon is known to have reached: a time the daemon stamped had passed by the moment the
// message carrying it arrived here.

const localClock = (): number => performance.timeOrigin + performance.now();

/**
 * How fast the two clocks may drift apart, as a fraction: 100 ppm, wider than a quartz
 * clock's error without NTP. A bound learned a while ago is let fall behind at this rate, so
 * that a daemon whose clock runs slower than ours is not overtaken between messages.
 */
export const MAX_CLOCK_DRIFT = 100e-6;

/** How far the daemon's clock is sure to move while ours moves by 1. */
const RATE = 1 - MAX_CLOCK_DRIFT;

export class DaemonClock {
  /** The best lower bound on the daemon's clock so far, and the local time it held at. */
  private daemonAt: number;
  private localAt: number;

  /**
   * `daemonTime`: what the daemon's clock read when it sent its welcome, which arrived here
   * at `receivedAt` (local time, on `local`).
   */
  constructor(
    daemonTime: number,
    receivedAt: number,
    private readonly local: () => number = localClock,
  ) {
    this.daemonAt = daemonTime;
    this.localAt = receivedAt;
  }

  /** The daemon's clock now, never ahead of it: it only moves forward. */
  now(): number {
    return this.boundAt(this.local());
  }

  /**
   * A time the daemon stamped on something that has arrived: its clock had passed `daemonTime`
   * by `receivedAt` (now, unless said), so this clock need read no less from then on.
   */
  heard(daemonTime: number, receivedAt: number = this.local()): void {
    // Both bounds age alike, so the one that reads later at `receivedAt` reads later from then on.
    if (!Number.isFinite(daemonTime) || daemonTime <= this.boundAt(receivedAt)) return;
    this.daemonAt = daemonTime;
    this.localAt = receivedAt;
  }

  private boundAt(local: number): number {
    return this.daemonAt + (local - this.localAt) * RATE;
  }
}
