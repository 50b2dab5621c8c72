import type { PacketRecord } from './packet-history.js';

/**
 * The packets from the peer since the last `reset`, and which of them `sr1` and `recv` have
 * returned. Nothing is dropped: a command takes the oldest packet that matches and that no
 * earlier command returned, so a packet that came before the command ran (a learner types
 * slowly) or while an earlier one waited for something else is still there to be found.
 */
export class ReceiveQueue {
  private readonly packets: PacketRecord[] = [];
  private readonly returned = new Set<number>();
  /** Every packet before this position has been returned: take() starts looking here. */
  private firstUnreturned = 0;
  private lastReturned: PacketRecord | null = null;
  /** How many packets had arrived when lastReturned was returned. */
  private arrivedBeforeReturn = 0;

  push(record: PacketRecord): void {
    this.packets.push(record);
  }

  /** The oldest packet not yet returned that passes `test`, now marked returned; null if none. */
  take(test: (record: PacketRecord) => boolean): PacketRecord | null {
    for (let i = this.firstUnreturned; i < this.packets.length; i++) {
      const record = this.packets[i]!;
      if (this.returned.has(record.index) || !test(record)) continue;
      this.returned.add(record.index);
      this.lastReturned = record;
      this.arrivedBeforeReturn = this.packets.length;
      while (this.firstUnreturned < this.packets.length && this.returned.has(this.packets[this.firstUnreturned]!.index)) this.firstUnreturned += 1;
      return record;
    }
    return null;
  }

  /** Packets no command has returned yet, oldest first. */
  unreturned(): PacketRecord[] {
    return this.packets.slice(this.firstUnreturned).filter((record) => !this.returned.has(record.index));
  }

  /**
   * `$rx`: what the last sr1 or recv returned, unless a packet has arrived since, in which
   * case the latest arrival (so a learner who reads the reply in the log can answer it).
   */
  current(): PacketRecord | undefined {
    if (this.lastReturned === null || this.packets.length > this.arrivedBeforeReturn) return this.packets[this.packets.length - 1];
    return this.lastReturned;
  }

  /**
   * `$rx[n]`: for n < 0 counting back from `$rx` (`[-1]` is `$rx`, `[-2]` the packet from
   * the peer before it); for n >= 0 the n-th packet from the peer since the reset, from 0.
   */
  at(n: number): PacketRecord | undefined {
    if (n >= 0) return this.packets[n];
    const current = this.current();
    if (current === undefined) return undefined;
    const position = this.positionOf(current);
    return position + 1 + n >= 0 ? this.packets[position + 1 + n] : undefined;
  }

  /** Where a record sits: records are pushed in index order, so a binary search finds it. */
  private positionOf(record: PacketRecord): number {
    let low = 0;
    let high = this.packets.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const index = this.packets[mid]!.index;
      if (index === record.index) return mid;
      if (index < record.index) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  get length(): number {
    return this.packets.length;
  }
}
