// The tcpdump-style one-liner: what `tcpdump -nn -S` prints after its timestamp and "IP "
// tag, so a learner can hold it next to a real capture. A bad checksum is shown the way
// tcpdump -v shows it, in the same place: a TCP one right after the flags, an IPv4 header
// one in front of the addresses. A partial (offloaded) checksum is not an error and is not
// shown. Problems the decoder found are appended in brackets.

import { formatChecksum } from '../checksum.js';
import { readU16 } from '../network-order.js';
import type { DecodedPacket, WireIssue } from '../packet.js';
import { TcpFlag } from '../tcp-flags.js';
import { painter, type Painter } from './ansi.js';
import { expectedIpv4Checksum, expectedTcpChecksum } from './expected-checksum.js';
import { packetGeometry, type PacketGeometry } from './geometry.js';
import { checkRenderOptions, relativeTo, type RenderOptions } from './render-options.js';
import { tcpdumpFlags } from './tcpdump-flags.js';
import { tcpdumpOptions } from './tcpdump-options.js';

export function renderOneLine(packet: DecodedPacket, options?: RenderOptions): string {
  const opts = checkRenderOptions(options);
  const paint = painter(opts.color);
  const geometry = packetGeometry(packet.bytes);
  const line = packet.ip === null || geometry === null ? unreadable(packet) : readable(packet, geometry, opts, paint);
  return line + issueSuffix(packet.issues, paint);
}

function unreadable(packet: DecodedPacket): string {
  return `[|ip] ${packet.bytes.length} bytes`;
}

function readable(packet: DecodedPacket, geometry: PacketGeometry, opts: RenderOptions, paint: Painter): string {
  const ip = packet.ip!;
  const bytes = packet.bytes;
  let prefix = '';
  // Like tcpdump, a packet whose length field claims more than arrived is read at its
  // claimed length, and says so up front. (tcpdump runs "!" into an IPv6 address; a space
  // is kept here.)
  const missing = geometry.claimedEnd - bytes.length;
  if (missing > 0) prefix += `truncated-ip${ip.version === 6 ? '6' : ''} - ${missing} bytes missing! `;
  if (ip.version === 4 && packet.ipChecksum === 'bad') {
    const field = readU16(bytes, 10);
    const expected = expectedIpv4Checksum(bytes, geometry);
    prefix = paint(`(bad cksum ${field.toString(16)} (->${expected.toString(16)})!)`, 'red') + ' ' + prefix;
  }
  const tcp = packet.tcp;
  const tcpGeometry = geometry.tcp;
  if (tcp === null || tcpGeometry === null) {
    if (packet.other !== null) {
      // tcpdump's own spacing: a fragment past the first has no length, others two spaces.
      const fragment = ip.version === 4 && ip.fragOffset !== 0;
      const other = packet.other;
      return fragment
        ? `${prefix}${ip.src} > ${ip.dst}: ip-proto-${other.protocol}`
        : `${prefix}${ip.src} > ${ip.dst}:  ip-proto-${other.protocol} ${other.length}`;
    }
    // tcpdump names the ports when it got that far, then says where the capture ran out.
    const start = geometry.ipHeaderEnd;
    if (geometry.protocol === 6 && start + 4 <= bytes.length) {
      return `${prefix}${ip.src}.${readU16(bytes, start)} > ${ip.dst}.${readU16(bytes, start + 2)}:  [|tcp]`;
    }
    return `${prefix}${ip.src} > ${ip.dst}: [|tcp]`;
  }

  let out = `${prefix}${ip.src}.${tcp.sport} > ${ip.dst}.${tcp.dport}: `;
  // tcpdump's "length" is the segment's length as the IP header claims it.
  const length = Math.max(geometry.claimedEnd, geometry.packetEnd) - tcpGeometry.start;
  const hlen = tcpGeometry.claimedHeaderLength;
  if (hlen < 20) {
    return out + ` tcp ${(length - hlen) >>> 0} [bad hdr length ${hlen} - too short, < 20]`;
  }
  out += `Flags [${paint(tcpdumpFlags(tcp.flags), 'bold')}]`;
  if (hlen > length) {
    return out + ` [bad hdr length ${hlen} - too long, > ${length}]`;
  }
  // A checksum over bytes that did not all arrive cannot be judged, so tcpdump leaves it.
  if (packet.tcpChecksum === 'bad' && missing <= 0) {
    const field = readU16(bytes, tcpGeometry.start + 16);
    const expected = expectedTcpChecksum(bytes, geometry);
    if (expected !== null) out += paint(`, cksum ${formatChecksum(field)} (incorrect -> ${formatChecksum(expected)})`, 'red');
  }
  const payloadLength = length - hlen;
  const seq = relativeTo(tcp.seq, opts.seqBase);
  if (payloadLength > 0 || (tcp.flags & (TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST)) !== 0) {
    out += `, seq ${seq}`;
    if (payloadLength > 0) out += `:${(seq + payloadLength) >>> 0}`;
  }
  if (tcp.flags & TcpFlag.ACK) out += `, ack ${relativeTo(tcp.ack, opts.ackBase)}`;
  out += `, win ${tcp.window}`;
  if (tcp.flags & TcpFlag.URG) out += `, urg ${tcp.urgent}`;
  if (hlen > 20) {
    const listed = tcpdumpOptions(bytes, tcpGeometry.start + 20, tcpGeometry.start + hlen, opts.ackBase);
    out += ', options [' + listed.text;
    if (listed.outcome !== 'ok') return out;
  }
  return out + `, length ${payloadLength}`;
}

// Checksum verdicts are already in the line in tcpdump's words, so their issues are not repeated.
const SHOWN_ELSEWHERE = new Set(['ip.checksum', 'tcp.checksum']);

function issueSuffix(issues: WireIssue[], paint: Painter): string {
  const relevant = issues.filter((issue) => !SHOWN_ELSEWHERE.has(issue.field));
  if (relevant.length === 0) return '';
  const errors = relevant.filter((issue) => issue.severity === 'error');
  const first = errors[0] ?? relevant[0]!;
  const tag = errors.length > 0 ? 'malformed' : 'warning';
  const more = relevant.length - 1;
  const text = `[${tag}: ${first.field}: ${first.message}${more > 0 ? `; ${more} more` : ''}]`;
  return ' ' + paint(text, errors.length > 0 ? 'red' : 'yellow');
}
