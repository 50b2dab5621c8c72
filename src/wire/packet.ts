import { z } from 'zod';
import { Ipv4ReprSchema } from './ipv4.js';
import { Ipv6ReprSchema } from './ipv6.js';
import { TcpReprSchema } from './tcp.js';

export const IpReprSchema = z.discriminatedUnion('version', [Ipv4ReprSchema, Ipv6ReprSchema]);
export type IpRepr = z.infer<typeof IpReprSchema>;

/** A TCP segment in its IP packet: what a learner builds and what the network carries. */
export const PacketSchema = z.object({ ip: IpReprSchema, tcp: TcpReprSchema });
export type Packet = z.infer<typeof PacketSchema>;

/** Something wrong with the bytes: names the field and where it starts in the packet. */
export interface WireIssue {
  severity: 'error' | 'warning';
  /** Dotted field path, e.g. "tcp.dataOffset", "ip.totalLength", "tcp.options[2].length". */
  field: string;
  /** Byte offset of the field from the start of the packet. */
  offset: number;
  message: string;
}

/**
 * 'partial' is what Linux puts on loopback with checksum offload: the folded pseudo-header
 * sum only, which the receiving kernel trusts and which is not an error.
 */
export type ChecksumStatus = 'ok' | 'bad' | 'partial';

/** The result of reading bytes off the wire: as much as could be read, and what was wrong. */
export interface DecodedPacket {
  bytes: Uint8Array;
  /** Null when not even the IP header could be read. */
  ip: IpRepr | null;
  /** Null when the packet is not TCP, or its TCP header could not be read. */
  tcp: import('./tcp.js').TcpRepr | null;
  ipChecksum: ChecksumStatus | null;
  tcpChecksum: ChecksumStatus | null;
  /** For a packet that is not TCP: its protocol number and how many bytes follow the IP header. */
  other: { protocol: number; length: number } | null;
  issues: WireIssue[];
}
