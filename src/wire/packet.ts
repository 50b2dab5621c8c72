import { z } from 'zod';
import { checksumOf, ipv4PseudoSum, ipv6PseudoSum, sumWords } from './checksum.js';
import { WireEncodeError } from './encode-error.js';
import { emitIpv4, IPV4_DST, IPV4_SRC, ipv4HeaderLength, Ipv4ReprSchema, Ipv4View, parseIpv4, verifyIpv4Checksum } from './ipv4.js';
import { emitIpv6, IPV6_DST, IPV6_HEADER, IPV6_SRC, Ipv6ReprSchema, Ipv6View, parseIpv6 } from './ipv6.js';
import { writeU16 } from './network-order.js';
import { emitTcp, parseTcp, TCP_CHECKSUM, TCP_PROTOCOL, tcpHeaderLength, TcpReprSchema, TcpView, verifyTcpChecksum } from './tcp.js';
import { checkTcpOptions } from './tcp-options.js';

export { WireEncodeError } from './encode-error.js';

export const IpReprSchema = z.discriminatedUnion('version', [Ipv4ReprSchema, Ipv6ReprSchema]);
export type IpRepr = z.infer<typeof IpReprSchema>;

/** A TCP segment in its IP packet: what a learner builds and what the network carries. */
export const PacketSchema = z.object({ ip: IpReprSchema, tcp: TcpReprSchema });
export type Packet = z.infer<typeof PacketSchema>;

/** Something wrong with the bytes: names the field and where it starts in the packet. */
export interface WireIssue {
  severity: 'error' | 'warning';
  /** Dotted field path, e.g. "tcp.dataOffset", "ip.totalLength", "tcp.options[2].length". */
  field: string;
  /** Byte offset of the field from the start of the packet. */
  offset: number;
  message: string;
}

/**
 * 'partial' is what Linux puts on loopback with checksum offload: the folded pseudo-header
 * sum only, which the receiving kernel trusts and which is not an error.
 */
export type ChecksumStatus = 'ok' | 'bad' | 'partial';

/** The result of reading bytes off the wire: as much as could be read, and what was wrong. */
export interface DecodedPacket {
  /** The bytes given to decodePacket, as given (not copied). */
  bytes: Uint8Array;
  /** Null when not even the IP header could be read. */
  ip: IpRepr | null;
  /** Null when the packet is not TCP, or its TCP header could not be read. */
  tcp: import('./tcp.js').TcpRepr | null;
  /** Null for IPv6, which has no header checksum, and when there is no IP header. */
  ipChecksum: ChecksumStatus | null;
  /**
   * Null when there is no TCP header, and for the first fragment of a fragmented datagram,
   * whose checksum covers bytes that are not in this packet.
   */
  tcpChecksum: ChecksumStatus | null;
  /** For a packet that is not TCP: its protocol number and how many bytes follow the IP header. */
  other: { protocol: number; length: number } | null;
  issues: WireIssue[];
}

/**
 * Reads an IP packet carrying TCP. Never throws: whatever cannot be read is left null and
 * explained in `issues`. Computed fields hold what was on the wire, so encodePacket of the
 * result gives back the same bytes, wrong checksums and lengths included. Options and
 * payload are copied out of `bytes`.
 */
export function decodePacket(given: Uint8Array): DecodedPacket {
  const decoded: DecodedPacket = { bytes: given, ip: null, tcp: null, ipChecksum: null, tcpChecksum: null, other: null, issues: [] };
  if (!(given instanceof Uint8Array)) {
    decoded.bytes = new Uint8Array(0);
    decoded.issues.push({ severity: 'error', field: 'ip', offset: 0, message: 'not a packet: decoding needs bytes (a Uint8Array)' });
    return decoded;
  }
  // A Node Buffer's slice() is a view, not a copy, and hands out Buffers; a plain view over
  // the same memory makes the copies in the repr real copies and plain Uint8Arrays.
  const bytes = given.constructor === Uint8Array ? given : new Uint8Array(given.buffer, given.byteOffset, given.length);
  if (bytes.length === 0) {
    decoded.issues.push({ severity: 'error', field: 'ip', offset: 0, message: 'empty packet: there is no IP header' });
    return decoded;
  }
  const version = bytes[0]! >> 4;
  if (version === 4) decodeIpv4(bytes, decoded);
  else if (version === 6) decodeIpv6(bytes, decoded);
  else {
    decoded.issues.push({ severity: 'error', field: 'ip.version', offset: 0, message: `IP version ${version} is neither 4 nor 6` });
  }
  return decoded;
}

function decodeIpv4(bytes: Uint8Array, decoded: DecodedPacket): void {
  const issues = decoded.issues;
  const view = Ipv4View.check(bytes);
  if (!(view instanceof Ipv4View)) {
    issues.push(view);
    return;
  }
  const ip = parseIpv4(view, issues);
  decoded.ip = ip;
  decoded.ipChecksum = verifyIpv4Checksum(view, issues);
  const start = view.headerLength;
  const end = view.packetEnd;
  if (ip.protocol !== TCP_PROTOCOL) {
    decoded.other = { protocol: ip.protocol, length: end - start };
    return;
  }
  if (ip.fragOffset !== 0) {
    issues.push({
      severity: 'warning',
      field: 'ip.fragOffset',
      offset: 6,
      message: `a fragment from byte ${ip.fragOffset * 8} of its datagram; the TCP header is in the first fragment`,
    });
    decoded.other = { protocol: ip.protocol, length: end - start };
    return;
  }
  const tcpView = TcpView.check(bytes, start, end);
  if (!(tcpView instanceof TcpView)) {
    issues.push(tcpView);
    return;
  }
  decoded.tcp = parseTcp(tcpView, issues);
  if (ip.mf) {
    issues.push({
      severity: 'warning',
      field: 'ip.mf',
      offset: 6,
      message: 'the first fragment of a larger datagram: the TCP checksum covers bytes not here and is not checked',
    });
    return;
  }
  decoded.tcpChecksum = verifyTcpChecksum(tcpView, ipv4PseudoSum(bytes, IPV4_SRC, IPV4_DST, TCP_PROTOCOL, end - start), issues);
}

function decodeIpv6(bytes: Uint8Array, decoded: DecodedPacket): void {
  const issues = decoded.issues;
  const view = Ipv6View.check(bytes);
  if (!(view instanceof Ipv6View)) {
    issues.push(view);
    return;
  }
  const ip = parseIpv6(view, issues);
  decoded.ip = ip;
  const end = view.packetEnd;
  // Extension headers are not walked: a packet whose next header is not TCP is "other".
  if (ip.nextHeader !== TCP_PROTOCOL) {
    decoded.other = { protocol: ip.nextHeader, length: end - IPV6_HEADER };
    return;
  }
  const tcpView = TcpView.check(bytes, IPV6_HEADER, end);
  if (!(tcpView instanceof TcpView)) {
    issues.push(tcpView);
    return;
  }
  decoded.tcp = parseTcp(tcpView, issues);
  decoded.tcpChecksum = verifyTcpChecksum(tcpView, ipv6PseudoSum(bytes, IPV6_SRC, IPV6_DST, TCP_PROTOCOL, end - IPV6_HEADER), issues);
}

/**
 * The bytes of a packet. Computed fields (IP header length, total or payload length, both
 * checksums, the TCP data offset) are filled in unless the repr sets them, and set ones are
 * written as they are, however wrong. Options go out exactly as listed, then zero padding.
 * Throws WireEncodeError, naming the field, for a value that does not fit its field.
 */
export function encodePacket(packet: Packet): Uint8Array {
  const ip = packet?.ip;
  const tcp = packet?.tcp;
  if (typeof ip !== 'object' || ip === null) throw new WireEncodeError('ip', 'the packet has no IP header');
  if (typeof tcp !== 'object' || tcp === null) throw new WireEncodeError('tcp', 'the packet has no TCP header');
  if (!Array.isArray(tcp.options)) throw new WireEncodeError('tcp.options', 'the options are not a list');
  if (!(tcp.payload instanceof Uint8Array)) throw new WireEncodeError('tcp.payload', 'the payload is not a byte array');
  const tcpHeader = tcpHeaderLength(checkTcpOptions(tcp.options));
  const segment = tcpHeader + tcp.payload.length;
  if (ip.version === 4) {
    if (!(ip.options instanceof Uint8Array)) throw new WireEncodeError('ip.options', 'the IP options are not a byte array');
    const ipHeader = ipv4HeaderLength(ip);
    const out = new Uint8Array(ipHeader + segment);
    emitIpv4(ip, out, ipHeader, segment);
    emitTcp(tcp, out, ipHeader, tcpHeader);
    if (tcp.checksum === undefined) {
      const sum = sumWords(out, ipHeader, out.length, ipv4PseudoSum(out, IPV4_SRC, IPV4_DST, TCP_PROTOCOL, segment));
      writeU16(out, ipHeader + TCP_CHECKSUM, checksumOf(sum));
    }
    return out;
  }
  if (ip.version === 6) {
    const out = new Uint8Array(IPV6_HEADER + segment);
    emitIpv6(ip, out, segment);
    emitTcp(tcp, out, IPV6_HEADER, tcpHeader);
    if (tcp.checksum === undefined) {
      const sum = sumWords(out, IPV6_HEADER, out.length, ipv6PseudoSum(out, IPV6_SRC, IPV6_DST, TCP_PROTOCOL, segment));
      writeU16(out, IPV6_HEADER + TCP_CHECKSUM, checksumOf(sum));
    }
    return out;
  }
  throw new WireEncodeError('ip.version', `${String((ip as { version: unknown }).version)} is neither 4 nor 6`);
}

/**
 * A Packet from untrusted input (JSON from a lesson file or a peer), checked against the
 * schema and against the limits the schema cannot express (option lengths). Throws
 * WireEncodeError naming the first offending field.
 */
export function parsePacket(input: unknown): Packet {
  const result = PacketSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new WireEncodeError(formatPath(issue.path), issue.message);
  }
  const packet = result.data;
  checkTcpOptions(packet.tcp.options);
  if (packet.ip.version === 4) ipv4HeaderLength(packet.ip);
  return packet;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? 'packet' : text;
}

