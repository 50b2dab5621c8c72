// How fast segments cross the codec: an IPv4 SYN with the options Linux sends (the headline,
// as every handshake starts with one) and a 1,200-byte data segment, decoded and encoded.
import { decodePacket, encodePacket, type Packet } from '../src/wire/packet.js';
import { TcpFlag } from '../src/wire/tcp-flags.js';
import { ratePerSecond } from './measure.js';

const ipv4 = {
  version: 4 as const,
  src: '10.10.0.1',
  dst: '10.10.0.2',
  tos: 0,
  id: 54321,
  df: true,
  mf: false,
  fragOffset: 0,
  ttl: 64,
  protocol: 6,
  options: new Uint8Array(0),
};

const syn: Packet = {
  ip: ipv4,
  tcp: {
    sport: 40001,
    dport: 7,
    seq: 3_000_000_000,
    ack: 0,
    flags: TcpFlag.SYN,
    window: 64240,
    urgent: 0,
    // The order Linux writes them in.
    options: [
      { kind: 'mss', value: 1460 },
      { kind: 'sackok' },
      { kind: 'ts', tsval: 1, tsecr: 0 },
      { kind: 'nop' },
      { kind: 'wscale', value: 7 },
    ],
    payload: new Uint8Array(0),
  },
};

const data: Packet = {
  ip: ipv4,
  tcp: {
    sport: 40001,
    dport: 7,
    seq: 3_000_000_001,
    ack: 123_456_789,
    flags: TcpFlag.ACK | TcpFlag.PSH,
    window: 502,
    urgent: 0,
    options: [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', tsval: 1000, tsecr: 2000 }],
    payload: Uint8Array.from({ length: 1200 }, (_, i) => (i * 7) & 0xff),
  },
};

export default async function bench(): Promise<Record<string, number>> {
  const synBytes = encodePacket(syn);
  const dataBytes = encodePacket(data);
  // Results go to a sink that is read at the end so the calls cannot be optimised away.
  let sink = 0;
  const decodePerSec = ratePerSecond(() => {
    sink += decodePacket(synBytes).issues.length;
  });
  const encodePerSec = ratePerSecond(() => {
    sink += encodePacket(syn).length;
  });
  const decode1200PerSec = ratePerSecond(() => {
    sink += decodePacket(dataBytes).issues.length;
  });
  const encode1200PerSec = ratePerSecond(() => {
    sink += encodePacket(data).length;
  });
  if (sink < 0) throw new Error('unreachable');
  return { decodePerSec, encodePerSec, decode1200PerSec, encode1200PerSec };
}
