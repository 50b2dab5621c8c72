import { readIpv4Address, readIpv6Address } from '../../wire/ip-address.js';
import type { PortRange } from '../lab/lab-protocol.js';

// The last check before a learner's packet reaches a raw socket on a lab daemon. The
// namespace already keeps every packet away from the host's networks (it has loopback and
// nothing else); this keeps learners who share a namespace away from each other. A packet
// passes only if
//
// - it is TCP straight after the IP header (no IPv6 extension headers, no IPv4 fragment),
//   so both ports can be read and the kernel sees the same ports the guard saw;
// - its source and destination are the lab's loopback addresses, 127.0.0.1 or ::1;
// - its source port is one of the learner's own, so it cannot pose as another learner or
//   as a bundled socket;
// - its destination port is not another learner's, so it cannot land in another learner's
//   view of the traffic.
//
// Everything else is refused with a reason the learner can act on.

export interface GuardRanges {
  /** The learner's own ports. */
  own: PortRange;
  /** Every learner's ports on this host, the learner's own among them. */
  pool: PortRange;
}

const TCP = 6;
export const LAB_ADDRESS4 = '127.0.0.1';
export const LAB_ADDRESS6 = '::1';

/** Null when the packet may go out; otherwise why it may not. */
export function packetRefusal(bytes: Uint8Array, ranges: GuardRanges): string | null {
  if (bytes.length === 0) return 'an empty packet cannot be sent';
  const version = bytes[0]! >> 4;
  if (version === 4) return ipv4Refusal(bytes, ranges);
  if (version === 6) return ipv6Refusal(bytes, ranges);
  return `ip.version is ${version}: only IPv4 (4) and IPv6 (6) packets can be sent`;
}

function ipv4Refusal(bytes: Uint8Array, ranges: GuardRanges): string | null {
  if (bytes.length < 20) return `an IPv4 packet needs at least its 20-byte header; this one has ${bytes.length} bytes`;
  const ihl = (bytes[0]! & 0x0f) * 4;
  if (ihl < 20) return `ip.ihl is ${ihl / 4}: an IPv4 header is at least 5 words (20 bytes)`;
  if (bytes[9] !== TCP) return `ip.proto is ${bytes[9]}: the remote lab carries TCP (6) only`;
  const moreFragments = (bytes[6]! & 0x20) !== 0;
  const offset = ((bytes[6]! & 0x1f) << 8) | bytes[7]!;
  if (moreFragments || offset !== 0) {
    return 'the remote lab does not send IP fragments: it could not check the ports of the pieces (clear MF and frag)';
  }
  if (bytes.length < ihl + 4) return `the TCP header is cut short: its ports need ${ihl + 4} bytes and the packet has ${bytes.length}`;
  return addressRefusal(readIpv4Address(bytes, 12), readIpv4Address(bytes, 16), LAB_ADDRESS4) ?? portRefusal(bytes, ihl, ranges);
}

function ipv6Refusal(bytes: Uint8Array, ranges: GuardRanges): string | null {
  if (bytes.length < 40) return `an IPv6 packet needs at least its 40-byte header; this one has ${bytes.length} bytes`;
  if (bytes[6] !== TCP) {
    return `ipv6.nh is ${bytes[6]}: the remote lab carries TCP (6) right after the IPv6 header only, without extension headers`;
  }
  if (bytes.length < 44) return `the TCP header is cut short: its ports need 44 bytes and the packet has ${bytes.length}`;
  return addressRefusal(readIpv6Address(bytes, 8), readIpv6Address(bytes, 24), LAB_ADDRESS6) ?? portRefusal(bytes, 40, ranges);
}

function addressRefusal(src: string, dst: string, lab: string): string | null {
  if (src !== lab) return `ip.src is ${src}: in the remote lab your address is ${lab}`;
  if (dst !== lab) return `ip.dst is ${dst}: the remote lab reaches only its own loopback, ${lab} (the server is there)`;
  return null;
}

function portRefusal(bytes: Uint8Array, at: number, { own, pool }: GuardRanges): string | null {
  const sport = (bytes[at]! << 8) | bytes[at + 1]!;
  const dport = (bytes[at + 2]! << 8) | bytes[at + 3]!;
  if (sport < own.first || sport > own.last) return `tcp.sport is ${sport}: your ports in this lab are ${own.first}-${own.last}`;
  const othersPort = dport >= pool.first && dport <= pool.last && (dport < own.first || dport > own.last);
  if (othersPort) return `tcp.dport is ${dport}: that port belongs to another learner's lab; yours are ${own.first}-${own.last}`;
  return null;
}

/** The same rule for the bundled client's target (learner as server): the learner's own address and port. */
export function connectRefusal(target: { addr: string; port: number }, own: PortRange): string | null {
  if (target.port < own.first || target.port > own.last) {
    return `the learner's port must be in ${own.first}-${own.last}: only there does the lab keep the kernel from resetting connections it does not know (got ${target.port})`;
  }
  if (target.addr !== LAB_ADDRESS4 && target.addr !== LAB_ADDRESS6) {
    return `the remote lab has only its loopback: connect to ${LAB_ADDRESS4} or ${LAB_ADDRESS6} (got ${target.addr})`;
  }
  return null;
}
