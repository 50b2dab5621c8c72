import { z } from 'zod';
import { checksumOf, checksumStatus, formatChecksum, sumWords } from './checksum.js';
import { requireUint } from './encode-error.js';
import { readU32, writeU32 } from './network-order.js';
import { NO_BYTES } from './no-bytes.js';
import type { ChecksumStatus, WireIssue } from './packet.js';
import { emitTcpOptions, parseTcpOptions, TcpOptionSchema, type TcpOption } from './tcp-options.js';

const u16 = z.number().int().min(0).max(0xffff);
const u32 = z.number().int().min(0).max(0xffffffff);

/**
 * A TCP header and its payload as plain values. Fields marked "computed" are filled in by
 * the encoder when absent, and kept as given when present, so a lesson can send a wrong one.
 */
export const TcpReprSchema = z.object({
  sport: u16,
  dport: u16,
  seq: u32,
  ack: u32,
  /** Bit mask of TcpFlag values, AE included. */
  flags: z.number().int().min(0).max(0x1ff),
  window: u16,
  urgent: u16,
  options: z.array(TcpOptionSchema),
  payload: z.instanceof(Uint8Array),
  /** The three reserved bits between the data offset and AE; zero unless set. */
  reserved: z.number().int().min(0).max(7).optional(),
  /** Computed: header length in 32-bit words. */
  dataOffset: z.number().int().min(0).max(15).optional(),
  /** Computed: the Internet checksum over the pseudo-header, header and payload. */
  checksum: u16.optional(),
});

export type TcpRepr = z.infer<typeof TcpReprSchema>;

export const TCP_PROTOCOL = 6;
export const TCP_MIN_HEADER = 20;

/** Offset of the checksum field within the TCP header. */
export const TCP_CHECKSUM = 16;
const DATA_OFFSET = 12;

/**
 * A checked view of a TCP segment in [start, end) of a packet's bytes. Once `check` has
 * passed, every getter reads inside that range whatever the header claims: the header
 * length it hands out is clamped to the bytes there are.
 */
export class TcpView {
  private constructor(
    readonly bytes: Uint8Array,
    readonly start: number,
    readonly end: number,
  ) {}

  /** A view when the fixed header is all there; otherwise the issue saying what is missing. */
  static check(bytes: Uint8Array, start: number, end: number = bytes.length): TcpView | WireIssue {
    if (end > bytes.length) end = bytes.length;
    if (end - start < TCP_MIN_HEADER) {
      return {
        severity: 'error',
        field: 'tcp',
        offset: start,
        message: `TCP header truncated: ${Math.max(0, end - start)} bytes, the fixed header needs ${TCP_MIN_HEADER}`,
      };
    }
    return new TcpView(bytes, start, end);
  }

  get sport(): number {
    return (this.bytes[this.start]! << 8) | this.bytes[this.start + 1]!;
  }
  get dport(): number {
    return (this.bytes[this.start + 2]! << 8) | this.bytes[this.start + 3]!;
  }
  get seq(): number {
    return readU32(this.bytes, this.start + 4);
  }
  get ack(): number {
    return readU32(this.bytes, this.start + 8);
  }
  get dataOffset(): number {
    return this.bytes[this.start + 12]! >> 4;
  }
  get reserved(): number {
    return (this.bytes[this.start + 12]! >> 1) & 0x07;
  }
  /** FIN through CWR in the low byte and AE as bit 8, as TcpFlag spells them. */
  get flags(): number {
    return ((this.bytes[this.start + 12]! & 0x01) << 8) | this.bytes[this.start + 13]!;
  }
  get window(): number {
    return (this.bytes[this.start + 14]! << 8) | this.bytes[this.start + 15]!;
  }
  get checksum(): number {
    return (this.bytes[this.start + 16]! << 8) | this.bytes[this.start + 17]!;
  }
  get urgent(): number {
    return (this.bytes[this.start + 18]! << 8) | this.bytes[this.start + 19]!;
  }

  /** The header length to read: data offset words, but never below 20 bytes nor past the segment. */
  get headerLength(): number {
    const claimed = this.dataOffset * 4;
    if (claimed < TCP_MIN_HEADER) return TCP_MIN_HEADER;
    const available = this.end - this.start;
    return claimed > available ? available : claimed;
  }

  /** The options area as it sits in the header, padding included. */
  get optionBytes(): Uint8Array {
    return this.bytes.subarray(this.start + TCP_MIN_HEADER, this.start + this.headerLength);
  }

  get payload(): Uint8Array {
    return this.bytes.subarray(this.start + this.headerLength, this.end);
  }
}

/**
 * The segment as plain values, with the computed fields as they were on the wire; the
 * checksum is verified by the caller, which knows the pseudo-header. Options and payload are
 * copies, so the repr outlives a receive buffer that is reused.
 */
export function parseTcp(view: TcpView, issues: WireIssue[]): TcpRepr {
  const dataOffset = view.dataOffset;
  const headerLength = view.headerLength;
  const available = view.end - view.start;
  if (dataOffset < 5) {
    issues.push({
      severity: 'error',
      field: 'tcp.dataOffset',
      offset: view.start + DATA_OFFSET,
      message: `data offset ${dataOffset} words (${dataOffset * 4} bytes) is below the minimum of 5 (20 bytes); reading a 20-byte header`,
    });
  } else if (dataOffset * 4 > available) {
    issues.push({
      severity: 'error',
      field: 'tcp.dataOffset',
      offset: view.start + DATA_OFFSET,
      message: `data offset ${dataOffset} words (${dataOffset * 4} bytes) runs past the end of the segment (${available} bytes)`,
    });
  }
  const optionsStart = view.start + TCP_MIN_HEADER;
  const payloadStart = view.start + headerLength;
  const options: TcpOption[] =
    payloadStart > optionsStart ? parseTcpOptions(view.bytes, optionsStart, payloadStart, issues) : [];
  return {
    sport: view.sport,
    dport: view.dport,
    seq: view.seq,
    ack: view.ack,
    flags: view.flags,
    window: view.window,
    urgent: view.urgent,
    options,
    payload: payloadStart < view.end ? view.bytes.slice(payloadStart, view.end) : NO_BYTES,
    reserved: view.reserved,
    dataOffset,
    checksum: view.checksum,
  };
}

/** Bytes the header takes on the wire: the fixed part plus `optionsLength` padded to four. */
export function tcpHeaderLength(optionsLength: number): number {
  return TCP_MIN_HEADER + ((optionsLength + 3) & ~3);
}

/**
 * Writes the header, its options, zero padding and the payload at `at`. The checksum field
 * is left zero unless the repr sets it: only the caller knows the pseudo-header.
 */
export function emitTcp(repr: TcpRepr, into: Uint8Array, at: number, headerLength: number): void {
  const dataOffset = repr.dataOffset ?? headerLength >> 2;
  const reserved = repr.reserved ?? 0;
  requireUint(repr.sport, 0xffff, 'tcp.sport');
  requireUint(repr.dport, 0xffff, 'tcp.dport');
  requireUint(repr.seq, 0xffffffff, 'tcp.seq');
  requireUint(repr.ack, 0xffffffff, 'tcp.ack');
  requireUint(dataOffset, 15, 'tcp.dataOffset');
  requireUint(reserved, 7, 'tcp.reserved');
  requireUint(repr.flags, 0x1ff, 'tcp.flags');
  requireUint(repr.window, 0xffff, 'tcp.window');
  requireUint(repr.urgent, 0xffff, 'tcp.urgent');
  into[at] = repr.sport >> 8;
  into[at + 1] = repr.sport & 0xff;
  into[at + 2] = repr.dport >> 8;
  into[at + 3] = repr.dport & 0xff;
  writeU32(into, at + 4, repr.seq);
  writeU32(into, at + 8, repr.ack);
  into[at + 12] = (dataOffset << 4) | (reserved << 1) | (repr.flags >> 8);
  into[at + 13] = repr.flags & 0xff;
  into[at + 14] = repr.window >> 8;
  into[at + 15] = repr.window & 0xff;
  const checksum = repr.checksum ?? 0;
  requireUint(checksum, 0xffff, 'tcp.checksum');
  into[at + 16] = checksum >> 8;
  into[at + 17] = checksum & 0xff;
  into[at + 18] = repr.urgent >> 8;
  into[at + 19] = repr.urgent & 0xff;
  const optionsEnd = emitTcpOptions(repr.options, into, at + TCP_MIN_HEADER);
  for (let pad = optionsEnd; pad < at + headerLength; pad++) into[pad] = 0;
  // set() has a call overhead that only pays off past a few dozen bytes.
  const payload = repr.payload;
  if (payload.length > 32) into.set(payload, at + headerLength);
  else for (let i = 0; i < payload.length; i++) into[at + headerLength + i] = payload[i]!;
}

/**
 * Verifies the segment's checksum given the sum of its pseudo-header, and appends an issue
 * naming the right value when it is wrong. The loopback offload shortcut counts as 'partial'.
 */
export function verifyTcpChecksum(view: TcpView, pseudoSum: number, issues: WireIssue[]): ChecksumStatus {
  const covered = sumWords(view.bytes, view.start, view.end, pseudoSum);
  const field = view.checksum;
  const status = checksumStatus(field, covered, pseudoSum);
  if (status === 'bad') {
    issues.push({
      severity: 'error',
      field: 'tcp.checksum',
      offset: view.start + TCP_CHECKSUM,
      message: `checksum ${formatChecksum(field)} is wrong; the segment sums to ${formatChecksum(checksumOf(covered - field))}`,
    });
  }
  return status;
}
