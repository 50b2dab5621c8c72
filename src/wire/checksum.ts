// The Internet checksum (RFC 1071): a one's complement sum of 16-bit big-endian words. Sums
// are kept unfolded in a plain number while adding and folded once at the end; over an IP
// packet (at most 64 KiB plus a pseudo-header) they stay below 2^32, which folding needs.

/** Adds the bytes in [start, end) as 16-bit big-endian words; an odd last byte is padded with zero. */
export function sumWords(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  // Summing the high and the low bytes of the words apart, eight bytes a turn, does half the
  // shifting and a quarter of the loop tests of a word-at-a-time loop; the total is the same.
  let high = 0;
  let low = 0;
  let i = start;
  for (const stop = end - 7; i < stop; i += 8) {
    high += bytes[i]! + bytes[i + 2]! + bytes[i + 4]! + bytes[i + 6]!;
    low += bytes[i + 1]! + bytes[i + 3]! + bytes[i + 5]! + bytes[i + 7]!;
  }
  for (const stop = end - 1; i < stop; i += 2) {
    high += bytes[i]!;
    low += bytes[i + 1]!;
  }
  if (i < end) high += bytes[i]!;
  return initial + high * 256 + low;
}

/** Folds the carries back in: the 16-bit one's complement sum of a sum below 2^32. */
export function foldSum(sum: number): number {
  // Two folds suffice: the first leaves at most 0xffff + 0xffff, the second at most 0xffff.
  sum = (sum & 0xffff) + (sum >>> 16);
  return (sum & 0xffff) + (sum >>> 16);
}

/** The checksum field value for a sum: the one's complement of the folded sum. */
export function checksumOf(sum: number): number {
  return ~foldSum(sum) & 0xffff;
}

/** The IPv4 pseudo-header (RFC 9293 3.1): addresses, zero, protocol and TCP length. */
export function ipv4PseudoSum(packet: Uint8Array, srcAt: number, dstAt: number, protocol: number, length: number): number {
  return (
    ((packet[srcAt]! + packet[srcAt + 2]! + packet[dstAt]! + packet[dstAt + 2]!) << 8) +
    packet[srcAt + 1]! +
    packet[srcAt + 3]! +
    packet[dstAt + 1]! +
    packet[dstAt + 3]! +
    protocol +
    length
  );
}

/** The IPv6 pseudo-header (RFC 8200 8.1): addresses, upper-layer length and next header. */
export function ipv6PseudoSum(packet: Uint8Array, srcAt: number, dstAt: number, protocol: number, length: number): number {
  return (
    sumWords(packet, srcAt, srcAt + 16) +
    sumWords(packet, dstAt, dstAt + 16) +
    Math.floor(length / 0x10000) +
    (length & 0xffff) +
    protocol
  );
}

/**
 * How a received checksum field stands against the data it covers. `pseudoSum` is the
 * pseudo-header sum alone (0 for the IPv4 header checksum, which has none); `coveredSum` is
 * the sum over the pseudo-header and every covered byte, the checksum field included.
 *
 * 'partial' is Linux's CHECKSUM_PARTIAL on loopback: tcp_v4_send_check stores
 * ~tcp_v4_check(len, saddr, daddr, 0), that is the folded pseudo-header sum, not complemented,
 * and leaves the rest to an offload that loopback never performs.
 */
export function checksumStatus(field: number, coveredSum: number, pseudoSum: number | null): 'ok' | 'bad' | 'partial' {
  if (foldSum(coveredSum) === 0xffff) return 'ok';
  if (pseudoSum !== null && field === foldSum(pseudoSum)) return 'partial';
  return 'bad';
}

/** A checksum as issues and renderings print it: 0x and four hex digits. */
export function formatChecksum(value: number): string {
  return '0x' + value.toString(16).padStart(4, '0');
}
