// Where each layer sits in a packet's bytes, found by the wire layer's own checked views so
// that renderings cut the bytes exactly where the decoder did. A header too short for its
// view is cut at the end of the buffer: the renderings still show what is there.

import { Ipv4View } from '../ipv4.js';
import { IPV6_HEADER, Ipv6View } from '../ipv6.js';
import { TCP_PROTOCOL, TcpView } from '../tcp.js';

export interface TcpGeometry {
  start: number;
  /** Data offset times four, as the header claims it (tcpdump's "hlen"); 0 when not there. */
  claimedHeaderLength: number;
  /** Where the header ends when read: at least 20 bytes in, and never past the IP payload. */
  headerEnd: number;
}

export interface PacketGeometry {
  version: 4 | 6;
  /** Where the IP header ends, clamped into the buffer. */
  ipHeaderEnd: number;
  /** Where the IP payload ends: where the length field says, unless the buffer says otherwise. */
  packetEnd: number;
  /**
   * Where the length field says the packet ends, which may be past the buffer when the
   * capture was cut short; packetEnd when the field is too small to mean anything.
   */
  claimedEnd: number;
  /** IPv4's protocol or IPv6's next header; -1 when the buffer stops before it. */
  protocol: number;
  /** Where a TCP header is or would be, when the protocol is TCP; null otherwise. */
  tcp: TcpGeometry | null;
}

/** The geometry of an IPv4 or IPv6 packet, or null when byte 0 names neither or is missing. */
export function packetGeometry(bytes: Uint8Array): PacketGeometry | null {
  if (bytes.length === 0) return null;
  const version = bytes[0]! >> 4;
  if (version === 4) return ipv4Geometry(bytes);
  if (version === 6) return ipv6Geometry(bytes);
  return null;
}

function u16(bytes: Uint8Array, at: number): number {
  return at + 1 < bytes.length ? (bytes[at]! << 8) | bytes[at + 1]! : 0;
}

function ipv4Geometry(bytes: Uint8Array): PacketGeometry {
  const view = Ipv4View.check(bytes);
  const ipHeaderEnd = view instanceof Ipv4View ? view.headerLength : bytes.length;
  const packetEnd = view instanceof Ipv4View ? view.packetEnd : bytes.length;
  const protocol = bytes.length > 9 ? bytes[9]! : -1;
  return {
    version: 4,
    ipHeaderEnd,
    packetEnd,
    claimedEnd: u16(bytes, 2) >= ipHeaderEnd ? u16(bytes, 2) : packetEnd,
    protocol,
    tcp: protocol === TCP_PROTOCOL ? tcpGeometry(bytes, ipHeaderEnd, packetEnd) : null,
  };
}

function ipv6Geometry(bytes: Uint8Array): PacketGeometry {
  const view = Ipv6View.check(bytes);
  const ipHeaderEnd = view instanceof Ipv6View ? IPV6_HEADER : bytes.length;
  const packetEnd = view instanceof Ipv6View ? view.packetEnd : bytes.length;
  const protocol = bytes.length > 6 ? bytes[6]! : -1;
  return {
    version: 6,
    ipHeaderEnd,
    packetEnd,
    claimedEnd: bytes.length >= 6 ? IPV6_HEADER + u16(bytes, 4) : packetEnd,
    protocol,
    tcp: protocol === TCP_PROTOCOL ? tcpGeometry(bytes, ipHeaderEnd, packetEnd) : null,
  };
}

function tcpGeometry(bytes: Uint8Array, start: number, packetEnd: number): TcpGeometry {
  const view = TcpView.check(bytes, start, packetEnd);
  if (!(view instanceof TcpView)) {
    const claimed = start + 12 < packetEnd ? (bytes[start + 12]! >> 4) * 4 : 0;
    return { start, claimedHeaderLength: claimed, headerEnd: packetEnd };
  }
  return { start, claimedHeaderLength: view.dataOffset * 4, headerEnd: start + view.headerLength };
}
