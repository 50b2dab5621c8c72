// What a checksum field should have held, for renderings that print the right value next
// to a wrong one. The field's own word is taken back out of the sum, which is the same as
// summing with the field zeroed.

import { checksumOf, ipv4PseudoSum, ipv6PseudoSum, sumWords } from '../checksum.js';
import { readU16 } from '../network-order.js';
import type { PacketGeometry } from './geometry.js';

const TCP = 6;

/** The IPv4 header checksum over the header bytes there are. */
export function expectedIpv4Checksum(bytes: Uint8Array, geometry: PacketGeometry): number {
  return checksumOf(sumWords(bytes, 0, geometry.ipHeaderEnd) - readU16(bytes, 10));
}

/** The TCP checksum over the pseudo-header, the header and the payload up to the packet's end. */
export function expectedTcpChecksum(bytes: Uint8Array, geometry: PacketGeometry): number | null {
  const tcp = geometry.tcp;
  if (tcp === null || tcp.start + 18 > bytes.length) return null;
  const length = geometry.packetEnd - tcp.start;
  const pseudo =
    geometry.version === 4 ? ipv4PseudoSum(bytes, 12, 16, TCP, length) : ipv6PseudoSum(bytes, 8, 24, TCP, length);
  return checksumOf(pseudo + sumWords(bytes, tcp.start, geometry.packetEnd) - readU16(bytes, tcp.start + 16));
}
