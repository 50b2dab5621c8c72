/**
 * The window we advertise, computed as Linux does (__tcp_select_window, tcp_select_window):
 * carved out of the receive buffer's free space, never shrunk below what was already
 * promised (tcp_shrink_window = 0), rounded to the window scale. Measured on loopback: after
 * a 6-byte segment on a connection without window scaling the ACK says "win 65489" (the old
 * right edge, kept), with scale 10 it says "win 64" (65483 - 6 rounded up to 1024, >> 10),
 * and after a 1000-byte segment "win 63".
 *
 * Memory is counted per queued segment as a raw socket's sk_buff costs it on loopback (data
 * rounded up to a kmalloc size, plus the sk_buff and shared-info overhead), not byte for byte:
 * that is why a slow reader's window closes faster than the bytes it holds.
 */
import { DEFAULT_SCALING_RATIO, SOCK_MIN_RCVBUF, TCP_RMEM, winFromSpace } from './linux.js';

/** sizeof(struct sk_buff) and sizeof(struct skb_shared_info), cache-aligned, on x86-64. */
const SKB_OVERHEAD = 256;
const SHINFO = 320;
/** Link-layer headroom and alignment slack a raw send reserves before the IP header. */
const HEADROOM = 32;

/** What one received segment of `ipLength` bytes costs the receive buffer. */
export function segmentTruesize(ipLength: number): number {
  const wanted = Math.ceil((ipLength + HEADROOM) / 64) * 64 + SHINFO;
  return kmallocSize(wanted) - SHINFO + SKB_OVERHEAD + SHINFO;
}

function kmallocSize(bytes: number): number {
  if (bytes <= 96) return 96;
  if (bytes <= 128) return 128;
  if (bytes <= 192) return 192;
  let size = 256;
  while (size < bytes) size *= 2;
  return size;
}

export class ReceiveWindow {
  /** Our window scale: 0 unless both SYNs offered one. */
  readonly wscale: number;
  /** The window last advertised (unscaled bytes) and the rcv_nxt it was advertised at. */
  rcvWnd: number;
  rcvWup: number;
  /** The slow-start-like ceiling on the offered window (rcv_ssthresh). */
  ssthresh: number;
  /** The most we will ever offer (window_clamp). */
  clamp: number;
  readonly rcvbuf = TCP_RMEM.initial;
  /** How much of the buffer's memory a segment's payload fills, in 256ths (tp->scaling_ratio). */
  ratio = DEFAULT_SCALING_RATIO;

  constructor(options: { wscale: number; rcvWnd: number; rcvWup: number }) {
    this.wscale = options.wscale;
    this.rcvWnd = options.rcvWnd;
    this.rcvWup = options.rcvWup;
    this.clamp = Math.min(0xffff * 2 ** this.wscale, winFromSpace(this.rcvbuf));
    this.ssthresh = Math.min(this.rcvWnd, this.clamp);
  }

  /** What is left of the window last advertised (tcp_receive_window). */
  remaining(rcvNxt: number): number {
    return Math.max(0, (this.rcvWup + this.rcvWnd - rcvNxt) | 0);
  }

  /** Free receive space, in window bytes (tcp_space). */
  space(queuedTruesize: number): number {
    return winFromSpace(this.rcvbuf - queuedTruesize, this.ratio);
  }

  /**
   * tcp_measure_rcv_mss (Linux 6.5 on): a segment at least as long as the peer's segment size
   * as we guessed it, and not exactly that long, sets the scaling ratio to its payload over
   * its memory; the clamp follows the whole buffer at that ratio, and rcv_ssthresh moves
   * with it (tcp_set_window_clamp). Measured on loopback: after one 30000-byte segment to a
   * reader that never reads, "win 87" with scale 10 (the buffer's 131072 bytes less 33024 of
   * memory, at 232/256), where a fixed half would offer 48.
   */
  measureRatio(length: number, truesize: number): void {
    const ratio = Math.floor((length * 256) / truesize) || 1;
    if (ratio === this.ratio) return;
    this.ratio = ratio;
    const clamp = Math.max(SOCK_MIN_RCVBUF / 2, winFromSpace(this.rcvbuf, ratio));
    if (clamp === this.clamp) return;
    if (clamp < this.clamp) this.ssthresh = Math.min(this.ssthresh, clamp);
    else this.ssthresh = Math.max(Math.min(this.rcvWnd, clamp), this.ssthresh);
    this.clamp = clamp;
  }

  /**
   * The window the buffer allows now (__tcp_select_window). `dropQuickacks` is set when the
   * buffer is more than half full, where Linux leaves quick-ACK mode.
   */
  allowed(rcvMss: number, queuedTruesize: number): { window: number; dropQuickacks: boolean } {
    let mss = rcvMss;
    let free = this.space(queuedTruesize);
    const allowed = winFromSpace(this.rcvbuf, this.ratio);
    const full = Math.min(this.clamp, allowed);
    let dropQuickacks = false;
    if (mss > full) {
      mss = full;
      if (mss <= 0) return { window: 0, dropQuickacks };
    }
    if (free < full / 2) {
      dropQuickacks = true;
      free = roundDown(free, 2 ** this.wscale);
      if (free < allowed / 16 || free < mss) return { window: 0, dropQuickacks };
    }
    if (free > this.ssthresh) free = this.ssthresh;
    if (this.wscale > 0) return { window: alignUp(free, 2 ** this.wscale), dropQuickacks };
    let window = this.rcvWnd;
    if (window <= free - mss || window > free) window = roundDown(free, mss);
    else if (mss === full && free > window + full / 2) window = free;
    return { window, dropQuickacks };
  }

  /**
   * The value for the window field of the next segment (tcp_select_window): never less than
   * what is left of the last offer, so the right edge never moves left.
   */
  select(rcvNxt: number, rcvMss: number, queuedTruesize: number): { field: number; dropQuickacks: boolean } {
    const current = this.remaining(rcvNxt);
    const { window, dropQuickacks } = this.allowed(rcvMss, queuedTruesize);
    let next = window;
    if (next < current) next = alignUp(current, 2 ** this.wscale);
    next = Math.min(next, 0xffff * 2 ** this.wscale);
    this.rcvWnd = next;
    this.rcvWup = rcvNxt;
    return { field: Math.floor(next / 2 ** this.wscale), dropQuickacks };
  }

  /**
   * tcp_grow_window: a segment of 128 bytes or more lets the offered window grow, by two MSS
   * when the segment uses its memory well, by twice its length at least.
   */
  grow(length: number, truesize: number, advmss: number, queuedTruesize: number): void {
    if (length < 128) return;
    const room = Math.min(this.clamp, this.space(queuedTruesize)) - this.ssthresh;
    if (room <= 0) return;
    const increment = winFromSpace(truesize, this.ratio) <= length ? 2 * advmss : 0;
    if (increment === 0) return;
    this.ssthresh += Math.min(room, Math.max(increment, 2 * length));
  }
}

function roundDown(value: number, unit: number): number {
  return Math.floor(value / unit) * unit;
}

function alignUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}
