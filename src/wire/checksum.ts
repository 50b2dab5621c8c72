// The Internet checksum (RFC 1071): a one's complement sum of 16-bit big-endian words. Sums
// are kept unfolded in a plain number while adding; with at most 64 KiB per call they stay far
// below 2^53, so folding once at the end is exact.

/** Adds the bytes in [start, end) as 16-bit big-endian words; an odd last byte is padded with zero. */
export function sumWords(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  const last = end - 1;
  for (; i < last; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i === last) sum += bytes[i]! << 8;
  return sum;
}

/** Folds the carries back in: the 16-bit one's complement sum. */
export function foldSum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** The checksum field value for a sum: the one's complement of the folded sum. */
export function checksumOf(sum: number): number {
  return ~foldSum(sum) & 0xffff;
}

/** The IPv4 pseudo-header (RFC 9293 3.1): addresses, zero, protocol and TCP length. */
export function ipv4PseudoSum(packet: Uint8Array, srcAt: number, dstAt: number, protocol: number, length: number): number {
  return sumWords(packet, srcAt, srcAt + 4) + sumWords(packet, dstAt, dstAt + 4) + protocol + length;
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
