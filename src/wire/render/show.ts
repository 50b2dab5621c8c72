// The layered field view, after scapy's show2(): one section per layer, one line per field,
// computed fields (lengths, checksums, data offset) shown with the values they hold, and
// checksums with their verdict. Wrapped to 80 columns; problems the decoder found come last.

import type { Ipv4Repr } from '../ipv4.js';
import { IPV6_HEADER, type Ipv6Repr } from '../ipv6.js';
import { readU16 } from '../network-order.js';
import type { DecodedPacket, WireIssue } from '../packet.js';
import type { TcpRepr } from '../tcp.js';
import { flagNames } from '../tcp-flags.js';
import { painter, type Painter } from './ansi.js';
import { checksumText } from './checksum-text.js';
import { expectedIpv4Checksum, expectedTcpChecksum } from './expected-checksum.js';
import { packetGeometry, type PacketGeometry } from './geometry.js';
import { ipv4FlagsText, protocolText, trafficClassText } from './ip-names.js';
import { tcpdumpFlags } from './tcpdump-flags.js';
import { describeTcpOption } from './option-text.js';
import { checkRenderOptions, relativeTo, type RenderOptions } from './render-options.js';
import { packPieces, SCREEN_WIDTH, wrapText } from './text-wrap.js';

const NAME_WIDTH = 10;
const INDENT = '  ';
const VALUE_COLUMN = INDENT.length + NAME_WIDTH + 2;
const VALUE_WIDTH = SCREEN_WIDTH - VALUE_COLUMN;

class FieldView {
  readonly lines: string[] = [];
  constructor(private readonly paint: Painter) {}

  section(title: string): void {
    this.lines.push(this.paint(`###[ ${title} ]###`, 'bold'));
  }

  /** A field whose value may run over several lines, each already at most VALUE_WIDTH wide. */
  field(name: string, valueLines: readonly string[], bad = false): void {
    valueLines.forEach((text, i) => {
      const head = i === 0 ? INDENT + name.padEnd(NAME_WIDTH) + '= ' : ' '.repeat(VALUE_COLUMN);
      this.lines.push(head + (bad ? this.paint(text, 'red') : text));
    });
  }

  value(name: string, text: string, bad = false): void {
    this.field(name, wrapText(text, VALUE_WIDTH), bad);
  }
}

function byteCount(count: number): string {
  return count === 1 ? '1 byte' : `${count} bytes`;
}

export function renderShow(packet: DecodedPacket, options?: RenderOptions): string {
  const opts = checkRenderOptions(options);
  const view = new FieldView(painter(opts.color));
  const geometry = packetGeometry(packet.bytes);
  const ip = packet.ip;
  if (ip === null || geometry === null) {
    view.section('Raw');
    view.field('load', loadLines(packet.bytes));
  } else {
    if (ip.version === 4) ipv4Section(view, ip, packet, geometry);
    else ipv6Section(view, ip, geometry);
    if (packet.tcp !== null && geometry.tcp !== null) {
      tcpSection(view, packet.tcp, packet, geometry, opts);
      payloadSection(view, 'Raw', packet.tcp.payload);
    } else if (packet.other === null && geometry.protocol === 6) {
      view.section('TCP');
      const cut = packet.bytes.subarray(geometry.ipHeaderEnd, geometry.packetEnd);
      view.value('header', `unreadable: ${byteCount(cut.length)}`, true);
      payloadSection(view, 'Raw', cut);
    } else {
      payloadSection(view, 'Raw', packet.bytes.subarray(geometry.ipHeaderEnd, geometry.packetEnd));
    }
    payloadSection(view, 'Padding', packet.bytes.subarray(geometry.packetEnd));
  }
  issuesSection(view, packet.issues, painter(opts.color));
  return view.lines.join('\n');
}

function ipv4Section(view: FieldView, ip: Ipv4Repr, packet: DecodedPacket, geometry: PacketGeometry): void {
  const bytes = packet.bytes;
  const ihl = ip.ihl ?? bytes[0]! & 0x0f;
  const checksum = ip.checksum ?? readU16(bytes, 10);
  view.section('IP');
  view.value('version', String(ip.version));
  view.value('ihl', `${ihl} (${ihl * 4} bytes)`);
  view.value('tos', trafficClassText(ip.tos));
  view.value('len', String(ip.totalLength ?? readU16(bytes, 2)));
  view.value('id', String(ip.id));
  view.value('flags', ipv4FlagsText(ip));
  view.value('frag', String(ip.fragOffset));
  view.value('ttl', String(ip.ttl));
  view.value('proto', protocolText(ip.protocol));
  view.value(
    'chksum',
    checksumText(checksum, packet.ipChecksum, expectedIpv4Checksum(bytes, geometry)),
    packet.ipChecksum === 'bad',
  );
  view.value('src', ip.src);
  view.value('dst', ip.dst);
  view.field('options', ip.options.length === 0 ? ['[]'] : hexLines(ip.options));
}

function ipv6Section(view: FieldView, ip: Ipv6Repr, geometry: PacketGeometry): void {
  view.section('IPv6');
  view.value('version', String(ip.version));
  view.value('tc', trafficClassText(ip.trafficClass));
  view.value('fl', '0x' + ip.flowLabel.toString(16).padStart(5, '0'));
  view.value('plen', String(ip.payloadLength ?? geometry.claimedEnd - IPV6_HEADER));
  view.value('nh', protocolText(ip.nextHeader));
  view.value('hlim', String(ip.hopLimit));
  view.value('src', ip.src);
  view.value('dst', ip.dst);
}

function tcpSection(view: FieldView, tcp: TcpRepr, packet: DecodedPacket, geometry: PacketGeometry, opts: RenderOptions): void {
  const bytes = packet.bytes;
  const start = geometry.tcp!.start;
  const dataOffset = tcp.dataOffset ?? bytes[start + 12]! >> 4;
  const checksum = tcp.checksum ?? readU16(bytes, start + 16);
  view.section('TCP');
  view.value('sport', String(tcp.sport));
  view.value('dport', String(tcp.dport));
  view.value('seq', withRelative(tcp.seq, opts.seqBase));
  view.value('ack', withRelative(tcp.ack, opts.ackBase));
  view.value('dataofs', `${dataOffset} (${dataOffset * 4} bytes)`);
  view.value('reserved', String(tcp.reserved ?? 0));
  const names = flagNames(tcp.flags);
  view.value('flags', `[${tcpdumpFlags(tcp.flags)}]${names.length > 0 ? ' ' + names.join(' ') : ''}`);
  view.value('window', String(tcp.window));
  view.value(
    'chksum',
    checksumText(checksum, packet.tcpChecksum, expectedTcpChecksum(bytes, geometry)),
    packet.tcpChecksum === 'bad',
  );
  view.value('urgptr', String(tcp.urgent));
  if (tcp.options.length === 0) {
    view.value('options', '[]');
  } else {
    const lines = tcp.options.flatMap((option, i) => {
      const label = `[${i}] `;
      const wrapped = wrapText(describeTcpOption(option, opts.ackBase), VALUE_WIDTH - label.length);
      return wrapped.map((text, j) => (j === 0 ? label : ' '.repeat(label.length)) + text);
    });
    view.field('options', lines);
  }
}

function withRelative(value: number, base: number | undefined): string {
  return base === undefined ? String(value) : `${value} (relative ${relativeTo(value, base)})`;
}

function payloadSection(view: FieldView, title: string, payload: Uint8Array): void {
  if (payload.length === 0) return;
  view.section(title);
  view.field('load', loadLines(payload));
}

/** Bytes as quoted text, one quoted piece a line, escapes never split, then the count. */
function loadLines(payload: Uint8Array): string[] {
  const pieces = Array.from(payload, escapeByte);
  const lines = packPieces(pieces, VALUE_WIDTH - 2).map((line) => `"${line}"`);
  const count = `(${byteCount(payload.length)})`;
  const last = lines[lines.length - 1]!;
  if (last.length + 1 + count.length <= VALUE_WIDTH) lines[lines.length - 1] = `${last} ${count}`;
  else lines.push(count);
  return lines;
}

function escapeByte(byte: number): string {
  switch (byte) {
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
  }
  if (byte >= 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  return '\\x' + byte.toString(16).padStart(2, '0');
}

function hexLines(bytes: Uint8Array): string[] {
  const pieces = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0'));
  const lines = packPieces(pieces, VALUE_WIDTH - 2);
  return lines.map((line, i) => (i === 0 ? '0x' : '  ') + line);
}

function issuesSection(view: FieldView, issues: readonly WireIssue[], paint: Painter): void {
  if (issues.length === 0) return;
  view.section('Issues');
  for (const issue of issues) {
    const head = `${issue.severity.padEnd(8)}`;
    const text = `${issue.field} (byte ${issue.offset}): ${issue.message}`;
    const style = issue.severity === 'error' ? 'red' : 'yellow';
    wrapText(text, SCREEN_WIDTH - INDENT.length - head.length).forEach((line, i) => {
      view.lines.push(INDENT + (i === 0 ? paint(head, style) : ' '.repeat(head.length)) + line);
    });
  }
}
