/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 3.4), with the names Linux uses:
 * before(a, b) is "a comes earlier than b in sequence space".
 */

export function seqAdd(seq: number, n: number): number {
  return (seq + n) >>> 0;
}

/** Signed distance from b to a: positive when a is after b. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export function before(a: number, b: number): boolean {
  return seqDiff(a, b) < 0;
}

export function after(a: number, b: number): boolean {
  return seqDiff(a, b) > 0;
}

/** lo <= x <= hi in sequence space. */
export function between(x: number, lo: number, hi: number): boolean {
  return ((hi - lo) >>> 0) >= ((x - lo) >>> 0);
}
