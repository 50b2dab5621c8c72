/**
 * When to ACK received data: Linux's delayed-ACK engine (tcp_event_data_recv,
 * __tcp_ack_snd_check, tcp_send_delayed_ack, tcp_cleanup_rbuf), state and rules alike.
 *
 * Measured on loopback: the first data segments of a connection are ACKed at once
 * ("quick-ACK", up to 16); a reader that takes a small segment off the queue at once gets it
 * ACKed at once too; once the application answers within the ACK timeout (echo), the
 * connection counts as interactive ("ping-pong"), the ACK waits (40 ms .. 200 ms) and the
 * reply's data segment carries it.
 */
import { ATO_MIN_MS, DELACK_MAX_MS, DELACK_MIN_MS, MAX_QUICKACKS, PINGPONG_THRESH, TCP_MIN_MSS, TCP_MSS_DEFAULT } from './linux.js';

/** What arrived, as the engine needs it. */
export interface ReceivedData {
  now: number;
  /** Payload bytes. */
  length: number;
  /** TCP header length of the segment, options included. */
  headerLength: number;
  /** FIN, URG, SYN or PSH set (TCP_REMNANT): a short segment that may legitimately be short. */
  remnant: boolean;
}

export class DelayedAck {
  /** ACKs still to be sent at once (icsk_ack.quick). */
  quick = 0;
  private pingpong = 0;
  /** The ACK timeout: how long an ACK may wait, learnt from the gaps between segments. */
  ato = 0;
  private lastReceived = 0;
  /** The peer's segment size as we guess it (icsk_ack.rcv_mss). */
  rcvMss: number;
  private lastSegSize = 0;
  /** An ACK is owed (ICSK_ACK_SCHED). */
  scheduled = false;
  /** Short segments arrived (ICSK_ACK_PUSHED, ICSK_ACK_PUSHED2). */
  private pushed = false;
  private pushed2 = false;
  /** Protocol state wants an ACK at once (ICSK_ACK_NOW). */
  now = false;
  /** When the delayed-ACK timer fires, if it is set. */
  timerAt: number | null = null;

  constructor(
    private readonly advmss: number,
    /** Header length of a full segment from the peer: 20, or 32 with timestamps. */
    private readonly tcpHeaderLength: number,
    rcvWnd: number,
  ) {
    this.rcvMss = Math.max(TCP_MIN_MSS, Math.min(advmss, Math.floor(rcvWnd / 2), TCP_MSS_DEFAULT));
  }

  get inPingpong(): boolean {
    return this.pingpong >= PINGPONG_THRESH;
  }

  get inQuickack(): boolean {
    return this.quick > 0 && !this.inPingpong;
  }

  private incrQuickack(rcvWnd: number, max: number): void {
    let quickacks = Math.floor(rcvWnd / (2 * this.rcvMss));
    if (quickacks === 0) quickacks = 2;
    quickacks = Math.min(quickacks, max);
    if (quickacks > this.quick) this.quick = quickacks;
  }

  /** tcp_enter_quickack_mode: after a duplicate or out-of-window segment, or an ECN mark. */
  enterQuickack(rcvWnd: number, max: number = MAX_QUICKACKS): void {
    this.incrQuickack(rcvWnd, max);
    this.pingpong = 0;
    this.ato = ATO_MIN_MS;
  }

  /** tcp_fin in ESTABLISHED: the peer is done talking, so our reply (our FIN) may carry the ACK. */
  enterPingpong(): void {
    this.pingpong = PINGPONG_THRESH;
  }

  /** tcp_event_data_recv: in-order data arrived. */
  dataReceived(data: ReceivedData, rcvWnd: number, rto: number): void {
    this.scheduled = true;
    this.measureRcvMss(data);
    if (this.ato === 0) {
      this.incrQuickack(rcvWnd, MAX_QUICKACKS);
      this.ato = ATO_MIN_MS;
    } else {
      const gap = data.now - this.lastReceived;
      if (gap <= ATO_MIN_MS / 2) {
        this.ato = this.ato / 2 + ATO_MIN_MS / 2;
      } else if (gap < this.ato) {
        this.ato = Math.min(this.ato / 2 + gap, rto);
      } else if (gap > rto) {
        this.incrQuickack(rcvWnd, MAX_QUICKACKS);
      }
    }
    this.lastReceived = data.now;
  }

  /** tcp_measure_rcv_mss: learn the peer's segment size; note short (pushed) segments. */
  private measureRcvMss(data: ReceivedData): void {
    const lss = this.lastSegSize;
    this.lastSegSize = 0;
    if (data.length >= this.rcvMss) {
      this.rcvMss = Math.min(data.length, this.advmss);
      return;
    }
    const withHeader = data.length + data.headerLength;
    if (withHeader >= TCP_MSS_DEFAULT + 20 || (withHeader >= TCP_MIN_MSS + 20 && !data.remnant)) {
      const length = withHeader - this.tcpHeaderLength;
      this.lastSegSize = length;
      if (length === lss) {
        this.rcvMss = length;
        return;
      }
    }
    if (this.pushed) this.pushed2 = true;
    this.pushed = true;
  }

  /** tcp_event_data_sent: a reply this soon after data makes the connection interactive. */
  dataSent(now: number): void {
    if (now - this.lastReceived < this.ato) this.pingpong += 1;
  }

  /** tcp_event_ack_sent: any segment carrying our ACK settles what was owed. */
  ackSent(): void {
    if (this.quick > 0) {
      if (this.quick <= 1) {
        this.quick = 0;
        this.ato = ATO_MIN_MS;
      } else {
        this.quick -= 1;
      }
    }
    this.scheduled = false;
    this.pushed = false;
    this.pushed2 = false;
    this.now = false;
    this.timerAt = null;
  }

  /**
   * tcp_send_delayed_ack: when the ACK goes out if nothing else carries it. Returns null when
   * the timer already set is about to fire and the ACK should go now instead.
   */
  delayedAckTime(now: number, srtt: number | null): number | null {
    let ato = this.ato;
    if (ato > DELACK_MIN_MS) {
      let maxAto = this.inPingpong || this.pushed ? DELACK_MAX_MS : 500;
      if (srtt !== null) {
        const rtt = Math.max(srtt, DELACK_MIN_MS);
        if (rtt < maxAto) maxAto = rtt;
      }
      ato = Math.min(ato, maxAto);
    }
    ato = Math.min(ato, DELACK_MAX_MS);
    let timeout = now + ato;
    if (this.timerAt !== null) {
      if (this.timerAt <= now + ato / 4) return null;
      if (timeout >= this.timerAt) timeout = this.timerAt;
    }
    this.scheduled = true;
    this.timerAt = timeout;
    return timeout;
  }

  /** tcp_delack_timer_handler: the ACK waited too long; adjust the timeout for next time. */
  timerFired(rto: number): void {
    this.timerAt = null;
    if (!this.inPingpong) {
      this.ato = Math.min(this.ato * 2, rto);
    } else {
      this.pingpong = 0;
      this.ato = ATO_MIN_MS;
    }
  }

  /**
   * tcp_cleanup_rbuf, first half: the application has read `copied` bytes; ACK now if a short
   * segment was waiting and the reader is not interactive (or two were), or more than a
   * segment's worth is unacknowledged.
   */
  ackOnRead(copied: number, unacked: number, queueEmpty: boolean): boolean {
    if (!this.scheduled) return false;
    if (unacked > this.rcvMss) return true;
    return copied > 0 && (this.pushed2 || (this.pushed && !this.inPingpong)) && queueEmpty;
  }
}
