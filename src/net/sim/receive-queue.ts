/**
 * The bytes that arrived in order and wait for the application (sk_receive_queue, read from
 * copied_seq on), and the urgent mark that shapes how they are read, as Linux does it with its
 * defaults: net.ipv4.tcp_stdurg = 0, so the urgent pointer points one past the urgent byte
 * (the BSD reading, RFC 6093), and SO_OOBINLINE off, so that byte is out of band and never
 * reaches a plain read. A read stops just before the urgent byte; the next one steps over it.
 *
 * Measured on loopback (Linux 6.18, a node:net reader): "hello" with URG and pointer 3 is read
 * as "he" then "lo"; pointer 1 (or 0) gives "ello"; pointer 5 gives "hell", and the lone "o"
 * wakes nobody until more data comes ("XY" is then read as "XY") or the FIN does; pointer 6
 * points past the segment, so the first byte of the next one is the urgent byte. A mark on
 * data already received is ignored, and a newer mark replaces an older one.
 */
import { has, type Bytes, EMPTY, type InSegment } from './segment.js';
import { after, before, seqAdd, seqDiff } from './seq.js';
import { TcpFlag } from '../../wire/tcp-flags.js';

interface Chunk {
  data: Bytes;
  /** What the segment costs in memory, freed once all of it has been read. */
  truesize: number;
}

/** The urgent byte a segment with URG points at: one before the pointer, the first byte for 0. */
export function urgentByte(segment: Pick<InSegment, 'seq' | 'urgent'>): number {
  return seqAdd(segment.seq, segment.urgent > 0 ? segment.urgent - 1 : 0);
}

export class ReceiveQueue {
  private chunks: Chunk[] = [];
  /** Bytes waiting. */
  length = 0;
  /** The memory they hold (sk_rmem_alloc). */
  truesize = 0;
  /** The urgent byte's sequence number, while one is marked and not yet passed (urg_seq). */
  private urgentSeq: number | null = null;

  /** `copiedSeq`: the sequence number of the next byte the application reads. */
  constructor(private copiedSeq: number) {}

  get isEmpty(): boolean {
    return this.chunks.length === 0;
  }

  push(data: Bytes, truesize: number): void {
    this.chunks.push({ data, truesize });
    this.length += data.length;
    this.truesize += truesize;
  }

  /** tcp_check_urg, for an acceptable segment with URG set, before its data is queued. */
  markUrgent(segment: InSegment, rcvNxt: number): void {
    if (!has(segment, TcpFlag.URG)) return;
    const mark = urgentByte(segment);
    // Bytes received already are never made urgent after the fact.
    if (before(mark, rcvNxt)) return;
    if (this.urgentSeq !== null && !after(mark, this.urgentSeq)) return;
    // The old urgent byte is the next to read: drop it now, or it would be read as data.
    if (this.urgentSeq === this.copiedSeq && !this.isEmpty) this.take(1);
    this.urgentSeq = mark;
  }

  /**
   * tcp_poll: is the reader woken? With the urgent byte next in line one byte is not enough,
   * since it is not data, unless `anyway` (the FIN or an error has come, memory is short or
   * the window is down to a segment).
   */
  readable(anyway: boolean): boolean {
    if (this.isEmpty) return false;
    if (this.urgentSeq !== this.copiedSeq) return true;
    return this.length >= 2 || anyway;
  }

  /** One read (tcp_recvmsg): past the urgent byte if it is next, then up to the next one. */
  read(): Bytes {
    if (this.urgentSeq === this.copiedSeq) this.take(1);
    const limit = this.urgentSeq === null ? this.length : Math.min(this.length, seqDiff(this.urgentSeq, this.copiedSeq));
    return this.take(limit);
  }

  private take(count: number): Bytes {
    if (count <= 0) return EMPTY;
    let out: Bytes;
    const head = this.chunks[0]!;
    if (count <= head.data.length) {
      out = head.data.subarray(0, count);
    } else {
      out = new Uint8Array(count);
      let at = 0;
      for (const chunk of this.chunks) {
        const part = chunk.data.subarray(0, Math.min(chunk.data.length, count - at));
        out.set(part, at);
        at += part.length;
        if (at === count) break;
      }
    }
    let left = count;
    while (left > 0) {
      const chunk = this.chunks[0]!;
      if (chunk.data.length > left) {
        chunk.data = chunk.data.subarray(left);
        break;
      }
      left -= chunk.data.length;
      this.truesize -= chunk.truesize;
      this.chunks.shift();
    }
    this.length -= count;
    this.copiedSeq = seqAdd(this.copiedSeq, count);
    if (this.urgentSeq !== null && after(this.copiedSeq, this.urgentSeq)) this.urgentSeq = null;
    return out;
  }
}
