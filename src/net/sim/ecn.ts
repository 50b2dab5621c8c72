/**
 * Explicit Congestion Notification (RFC 3168) on one connection, as Linux does it with its
 * default net.ipv4.tcp_ecn = 2: ECN is agreed when the peer's SYN asks for it, and never asked
 * for on our own SYNs. Accurate ECN needs tcp_ecn = 3 or more, so a SYN asking for it is
 * answered as a classic ECN-setup SYN.
 *
 * Measured on loopback (Linux 6.18): an ECN-setup SYN (ECE and CWR) draws a SYN-ACK with ECE,
 * as do the SYN-ACK's retransmissions and the SYN-ACKs for the SYN sent again without them;
 * ECE alone, CWR alone, or AE with only one of them draw none. Our new data then goes out
 * ECT(0) in the IP header, while pure ACKs, FINs without data and every retransmission go out
 * not-ECT. Data marked CE makes every segment of ours carry ECE until the peer's CWR; the
 * peer's ECE while our data is outstanding puts CWR on our next new data segment, and so does
 * a retransmission timeout.
 */
import { TcpFlag } from '../../wire/tcp-flags.js';

const { SYN, ECE, CWR, AE } = TcpFlag;

/** The ECN field: the IPv4 TOS byte's and the IPv6 traffic class's two low bits. */
export const EcnCodepoint = { NOT_ECT: 0, ECT_1: 1, ECT_0: 2, CE: 3 } as const;

/** tcp_enter_quickack_mode(sk, 2): the ACKs sent at once after a mark, so a sender with a tiny window hears soon. */
export const ECN_QUICKACKS = 2;

/** What a SYN carries that the listener's choice depends on. */
export interface EcnOffer {
  flags: number;
  /** The three reserved bits of the TCP header. */
  reserved: number;
  /** The SYN's own IP ECN field. */
  ecn: number;
}

/**
 * tcp_ecn_create_request: does the listener agree to ECN? Only for ECE and CWR together. A SYN
 * that is itself ECT or CE breaks RFC 3168 (SYNs go not-ECT), so Linux takes it for a path
 * that rewrites the field and refuses, unless AE or a reserved bit shows a sender following a
 * later rule that allows ECT SYNs.
 */
export function agreesToEcn(syn: EcnOffer): boolean {
  if ((syn.flags & (ECE | CWR)) !== (ECE | CWR)) return false;
  return syn.ecn === EcnCodepoint.NOT_ECT || syn.reserved !== 0 || (syn.flags & AE) !== 0;
}

/** How one of our segments goes out: the IP ECN field and the TCP flags ECN adds. */
export interface EcnMarks {
  ect: boolean;
  flags: number;
}

const UNMARKED: EcnMarks = { ect: false, flags: 0 };

/** One connection's ECN state (tp->ecn_flags). */
export class EcnState {
  /** Data marked CE arrived: our segments carry ECE until the peer's CWR (TCP_ECN_DEMAND_CWR). */
  private demandCwr = false;
  /** We reduced our congestion window: the next new data segment says so with CWR (TCP_ECN_QUEUE_CWR). */
  private queuedCwr = false;
  /** The peer's data has come ECT or CE (TCP_ECN_SEEN). */
  private seen = false;

  /** `agreed`: the handshake agreed to ECN (TCP_ECN_OK). */
  constructor(readonly agreed: boolean) {}

  /**
   * tcp_data_ecn_check, for data that arrived with this IP ECN field: true when the ACKs
   * should go at once for a while (ECN_QUICKACKS). CE does that the first time it asks for
   * CWR; data not-ECT after ECT was seen does it too, as it is likely a retransmission.
   */
  dataArrived(ecn: number): boolean {
    if (!this.agreed) return false;
    if (ecn === EcnCodepoint.NOT_ECT) return this.seen;
    this.seen = true;
    if (ecn !== EcnCodepoint.CE || this.demandCwr) return false;
    this.demandCwr = true;
    return true;
  }

  /**
   * tcp_ecn_accept_cwr, for a segment that got past the ACK checks: the peer has reduced its
   * window, so ECE stops. Linux takes CWR on a pure ACK too, though RFC 3168 puts it on data.
   * True when the segment carried data, which is then ACKed at once.
   */
  cwrArrived(flags: number, occupiesSequence: boolean): boolean {
    if (!this.agreed || (flags & CWR) === 0) return false;
    this.demandCwr = false;
    return occupiesSequence;
  }

  /** tcp_ecn_rcv_ecn_echo: the peer says the network marked our data. */
  echoed(flags: number): boolean {
    return this.agreed && (flags & ECE) !== 0 && (flags & SYN) === 0;
  }

  /** tcp_ecn_queue_cwr: the congestion window was reduced; tell the peer on the next new data. */
  queueCwr(): void {
    if (this.agreed) this.queuedCwr = true;
  }

  /**
   * tcp_ecn_send, for a segment of ours that is not a SYN: new data goes ECT(0) and carries a
   * queued CWR; anything else (an ACK, a bare FIN, a retransmission) goes not-ECT; every
   * segment carries ECE while CWR is awaited.
   */
  outgoing(newData: boolean): EcnMarks {
    if (!this.agreed) return UNMARKED;
    let flags = this.demandCwr ? ECE : 0;
    if (newData && this.queuedCwr) {
      this.queuedCwr = false;
      flags |= CWR;
    }
    return { ect: newData, flags };
  }
}
