// The lab's round trip: from the learner's SYN handed to LabNetwork.send to the decoded
// SYN-ACK delivered to a subscriber, over 1,000 handshakes with the echo server. Each one is
// then reset (RST) so the server's backlog stays empty and every port starts afresh.
import { createLabNetwork, DEFAULT_LEARNER_PORTS } from '../src/net/lab/lab-network.js';
import type { NetEvent } from '../src/net/network.js';
import { encodePacket } from '../src/wire/packet.js';
import { TcpFlag } from '../src/wire/tcp-flags.js';
import { summarize } from './measure.js';

const HANDSHAKES = 1000;
const WARM_UP = 100;

function segment(sport: number, flags: number, seq: number, ack = 0): Uint8Array {
  return encodePacket({
    ip: { version: 4, src: '127.0.0.1', dst: '127.0.0.1', tos: 0, id: 0, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array() },
    tcp: { sport, dport: 7, seq, ack, flags, window: 64240, urgent: 0, options: [{ kind: 'mss', value: 1460 }], payload: new Uint8Array() },
  });
}

export default async function bench(): Promise<Record<string, number>> {
  const lab = await createLabNetwork();
  try {
    const { first, last } = DEFAULT_LEARNER_PORTS;
    const span = last - first + 1;
    let waiting: { port: number; resolve: (t: number) => void } | null = null;
    lab.subscribe((event: NetEvent) => {
      if (event.type !== 'packet' || event.dir !== 'in' || waiting === null) return;
      const tcp = event.packet.tcp;
      if (tcp !== null && tcp.dport === waiting.port && tcp.flags === (TcpFlag.SYN | TcpFlag.ACK)) {
        const done = waiting;
        waiting = null;
        done.resolve(performance.now());
      }
    });

    const handshake = async (i: number): Promise<number> => {
      const port = first + (i % span);
      const syn = segment(port, TcpFlag.SYN, i);
      const rst = segment(port, TcpFlag.RST, i + 1);
      const answered = new Promise<number>((resolve) => (waiting = { port, resolve }));
      const sentAt = performance.now();
      const result = await lab.send(syn);
      if (!result.ok) throw new Error(`the SYN from port ${port} was not sent: ${result.reason}`);
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no SYN-ACK for port ${port} within 2 s`)), 2000).unref());
      const elapsed = (await Promise.race([answered, timeout])) - sentAt;
      await lab.send(rst);
      return elapsed;
    };

    for (let i = 0; i < WARM_UP; i++) await handshake(i);
    const samples: number[] = [];
    for (let i = 0; i < HANDSHAKES; i++) samples.push(await handshake(i));
    const { median, p99 } = summarize(samples);
    return { labSynAckMedianMs: median, labSynAckP99Ms: p99 };
  } finally {
    await lab.close();
  }
}
