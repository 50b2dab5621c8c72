/**
 * The simulated kernel's TCP layer: demultiplexing by four-tuple, listeners, the RST for a
 * port nobody listens on, and loopback itself. Everything it transmits to a loopback address
 * comes back into it, as on a real `lo`, so a SYN-ACK sent to the learner's port meets "no
 * socket" there, and the RST that provokes is dropped by the firewall rule the lab installs
 * for the learner's ports: exactly what the learner sees on the real kernel.
 */
import type { Endpoint, TcpState } from '../network.js';
import type { IpRepr, Packet } from '../../wire/packet.js';
import { TcpFlag } from '../../wire/tcp-flags.js';
import type { TcpRepr } from '../../wire/tcp.js';
import type { TimerHandle, VirtualClock } from './clock.js';
import { EPHEMERAL_PORTS, IP_TTL } from './linux.js';
import type { SeededRandom } from './random.js';
import { EcnCodepoint } from './ecn.js';
import { EMPTY, has, type InSegment, inSegmentFrom, type OutSegment, segmentLength, tcpHeaderLength } from './segment.js';
import { seqAdd } from './seq.js';
import { type FourTuple, type SocketHost, type SocketSecrets, TcpSocket } from './socket.js';

export interface SimKernelOptions {
  clock: VirtualClock;
  random: SeededRandom;
  /** Every packet the kernel puts on the wire, in order. */
  onPacket: (packet: Packet) => void;
  onState: (socket: TcpSocket, from: TcpState | null, to: TcpState) => void;
  /** Packets an output firewall rule drops before they reach the wire. */
  drops?: (packet: Packet) => boolean;
}

interface Listener {
  local: Endpoint;
  accept: (socket: TcpSocket) => void;
}

export class SimKernel {
  private readonly listeners = new Map<string, Listener>();
  private readonly sockets = new Map<string, TcpSocket>();
  private readonly loopback: Packet[] = [];
  private readonly deferred: Array<() => void> = [];
  private depth = 0;
  private readonly host: SocketHost;

  constructor(private readonly options: SimKernelOptions) {
    const kernel = this;
    this.host = {
      now: () => options.clock.now(),
      timer: (ms, fire) => kernel.timer(ms, fire),
      transmit: (socket, segment) => kernel.transmitFrom(socket, segment),
      resetFor: (tuple, segment) => kernel.sendReset(tuple, segment),
      stateChanged: (socket, from, to) => kernel.stateChanged(socket, from, to),
      defer: (task) => kernel.deferred.push(task),
    };
  }

  /** Runs work as the kernel does it: output and the application's turn follow before return. */
  run<T>(work: () => T): T {
    this.depth += 1;
    try {
      return work();
    } finally {
      this.depth -= 1;
      if (this.depth === 0) this.drain();
    }
  }

  timer(ms: number, fire: () => void): TimerHandle {
    return this.options.clock.after(ms, () => this.run(fire));
  }

  listen(local: Endpoint, accept: (socket: TcpSocket) => void): void {
    this.listeners.set(endpointKey(local), { local, accept });
  }

  isListening(local: Endpoint): boolean {
    return this.listeners.has(endpointKey(local));
  }

  /** An active open from `localAddr` (an ephemeral port) to `remote`. */
  connect(localAddr: string, remote: Endpoint): TcpSocket {
    return this.run(() => {
      const family = localAddr.includes(':') ? 6 : 4;
      let port = this.options.random.inRange(EPHEMERAL_PORTS.first, EPHEMERAL_PORTS.last);
      while (this.sockets.has(tupleKey({ addr: localAddr, port }, remote))) {
        port = port === EPHEMERAL_PORTS.last ? EPHEMERAL_PORTS.first : port + 1;
      }
      const tuple: FourTuple = { family, local: { addr: localAddr, port }, remote };
      const socket = TcpSocket.connect(this.host, tuple, this.secrets());
      this.sockets.set(tupleKey(tuple.local, tuple.remote), socket);
      return socket;
    });
  }

  /** A packet arriving at the kernel (from the learner, or looped back). */
  receive(packet: Packet): void {
    this.run(() => this.deliver(packet));
  }

  /** The connections the kernel holds, request sockets and TIME-WAIT included. */
  get connections(): TcpSocket[] {
    return [...this.sockets.values()];
  }

  private deliver(packet: Packet): void {
    const { ip, tcp } = packet;
    const local: Endpoint = { addr: ip.dst, port: tcp.dport };
    const remote: Endpoint = { addr: ip.src, port: tcp.sport };
    const tuple: FourTuple = { family: ip.version, local, remote };
    const segment = inSegmentFrom(tcp, ipLength(ip, tcp), (ip.version === 4 ? ip.tos : ip.trafficClass) & 3);
    const key = tupleKey(local, remote);
    const socket = this.sockets.get(key);
    let isn: number | undefined;
    if (socket) {
      const outcome = socket.input(segment);
      if (outcome === undefined) return;
      isn = outcome.reopenIsn;
    }
    const listener = this.listeners.get(endpointKey(local));
    if (listener) this.listenInput(listener, tuple, segment, isn);
    else if (!has(segment, TcpFlag.RST)) this.sendReset(tuple, segment);
  }

  /** tcp_rcv_state_process in LISTEN. */
  private listenInput(listener: Listener, tuple: FourTuple, segment: InSegment, isn: number | undefined): void {
    if (has(segment, TcpFlag.ACK)) {
      this.sendReset(tuple, segment);
      return;
    }
    if (has(segment, TcpFlag.RST) || !has(segment, TcpFlag.SYN) || has(segment, TcpFlag.FIN)) return;
    const secrets = this.secrets();
    if (isn !== undefined) secrets.isn = isn;
    const socket = TcpSocket.fromSyn(this.host, tuple, segment, secrets, (established) => listener.accept(established));
    if (socket.state !== 'CLOSED') this.sockets.set(tupleKey(tuple.local, tuple.remote), socket);
  }

  /**
   * tcp_v4_send_reset. Measured: a SYN to a closed port gets "[R.] seq 0 ack ISN+1 win 0";
   * a segment with ACK gets "[R] seq <its ack>"; no options either way.
   */
  private sendReset(tuple: FourTuple, segment: InSegment): void {
    const withAck = has(segment, TcpFlag.ACK);
    const tcp: TcpRepr = {
      sport: tuple.local.port,
      dport: tuple.remote.port,
      seq: withAck ? segment.ack : 0,
      ack: withAck ? 0 : seqAdd(segment.seq, segmentLength(segment)),
      flags: withAck ? TcpFlag.RST : TcpFlag.RST | TcpFlag.ACK,
      window: 0,
      urgent: 0,
      options: [],
      payload: EMPTY,
    };
    this.put({ ip: ipHeader(tuple, 0, 0, EcnCodepoint.NOT_ECT), tcp });
  }

  private transmitFrom(socket: TcpSocket, segment: OutSegment): void {
    // A SYN-ACK from a request socket goes out with IP ID 0 (ip_build_and_send_pkt).
    const fromRequest = socket.state === 'SYN-RECV' && (segment.flags & TcpFlag.SYN) !== 0;
    const id = fromRequest ? 0 : socket.ipId;
    if (!fromRequest) socket.ipId = (socket.ipId + 1) & 0xffff;
    const tcp: TcpRepr = {
      sport: socket.local.port,
      dport: socket.remote.port,
      seq: segment.seq,
      ack: segment.ack,
      flags: segment.flags,
      window: segment.window,
      urgent: 0,
      options: segment.options,
      payload: segment.payload,
    };
    this.put({ ip: ipHeader(socket.tuple, id, socket.flowLabel, segment.ect ? EcnCodepoint.ECT_0 : EcnCodepoint.NOT_ECT), tcp });
  }

  private put(packet: Packet): void {
    if (this.options.drops?.(packet)) return;
    // Only loopback exists: anything else has no route and never leaves.
    if (!isLoopbackAddress(packet.ip.dst)) return;
    this.options.onPacket(packet);
    this.loopback.push(packet);
  }

  private stateChanged(socket: TcpSocket, from: TcpState | null, to: TcpState): void {
    this.options.onState(socket, from, to);
    if (to === 'CLOSED') {
      const key = tupleKey(socket.local, socket.remote);
      if (this.sockets.get(key) === socket) this.sockets.delete(key);
    }
  }

  private drain(): void {
    this.depth += 1;
    try {
      for (;;) {
        const packet = this.loopback.shift();
        if (packet) {
          this.deliver(packet);
          continue;
        }
        const task = this.deferred.shift();
        if (!task) break;
        task();
      }
    } finally {
      this.depth -= 1;
    }
  }

  private secrets(): SocketSecrets {
    const random = this.options.random;
    return { isn: random.u32(), tsOffset: random.u32(), ipId: random.u32() & 0xffff, flowLabel: random.u32() & 0xfffff };
  }
}

export function isLoopbackAddress(addr: string): boolean {
  return addr === '::1' || /^127\.\d+\.\d+\.\d+$/.test(addr);
}

/** `ecn` is the whole TOS byte or traffic class: the rest of it stays 0, as Linux's default IP_TOS. */
function ipHeader(tuple: FourTuple, id: number, flowLabel: number, ecn: number): IpRepr {
  if (tuple.family === 6) {
    return { version: 6, src: tuple.local.addr, dst: tuple.remote.addr, trafficClass: ecn, flowLabel, hopLimit: IP_TTL, nextHeader: 6 };
  }
  return {
    version: 4,
    src: tuple.local.addr,
    dst: tuple.remote.addr,
    tos: ecn,
    id,
    df: true,
    mf: false,
    fragOffset: 0,
    ttl: IP_TTL,
    protocol: 6,
    options: new Uint8Array(0),
  };
}

function ipLength(ip: IpRepr, tcp: TcpRepr): number {
  const ipHeaderLength = ip.version === 6 ? 40 : 20 + Math.ceil(ip.options.length / 4) * 4;
  return ipHeaderLength + tcpHeaderLength(tcp) + tcp.payload.length;
}

function endpointKey(endpoint: Endpoint): string {
  return `${endpoint.addr}|${endpoint.port}`;
}

function tupleKey(local: Endpoint, remote: Endpoint): string {
  return `${local.addr}|${local.port}|${remote.addr}|${remote.port}`;
}
