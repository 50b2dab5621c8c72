// Which bytes of a packet belong to which field, with each field's value as read from those
// bytes: the hex dump's legend, and what a screen needs to colour bytes by field. Spans are
// in byte order, never overlap, and cover every byte. Bit fields that share bytes share a
// span, named together ("ip.version/ihl"); a WireIssue falls in the span holding its offset.

import { readIpv4Address, readIpv6Address } from '../ip-address.js';
import { readU16, readU32 } from '../network-order.js';
import type { DecodedPacket } from '../packet.js';
import { flagNames, TcpFlag } from '../tcp-flags.js';
import { checksumText } from './checksum-text.js';
import { expectedIpv4Checksum, expectedTcpChecksum } from './expected-checksum.js';
import { packetGeometry, type PacketGeometry } from './geometry.js';
import { ipv4FlagsText, protocolText, trafficClassText } from './ip-names.js';
import { tcpdumpFlags } from './tcpdump-flags.js';
import { describeOptionBytes, optionTitle } from './option-text.js';
import { walkTcpOptions } from './option-walk.js';
import { checkRenderOptions, relativeTo, type RenderOptions } from './render-options.js';

export interface FieldSpan {
  /** First byte, from the start of the packet. */
  start: number;
  /** One past the last byte. */
  end: number;
  /** Dotted path as WireIssue names fields: "tcp.sport", "tcp.options[0]", "ip.version/ihl". */
  field: string;
  /** What the field is, in words: "source port". */
  label: string;
  /** The field's value as read from these bytes: "40001", "mss 1460", "5 bytes". */
  value: string;
}

class Spans {
  readonly list: FieldSpan[] = [];
  /** Where fields stop: the end of the bytes, or of the IP packet while its payload is laid out. */
  limit: number;
  constructor(readonly bytes: Uint8Array) {
    this.limit = bytes.length;
  }

  /** Adds a field of `length` bytes at `start`, cut short where the bytes (or the limit) run out. */
  add(start: number, length: number, field: string, label: string, value: () => string): void {
    if (length <= 0 || start >= this.limit) return;
    const end = Math.min(start + length, this.limit);
    const cut = end - start < length;
    this.list.push({ start, end, field, label, value: cut ? `truncated: ${end - start} of ${length} bytes` : value() });
  }

  u8(at: number): number {
    return this.bytes[at]!;
  }
  u16(at: number): number {
    return readU16(this.bytes, at);
  }
  u32(at: number): number {
    return readU32(this.bytes, at);
  }
}

function byteCount(count: number): string {
  return count === 1 ? '1 byte' : `${count} bytes`;
}

export function fieldLayout(packet: DecodedPacket, options?: Pick<RenderOptions, 'seqBase' | 'ackBase'>): FieldSpan[] {
  const opts = checkRenderOptions(options);
  const bytes = packet.bytes;
  const spans = new Spans(bytes);
  const geometry = packetGeometry(bytes);
  if (geometry === null) {
    spans.add(0, bytes.length, 'ip', 'not an IP header', () =>
      bytes.length === 0 ? 'no bytes' : `version ${bytes[0]! >> 4}, ${byteCount(bytes.length)}`,
    );
    return spans.list;
  }
  if (geometry.version === 4) ipv4Fields(spans, packet, geometry);
  else ipv6Fields(spans);

  const isTcp = geometry.tcp !== null && !(packet.tcp === null && packet.other !== null);
  if (isTcp) {
    // Bytes past the IP length are a trailer, however much they look like a TCP header.
    spans.limit = Math.min(geometry.packetEnd, bytes.length);
    tcpFields(spans, packet, geometry, opts);
    spans.limit = bytes.length;
  } else {
    const start = geometry.ipHeaderEnd;
    spans.add(start, geometry.packetEnd - start, 'ip.payload', `ip-proto-${geometry.protocol}`, () =>
      `${protocolText(geometry.protocol)}, ${byteCount(geometry.packetEnd - start)}`,
    );
  }
  spans.add(geometry.packetEnd, bytes.length - geometry.packetEnd, 'trailer', 'after the IP packet', () =>
    `${byteCount(bytes.length - geometry.packetEnd)}, beyond the IP length`,
  );
  return spans.list;
}

function ipv4Fields(spans: Spans, packet: DecodedPacket, geometry: PacketGeometry): void {
  const bytes = packet.bytes;
  spans.add(0, 1, 'ip.version/ihl', 'version and header length', () => {
    const ihl = spans.u8(0) & 0x0f;
    return `version 4, ihl ${ihl} (${ihl * 4} bytes)`;
  });
  spans.add(1, 1, 'ip.tos', 'type of service', () => trafficClassText(spans.u8(1)));
  spans.add(2, 2, 'ip.totalLength', 'total length', () => String(spans.u16(2)));
  spans.add(4, 2, 'ip.id', 'identification', () => String(spans.u16(4)));
  spans.add(6, 2, 'ip.flags/fragOffset', 'flags and fragment offset', () => {
    const word = spans.u16(6);
    const flags = ipv4FlagsText({ reservedBit: (word & 0x8000) !== 0, df: (word & 0x4000) !== 0, mf: (word & 0x2000) !== 0 });
    return `${flags}, offset ${word & 0x1fff}`;
  });
  spans.add(8, 1, 'ip.ttl', 'time to live', () => String(spans.u8(8)));
  spans.add(9, 1, 'ip.protocol', 'protocol', () => protocolText(spans.u8(9)));
  spans.add(10, 2, 'ip.checksum', 'header checksum', () =>
    checksumText(spans.u16(10), packet.ipChecksum, expectedIpv4Checksum(bytes, geometry)),
  );
  spans.add(12, 4, 'ip.src', 'source address', () => readIpv4Address(bytes, 12));
  spans.add(16, 4, 'ip.dst', 'destination address', () => readIpv4Address(bytes, 16));
  spans.add(20, geometry.ipHeaderEnd - 20, 'ip.options', 'IP options', () => byteCount(geometry.ipHeaderEnd - 20));
}

function ipv6Fields(spans: Spans): void {
  spans.add(0, 4, 'ip.version/trafficClass/flowLabel', 'version, traffic class, flow label', () => {
    const word = spans.u32(0);
    const trafficClass = (word >>> 20) & 0xff;
    const flowLabel = word & 0xfffff;
    return `version 6, tc 0x${trafficClass.toString(16).padStart(2, '0')}, fl 0x${flowLabel.toString(16).padStart(5, '0')}`;
  });
  spans.add(4, 2, 'ip.payloadLength', 'payload length', () => String(spans.u16(4)));
  spans.add(6, 1, 'ip.nextHeader', 'next header', () => protocolText(spans.u8(6)));
  spans.add(7, 1, 'ip.hopLimit', 'hop limit', () => String(spans.u8(7)));
  const bytes = spans.bytes;
  spans.add(8, 16, 'ip.src', 'source address', () => readIpv6Address(bytes, 8));
  spans.add(24, 16, 'ip.dst', 'destination address', () => readIpv6Address(bytes, 24));
}

function tcpFields(spans: Spans, packet: DecodedPacket, geometry: PacketGeometry, opts: RenderOptions): void {
  const bytes = packet.bytes;
  const tcp = geometry.tcp!;
  const t = tcp.start;
  const flags = t + 13 < bytes.length ? ((spans.u8(t + 12) & 1) << 8) | spans.u8(t + 13) : 0;
  spans.add(t, 2, 'tcp.sport', 'source port', () => String(spans.u16(t)));
  spans.add(t + 2, 2, 'tcp.dport', 'destination port', () => String(spans.u16(t + 2)));
  spans.add(t + 4, 4, 'tcp.seq', 'sequence number', () => withRelative(spans.u32(t + 4), opts.seqBase));
  spans.add(t + 8, 4, 'tcp.ack', 'acknowledgement number', () => {
    const text = withRelative(spans.u32(t + 8), opts.ackBase);
    return flags & TcpFlag.ACK ? text : `${text} (unused: ACK not set)`;
  });
  spans.add(t + 12, 1, 'tcp.dataOffset/reserved', 'data offset and reserved bits', () => {
    const byte = spans.u8(t + 12);
    const words = byte >> 4;
    const ae = byte & 1 ? ', AE' : '';
    return `data offset ${words} (${words * 4} bytes), reserved ${(byte >> 1) & 7}${ae}`;
  });
  spans.add(t + 13, 1, 'tcp.flags', 'flags', () => {
    const names = flagNames(flags & 0xff).join(' ');
    return `[${tcpdumpFlags(flags & 0xff)}]${names === '' ? '' : ' ' + names}`;
  });
  spans.add(t + 14, 2, 'tcp.window', 'window', () => String(spans.u16(t + 14)));
  spans.add(t + 16, 2, 'tcp.checksum', 'checksum', () =>
    checksumText(spans.u16(t + 16), packet.tcpChecksum, expectedTcpChecksum(bytes, geometry)),
  );
  spans.add(t + 18, 2, 'tcp.urgent', 'urgent pointer', () => {
    const urgent = spans.u16(t + 18);
    return flags & TcpFlag.URG || urgent === 0 ? String(urgent) : `${urgent} (unused: URG not set)`;
  });

  const optionsEnd = Math.min(tcp.headerEnd, bytes.length);
  const walk = walkTcpOptions(bytes, Math.min(t + 20, optionsEnd), optionsEnd);
  for (const slot of walk.slots) {
    const field = `tcp.options[${slot.index}]`;
    spans.add(slot.start, slot.end - slot.start, field, optionTitle(slot.kind), () =>
      slot.unreadable === undefined
        ? describeOptionBytes(bytes, slot.start, slot.end, opts.ackBase)
        : `kind ${slot.kind}, unreadable: ${slot.unreadable}`,
    );
  }
  const padding = walk.padding;
  if (padding !== null) {
    spans.add(padding.start, padding.end - padding.start, 'tcp.options', 'padding', () =>
      `${byteCount(padding.end - padding.start)} of end-of-list padding`,
    );
  }
  // A claimed header longer than the packet leaves no payload; the decoder reports why.
  spans.add(tcp.headerEnd, geometry.packetEnd - tcp.headerEnd, 'tcp.payload', 'payload', () =>
    byteCount(geometry.packetEnd - tcp.headerEnd),
  );
}

function withRelative(value: number, base: number | undefined): string {
  return base === undefined ? String(value) : `${value} (relative ${relativeTo(value, base)})`;
}
