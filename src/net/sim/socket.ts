/**
 * One TCP connection of the simulated kernel, from SYN to CLOSED: the RFC 9293 state machine
 * with Linux's choices wherever the RFC leaves one (and a few where Linux departs from it).
 * The processing of an arriving segment follows tcp_rcv_state_process() step by step, so a
 * learner comparing with the real kernel meets the same answers: challenge ACKs (RFC 5961),
 * D-SACKs for duplicates, rate-limited replies to out-of-window segments, PAWS, delayed ACKs,
 * tail loss probes and RTO back-off.
 *
 * A socket starts in one of three ways: as a request (SYN-RECV) created by a listener for an
 * arriving SYN, which becomes a full connection on the handshake's last ACK; as an active
 * open (SYN-SENT); or, from SYN-SENT, through a simultaneous open.
 */
import type { Endpoint, TcpState } from '../network.js';
import { TcpFlag } from '../../wire/tcp-flags.js';
import type { TimerHandle } from './clock.js';
import { DelayedAck } from './delayed-ack.js';
import { agreesToEcn, ECN_QUICKACKS, EcnState } from './ecn.js';
import {
  ADVMSS,
  DEFAULT_PEER_MSS,
  FASTRETRANS_THRESH,
  INIT_CWND,
  INVALID_RATELIMIT_MS,
  MIN_SND_MSS,
  PAWS_24DAYS_MS,
  RCV_WSCALE,
  RETRIES2,
  RTO_MAX_MS,
  RTO_MIN_MS,
  SYN_LINEAR_TIMEOUTS,
  SYN_RETRIES,
  SYNACK_RETRIES,
  TIME_WAIT_MS,
  TIMEOUT_INIT_MS,
  TIMEOUT_MIN_MS,
  TS_OPTION_SPACE,
  TCP_MSS_DEFAULT,
  TCP_RMEM,
  winFromSpace,
} from './linux.js';
import { maxSackBlocks, parseOptions, type PeerOptions, segmentOptions, synOptions, type Timestamps } from './options.js';
import { ReceiveQueue } from './receive-queue.js';
import { ReceiveWindow, segmentTruesize } from './receive-window.js';
import { RttEstimator } from './rtt.js';
import { type Bytes, EMPTY, endSeq, has, type InSegment, type OutSegment, segmentLength } from './segment.js';
import { after, before, between, seqAdd, seqDiff } from './seq.js';

const { FIN, SYN, RST, PSH, ACK, ECE } = TcpFlag;

export interface FourTuple {
  family: 4 | 6;
  local: Endpoint;
  remote: Endpoint;
}

/** What a socket needs from its kernel. */
export interface SocketHost {
  now(): number;
  /** A timer whose callback runs as kernel work (its output is flushed afterwards). */
  timer(ms: number, fire: () => void): TimerHandle;
  transmit(socket: TcpSocket, segment: OutSegment): void;
  /** An RST for a segment no connection will take (tcp_v4_send_reset). */
  resetFor(tuple: FourTuple, segment: InSegment): void;
  stateChanged(socket: TcpSocket, from: TcpState | null, to: TcpState): void;
  /** The application's turn, once the kernel has finished with the current segment. */
  defer(task: () => void): void;
}

/** The application's view of its socket; every callback is optional. */
export interface SocketApp {
  connected?(): void;
  data?(data: Uint8Array): void;
  /** The peer's FIN, read after all its data. */
  end?(): void;
  /** An errno name: ECONNRESET, ECONNREFUSED, EPIPE, ETIMEDOUT. */
  error?(code: string): void;
  /** Both directions are done, or the connection is gone; once. */
  closed?(hadError: boolean): void;
}

export interface SocketSecrets {
  isn: number;
  /** Added to the millisecond clock for our TS values (Linux's per-connection ts_off). */
  tsOffset: number;
  ipId: number;
  flowLabel: number;
}

interface Flight {
  start: number;
  end: number;
  sentAt: number;
  retransmitted: boolean;
}

interface OfoSegment {
  seq: number;
  end: number;
  payload: Bytes;
  fin: boolean;
  truesize: number;
}

type RetransmitKind = 'rto' | 'tlp' | 'probe';

export class TcpSocket {
  state: TcpState = 'CLOSED';
  readonly tuple: FourTuple;
  /** Set while this is a listener's request socket, not yet a full connection. */
  private request: { onEstablished: (socket: TcpSocket) => void; synackSentAt: number; timeouts: number; timer: TimerHandle | null } | null = null;
  app: SocketApp = {};
  /** Nagle off: the bundled client sets TCP_NODELAY, the bundled server does not. */
  noDelay = false;
  /** Identification for our IPv4 packets (inet_id), counted up per packet. */
  ipId: number;
  readonly flowLabel: number;

  // Send side (RFC 9293 names).
  readonly iss: number;
  private sndUna: number;
  private sndNxt: number;
  private sndWnd = 0;
  private sndWl1 = 0;
  private sndWscale = 0;
  private maxWindow = 0;
  private bytesAcked = 0;
  /** Bytes written and not yet acknowledged, starting at sequence number bufferSeq. */
  private sendBuffer: Bytes = EMPTY;
  private bufferSeq: number;
  private finQueued = false;
  private finSent = false;
  private flights: Flight[] = [];
  private sndSml: number;
  private cwnd = INIT_CWND;
  private ssthresh = Number.POSITIVE_INFINITY;
  private dupacks = 0;
  /**
   * After a congestion signal (Linux's CWR, Recovery and Loss states), the sequence number
   * that must be acknowledged before another ECE counts as a new one.
   */
  private reducingUntil: number | null = null;
  private tlpHighSeq: number | null = null;
  private readonly rtt = new RttEstimator();
  private backoff = 0;
  private retransmits = 0;
  private retransmitTimer: { kind: RetransmitKind; handle: TimerHandle } | null = null;
  private synTimer: TimerHandle | null = null;
  private synRetransmitted = false;
  /** Our first SYN's TS value: a SYN-ACK must echo something between it and now. */
  private firstSynTsval = 0;

  // Receive side.
  private irs = 0;
  private rcvNxt = 0;
  private window: ReceiveWindow;
  private readonly synRcvWnd: number;
  private receiveQueue = new ReceiveQueue(0);
  private ofo: OfoSegment[] = [];
  private sacks: Array<[number, number]> = [];
  private dsack: [number, number] | null = null;
  private finReceived = false;
  private delayedAck: DelayedAck;
  private delackTimer: TimerHandle | null = null;
  private lastOowAck: number | null = null;

  // Options agreed in the handshake.
  private tsOk = false;
  private readonly tsOffset: number;
  private tsRecent = 0;
  private tsRecentStamp = 0;
  private sackOk = false;
  private wscaleOffered = false;
  /** ECN, agreed only by a listener for a SYN that asks (net.ipv4.tcp_ecn = 2). */
  private ecn = new EcnState(false);
  private peerMss: number;
  private readonly advmss: number;
  /** The MSS the options agreed on, before the bound to half the peer's window. */
  private agreedMss: number;
  private mss: number;

  // The application's side.
  private reading = false;
  private paused = false;
  private eofDelivered = false;
  /** An error the application has not heard of yet: it hears it once it reads again. */
  private unreadError: string | null = null;
  private appClosed = false;
  private timeWaitTimer: TimerHandle | null = null;
  private timeWaitWindow = 0;

  private constructor(
    private readonly host: SocketHost,
    tuple: FourTuple,
    secrets: SocketSecrets,
  ) {
    this.tuple = tuple;
    this.iss = secrets.isn >>> 0;
    this.sndUna = this.iss;
    this.sndNxt = this.iss;
    this.bufferSeq = seqAdd(this.iss, 1);
    this.sndSml = this.iss;
    this.tsOffset = secrets.tsOffset >>> 0;
    this.ipId = secrets.ipId & 0xffff;
    this.flowLabel = secrets.flowLabel & 0xfffff;
    this.advmss = ADVMSS[tuple.family];
    this.peerMss = DEFAULT_PEER_MSS[tuple.family];
    this.agreedMss = this.advmss;
    this.mss = this.advmss;
    // tcp_select_initial_window: the buffer's window, rounded down to a whole MSS.
    this.synRcvWnd = Math.min(0xffff, roundDown(winFromSpace(TCP_RMEM.initial), this.advmss));
    this.window = new ReceiveWindow({ wscale: 0, rcvWnd: this.synRcvWnd, rcvWup: 0 });
    this.delayedAck = new DelayedAck(this.advmss, 20, this.synRcvWnd);
  }

  /**
   * A listener's answer to a SYN: a request socket in SYN-RECV, and our SYN-ACK, which
   * echoes only the options the SYN offered.
   */
  static fromSyn(host: SocketHost, tuple: FourTuple, syn: InSegment, secrets: SocketSecrets, onEstablished: (socket: TcpSocket) => void): TcpSocket {
    const socket = new TcpSocket(host, tuple, secrets);
    const offer = parseOptions(syn.options, true);
    socket.irs = syn.seq;
    socket.rcvNxt = seqAdd(syn.seq, 1);
    socket.receiveQueue = new ReceiveQueue(socket.rcvNxt);
    socket.agree(offer);
    socket.ecn = new EcnState(agreesToEcn(syn));
    // tcp_openreq_init_rwin: the initial window leaves room for the timestamp option.
    const rcvWnd = Math.min(0xffff, roundDown(winFromSpace(TCP_RMEM.initial), socket.advmss - (socket.tsOk ? TS_OPTION_SPACE : 0)));
    socket.window = new ReceiveWindow({ wscale: socket.window.wscale, rcvWnd, rcvWup: socket.rcvNxt });
    socket.sndWnd = syn.window;
    socket.sndWl1 = syn.seq;
    socket.maxWindow = syn.window;
    socket.request = { onEstablished, synackSentAt: host.now(), timeouts: 0, timer: null };
    socket.setState('SYN-RECV');
    socket.sendSynAck(offer.sackOk, offer.wscale !== null);
    socket.armRequestTimer();
    return socket;
  }

  /** connect(): SYN-SENT, and our SYN with every option Linux offers. */
  static connect(host: SocketHost, tuple: FourTuple, secrets: SocketSecrets): TcpSocket {
    const socket = new TcpSocket(host, tuple, secrets);
    socket.noDelay = true;
    socket.setState('SYN-SENT');
    socket.firstSynTsval = socket.tsval();
    socket.sendSyn();
    socket.armSynTimer(TIMEOUT_INIT_MS);
    return socket;
  }

  get local(): Endpoint {
    return this.tuple.local;
  }

  get remote(): Endpoint {
    return this.tuple.remote;
  }

  /** For a test's eyes: the numbers a learner reasons with. */
  get numbers(): { iss: number; irs: number; sndUna: number; sndNxt: number; rcvNxt: number; sndWnd: number; rto: number; mss: number } {
    return { iss: this.iss, irs: this.irs, sndUna: this.sndUna, sndNxt: this.sndNxt, rcvNxt: this.rcvNxt, sndWnd: this.sndWnd, rto: this.currentRto(), mss: this.mss };
  }

  // ---------------------------------------------------------------------------------------
  // The application's calls.

  /** Start taking data off the receive queue (unless paused); the host calls it after accept. */
  startReading(): void {
    this.reading = true;
    this.host.defer(() => this.readToApp());
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.host.defer(() => this.readToApp());
  }

  write(data: Uint8Array): void {
    if (data.length === 0 || this.finQueued || !this.isOpenForWriting()) return;
    const grown = new Uint8Array(this.sendBuffer.length + data.length);
    grown.set(this.sendBuffer, 0);
    grown.set(data, this.sendBuffer.length);
    this.sendBuffer = grown;
    this.pushPending(false);
  }

  /** shutdown(SHUT_WR): our FIN after whatever is still queued. */
  shutdown(): void {
    if (this.finQueued) return;
    switch (this.state) {
      case 'ESTABLISHED':
      case 'SYN-RECV':
        if (this.request) return this.abort();
        this.setState('FIN-WAIT-1');
        break;
      case 'CLOSE-WAIT':
        this.setState('LAST-ACK');
        break;
      case 'SYN-SENT':
        this.done();
        this.closeApp(false);
        return;
      default:
        return;
    }
    this.finQueued = true;
    this.pushPending(true);
    this.maybeCloseApp();
  }

  /** SO_LINGER 0 and close(): an RST now, and the connection is gone. */
  abort(): void {
    if (this.state === 'CLOSED' || this.state === 'TIME-WAIT') return;
    if (this.state !== 'SYN-SENT' && !this.request) {
      this.transmit({ seq: this.sndNxt, flags: RST | ACK });
    }
    this.done();
    this.closeApp(false);
  }

  // ---------------------------------------------------------------------------------------
  // Arriving segments.

  /**
   * Handles one segment for this connection. Returns an ISN when the segment is a SYN that
   * may reopen this TIME-WAIT pair: the kernel then hands it to the listener with that ISN.
   */
  input(segment: InSegment): { reopenIsn: number } | undefined {
    switch (this.state) {
      case 'CLOSED':
        return undefined;
      case 'SYN-SENT':
        this.synSentInput(segment);
        return undefined;
      case 'TIME-WAIT':
        return this.timeWaitInput(segment);
      default:
        if (this.request) this.requestInput(segment);
        else this.connectedInput(segment);
        return undefined;
    }
  }

  /** tcp_check_req: a segment for a request socket, before the handshake is complete. */
  private requestInput(segment: InSegment): void {
    const request = this.request!;
    const options = parseOptions(segment.options, has(segment, SYN));
    const pawsReject = this.tsOk && options.ts !== null && !has(segment, RST) && this.pawsRejects(options.ts.val);
    const flags = segment.flags & (SYN | ACK | RST | FIN);
    // A retransmitted SYN: send the SYN-ACK again (rate-limited), nothing more.
    if (segment.seq === this.irs && flags === SYN && !pawsReject) {
      if (!this.oowRateLimited(segment)) this.sendSynAck(this.sackOk, this.wscaleOffered);
      return;
    }
    if (has(segment, ACK) && segment.ack !== seqAdd(this.iss, 1)) {
      this.host.resetFor(this.tuple, segment);
      return;
    }
    if (pawsReject || !inWindow(segment.seq, endSeq(segment), this.rcvNxt, seqAdd(this.rcvNxt, this.window.rcvWnd))) {
      if (!has(segment, RST) && !this.oowRateLimited(segment)) {
        // tcp_v4_reqsk_send_ack: our ACK as the request knows it.
        this.transmit({ seq: seqAdd(this.iss, 1), flags: ACK, window: Math.floor(this.window.rcvWnd / 2 ** this.window.wscale), noAckEffects: true });
      }
      return;
    }
    if (options.ts && !after(segment.seq, this.rcvNxt)) this.storeTsRecent(options.ts.val);
    let effective = segment.flags;
    // The SYN bit of a segment starting at the peer's ISN lies outside the window: ignore it.
    if (segment.seq === this.irs) effective &= ~SYN;
    if (effective & (RST | SYN)) {
      if (!(effective & RST)) this.host.resetFor(this.tuple, segment);
      request.timer?.cancel();
      this.request = null;
      this.done();
      return;
    }
    if (!(effective & ACK)) return;
    // The handshake is complete: the request becomes a full socket, still in SYN-RECV until
    // this very ACK is processed like any other.
    request.timer?.cancel();
    if (request.timeouts === 0) this.rtt.sample(this.host.now() - request.synackSentAt);
    this.request = null;
    this.sndUna = seqAdd(this.iss, 1);
    this.sndNxt = this.sndUna;
    this.sndSml = this.sndUna;
    // tcp_create_openreq_child: the full socket starts from this ACK's window, which is also
    // the largest the peer has offered so far (the SYN's does not count).
    this.sndWnd = segment.window * 2 ** this.sndWscale;
    this.maxWindow = this.sndWnd;
    this.syncMss();
    this.delayedAck = new DelayedAck(this.advmss, this.tsOk ? 20 + TS_OPTION_SPACE : 20, this.window.rcvWnd);
    this.connectedInput(segment);
    if (this.state !== 'CLOSED') this.host.defer(() => request.onEstablished(this));
  }

  /** tcp_rcv_synsent_state_process. */
  private synSentInput(segment: InSegment): void {
    const options = parseOptions(segment.options, has(segment, SYN));
    if (has(segment, ACK)) {
      if (!after(segment.ack, this.sndUna) || after(segment.ack, this.sndNxt)) {
        if (!has(segment, RST)) this.host.resetFor(this.tuple, segment);
        return;
      }
      if (options.ts && options.ts.ecr !== 0 && !between(options.ts.ecr, this.firstSynTsval, this.tsval())) {
        if (!has(segment, RST)) this.host.resetFor(this.tuple, segment);
        return;
      }
      if (has(segment, RST)) {
        this.reset();
        return;
      }
      if (!has(segment, SYN)) return;
      // The SYN-ACK: the connection is open.
      this.irs = segment.seq;
      this.rcvNxt = seqAdd(segment.seq, 1);
      this.receiveQueue = new ReceiveQueue(this.rcvNxt);
      this.agree(options);
      this.window = new ReceiveWindow({ wscale: this.window.wscale, rcvWnd: this.synRcvWnd, rcvWup: this.rcvNxt });
      this.delayedAck = new DelayedAck(this.advmss, this.tsOk ? 20 + TS_OPTION_SPACE : 20, this.synRcvWnd);
      this.sndWnd = segment.window;
      this.sndWl1 = segment.seq;
      this.maxWindow = segment.window;
      this.syncMss();
      this.synTimer?.cancel();
      this.synTimer = null;
      if (!this.synRetransmitted && this.flights[0]) this.rtt.sample(this.host.now() - this.flights[0].sentAt);
      this.sndUna = segment.ack;
      this.flights = [];
      this.backoff = 0;
      this.retransmits = 0;
      this.setState('ESTABLISHED');
      this.host.defer(() => this.app.connected?.());
      // Data on a SYN-ACK is not taken (no Fast Open): only the SYN is acknowledged.
      this.sendAck();
      this.pushPending(false);
      return;
    }
    if (has(segment, RST)) return;
    if (has(segment, SYN)) {
      // Simultaneous open: both SYNs crossed. Answer with a SYN-ACK from our ISN.
      this.irs = segment.seq;
      this.rcvNxt = seqAdd(segment.seq, 1);
      this.receiveQueue = new ReceiveQueue(this.rcvNxt);
      this.agree(options);
      this.window = new ReceiveWindow({ wscale: this.window.wscale, rcvWnd: this.synRcvWnd, rcvWup: this.rcvNxt });
      this.delayedAck = new DelayedAck(this.advmss, this.tsOk ? 20 + TS_OPTION_SPACE : 20, this.synRcvWnd);
      this.sndWnd = segment.window;
      this.sndWl1 = segment.seq;
      this.maxWindow = segment.window;
      this.syncMss();
      this.setState('SYN-RECV');
      this.sendFullSynAck();
    }
  }

  /** tcp_send_synack from a full socket offers every option, whatever the peer's SYN had. */
  private sendFullSynAck(): void {
    this.transmit({
      seq: this.iss,
      flags: SYN | ACK,
      window: Math.min(this.window.rcvWnd, 0xffff),
      options: synOptions({ mss: this.advmss, sackOk: true, ts: { val: this.tsval(), ecr: this.tsRecent }, wscale: RCV_WSCALE }),
    });
  }

  /** tcp_rcv_state_process, from tcp_validate_incoming on, for every synchronized state. */
  private connectedInput(segment: InSegment): void {
    const options = parseOptions(segment.options, has(segment, SYN));
    const ts = this.tsOk ? options.ts : null;
    const rst = has(segment, RST);

    // PAWS: a timestamp older than the last one seen marks an old duplicate.
    if (ts && this.pawsRejects(ts.val) && !rst) {
      if (has(segment, SYN)) this.challengeAck();
      else this.sendDupack(segment);
      return;
    }
    if (!this.sequenceAcceptable(segment)) {
      if (!rst) {
        if (has(segment, SYN)) this.challengeAck();
        else if (!this.oowRateLimited(segment)) this.sendDupack(segment);
      } else if (this.resetCheck(segment)) {
        this.reset();
      }
      return;
    }
    if (rst) {
      // RFC 5961 3.2: only an RST at exactly rcv_nxt resets; any other in the window gets
      // a challenge ACK (measured: seq rcv_nxt+5 -> ACK, seq rcv_nxt -> ECONNRESET).
      if (segment.seq === this.rcvNxt || this.resetCheck(segment) || this.rstMatchesSack(segment.seq)) this.reset();
      else this.challengeAck();
      return;
    }
    if (has(segment, SYN)) {
      // RFC 5961 4.2, except the SYN-ACK that completes a simultaneous open.
      const simultaneousOpen =
        this.state === 'SYN-RECV' &&
        has(segment, ACK) &&
        segmentLength(segment) === 1 &&
        seqAdd(segment.seq, 1) === this.rcvNxt &&
        segment.ack === this.sndNxt;
      if (!simultaneousOpen) {
        this.challengeAck();
        return;
      }
    }
    if (!has(segment, ACK)) return;

    const acked = this.ackInput(segment, options);
    if (acked === 'drop') {
      if (this.state === 'SYN-RECV') this.host.resetFor(this.tuple, segment);
      return;
    }
    switch (this.state) {
      case 'SYN-RECV':
        this.sndWnd = segment.window * 2 ** this.sndWscale;
        this.sndWl1 = segment.seq;
        this.setState('ESTABLISHED');
        if (this.synTimer) {
          // A simultaneous open: our connect() completes here.
          this.synTimer.cancel();
          this.synTimer = null;
          this.host.defer(() => this.app.connected?.());
        }
        break;
      case 'FIN-WAIT-1':
        if (this.finAcked()) this.setState('FIN-WAIT-2');
        break;
      case 'CLOSING':
        if (this.finAcked()) {
          this.enterTimeWait();
          return;
        }
        break;
      case 'LAST-ACK':
        if (this.finAcked()) {
          this.done();
          return;
        }
        break;
      default:
        break;
    }

    // Step 6: the URG bit, before the text it may point into.
    this.receiveQueue.markUrgent(segment, this.rcvNxt);

    switch (this.state) {
      case 'CLOSE-WAIT':
      case 'CLOSING':
      case 'LAST-ACK':
        // After the peer's FIN nothing new can arrive; only retransmissions are answered.
        if (!before(segment.seq, this.rcvNxt)) break;
        this.dataInput(segment);
        break;
      case 'FIN-WAIT-1':
      case 'FIN-WAIT-2':
      case 'ESTABLISHED':
        this.dataInput(segment);
        break;
      default:
        break;
    }
    if (this.state === 'CLOSED' || this.state === 'TIME-WAIT') return;
    this.pushPending(false);
    this.ackSendCheck();
  }

  /** tcp_sequence: does any of the segment fall in the receive window? */
  private sequenceAcceptable(segment: InSegment): boolean {
    const end = endSeq(segment);
    if (before(end, this.window.rcvWup)) return false;
    const right = seqAdd(this.rcvNxt, this.window.remaining(this.rcvNxt));
    if (after(end, right)) {
      if (after(segment.seq, right)) return false;
      // Past the right edge is tolerated only while nothing waits to be read.
      if (!this.receiveQueue.isEmpty) return false;
    }
    return true;
  }

  /** tcp_reset_check: an RST just below rcv_nxt after the peer's FIN also counts. */
  private resetCheck(segment: InSegment): boolean {
    return segment.seq === seqAdd(this.rcvNxt, -1) && (this.state === 'CLOSE-WAIT' || this.state === 'LAST-ACK' || this.state === 'CLOSING');
  }

  /** An RST at the right edge of our highest SACK block is as good as one at rcv_nxt. */
  private rstMatchesSack(seq: number): boolean {
    if (!this.sackOk || this.sacks.length === 0) return false;
    let max = this.sacks[0]![1];
    for (const [, right] of this.sacks) if (after(right, max)) max = right;
    return seq === max;
  }

  /** tcp_ack: what the peer's acknowledgement tells us about our data. */
  private ackInput(segment: InSegment, options: PeerOptions): 'ok' | 'drop' {
    const ack = segment.ack;
    const priorUna = this.sndUna;
    if (before(ack, priorUna)) {
      const maxWindow = Math.min(this.maxWindow, this.bytesAcked);
      if (before(ack, seqAdd(priorUna, -maxWindow))) {
        this.challengeAck();
        return 'drop';
      }
      return 'ok';
    }
    if (after(ack, this.sndNxt)) {
      // Linux 6.18 answers an ACK of unsent data with a challenge ACK (measured).
      this.challengeAck();
      return 'drop';
    }
    if (this.tsOk && options.ts && !after(segment.seq, this.window.rcvWup) && !this.pawsRejects(options.ts.val)) this.storeTsRecent(options.ts.val);

    const priorWnd = this.sndWnd;
    const window = has(segment, SYN) ? segment.window : segment.window * 2 ** this.sndWscale;
    if (after(ack, priorUna) || after(segment.seq, this.sndWl1) || (segment.seq === this.sndWl1 && window > this.sndWnd)) {
      this.sndWnd = window;
      this.sndWl1 = segment.seq;
      if (window > this.maxWindow) {
        this.maxWindow = window;
        this.syncMss();
      }
    }

    // Linux takes the peer's CWR on any ACK that gets this far, pure ACKs included.
    if (this.ecn.cwrArrived(segment.flags, segmentLength(segment) > 0)) this.delayedAck.now = true;
    const outstanding = this.flights.length > 0;
    if (after(ack, priorUna)) {
      this.bytesAcked += seqDiff(ack, priorUna);
      this.acknowledge(ack);
    } else if (
      segment.payload.length === 0 &&
      !has(segment, SYN | FIN) &&
      window === priorWnd &&
      this.sndNxt !== this.sndUna
    ) {
      this.dupacks += 1;
      if (this.dupacks === FASTRETRANS_THRESH) {
        // Fast retransmit: three duplicate ACKs say the first unacknowledged segment was lost.
        this.ssthresh = Math.max(2, Math.floor(this.flights.length / 2));
        this.cwnd = this.ssthresh;
        this.reducingUntil = this.sndNxt;
        this.ecn.queueCwr();
        this.retransmitHead();
      }
    }
    // An ECE with nothing of ours outstanding counts for nothing (tcp_ack's "no_queue").
    if (outstanding && this.ecn.echoed(segment.flags)) this.congestionEchoed();
    if (this.sndWnd > 0 && this.retransmitTimer?.kind === 'probe') {
      this.clearRetransmitTimer();
      this.backoff = 0;
    }
    return 'ok';
  }

  /** Our data up to `ack` has arrived: drop it from the buffer, learn the RTT, re-arm. */
  private acknowledge(ack: number): void {
    const now = this.host.now();
    let sample: number | null = null;
    while (this.flights.length > 0 && !after(this.flights[0]!.end, ack)) {
      const flight = this.flights.shift()!;
      if (!flight.retransmitted) sample = now - flight.sentAt;
    }
    if (sample !== null) this.rtt.sample(sample);
    // The SYN (in a simultaneous open) takes one sequence number before the data.
    const dataAcked = Math.max(0, Math.min(this.sendBuffer.length, seqDiff(ack, this.bufferSeq)));
    if (dataAcked > 0) {
      this.sendBuffer = this.sendBuffer.subarray(dataAcked);
      this.bufferSeq = seqAdd(this.bufferSeq, dataAcked);
    }
    const segmentsAcked = Math.max(1, Math.ceil(seqDiff(ack, this.sndUna) / this.mss));
    this.sndUna = ack;
    if (this.reducingUntil !== null && after(ack, this.reducingUntil)) this.reducingUntil = null;
    if (this.cwnd < this.ssthresh) this.cwnd += segmentsAcked;
    else this.cwnd += segmentsAcked / this.cwnd;
    this.dupacks = 0;
    this.backoff = 0;
    this.retransmits = 0;
    if (this.tlpHighSeq !== null && !before(ack, this.tlpHighSeq)) this.tlpHighSeq = null;
    if (this.sndUna === this.sndNxt) this.clearRetransmitTimer();
    else this.setXmitTimer();
  }

  /**
   * tcp_enter_cwr: the peer's ECE says the network marked our data, so CWR goes out on the
   * next new segment, once per window of data. The window itself stays: the measured kernel's
   * congestion control is BBR (CONFIG_DEFAULT_TCP_CONG), which sets it from its own model and
   * ignores ECE. Measured: with ten segments in flight, ECE on the first ACK lets two new
   * ones go, the first with CWR, exactly as the same ACK without ECE does.
   */
  private congestionEchoed(): void {
    if (this.reducingUntil !== null) return;
    this.reducingUntil = this.sndNxt;
    this.ecn.queueCwr();
  }

  private finAcked(): boolean {
    return this.finSent && this.sndUna === this.sndNxt;
  }

  /** tcp_data_queue: the payload and FIN of an acceptable segment. */
  private dataInput(segment: InSegment): void {
    let seq = segment.seq;
    let payload = segment.payload;
    const fin = has(segment, FIN);
    const end = endSeq(segment);
    if (seq === end) return;
    const truesize = segmentTruesize(segment.ipLength);
    if (has(segment, SYN)) {
      // Only a SYN already counted reaches here (simultaneous open): a duplicate.
      this.dsack = [seq, end];
      this.delayedAck.enterQuickack(this.window.rcvWnd);
      this.delayedAck.scheduled = true;
      return;
    }
    if (seq === this.rcvNxt) {
      if (this.window.remaining(this.rcvNxt) === 0 && !(payload.length === 0 && fin)) {
        this.outOfWindow();
        return;
      }
      this.queueInOrder(segment, payload, fin, end, truesize);
      return;
    }
    if (!after(end, this.rcvNxt)) {
      // All of it was received before: a retransmission. D-SACK it and ACK at once.
      if (this.sackOk) this.dsack = [seq, end];
      this.outOfWindow();
      return;
    }
    if (!before(seq, seqAdd(this.rcvNxt, this.window.remaining(this.rcvNxt)))) {
      this.outOfWindow();
      return;
    }
    if (before(seq, this.rcvNxt)) {
      // Partly new: D-SACK the old part, keep the rest.
      if (this.sackOk) this.dsack = [seq, this.rcvNxt];
      if (this.window.remaining(this.rcvNxt) === 0) {
        this.outOfWindow();
        return;
      }
      payload = payload.subarray(seqDiff(this.rcvNxt, seq));
      seq = this.rcvNxt;
      this.queueInOrder(segment, payload, fin, end, truesize);
      return;
    }
    if (this.ecn.dataArrived(segment.ecn)) this.delayedAck.enterQuickack(this.window.rcvWnd, ECN_QUICKACKS);
    this.queueOutOfOrder({ seq, end, payload, fin, truesize });
  }

  private outOfWindow(): void {
    this.delayedAck.enterQuickack(this.window.rcvWnd);
    this.delayedAck.scheduled = true;
  }

  private queueInOrder(segment: InSegment, payload: Bytes, fin: boolean, end: number, truesize: number): void {
    if (payload.length > 0) {
      this.receiveQueue.push(payload, truesize);
    }
    this.rcvNxt = end;
    if (payload.length > 0) {
      // tcp_measure_rcv_mss: the scaling ratio against the old rcv_mss, before it is updated.
      const rcvMss = this.delayedAck.rcvMss;
      if (payload.length >= rcvMss && payload.length !== rcvMss) this.window.measureRatio(payload.length, truesize);
      this.delayedAck.dataReceived(
        { now: this.host.now(), length: payload.length, headerLength: segment.headerLength, remnant: has(segment, FIN | SYN | PSH | TcpFlag.URG) },
        this.window.rcvWnd,
        this.currentRto(),
      );
      if (this.ecn.dataArrived(segment.ecn)) this.delayedAck.enterQuickack(this.window.rcvWnd, ECN_QUICKACKS);
      this.window.grow(payload.length, truesize, this.advmss, this.receiveQueue.truesize);
    }
    if (fin) this.finInput();
    if (this.ofo.length > 0) {
      this.drainOutOfOrder();
      // RFC 5681 4.2: ACK at once when a hole is filled.
      if (this.ofo.length === 0) this.delayedAck.now = true;
    }
    this.sacks = this.sacks.filter(([, right]) => after(right, this.rcvNxt));
    this.host.defer(() => this.readToApp());
  }

  private queueOutOfOrder(incoming: OfoSegment): void {
    this.delayedAck.scheduled = true;
    const covered = this.ofo.find((held) => !before(incoming.seq, held.seq) && !after(incoming.end, held.end));
    if (covered) {
      if (this.sackOk) this.dsack = [incoming.seq, incoming.end];
    } else {
      this.ofo.push(incoming);
      this.ofo.sort((a, b) => seqDiff(a.seq, b.seq));
    }
    if (!this.sackOk) return;
    // The block holding the newest segment goes first (tcp_sack_new_ofo_skb).
    let left = incoming.seq;
    let right = incoming.end;
    const rest: Array<[number, number]> = [];
    for (const block of this.sacks) {
      if (!after(block[0], right) && !before(block[1], left)) {
        if (before(block[0], left)) left = block[0];
        if (after(block[1], right)) right = block[1];
      } else {
        rest.push(block);
      }
    }
    this.sacks = [[left, right] as [number, number], ...rest].slice(0, 4);
  }

  /** tcp_ofo_queue: whatever now continues the in-order stream moves over. */
  private drainOutOfOrder(): void {
    while (this.ofo.length > 0) {
      const head = this.ofo[0]!;
      if (after(head.seq, this.rcvNxt)) break;
      this.ofo.shift();
      if (!after(head.end, this.rcvNxt)) continue;
      const fresh = head.payload.subarray(Math.max(0, seqDiff(this.rcvNxt, head.seq)));
      if (fresh.length > 0) {
        this.receiveQueue.push(fresh, head.truesize);
      }
      this.rcvNxt = head.end;
      if (head.fin) {
        this.finInput();
        break;
      }
    }
  }

  /** tcp_fin. */
  private finInput(): void {
    this.delayedAck.scheduled = true;
    this.finReceived = true;
    switch (this.state) {
      case 'SYN-RECV':
      case 'ESTABLISHED':
        this.setState('CLOSE-WAIT');
        // The application will likely answer with its own FIN, which can carry this ACK.
        this.delayedAck.enterPingpong();
        break;
      case 'FIN-WAIT-1':
        // Simultaneous close.
        this.sendAck();
        this.setState('CLOSING');
        break;
      case 'FIN-WAIT-2':
        this.sendAck();
        this.enterTimeWait();
        break;
      default:
        break;
    }
    this.ofo = [];
    this.sacks = [];
    this.host.defer(() => this.readToApp());
  }

  /** __tcp_ack_snd_check: ACK now, or let the delayed-ACK timer (or a reply) carry it. */
  private ackSendCheck(): void {
    if (!this.delayedAck.scheduled) return;
    const unacked = seqDiff(this.rcvNxt, this.window.rcvWup);
    const fullFrames = unacked > this.delayedAck.rcvMss && this.window.allowed(this.delayedAck.rcvMss, this.receiveQueue.truesize).window >= this.window.rcvWnd;
    if (fullFrames || this.delayedAck.inQuickack || this.delayedAck.now || this.ofo.length > 0) {
      this.sendAck();
      return;
    }
    const at = this.delayedAck.delayedAckTime(this.host.now(), this.rtt.srtt);
    if (at === null) {
      this.sendAck();
      return;
    }
    if (this.delackTimer && this.delackTimer.at === at) return;
    this.delackTimer?.cancel();
    this.delackTimer = this.host.timer(at - this.host.now(), () => {
      this.delackTimer = null;
      if (!this.delayedAck.scheduled || this.state === 'CLOSED' || this.state === 'TIME-WAIT') return;
      this.delayedAck.timerFired(this.currentRto());
      this.sendAck();
    });
  }

  /** tcp_send_dupack: answer a segment we cannot use, D-SACKing what we already had. */
  private sendDupack(segment: InSegment): void {
    const end = endSeq(segment);
    if (segment.seq !== end && before(segment.seq, this.rcvNxt)) {
      this.delayedAck.enterQuickack(this.window.rcvWnd);
      if (this.sackOk) this.dsack = [segment.seq, after(end, this.rcvNxt) ? this.rcvNxt : end];
    }
    this.sendAck();
  }

  /** tcp_send_challenge_ack (RFC 5961): at most one per tcp_invalid_ratelimit. */
  private challengeAck(): void {
    if (this.rateLimited()) return;
    this.sendAck();
  }

  /** tcp_oow_rate_limited: segments with data are always answered, the rest rate-limited. */
  private oowRateLimited(segment: InSegment): boolean {
    if (segment.payload.length > 0 && !has(segment, SYN)) return false;
    return this.rateLimited();
  }

  private rateLimited(): boolean {
    const now = this.host.now();
    if (this.lastOowAck !== null) {
      const elapsed = now - this.lastOowAck;
      if (elapsed >= 0 && elapsed < INVALID_RATELIMIT_MS) return true;
    }
    this.lastOowAck = now;
    return false;
  }

  private pawsRejects(tsval: number): boolean {
    if (this.tsRecent === 0) return false;
    if (this.host.now() - this.tsRecentStamp >= PAWS_24DAYS_MS) return false;
    return seqDiff(this.tsRecent, tsval) > 1;
  }

  private storeTsRecent(tsval: number): void {
    this.tsRecent = tsval >>> 0;
    this.tsRecentStamp = this.host.now();
  }

  /** tcp_timewait_state_process. */
  private timeWaitInput(segment: InSegment): { reopenIsn: number } | undefined {
    const options = parseOptions(segment.options, has(segment, SYN));
    const ts = this.tsOk ? options.ts : null;
    const pawsReject = ts !== null && !has(segment, RST) && this.pawsRejects(ts.val);
    const end = endSeq(segment);
    if (!pawsReject && segment.seq === this.rcvNxt && (segment.seq === end || has(segment, RST))) {
      if (has(segment, RST)) {
        // net.ipv4.tcp_rfc1337 = 0: an RST ends TIME-WAIT early.
        this.done();
        return undefined;
      }
      this.armTimeWait();
      if (ts) this.storeTsRecent(ts.val);
      return undefined;
    }
    if (
      has(segment, SYN) &&
      !has(segment, RST) &&
      !has(segment, ACK) &&
      !pawsReject &&
      (after(segment.seq, this.rcvNxt) || (ts !== null && seqDiff(this.tsRecent, ts.val) < 0))
    ) {
      // A new connection may reuse the pair; its ISN continues well past ours.
      let isn = seqAdd(this.sndNxt, 65535 + 2);
      if (isn === 0) isn = 1;
      this.done();
      return { reopenIsn: isn };
    }
    if (!has(segment, RST)) {
      if (pawsReject || has(segment, ACK)) this.armTimeWait();
      if (!this.oowRateLimited(segment)) this.transmit({ seq: this.sndNxt, flags: ACK, window: this.timeWaitWindow });
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------
  // Sending.

  private isOpenForWriting(): boolean {
    return this.state === 'ESTABLISHED' || this.state === 'CLOSE-WAIT' || this.state === 'SYN-SENT' || this.state === 'SYN-RECV';
  }

  private get writeEnd(): number {
    return seqAdd(this.bufferSeq, this.sendBuffer.length);
  }

  /** tcp_write_xmit: send what the windows, the congestion window and Nagle allow. */
  private pushPending(finPush: boolean): void {
    if (this.state === 'SYN-SENT' || this.state === 'SYN-RECV' || this.state === 'CLOSED' || this.state === 'TIME-WAIT') return;
    let sentNew = false;
    for (;;) {
      const unsent = seqDiff(this.writeEnd, this.sndNxt);
      const finPending = this.finQueued && !this.finSent;
      if (unsent <= 0 && !finPending) break;
      const length = Math.max(0, Math.min(unsent, this.mss));
      const carriesFin = finPending && length === Math.max(0, unsent);
      if (length > 0) {
        if (after(seqAdd(this.sndNxt, length), seqAdd(this.sndUna, this.sndWnd))) {
          if (this.flights.length === 0 && !this.retransmitTimer) this.armProbeTimer();
          break;
        }
        if (this.flights.length >= Math.floor(this.cwnd)) break;
        const partial = length < this.mss;
        if (partial && !carriesFin && !finPush && !this.noDelay && this.flights.length > 0 && after(this.sndSml, this.sndUna)) break;
      }
      const start = this.sndNxt;
      const payload = this.sendBuffer.subarray(seqDiff(start, this.bufferSeq), seqDiff(start, this.bufferSeq) + length);
      // PSH marks the end of what the application wrote.
      const push = length > 0 && seqAdd(start, length) === this.writeEnd;
      this.transmit({ seq: start, flags: ACK | (push ? PSH : 0) | (carriesFin ? FIN : 0), payload });
      const end = seqAdd(start, length + (carriesFin ? 1 : 0));
      this.sndNxt = end;
      if (carriesFin) this.finSent = true;
      if (length < this.mss) this.sndSml = end;
      const hadFlights = this.flights.length > 0;
      this.flights.push({ start, end, sentAt: this.host.now(), retransmitted: false });
      if (!hadFlights || this.retransmitTimer?.kind === 'tlp' || this.retransmitTimer?.kind === 'probe') this.armRetransmitTimer('rto', this.currentRto());
      sentNew = true;
      if (carriesFin) break;
    }
    if (sentNew) this.scheduleLossProbe(false);
  }

  /**
   * tcp_schedule_loss_probe: with SACK, a probe goes out after about two RTTs (plus 200 ms
   * when a single segment is outstanding) instead of waiting for the RTO. Measured: data and
   * FIN outstanding, the FIN went again 8 ms later; a lone FIN, 204 ms later.
   */
  private scheduleLossProbe(advancingRto: boolean): boolean {
    if (!this.sackOk || this.flights.length === 0 || this.tlpHighSeq !== null) return false;
    const srtt = this.rtt.srtt;
    let timeout = srtt === null ? TIMEOUT_INIT_MS : 2 * srtt + (this.flights.length === 1 ? RTO_MIN_MS : TIMEOUT_MIN_MS);
    const rtoLeft = advancingRto || !this.retransmitTimer ? this.currentRto() : this.retransmitTimer.handle.at - this.host.now();
    if (rtoLeft > 0) timeout = Math.min(timeout, rtoLeft);
    this.armRetransmitTimer('tlp', timeout);
    return true;
  }

  /** tcp_set_xmit_timer: after an ACK that left data outstanding. */
  private setXmitTimer(): void {
    if (!this.scheduleLossProbe(true)) this.armRetransmitTimer('rto', this.currentRto());
  }

  private currentRto(): number {
    return this.rtt.backedOff(this.backoff);
  }

  private armRetransmitTimer(kind: RetransmitKind, ms: number): void {
    this.retransmitTimer?.handle.cancel();
    const handle = this.host.timer(ms, () => {
      this.retransmitTimer = null;
      if (kind === 'tlp') this.lossProbe();
      else if (kind === 'probe') this.windowProbe();
      else this.retransmitTimeout();
    });
    this.retransmitTimer = { kind, handle };
  }

  private clearRetransmitTimer(): void {
    this.retransmitTimer?.handle.cancel();
    this.retransmitTimer = null;
  }

  /** tcp_send_loss_probe: new data if any may go, else the last segment once more. */
  private lossProbe(): void {
    if (this.state === 'CLOSED' || this.state === 'TIME-WAIT' || this.flights.length === 0) return;
    const sentBefore = this.sndNxt;
    this.pushPending(false);
    if (this.sndNxt === sentBefore) {
      const last = this.flights[this.flights.length - 1]!;
      this.sendRange(last.start, last.end);
      last.retransmitted = true;
    }
    this.tlpHighSeq = this.sndNxt;
    this.armRetransmitTimer('rto', this.currentRto());
  }

  /** tcp_retransmit_timer: the head goes again, and the timeout doubles. */
  private retransmitTimeout(): void {
    if (this.state === 'CLOSED' || this.state === 'TIME-WAIT' || this.flights.length === 0) return;
    if (this.retransmits >= RETRIES2) {
      this.fail('ETIMEDOUT');
      return;
    }
    this.retransmits += 1;
    this.ssthresh = Math.max(2, Math.floor(this.flights.length / 2));
    this.cwnd = 1;
    // tcp_enter_loss: measured, the first new data after a timeout carries CWR.
    this.reducingUntil = this.sndNxt;
    this.ecn.queueCwr();
    this.retransmitHead();
    this.backoff += 1;
    this.armRetransmitTimer('rto', this.currentRto());
  }

  /**
   * The first unacknowledged segment again, merged with what follows up to one MSS
   * (tcp_retrans_try_collapse): measured, data then FIN come back as one "FP." segment.
   */
  private retransmitHead(): void {
    let end = this.flights[0]?.end ?? this.sndNxt;
    for (const flight of this.flights) {
      const carriesFin = this.finSent && flight.end === this.sndNxt;
      if (seqDiff(flight.end, this.sndUna) - (carriesFin ? 1 : 0) > this.mss) break;
      end = flight.end;
    }
    for (const flight of this.flights) if (!after(flight.end, end)) flight.retransmitted = true;
    this.sendRange(this.sndUna, end);
  }

  private sendRange(start: number, end: number): void {
    const finIncluded = this.finSent && end === this.sndNxt;
    const dataEnd = finIncluded ? seqAdd(end, -1) : end;
    const from = Math.max(0, seqDiff(start, this.bufferSeq));
    const to = Math.max(from, seqDiff(dataEnd, this.bufferSeq));
    const payload = this.sendBuffer.subarray(from, to);
    const push = payload.length > 0 && seqAdd(start, payload.length) === this.writeEnd;
    this.transmit({ seq: start, flags: ACK | (push ? PSH : 0) | (finIncluded ? FIN : 0), payload });
  }

  /** The zero-window probe timer (tcp_probe_timer / tcp_write_wakeup). */
  private armProbeTimer(): void {
    this.armRetransmitTimer('probe', this.currentRto());
  }

  private windowProbe(): void {
    if (this.state === 'CLOSED' || this.state === 'TIME-WAIT') return;
    const unsent = seqDiff(this.writeEnd, this.sndNxt);
    if (unsent <= 0) return;
    const room = seqDiff(seqAdd(this.sndUna, this.sndWnd), this.sndNxt);
    if (room > 0) {
      // Some window, if less than a segment: send what fits.
      const length = Math.min(room, this.mss, unsent);
      const start = this.sndNxt;
      const offset = seqDiff(start, this.bufferSeq);
      this.transmit({ seq: start, flags: ACK | PSH, payload: this.sendBuffer.subarray(offset, offset + length) });
      this.sndNxt = seqAdd(start, length);
      this.flights.push({ start, end: this.sndNxt, sentAt: this.host.now(), retransmitted: false });
      this.armRetransmitTimer('rto', this.currentRto());
      return;
    }
    // A zero window: an ACK one below snd_una draws an ACK with the peer's current window.
    this.transmit({ seq: seqAdd(this.sndUna, -1), flags: ACK });
    this.backoff += 1;
    this.armProbeTimer();
  }

  private sendSyn(): void {
    this.transmit({
      seq: this.iss,
      flags: SYN,
      window: this.synRcvWnd,
      options: synOptions({ mss: this.advmss, sackOk: true, ts: { val: this.tsval(), ecr: 0 }, wscale: RCV_WSCALE }),
    });
    this.sndNxt = seqAdd(this.iss, 1);
    if (this.flights.length === 0) this.flights.push({ start: this.iss, end: this.sndNxt, sentAt: this.host.now(), retransmitted: false });
  }

  /** The SYN timer of an active open: linear for the first timeouts, then doubling. */
  private armSynTimer(ms: number): void {
    this.synTimer = this.host.timer(ms, () => {
      this.synTimer = null;
      if (this.state !== 'SYN-SENT' && this.state !== 'SYN-RECV') return;
      if (this.retransmits >= SYN_RETRIES + SYN_LINEAR_TIMEOUTS) {
        this.fail('ETIMEDOUT');
        return;
      }
      this.retransmits += 1;
      this.synRetransmitted = true;
      if (this.state === 'SYN-SENT') {
        this.transmit({
          seq: this.iss,
          flags: SYN,
          window: this.synRcvWnd,
          options: synOptions({ mss: this.advmss, sackOk: true, ts: { val: this.tsval(), ecr: 0 }, wscale: RCV_WSCALE }),
        });
      } else {
        this.sendFullSynAck();
      }
      const next = this.retransmits > SYN_LINEAR_TIMEOUTS ? Math.min(ms * 2, RTO_MAX_MS) : ms;
      this.armSynTimer(next);
    });
  }

  private sendSynAck(sackOk: boolean, wscale: boolean): void {
    this.transmit({
      seq: this.iss,
      flags: SYN | ACK | (this.ecn.agreed ? ECE : 0),
      window: Math.min(this.window.rcvWnd, 0xffff),
      options: synOptions({
        mss: this.advmss,
        sackOk,
        ts: this.tsOk ? { val: this.tsval(), ecr: this.tsRecent } : null,
        wscale: wscale ? RCV_WSCALE : null,
      }),
      noAckEffects: true,
    });
  }

  /** The request's SYN-ACK timer: 1, 2, 4, 8, 16 s, then the request is forgotten. */
  private armRequestTimer(): void {
    const request = this.request!;
    const ms = Math.min(TIMEOUT_INIT_MS * 2 ** request.timeouts, RTO_MAX_MS);
    request.timer = this.host.timer(ms, () => {
      if (this.request !== request) return;
      if (request.timeouts >= SYNACK_RETRIES) {
        this.request = null;
        this.done();
        return;
      }
      request.timeouts += 1;
      this.sendSynAck(this.sackOk, this.wscaleOffered);
      this.armRequestTimer();
    });
  }

  private sendAck(): void {
    this.transmit({ seq: this.sndNxt, flags: ACK });
  }

  private transmit(spec: { seq: number; flags: number; payload?: Bytes; window?: number; options?: OutSegment['options']; noAckEffects?: boolean }): void {
    let flags = spec.flags;
    const payload = spec.payload ?? EMPTY;
    let ect = false;
    // tcp_ecn_send runs for a full socket's segments other than SYNs; a request socket's ACKs
    // and TIME-WAIT's are built elsewhere, without it.
    if (this.ecn.agreed && !(flags & SYN) && !this.request && this.state !== 'TIME-WAIT') {
      const marks = this.ecn.outgoing(payload.length > 0 && spec.seq === this.sndNxt);
      flags |= marks.flags;
      ect = marks.ect;
    }
    let window = spec.window;
    if (window === undefined) {
      if (this.state === 'TIME-WAIT') window = this.timeWaitWindow;
      else {
        const selected = this.window.select(this.rcvNxt, this.delayedAck.rcvMss, this.receiveQueue.truesize);
        if (selected.dropQuickacks) this.delayedAck.quick = 0;
        window = selected.field;
      }
    }
    let options = spec.options;
    if (options === undefined) {
      const sackBlocks: Array<[number, number]> = [];
      if (this.sackOk && !(flags & RST)) {
        if (this.dsack) sackBlocks.push(this.dsack);
        for (const block of this.sacks) sackBlocks.push(block);
      }
      options = segmentOptions(this.tsOk ? { val: this.tsval(), ecr: this.tsRecent } : null, sackBlocks.slice(0, maxSackBlocks(this.tsOk)));
    }
    this.host.transmit(this, { seq: spec.seq >>> 0, ack: flags & ACK ? this.rcvNxt : 0, flags, window, options, payload, ect });
    if (flags & ACK && !spec.noAckEffects) {
      this.dsack = null;
      this.delayedAck.ackSent();
      this.delackTimer?.cancel();
      this.delackTimer = null;
    }
    if (payload.length > 0) this.delayedAck.dataSent(this.host.now());
  }

  /** Our TS value: the millisecond clock plus this connection's offset (RFC 7323 5.4). */
  private tsval(): number {
    return (Math.floor(this.host.now()) + this.tsOffset) >>> 0;
  }

  /** What both SYNs offered becomes what the connection uses (RFC 7323, RFC 2018). */
  private agree(offer: PeerOptions): void {
    this.wscaleOffered = offer.wscale !== null;
    const wscale = this.wscaleOffered ? RCV_WSCALE : 0;
    this.sndWscale = offer.wscale ?? 0;
    this.window = new ReceiveWindow({ wscale, rcvWnd: this.window.rcvWnd, rcvWup: this.rcvNxt });
    this.sackOk = offer.sackOk;
    this.tsOk = offer.ts !== null;
    if (offer.ts) this.storeTsRecent(offer.ts.val);
    this.peerMss = offer.mss ?? DEFAULT_PEER_MSS[this.tuple.family];
    this.agreedMss = Math.max(MIN_SND_MSS, Math.min(this.peerMss, this.advmss) - (this.tsOk ? TS_OPTION_SPACE : 0));
    this.syncMss();
  }

  /**
   * tcp_sync_mss with tcp_bound_to_half_wnd: no segment larger than half the largest window
   * the peer has offered (all of it when that is 536 bytes or less), for a peer with tiny
   * windows. Measured on loopback: with the learner's window at 512 << 7 = 65536, a 40000-byte
   * echo goes out as 32768 + 7232; with 1024 << 7, as one segment; with 8 << 7, as 512s.
   */
  private syncMss(): void {
    const cutoff = this.maxWindow > TCP_MSS_DEFAULT ? Math.floor(this.maxWindow / 2) : this.maxWindow;
    const headerLength = 20 + (this.tsOk ? TS_OPTION_SPACE : 0);
    this.mss = cutoff > 0 && this.agreedMss > cutoff ? Math.max(cutoff, 68 - headerLength) : this.agreedMss;
  }

  // ---------------------------------------------------------------------------------------
  // The application's side of the queue, and endings.

  /**
   * The reader's turn: everything queued up to the urgent byte, if one is marked, then an
   * error or the EOF once nothing is left (tcp_recvmsg, tcp_cleanup_rbuf).
   */
  private readToApp(): void {
    if (!this.reading || this.paused || (this.appClosed && this.eofDelivered)) return;
    if (this.receiveQueue.readable(this.wakesReader())) {
      const data = this.receiveQueue.read();
      if (data.length > 0) {
        this.cleanupRbuf(data.length);
        this.app.data?.(data);
        // A read that stopped at the urgent byte leaves data readable: the reader is woken
        // again, as epoll would (it reports readiness for as long as it lasts).
        if (!this.receiveQueue.isEmpty) this.host.defer(() => this.readToApp());
      }
    }
    // What was queued comes first; the reset that followed, on the next read.
    if (this.unreadError !== null && this.receiveQueue.isEmpty) {
      if (this.paused) return;
      const code = this.unreadError;
      this.unreadError = null;
      this.tellError(code);
      return;
    }
    if (this.finReceived && !this.eofDelivered && this.receiveQueue.isEmpty && !this.paused) {
      this.eofDelivered = true;
      this.app.end?.();
      this.maybeCloseApp();
    }
  }

  /**
   * tcp_epollin_ready's reasons to wake a reader for a single byte, which matter when that
   * byte is the urgent one: the FIN or an error has come, the buffer is nearly full
   * (tcp_rmem_pressure), or the window is down to a segment.
   */
  private wakesReader(): boolean {
    const rcvbuf = this.window.rcvbuf;
    return (
      this.finReceived ||
      this.unreadError !== null ||
      this.receiveQueue.truesize > rcvbuf - (rcvbuf >> 3) ||
      this.window.remaining(this.rcvNxt) <= this.delayedAck.rcvMss
    );
  }

  private cleanupRbuf(copied: number): void {
    if (this.state === 'CLOSED' || this.state === 'TIME-WAIT') return;
    let ackNow = this.delayedAck.ackOnRead(copied, seqDiff(this.rcvNxt, this.window.rcvWup), this.receiveQueue.isEmpty);
    if (!ackNow && copied > 0 && !this.finReceived) {
      const now = this.window.remaining(this.rcvNxt);
      if (2 * now <= this.window.clamp) {
        const next = this.window.allowed(this.delayedAck.rcvMss, this.receiveQueue.truesize).window;
        if (next > 0 && next >= 2 * now) ackNow = true;
      }
    }
    if (ackNow) this.sendAck();
  }

  private maybeCloseApp(): void {
    if (this.eofDelivered && this.finQueued) this.closeApp(false);
  }

  private closeApp(hadError: boolean): void {
    if (this.appClosed) return;
    this.appClosed = true;
    const app = this.app;
    this.host.defer(() => app.closed?.(hadError));
  }

  /** tcp_reset: the peer's RST ends the connection; the errno depends on the state. */
  private reset(): void {
    const code = this.state === 'SYN-SENT' ? 'ECONNREFUSED' : this.state === 'CLOSE-WAIT' ? 'EPIPE' : 'ECONNRESET';
    this.fail(code);
  }

  private fail(code: string): void {
    this.done();
    if (this.appClosed) return;
    // The kernel keeps the error for the socket's next read (sk_err); an application that has
    // stopped reading (node's paused socket no longer polls it) hears nothing until it reads.
    // Measured: a reset to the slow reader that never reads leaves it with no 'error' and no
    // 'close' at all.
    if (!this.reading || this.paused) {
      this.unreadError ??= code;
      return;
    }
    this.tellError(code);
  }

  private tellError(code: string): void {
    const app = this.app;
    this.host.defer(() => app.error?.(code));
    this.closeApp(true);
  }

  private enterTimeWait(): void {
    this.timeWaitWindow = Math.floor(this.window.remaining(this.rcvNxt) / 2 ** this.window.wscale);
    this.stopTimers();
    this.setState('TIME-WAIT');
    this.armTimeWait();
    this.host.defer(() => this.readToApp());
  }

  private armTimeWait(): void {
    this.timeWaitTimer?.cancel();
    this.timeWaitTimer = this.host.timer(TIME_WAIT_MS, () => {
      this.timeWaitTimer = null;
      this.done();
    });
  }

  private stopTimers(): void {
    this.clearRetransmitTimer();
    this.synTimer?.cancel();
    this.synTimer = null;
    this.delackTimer?.cancel();
    this.delackTimer = null;
    this.request?.timer?.cancel();
  }

  /** tcp_done: the connection is gone. */
  private done(): void {
    if (this.state === 'CLOSED') return;
    this.stopTimers();
    this.timeWaitTimer?.cancel();
    this.timeWaitTimer = null;
    this.setState('CLOSED');
  }

  private setState(to: TcpState): void {
    const from = this.state === 'CLOSED' ? null : this.state;
    if (from === to) return;
    this.state = to;
    this.host.stateChanged(this, from, to);
  }
}

/** tcp_in_window, as tcp_check_req uses it. */
function inWindow(seq: number, end: number, left: number, right: number): boolean {
  if (seq === left) return true;
  if (after(end, left) && before(seq, right)) return true;
  return seq === right && seq === end;
}

function roundDown(value: number, unit: number): number {
  return Math.floor(value / unit) * unit;
}

export type { Timestamps };
