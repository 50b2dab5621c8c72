/**
 * Round-trip estimate and retransmission timeout, as Linux keeps them: Jacobson's smoothed
 * RTT and mean deviation, with the deviation term never below TCP_RTO_MIN, so on loopback
 * (RTT near zero) the RTO is 200 ms, and before any sample it is TCP_TIMEOUT_INIT (1 s).
 */
import { RTO_MAX_MS, RTO_MIN_MS, TIMEOUT_INIT_MS } from './linux.js';

export class RttEstimator {
  /** Smoothed RTT in ms; null until the first sample. */
  srtt: number | null = null;
  private mdev = 0;
  private base = TIMEOUT_INIT_MS;

  sample(ms: number): void {
    const m = Math.max(0, ms);
    if (this.srtt === null) {
      this.srtt = m;
      this.mdev = m / 2;
    } else {
      const err = m - this.srtt;
      this.srtt += err / 8;
      this.mdev += (Math.abs(err) - this.mdev) / 4;
    }
    this.base = Math.min(RTO_MAX_MS, this.srtt + Math.max(4 * this.mdev, RTO_MIN_MS));
  }

  /** The RTO before back-off. */
  get rto(): number {
    return this.base;
  }

  /** The RTO after `backoff` consecutive timeouts: doubled each time, capped at TCP_RTO_MAX. */
  backedOff(backoff: number): number {
    return Math.min(RTO_MAX_MS, this.base * 2 ** backoff);
  }
}
