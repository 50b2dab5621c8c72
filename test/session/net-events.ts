// Event streams for the ladder and follow tests: written out by hand from packets that are
// really encoded and decoded, or recorded from the sim network answering a script.
import type { AppEventKind, Direction, Endpoint, NetEvent, TcpState } from '../../src/net/network.js';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { buildPacket, ENCODE_DEFAULTS, parseSegment, type SegmentDefaults } from '../../src/lang/index.js';
import type { TcpRepr } from '../../src/wire/tcp.js';
import { decodePacket, encodePacket } from '../../src/wire/packet.js';

export const LEARNER: Endpoint = { addr: '127.0.0.1', port: 40000 };
export const SERVER: Endpoint = { addr: '127.0.0.1', port: 7 };
const LISTENER_REMOTE: Endpoint = { addr: '0.0.0.0', port: 0 };

/** A packet event: `line` in the segment language, addressed learner->server ('out') or back ('in'). */
export function packet(t: number, dir: Direction, line: string, ends: { learner?: Endpoint; server?: Endpoint } = {}): NetEvent {
  const learner = ends.learner ?? LEARNER;
  const server = ends.server ?? SERVER;
  const [from, to] = dir === 'out' ? [learner, server] : [server, learner];
  const version = from.addr.includes(':') ? 6 : 4;
  const defaults: SegmentDefaults = {
    ...ENCODE_DEFAULTS,
    version,
    ipv4: version === 4 ? { src: from.addr, dst: to.addr } : ENCODE_DEFAULTS.ipv4,
    ipv6: version === 6 ? { src: from.addr, dst: to.addr } : ENCODE_DEFAULTS.ipv6,
    sport: from.port,
    dport: to.port,
  };
  const bytes = encodePacket(buildPacket(parseSegment(line), { defaults, resolve: () => undefined }));
  return { type: 'packet', t, dir, packet: decodePacket(bytes) };
}

/** The server socket for the learner's connection (or the listener, for LISTEN) changing state. */
export function state(t: number, from: TcpState | null, to: TcpState, ends: { learner?: Endpoint; server?: Endpoint } = {}): NetEvent {
  const remote = to === 'LISTEN' ? LISTENER_REMOTE : (ends.learner ?? LEARNER);
  return { type: 'state', t, local: ends.server ?? SERVER, remote, from, to };
}

export function app(t: number, kind: AppEventKind, extra: { data?: string; message?: string; learner?: Endpoint } = {}): NetEvent {
  const remote = kind === 'listening' ? null : (extra.learner ?? LEARNER);
  const event: NetEvent = { type: 'app', t, kind, local: SERVER, remote };
  if (extra.data !== undefined) event.data = new TextEncoder().encode(extra.data);
  if (extra.message !== undefined) event.message = extra.message;
  return event;
}

/** A handshake, "hello" echoed, and the learner's close, as Linux answers them on loopback. */
export function echoExchange(): NetEvent[] {
  return [
    app(0, 'listening'),
    state(0, null, 'LISTEN'),
    packet(1, 'out', 'tcp flags=S seq=1000 opts=mss:1460'),
    state(1, null, 'SYN-RECV'),
    packet(1, 'in', 'tcp flags=SA seq=5000 ack=1001 opts=mss:65495'),
    packet(2, 'out', 'tcp flags=A seq=1001 ack=5001'),
    state(2, 'SYN-RECV', 'ESTABLISHED'),
    app(2, 'accepted'),
    packet(3, 'out', 'tcp flags=PA seq=1001 ack=5001 data="hello"'),
    packet(3, 'in', 'tcp flags=A seq=5001 ack=1006'),
    app(3, 'received', { data: 'hello' }),
    packet(3, 'in', 'tcp flags=PA seq=5001 ack=1006 data="hello"'),
    packet(4, 'out', 'tcp flags=A seq=1006 ack=5006'),
    packet(5, 'out', 'tcp flags=FA seq=1006 ack=5006'),
    state(5, 'ESTABLISHED', 'CLOSE-WAIT'),
    app(5, 'peer-closed'),
    state(5, 'CLOSE-WAIT', 'LAST-ACK'),
    packet(5, 'in', 'tcp flags=FA seq=5006 ack=1007'),
    app(5, 'closed'),
    packet(6, 'out', 'tcp flags=A seq=1007 ack=5007'),
    state(6, 'LAST-ACK', 'CLOSED'),
  ];
}

export interface SimScript {
  /** Send a segment-language line from the learner (127.0.0.1:40000 to port 7 unless it says otherwise). */
  send(line: string): Promise<void>;
  /** The TCP header of the latest packet that came back. */
  rx(): TcpRepr;
  wait(ms: number): Promise<void>;
  /** The bundled client connects to the learner's port 40000. */
  connectToLearner(): Promise<void>;
}

/** Runs `script` against a seeded sim network and returns every event it reported. */
export async function simExchange(script: (s: SimScript) => Promise<void>): Promise<NetEvent[]> {
  const net = createSimNetwork({ seed: 7 });
  const events: NetEvent[] = [];
  net.subscribe((event) => events.push(event));
  const defaults: SegmentDefaults = { ...ENCODE_DEFAULTS, sport: LEARNER.port, dport: SERVER.port };
  const s: SimScript = {
    async send(line) {
      const result = await net.send(encodePacket(buildPacket(parseSegment(line), { defaults, resolve: () => undefined })));
      if (!result.ok) throw new Error(`the sim refused ${line}: ${result.reason}`);
      await net.wait(1);
    },
    rx() {
      const last = events.filter((event) => event.type === 'packet' && event.dir === 'in').at(-1);
      if (last?.type !== 'packet' || last.packet.tcp === null) throw new Error('nothing has come back yet');
      return last.packet.tcp;
    },
    wait: (ms) => net.wait(ms),
    async connectToLearner() {
      await net.connect(LEARNER);
      await net.wait(1);
    },
  };
  try {
    await net.wait(1);
    await script(s);
  } finally {
    await net.close();
  }
  return events;
}

/** The text with ANSI colour escapes taken out. */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
