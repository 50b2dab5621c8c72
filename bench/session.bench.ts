// What the session adds to a round trip: `sr1` (parse, build, encode, send, wait for the
// reply, log both packets and the verdict) against the bare network doing the same exchange
// (send the encoded bytes, wait for the reply event). The exchange is a SYN to a port no one
// listens on, answered by the kernel's RST every time, on sim and, where it starts, the lab.

import { createLabNetwork, labAvailability } from '../src/net/lab/lab-network.js';
import type { Network } from '../src/net/network.js';
import { createSimNetwork } from '../src/net/sim/index.js';
import { BEHAVIOUR_PORTS } from '../src/server/behaviour.js';
import { Session } from '../src/session/session.js';
import { encodePacket } from '../src/wire/packet.js';
import { TcpFlag } from '../src/wire/tcp-flags.js';
import { summarize } from './measure.js';

const CLOSED_PORT = BEHAVIOUR_PORTS.refuse;
const LINE = `sr1 tcp flags=S seq=1000 dport=${CLOSED_PORT} timeout=2`;

/** Median ms of the bare exchange and of sr1, measured alternately so drift hits both alike. */
async function measure(network: Network, rounds: number, warmup: number): Promise<{ bare: number; sr1: number }> {
  const session = await Session.open(network);
  const me = session.me;
  // The bare exchange uses the next learner port, so its RSTs never reach the session's queue.
  const bareBytes = encodePacket({
    ip: { version: 4, src: me.addr, dst: session.server.addr, tos: 0, id: 0, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array() },
    tcp: { sport: me.port + 1, dport: CLOSED_PORT, seq: 1000, ack: 0, flags: TcpFlag.SYN, window: 64240, urgent: 0, options: [], payload: new Uint8Array() },
  });
  let wake: (() => void) | null = null;
  network.subscribe((event) => {
    if (event.type === 'packet' && event.dir === 'in' && event.packet.tcp?.dport === me.port + 1) wake?.();
  });
  const bareRound = async (): Promise<number> => {
    const replied = new Promise<void>((resolve) => (wake = resolve));
    const start = performance.now();
    const sent = await network.send(bareBytes);
    if (!sent.ok) throw new Error(`the bare send failed: ${sent.reason}`);
    await replied;
    return performance.now() - start;
  };
  const sr1Round = async (): Promise<number> => {
    const start = performance.now();
    const { status } = await session.execute(LINE);
    const elapsed = performance.now() - start;
    if (status !== 'ok') throw new Error(`sr1 did not get its RST (${status})`);
    return elapsed;
  };
  const bare: number[] = [];
  const sr1: number[] = [];
  for (let i = 0; i < warmup + rounds; i++) {
    const b = await bareRound();
    const s = await sr1Round();
    if (i >= warmup) {
      bare.push(b);
      sr1.push(s);
    }
  }
  session.close();
  return { bare: summarize(bare).median, sr1: summarize(sr1).median };
}

/** sr1OverheadMs is sim's; the lab's figures are there only where the lab starts. */
export default async function bench(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  const sim = createSimNetwork({ seed: 1 });
  try {
    const { bare, sr1 } = await measure(sim, 2000, 200);
    result.simBareRoundTripMs = bare;
    result.simSr1Ms = sr1;
    result.sr1OverheadMs = sr1 - bare;
  } finally {
    await sim.close();
  }
  if (!(await labAvailability()).ok) return result;
  const lab = await createLabNetwork();
  try {
    const { bare, sr1 } = await measure(lab, 300, 30);
    result.labBareRoundTripMs = bare;
    result.labSr1Ms = sr1;
    result.labSr1OverheadMs = sr1 - bare;
  } finally {
    await lab.close();
  }
  return result;
}
