/**
 * ECN-setup SYNs the segment language cannot write (it has no field for the reserved bits),
 * each with the answer Linux gives it: measured on the lab, and held to on the lab and on
 * sim alike. Not a test itself (test/run.mjs runs only *.test.js).
 */
import type { Network } from '../../src/net/network.js';
import { encodePacket } from '../../src/wire/packet.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import type { EventRecorder } from '../support/event-recorder.js';

const { SYN, ECE, CWR, AE, RST } = TcpFlag;

export interface EcnOffer {
  what: string;
  /** The SYN's IPv4 TOS byte: its low bits are the ECN field. */
  tos: number;
  /** The TCP header's three reserved bits. */
  reserved: number;
  flags: number;
  /** Linux agrees: its SYN-ACK carries ECE. */
  agreed: boolean;
}

export const ECN_OFFERS: readonly EcnOffer[] = [
  { what: 'an ECT(0) ECN-setup SYN with the lowest reserved bit', tos: 2, reserved: 1, flags: SYN | ECE | CWR, agreed: true },
  { what: 'an ECT(0) ECN-setup SYN with the highest reserved bit', tos: 2, reserved: 4, flags: SYN | ECE | CWR, agreed: true },
  { what: 'a not-ECT ECN-setup SYN with a reserved bit', tos: 0, reserved: 4, flags: SYN | ECE | CWR, agreed: true },
  { what: 'an ECT(0) ECN-setup SYN with no reserved bit', tos: 2, reserved: 0, flags: SYN | ECE | CWR, agreed: false },
  { what: 'a SYN with ECE and AE but no CWR', tos: 0, reserved: 0, flags: SYN | ECE | AE, agreed: false },
];

/** How an offer reads in an assertion: what was sent and whether ECE came back. */
export function answerText(offer: EcnOffer, ece: boolean): string {
  return `${offer.what}: ${ece ? 'SYN-ACK with ECE' : 'SYN-ACK without ECE'}`;
}

/**
 * Sends each offer's SYN to the echo server on 127.0.0.1 from its own port, from `firstPort`
 * on, and resets each request once its SYN-ACK is in; returns what came back, per offer.
 */
export async function answersToOffers(network: Network, recorder: EventRecorder, firstPort: number): Promise<string[]> {
  const answers: string[] = [];
  for (const [index, offer] of ECN_OFFERS.entries()) {
    const port = firstPort + index;
    const mark = recorder.mark;
    await network.send(syn(port, offer));
    const synAck = await recorder.next(
      `the SYN-ACK to ${offer.what}`,
      (event) => event.type === 'packet' && event.dir === 'in' && event.packet.tcp?.dport === port && (event.packet.tcp.flags & SYN) !== 0,
      mark,
    );
    const flags = synAck.type === 'packet' ? (synAck.packet.tcp?.flags ?? 0) : 0;
    answers.push(answerText(offer, (flags & ECE) !== 0));
    await network.send(segment(port, { tos: 0, reserved: 0, flags: RST, seq: 1001 }));
  }
  return answers;
}

function syn(port: number, offer: EcnOffer): Uint8Array {
  return segment(port, { tos: offer.tos, reserved: offer.reserved, flags: offer.flags, seq: 1000 });
}

function segment(port: number, spec: { tos: number; reserved: number; flags: number; seq: number }): Uint8Array {
  return encodePacket({
    ip: { version: 4, src: '127.0.0.1', dst: '127.0.0.1', tos: spec.tos, id: 1, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array(0) },
    tcp: {
      sport: port,
      dport: 7,
      seq: spec.seq,
      ack: 0,
      flags: spec.flags,
      window: 65495,
      urgent: 0,
      reserved: spec.reserved,
      options: spec.flags & SYN ? [{ kind: 'mss', value: 65495 }] : [],
      payload: new Uint8Array(0),
    },
  });
}
