// How fast the embedded endpoint answers: from SimNetwork.send(SYN bytes) to the decoded
// SYN-ACK event reaching a subscriber, over 1,000 handshakes on 1,000 learner ports.
import type { NetEvent } from '../src/net/network.js';
import { createSimNetwork } from '../src/net/sim/network.js';
import { encodePacket, type Packet } from '../src/wire/packet.js';
import { TcpFlag } from '../src/wire/tcp-flags.js';

const HANDSHAKES = 1000;

function segment(sport: number, flags: number, seq: number, ack: number): Uint8Array {
  const packet: Packet = {
    ip: { version: 4, src: '127.0.0.1', dst: '127.0.0.1', tos: 0, id: 1, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array(0) },
    tcp: {
      sport,
      dport: 7,
      seq,
      ack,
      flags,
      window: 502,
      urgent: 0,
      options:
        flags === TcpFlag.SYN
          ? [{ kind: 'mss', value: 65495 }, { kind: 'sackok' }, { kind: 'ts', tsval: 1000, tsecr: 0 }, { kind: 'nop' }, { kind: 'wscale', value: 7 }]
          : [],
      payload: new Uint8Array(0),
    },
  };
  return encodePacket(packet);
}

export default async function bench(): Promise<Record<string, number>> {
  // A first round to let the JIT settle; only the second is measured.
  await handshakes(100);
  const times = await handshakes(HANDSHAKES);
  times.sort((a, b) => a - b);
  return {
    simSynAckMedianMs: times[Math.floor(times.length / 2)]!,
    simSynAckP99Ms: times[Math.floor(times.length * 0.99)]!,
  };
}

async function handshakes(count: number): Promise<number[]> {
  const net = createSimNetwork({ seed: 1 });
  let waiting: ((event: NetEvent) => void) | null = null;
  net.subscribe((event) => waiting?.(event));
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const sport = 40000 + i;
    const syn = segment(sport, TcpFlag.SYN, 1000, 0);
    const started = performance.now();
    const synAck = new Promise<number>((resolve) => {
      waiting = (event) => {
        if (event.type === 'packet' && event.dir === 'in' && event.packet.tcp?.dport === sport && event.packet.tcp.flags === (TcpFlag.SYN | TcpFlag.ACK)) {
          resolve(event.packet.tcp.seq);
        }
      };
    });
    await net.send(syn);
    const isn = await synAck;
    times.push(performance.now() - started);
    // Complete and abort the connection so the kernel stays small.
    await net.send(segment(sport, TcpFlag.ACK, 1001, (isn + 1) >>> 0));
    await net.send(segment(sport, TcpFlag.RST, 1001, 0));
  }
  await net.close();
  return times;
}
