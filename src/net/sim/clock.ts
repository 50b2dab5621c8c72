/**
 * Virtual time in milliseconds. Nothing moves it but advance(), so a test that waits a
 * minute of TIME-WAIT takes no time at all, and two runs with the same input fire the same
 * timers in the same order.
 */
export interface TimerHandle {
  /** When it fires, on this clock. */
  readonly at: number;
  cancel(): void;
}

interface Timer {
  at: number;
  order: number;
  fire: () => void;
  cancelled: boolean;
}

export class VirtualClock {
  private time = 0;
  private order = 0;
  /** Sorted by time, then by when they were set: equal times fire first-come first-served. */
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  after(ms: number, fire: () => void): TimerHandle {
    return this.at(this.time + Math.max(0, ms), fire);
  }

  at(time: number, fire: () => void): TimerHandle {
    const timer: Timer = { at: Math.max(time, this.time), order: this.order++, fire, cancelled: false };
    let low = 0;
    let high = this.timers.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const other = this.timers[mid]!;
      if (other.at < timer.at || (other.at === timer.at && other.order < timer.order)) low = mid + 1;
      else high = mid;
    }
    this.timers.splice(low, 0, timer);
    return {
      at: timer.at,
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        const index = this.timers.indexOf(timer);
        if (index !== -1) this.timers.splice(index, 1);
      },
    };
  }

  /** Moves time forward by ms, firing every timer due on the way at its own time, in order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const next = this.timers[0];
      if (next === undefined || next.at > target) break;
      this.timers.shift();
      this.time = next.at;
      next.cancelled = true;
      next.fire();
    }
    this.time = target;
  }

  /** How many timers are waiting: lets a test see that a socket left nothing behind. */
  get pending(): number {
    return this.timers.length;
  }
}
