import type { Direction } from '../net/network.js';
import type { DecodedPacket } from '../wire/packet.js';

/** One packet of the session, numbered in the order the network reported it. */
export interface PacketRecord {
  /** 1, 2, ...: $pkt[N]. */
  index: number;
  /** Milliseconds on the network's clock. */
  t: number;
  dir: Direction;
  packet: DecodedPacket;
}

/** Every packet of the session, both ways, never trimmed: `$pkt[N]`, `show N` and `pcap save` read it. */
export class PacketHistory {
  private readonly records: PacketRecord[] = [];

  add(t: number, dir: Direction, packet: DecodedPacket): PacketRecord {
    const record: PacketRecord = { index: this.records.length + 1, t, dir, packet };
    this.records.push(record);
    return record;
  }

  get all(): readonly PacketRecord[] {
    return this.records;
  }

  get count(): number {
    return this.records.length;
  }

  /** Packet N (from 1), or counting back from the latest for N < 0 (-1 is the latest). */
  at(n: number): PacketRecord | undefined {
    return n < 0 ? this.records[this.records.length + n] : this.records[n - 1];
  }

  latest(): PacketRecord | undefined {
    return this.records[this.records.length - 1];
  }
}
