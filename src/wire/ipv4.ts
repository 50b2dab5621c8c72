import { z } from 'zod';
import { checksumOf, checksumStatus, formatChecksum, sumWords } from './checksum.js';
import { requireUint, WireEncodeError } from './encode-error.js';
import { readIpv4Address, writeIpv4Address } from './ip-address.js';
import { NO_BYTES } from './no-bytes.js';
import type { ChecksumStatus, WireIssue } from './packet.js';

export const Ipv4AddressSchema = z.ipv4();

/** An IPv4 header as plain values; "computed" fields are filled in on encode unless set. */
export const Ipv4ReprSchema = z.object({
  version: z.literal(4),
  src: Ipv4AddressSchema,
  dst: Ipv4AddressSchema,
  tos: z.number().int().min(0).max(0xff),
  id: z.number().int().min(0).max(0xffff),
  df: z.boolean(),
  mf: z.boolean(),
  fragOffset: z.number().int().min(0).max(0x1fff),
  ttl: z.number().int().min(0).max(0xff),
  protocol: z.number().int().min(0).max(0xff),
  /** IP options, raw, without padding; the encoder pads them to a multiple of four. */
  options: z.instanceof(Uint8Array),
  /** The reserved ("evil") bit of the flags; false unless set. */
  reservedBit: z.boolean().optional(),
  /** Computed: header length in 32-bit words. */
  ihl: z.number().int().min(0).max(15).optional(),
  /** Computed: header plus payload, in bytes. */
  totalLength: z.number().int().min(0).max(0xffff).optional(),
  /** Computed: the header checksum. */
  checksum: z.number().int().min(0).max(0xffff).optional(),
});

export type Ipv4Repr = z.infer<typeof Ipv4ReprSchema>;

export const IPV4_MIN_HEADER = 20;
export const IPV4_MAX_OPTIONS = 40;

// Field offsets in the fixed header.
const TOTAL_LENGTH = 2;
const CHECKSUM = 10;
export const IPV4_SRC = 12;
export const IPV4_DST = 16;

/**
 * A checked view of the bytes of an IPv4 packet that starts at offset 0. Once `check` has
 * passed, every getter reads inside the buffer whatever the header claims: the lengths it
 * hands out are clamped to the bytes there are.
 */
export class Ipv4View {
  private constructor(readonly bytes: Uint8Array) {}

  /** A view when the fixed header is all there; otherwise the issue saying what is missing. */
  static check(bytes: Uint8Array): Ipv4View | WireIssue {
    if (bytes.length < IPV4_MIN_HEADER) {
      return {
        severity: 'error',
        field: 'ip',
        offset: 0,
        message: `IPv4 header truncated: ${bytes.length} bytes, the fixed header needs ${IPV4_MIN_HEADER}`,
      };
    }
    return new Ipv4View(bytes);
  }

  get version(): number {
    return this.bytes[0]! >> 4;
  }
  get ihl(): number {
    return this.bytes[0]! & 0x0f;
  }
  get tos(): number {
    return this.bytes[1]!;
  }
  get totalLength(): number {
    return (this.bytes[2]! << 8) | this.bytes[3]!;
  }
  get id(): number {
    return (this.bytes[4]! << 8) | this.bytes[5]!;
  }
  get reservedBit(): boolean {
    return (this.bytes[6]! & 0x80) !== 0;
  }
  get df(): boolean {
    return (this.bytes[6]! & 0x40) !== 0;
  }
  get mf(): boolean {
    return (this.bytes[6]! & 0x20) !== 0;
  }
  get fragOffset(): number {
    return ((this.bytes[6]! & 0x1f) << 8) | this.bytes[7]!;
  }
  get ttl(): number {
    return this.bytes[8]!;
  }
  get protocol(): number {
    return this.bytes[9]!;
  }
  get checksum(): number {
    return (this.bytes[10]! << 8) | this.bytes[11]!;
  }
  get src(): string {
    return readIpv4Address(this.bytes, IPV4_SRC);
  }
  get dst(): string {
    return readIpv4Address(this.bytes, IPV4_DST);
  }

  /** The header length to read: IHL words, but never below 20 bytes nor past the buffer. */
  get headerLength(): number {
    const claimed = this.ihl * 4;
    if (claimed < IPV4_MIN_HEADER) return IPV4_MIN_HEADER;
    return claimed > this.bytes.length ? this.bytes.length : claimed;
  }

  /**
   * Where the payload ends: at the total length, unless that falls inside the header
   * (then the buffer's end is the best guess) or past the buffer (then what was captured).
   */
  get packetEnd(): number {
    const total = this.totalLength;
    if (total < this.headerLength || total > this.bytes.length) return this.bytes.length;
    return total;
  }

  /** The IP options as they sit in the header, padding included. */
  get options(): Uint8Array {
    return this.bytes.subarray(IPV4_MIN_HEADER, this.headerLength);
  }
}

/**
 * The header as plain values, with the computed fields as they were on the wire. Appends to
 * `issues` whatever in the header is inconsistent with itself or with the bytes there are.
 */
export function parseIpv4(view: Ipv4View, issues: WireIssue[]): Ipv4Repr {
  const bytes = view.bytes;
  const ihl = view.ihl;
  const headerLength = view.headerLength;
  const totalLength = view.totalLength;
  if (ihl < 5) {
    issues.push({
      severity: 'error',
      field: 'ip.ihl',
      offset: 0,
      message: `IHL ${ihl} words (${ihl * 4} bytes) is below the minimum of 5 (20 bytes); reading a 20-byte header`,
    });
  } else if (ihl * 4 > bytes.length) {
    issues.push({
      severity: 'error',
      field: 'ip.ihl',
      offset: 0,
      message: `IHL ${ihl} words (${ihl * 4} bytes) runs past the end of the packet (${bytes.length} bytes)`,
    });
  }
  if (totalLength < headerLength) {
    issues.push({
      severity: 'error',
      field: 'ip.totalLength',
      offset: TOTAL_LENGTH,
      message: `total length ${totalLength} bytes is shorter than the ${headerLength}-byte header; reading the ${bytes.length} bytes there are`,
    });
  } else if (totalLength > bytes.length) {
    issues.push({
      severity: 'error',
      field: 'ip.totalLength',
      offset: TOTAL_LENGTH,
      message: `total length ${totalLength} bytes is longer than the ${bytes.length} bytes there are; decoding what is there`,
    });
  } else if (totalLength < bytes.length) {
    issues.push({
      severity: 'warning',
      field: 'ip.totalLength',
      offset: TOTAL_LENGTH,
      message: `${bytes.length - totalLength} bytes after the total length of ${totalLength} bytes are ignored (link-layer padding?)`,
    });
  }
  return {
    version: 4,
    src: readIpv4Address(bytes, IPV4_SRC),
    dst: readIpv4Address(bytes, IPV4_DST),
    tos: view.tos,
    id: view.id,
    df: view.df,
    mf: view.mf,
    fragOffset: view.fragOffset,
    ttl: view.ttl,
    protocol: view.protocol,
    options: ipv4OptionsWithoutPadding(bytes, headerLength),
    reservedBit: view.reservedBit,
    ihl,
    totalLength,
    checksum: view.checksum,
  };
}

/** Whether the header checksum holds; appends an issue naming the right value when it does not. */
export function verifyIpv4Checksum(view: Ipv4View, issues: WireIssue[]): ChecksumStatus {
  const covered = sumWords(view.bytes, 0, view.headerLength);
  const field = view.checksum;
  const status = checksumStatus(field, covered, null);
  if (status !== 'ok') {
    issues.push({
      severity: 'error',
      field: 'ip.checksum',
      offset: CHECKSUM,
      message: `header checksum ${formatChecksum(field)} is wrong; the header sums to ${formatChecksum(checksumOf(covered - field))}`,
    });
  }
  return status;
}

/**
 * The options area without the zero bytes that padding to a multiple of four explains, so
 * that re-encoding pads them back and reproduces the header exactly. Only zeros after the
 * last whole option count as padding: a router alert (94 04 00 00) or an empty record-route
 * slot ends in zeros that belong to the option itself (RFC 791: the length byte counts them).
 */
function ipv4OptionsWithoutPadding(bytes: Uint8Array, headerLength: number): Uint8Array<ArrayBuffer> {
  if (headerLength <= IPV4_MIN_HEADER) return NO_BYTES;
  const optionsEnd = endOfLastIpv4Option(bytes, headerLength);
  let end = headerLength;
  while (
    end > optionsEnd &&
    bytes[end - 1] === 0 &&
    paddedLength(end - 1 - IPV4_MIN_HEADER) === headerLength - IPV4_MIN_HEADER
  ) {
    end--;
  }
  return bytes.slice(IPV4_MIN_HEADER, end);
}

/**
 * Where the last whole option ends. An end-of-list byte ends the list. Where a length is
 * broken the options cannot be walked, and any trailing zeros are taken as padding.
 */
function endOfLastIpv4Option(bytes: Uint8Array, headerLength: number): number {
  const end = Math.min(headerLength, bytes.length);
  let at = IPV4_MIN_HEADER;
  while (at < end) {
    const kind = bytes[at]!;
    if (kind === 0) return at;
    if (kind === 1) {
      at += 1;
      continue;
    }
    if (at + 1 >= end) return IPV4_MIN_HEADER;
    const length = bytes[at + 1]!;
    if (length < 2 || at + length > end) return IPV4_MIN_HEADER;
    at += length;
  }
  return at;
}

function paddedLength(length: number): number {
  return (length + 3) & ~3;
}

/** Bytes the header takes on the wire: the fixed part plus the options padded to four. */
export function ipv4HeaderLength(repr: Ipv4Repr): number {
  const options = repr.options.length;
  if (options > IPV4_MAX_OPTIONS) {
    throw new WireEncodeError('ip.options', `${options} bytes of options do not fit; an IPv4 header holds at most ${IPV4_MAX_OPTIONS}`);
  }
  return IPV4_MIN_HEADER + paddedLength(options);
}

/**
 * Writes the header at offset 0 of `into`, which holds `headerLength` header bytes and then
 * `payloadLength` more. Computed fields are filled in unless the repr sets them.
 */
export function emitIpv4(repr: Ipv4Repr, into: Uint8Array, headerLength: number, payloadLength: number): void {
  const ihl = repr.ihl ?? headerLength >> 2;
  const totalLength = repr.totalLength ?? headerLength + payloadLength;
  requireUint(ihl, 15, 'ip.ihl');
  if (repr.totalLength === undefined && totalLength > 0xffff) {
    throw new WireEncodeError('ip.totalLength', `the packet is ${totalLength} bytes; an IPv4 packet holds at most 65535`);
  }
  requireUint(totalLength, 0xffff, 'ip.totalLength');
  requireUint(repr.tos, 0xff, 'ip.tos');
  requireUint(repr.id, 0xffff, 'ip.id');
  requireUint(repr.fragOffset, 0x1fff, 'ip.fragOffset');
  requireUint(repr.ttl, 0xff, 'ip.ttl');
  requireUint(repr.protocol, 0xff, 'ip.protocol');
  into[0] = 0x40 | ihl;
  into[1] = repr.tos;
  into[2] = totalLength >> 8;
  into[3] = totalLength & 0xff;
  into[4] = repr.id >> 8;
  into[5] = repr.id & 0xff;
  into[6] = (repr.reservedBit ? 0x80 : 0) | (repr.df ? 0x40 : 0) | (repr.mf ? 0x20 : 0) | (repr.fragOffset >> 8);
  into[7] = repr.fragOffset & 0xff;
  into[8] = repr.ttl;
  into[9] = repr.protocol;
  if (!writeIpv4Address(repr.src, into, IPV4_SRC)) {
    throw new WireEncodeError('ip.src', `${JSON.stringify(repr.src)} is not an IPv4 address`);
  }
  if (!writeIpv4Address(repr.dst, into, IPV4_DST)) {
    throw new WireEncodeError('ip.dst', `${JSON.stringify(repr.dst)} is not an IPv4 address`);
  }
  // Byte loops, not set() and fill(): for the few bytes of a header the builtins' call
  // overhead costs more than the copying.
  const options = repr.options;
  let at = IPV4_MIN_HEADER;
  for (let i = 0; i < options.length; i++) into[at++] = options[i]!;
  while (at < headerLength) into[at++] = 0;
  into[CHECKSUM] = 0;
  into[CHECKSUM + 1] = 0;
  let checksum = repr.checksum;
  if (checksum === undefined) {
    checksum = checksumOf(sumWords(into, 0, headerLength));
  } else {
    requireUint(checksum, 0xffff, 'ip.checksum');
  }
  into[CHECKSUM] = checksum >> 8;
  into[CHECKSUM + 1] = checksum & 0xff;
}
