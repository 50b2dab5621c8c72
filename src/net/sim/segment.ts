/**
 * A TCP segment as the simulated kernel handles it: sequence-space facts first, header
 * details beside. Arriving segments come from the learner's packets; leaving ones become
 * packets in the kernel.
 */
import { TcpFlag } from '../../wire/tcp-flags.js';
import type { TcpOption } from '../../wire/tcp-options.js';
import type { TcpRepr } from '../../wire/tcp.js';
import { seqAdd } from './seq.js';

export interface InSegment {
  seq: number;
  ack: number;
  flags: number;
  window: number;
  /** The urgent pointer, meaningful with URG. */
  urgent: number;
  /** The three reserved bits between the data offset and AE. */
  reserved: number;
  options: TcpOption[];
  payload: Bytes;
  /** The IP header's ECN field (EcnCodepoint). */
  ecn: number;
  /** TCP header length in bytes, options included. */
  headerLength: number;
  /** The IP packet's length, which is what the segment costs in memory. */
  ipLength: number;
}

export interface OutSegment {
  seq: number;
  ack: number;
  flags: number;
  window: number;
  options: TcpOption[];
  payload: Bytes;
  /** Goes out ECT(0) in the IP header's ECN field. */
  ect: boolean;
}

/** Bytes backed by a plain ArrayBuffer, as the wire types hold them. */
export type Bytes = Uint8Array<ArrayBuffer>;

export const EMPTY: Bytes = new Uint8Array(0);

export function has(segment: { flags: number }, flag: number): boolean {
  return (segment.flags & flag) !== 0;
}

/** How much sequence space the segment occupies: SYN and FIN count one each. */
export function segmentLength(segment: InSegment): number {
  return segment.payload.length + (has(segment, TcpFlag.SYN) ? 1 : 0) + (has(segment, TcpFlag.FIN) ? 1 : 0);
}

export function endSeq(segment: InSegment): number {
  return seqAdd(segment.seq, segmentLength(segment));
}

/** `ipLength` and `ecn` come from the IP header: the whole packet's length and its ECN field. */
export function inSegmentFrom(tcp: TcpRepr, ipLength: number, ecn: number): InSegment {
  return {
    seq: tcp.seq >>> 0,
    ack: tcp.ack >>> 0,
    flags: tcp.flags,
    window: tcp.window,
    urgent: tcp.urgent,
    reserved: tcp.reserved ?? 0,
    options: tcp.options,
    payload: tcp.payload,
    ecn,
    headerLength: tcpHeaderLength(tcp),
    ipLength,
  };
}

/** The TCP header's length in bytes: as its data offset says, or as its options need. */
export function tcpHeaderLength(tcp: TcpRepr): number {
  return tcp.dataOffset !== undefined ? tcp.dataOffset * 4 : 20 + Math.ceil(optionBytes(tcp.options) / 4) * 4;
}

function optionBytes(options: readonly TcpOption[]): number {
  let total = 0;
  for (const option of options) {
    switch (option.kind) {
      case 'eol':
      case 'nop':
        total += 1;
        break;
      case 'mss':
        total += 4;
        break;
      case 'wscale':
        total += 3;
        break;
      case 'sackok':
        total += 2;
        break;
      case 'sack':
        total += 2 + 8 * option.blocks.length;
        break;
      case 'ts':
        total += 10;
        break;
      case 'unknown':
        total += 2 + option.data.length;
        break;
    }
  }
  return total;
}
