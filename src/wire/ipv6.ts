import { z } from 'zod';
import { requireUint, WireEncodeError } from './encode-error.js';
import { readIpv6Address, writeIpv6Address } from './ip-address.js';
import { readU16 } from './network-order.js';
import type { WireIssue } from './packet.js';

export const Ipv6AddressSchema = z.ipv6();

/** An IPv6 fixed header as plain values; payloadLength is computed on encode unless set. */
export const Ipv6ReprSchema = z.object({
  version: z.literal(6),
  src: Ipv6AddressSchema,
  dst: Ipv6AddressSchema,
  trafficClass: z.number().int().min(0).max(0xff),
  flowLabel: z.number().int().min(0).max(0xfffff),
  hopLimit: z.number().int().min(0).max(0xff),
  nextHeader: z.number().int().min(0).max(0xff),
  /** Computed: bytes after the fixed header. */
  payloadLength: z.number().int().min(0).max(0xffff).optional(),
});

export type Ipv6Repr = z.infer<typeof Ipv6ReprSchema>;

export const IPV6_HEADER = 40;

const PAYLOAD_LENGTH = 4;
export const IPV6_SRC = 8;
export const IPV6_DST = 24;

/**
 * A checked view of the bytes of an IPv6 packet that starts at offset 0. Once `check` has
 * passed, every getter reads inside the buffer whatever the header claims.
 */
export class Ipv6View {
  private constructor(readonly bytes: Uint8Array) {}

  /** A view when the fixed header is all there; otherwise the issue saying what is missing. */
  static check(bytes: Uint8Array): Ipv6View | WireIssue {
    if (bytes.length < IPV6_HEADER) {
      return {
        severity: 'error',
        field: 'ip',
        offset: 0,
        message: `IPv6 header truncated: ${bytes.length} bytes, the fixed header needs ${IPV6_HEADER}`,
      };
    }
    return new Ipv6View(bytes);
  }

  get version(): number {
    return this.bytes[0]! >> 4;
  }
  get trafficClass(): number {
    return ((this.bytes[0]! & 0x0f) << 4) | (this.bytes[1]! >> 4);
  }
  get flowLabel(): number {
    return ((this.bytes[1]! & 0x0f) << 16) | (this.bytes[2]! << 8) | this.bytes[3]!;
  }
  get payloadLength(): number {
    return readU16(this.bytes, PAYLOAD_LENGTH);
  }
  get nextHeader(): number {
    return this.bytes[6]!;
  }
  get hopLimit(): number {
    return this.bytes[7]!;
  }
  get src(): string {
    return readIpv6Address(this.bytes, IPV6_SRC);
  }
  get dst(): string {
    return readIpv6Address(this.bytes, IPV6_DST);
  }

  /** Where the payload ends: after payloadLength bytes, or at the buffer's end if that comes first. */
  get packetEnd(): number {
    const end = IPV6_HEADER + this.payloadLength;
    return end > this.bytes.length ? this.bytes.length : end;
  }
}

/** The fixed header as plain values; appends to `issues` when its length disagrees with the bytes. */
export function parseIpv6(view: Ipv6View, issues: WireIssue[]): Ipv6Repr {
  const payloadLength = view.payloadLength;
  const available = view.bytes.length - IPV6_HEADER;
  if (payloadLength > available) {
    issues.push({
      severity: 'error',
      field: 'ip.payloadLength',
      offset: PAYLOAD_LENGTH,
      message: `payload length ${payloadLength} bytes is longer than the ${available} bytes there are; decoding what is there`,
    });
  } else if (payloadLength < available) {
    issues.push({
      severity: 'warning',
      field: 'ip.payloadLength',
      offset: PAYLOAD_LENGTH,
      message: `${available - payloadLength} bytes after the payload length of ${payloadLength} bytes are ignored (link-layer padding?)`,
    });
  }
  return {
    version: 6,
    src: view.src,
    dst: view.dst,
    trafficClass: view.trafficClass,
    flowLabel: view.flowLabel,
    hopLimit: view.hopLimit,
    nextHeader: view.nextHeader,
    payloadLength,
  };
}

/** Writes the fixed header at offset 0; `payloadLength` bytes follow it. */
export function emitIpv6(repr: Ipv6Repr, into: Uint8Array, payloadLength: number): void {
  if (repr.payloadLength === undefined && payloadLength > 0xffff) {
    throw new WireEncodeError('ip.payloadLength', `the payload is ${payloadLength} bytes; without a jumbogram option IPv6 carries at most 65535`);
  }
  const length = repr.payloadLength ?? payloadLength;
  requireUint(length, 0xffff, 'ip.payloadLength');
  requireUint(repr.trafficClass, 0xff, 'ip.trafficClass');
  requireUint(repr.flowLabel, 0xfffff, 'ip.flowLabel');
  requireUint(repr.hopLimit, 0xff, 'ip.hopLimit');
  requireUint(repr.nextHeader, 0xff, 'ip.nextHeader');
  into[0] = 0x60 | (repr.trafficClass >> 4);
  into[1] = ((repr.trafficClass & 0x0f) << 4) | (repr.flowLabel >> 16);
  into[2] = (repr.flowLabel >> 8) & 0xff;
  into[3] = repr.flowLabel & 0xff;
  into[4] = length >> 8;
  into[5] = length & 0xff;
  into[6] = repr.nextHeader;
  into[7] = repr.hopLimit;
  if (!writeIpv6Address(repr.src, into, IPV6_SRC)) {
    throw new WireEncodeError('ip.src', `${JSON.stringify(repr.src)} is not an IPv6 address`);
  }
  if (!writeIpv6Address(repr.dst, into, IPV6_DST)) {
    throw new WireEncodeError('ip.dst', `${JSON.stringify(repr.dst)} is not an IPv6 address`);
  }
}
