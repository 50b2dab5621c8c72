/**
 * A hand-built client for the sim network's tests: it keeps its own sequence numbers, builds
 * each segment as a learner would, and collects what comes back on its flow. Not a test
 * itself (test/run.mjs runs only *.test.js).
 */
import type { NetEvent } from '../../src/net/network.js';
import type { SimNetwork } from '../../src/net/sim/network.js';
import type { DecodedPacket, Packet } from '../../src/wire/packet.js';
import { encodePacket } from '../../src/wire/packet.js';
import { TcpFlag, TCPDUMP_LETTERS } from '../../src/wire/tcp-flags.js';
import type { TcpOption } from '../../src/wire/tcp-options.js';
import type { TcpRepr } from '../../src/wire/tcp.js';

export const FULL_SYN_OPTIONS: TcpOption[] = [
  { kind: 'mss', value: 65495 },
  { kind: 'sackok' },
  { kind: 'ts', tsval: 1000, tsecr: 0 },
  { kind: 'nop' },
  { kind: 'wscale', value: 7 },
];

export interface Reply {
  t: number;
  tcp: TcpRepr;
  packet: DecodedPacket;
}

/** "S.", "P.", "F.", "R", "." : the flags as tcpdump prints them. */
export function flagText(flags: number): string {
  return TCPDUMP_LETTERS.filter(([name]) => (flags & TcpFlag[name]) !== 0)
    .map(([, letter]) => letter)
    .join('');
}

export function optionKinds(options: readonly TcpOption[]): string {
  return options.map((option) => option.kind).join(',');
}

export class Learner {
  seq: number;
  ack = 0;
  tsval = 1000;
  tsecr = 0;
  useTimestamps = true;
  readonly events: NetEvent[] = [];
  private seen = 0;
  readonly sport: number;
  readonly addr: string;

  constructor(
    readonly net: SimNetwork,
    readonly dport: number,
    options: { family?: 4 | 6; sport?: number; isn?: number } = {},
  ) {
    this.addr = options.family === 6 ? '::1' : '127.0.0.1';
    this.sport = options.sport ?? 40001;
    this.seq = options.isn ?? 1_000_000;
    net.subscribe((event) => this.events.push(event));
  }

  packet(flags: number, spec: { payload?: Uint8Array; seq?: number; ack?: number; window?: number; options?: TcpOption[] } = {}): Packet {
    const options = spec.options ?? (this.useTimestamps ? [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', tsval: this.tsval, tsecr: this.tsecr }] as TcpOption[] : []);
    const tcp: TcpRepr = {
      sport: this.sport,
      dport: this.dport,
      seq: (spec.seq ?? this.seq) >>> 0,
      ack: (spec.ack ?? this.ack) >>> 0,
      flags,
      window: spec.window ?? 502,
      urgent: 0,
      options,
      payload: (spec.payload ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>,
    };
    const ip: Packet['ip'] =
      this.addr === '::1'
        ? { version: 6, src: '::1', dst: '::1', trafficClass: 0, flowLabel: 0, hopLimit: 64, nextHeader: 6 }
        : { version: 4, src: '127.0.0.1', dst: '127.0.0.1', tos: 0, id: 1, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array(0) };
    return { ip, tcp };
  }

  /** Sends a segment and lets the events flush; the next replies() sees what came back. */
  async send(flags: number, spec: { payload?: Uint8Array; seq?: number; ack?: number; window?: number; options?: TcpOption[] } = {}): Promise<void> {
    await this.net.send(encodePacket(this.packet(flags, spec)));
    this.tsval += 1;
    await settle();
  }

  async wait(ms: number): Promise<void> {
    await this.net.wait(ms);
    await settle();
  }

  /** Packets from the sim on this flow since the last call; learns ack and TS echo from them. */
  replies(): Reply[] {
    const out: Reply[] = [];
    for (; this.seen < this.events.length; this.seen++) {
      const event = this.events[this.seen]!;
      if (event.type !== 'packet' || event.dir !== 'in' || event.packet.tcp === null) continue;
      const tcp = event.packet.tcp;
      if (tcp.sport !== this.dport || tcp.dport !== this.sport) continue;
      out.push({ t: event.t, tcp, packet: event.packet });
    }
    const last = out[out.length - 1];
    if (last) this.learn(last.tcp);
    return out;
  }

  learn(tcp: TcpRepr): void {
    const length = tcp.payload.length + (tcp.flags & TcpFlag.SYN ? 1 : 0) + (tcp.flags & TcpFlag.FIN ? 1 : 0);
    if (length > 0 || tcp.flags & TcpFlag.SYN) this.ack = (tcp.seq + length) >>> 0;
    const ts = tcp.options.find((option) => option.kind === 'ts');
    if (ts && ts.kind === 'ts') this.tsecr = ts.tsval;
  }

  /** SYN, SYN-ACK, ACK; returns the SYN-ACK. */
  async handshake(options: TcpOption[] = FULL_SYN_OPTIONS): Promise<TcpRepr> {
    this.useTimestamps = options.some((option) => option.kind === 'ts');
    await this.send(TcpFlag.SYN, { options, ack: 0 });
    const synAck = this.replies().find((reply) => reply.tcp.flags === (TcpFlag.SYN | TcpFlag.ACK));
    if (!synAck) throw new Error('no SYN-ACK came back');
    this.seq = (this.seq + 1) >>> 0;
    await this.send(TcpFlag.ACK);
    return synAck.tcp;
  }

  appEvents(kind?: string): Array<Extract<NetEvent, { type: 'app' }>> {
    return this.events.filter((event): event is Extract<NetEvent, { type: 'app' }> => event.type === 'app' && (kind === undefined || event.kind === kind));
  }

  states(): string[] {
    return this.events
      .filter((event): event is Extract<NetEvent, { type: 'state' }> => event.type === 'state' && event.remote.port === this.sport)
      .map((event) => event.to);
  }
}

/** Lets queued microtasks (the network's event flush) run. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

export const text = (value: string): Uint8Array => new TextEncoder().encode(value);
