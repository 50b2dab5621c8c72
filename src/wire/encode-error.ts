/**
 * A value that cannot be put on the wire as asked: a port of 70000, 44 bytes of TCP options.
 * `field` is the dotted path of the culprit ("tcp.sport", "tcp.options[2].blocks"), and the
 * message reads as one line, field first, for the CLI to print as is.
 */
export class WireEncodeError extends Error {
  override name = 'WireEncodeError';
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

/** Throws unless `value` is an integer in [0, max]; max is at most 0xffffffff. */
export function requireUint(value: number, max: number, field: string): void {
  // `>>> 0` maps every non-integer, negative, NaN or non-number to something else, so one
  // comparison rules them all out without a call to Number.isInteger.
  if (value >>> 0 !== value || value > max) {
    throw new WireEncodeError(field, `${describe(value)} is not an integer from 0 to ${max}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return value === undefined ? 'missing value' : typeof value;
}
