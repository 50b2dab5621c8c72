/**
 * From a captured frame to the IP packet it carries, for the link types a TCP capture is
 * likely to come in. Numbers are LINKTYPE_* values as they appear in pcap and pcapng files.
 */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const LINK_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [LinkType.NULL, 'BSD loopback (NULL)'],
  [LinkType.ETHERNET, 'Ethernet'],
  [LinkType.RAW, 'raw IP'],
  [LinkType.LOOP, 'OpenBSD loopback (LOOP)'],
  [LinkType.LINUX_SLL, 'Linux cooked v1 (SLL)'],
  [LinkType.IPV4, 'raw IPv4'],
  [LinkType.IPV6, 'raw IPv6'],
  [LinkType.LINUX_SLL2, 'Linux cooked v2 (SLL2)'],
]);

export function linkTypeName(linkType: number): string {
  return LINK_TYPE_NAMES.get(linkType) ?? `link type ${linkType}`;
}

/** The IP packet inside a frame, or why there is none; issue also notes what was odd. */
export interface LinkPayload {
  ip: Uint8Array | null;
  issue: string | null;
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q, 802.1ad, and the pre-standard QinQ tag Linux also recognises. */
const VLAN_ETHERTYPES = new Set([0x8100, 0x88a8, 0x9100]);

/** Address families that mean IPv6 in a NULL/LOOP header: Linux, NetBSD/OpenBSD, FreeBSD, macOS. */
const AF_INET = 2;
const AF_INET6 = new Set([10, 24, 28, 30]);

export function ipFromLinkFrame(linkType: number, frame: Uint8Array): LinkPayload {
  switch (linkType) {
    case LinkType.RAW:
      return rawIp(frame, null);
    case LinkType.IPV4:
      return rawIp(frame, 4);
    case LinkType.IPV6:
      return rawIp(frame, 6);
    case LinkType.ETHERNET:
      return ethernet(frame);
    case LinkType.LINUX_SLL:
      return cooked(frame, 16, 14, 'Linux cooked (SLL)');
    case LinkType.LINUX_SLL2:
      return cooked(frame, 20, 0, 'Linux cooked v2 (SLL2)');
    case LinkType.NULL:
      return loopback(frame, 'host');
    case LinkType.LOOP:
      return loopback(frame, 'network');
    default:
      return { ip: null, issue: `link type ${linkType} is not one tcplab reads` };
  }
}

function rawIp(frame: Uint8Array, expected: 4 | 6 | null): LinkPayload {
  if (frame.length === 0) return { ip: null, issue: 'frame is empty' };
  const version = frame[0]! >> 4;
  if (expected !== null && version !== expected) {
    return { ip: null, issue: `raw IPv${expected} frame starts with IP version ${version}` };
  }
  if (version !== 4 && version !== 6) {
    return { ip: null, issue: `raw IP frame starts with IP version ${version}, not 4 or 6` };
  }
  return trimmedToIpLength(frame, 'report');
}

function ethernet(frame: Uint8Array): LinkPayload {
  if (frame.length < 14) {
    return { ip: null, issue: `Ethernet frame of ${frame.length} bytes is shorter than its 14-byte header` };
  }
  const type = readU16(frame, 12);
  if (type <= 1500) {
    return { ip: null, issue: `802.3 frame (length field ${type}) is not Ethernet II, so not IP` };
  }
  return byEthertype(frame, 14, type, 'Ethernet type');
}

/**
 * SLL keeps the protocol at byte 14 of its 16-byte header, SLL2 at byte 0 of its 20-byte one;
 * both use Ethernet's numbers for it.
 */
function cooked(frame: Uint8Array, headerLength: number, protocolAt: number, name: string): LinkPayload {
  if (frame.length < headerLength) {
    return { ip: null, issue: `${name} frame of ${frame.length} bytes is shorter than its ${headerLength}-byte header` };
  }
  return byEthertype(frame, headerLength, readU16(frame, protocolAt), `${name} protocol`);
}

/** Follows VLAN tags, however many are stacked, to the protocol they wrap. */
function byEthertype(frame: Uint8Array, start: number, type: number, what: string): LinkPayload {
  let at = start;
  let ethertype = type;
  while (VLAN_ETHERTYPES.has(ethertype)) {
    if (frame.length < at + 4) {
      return { ip: null, issue: `VLAN tag at byte ${at} is cut off: the frame ends at byte ${frame.length}` };
    }
    ethertype = readU16(frame, at + 2);
    at += 4;
  }
  if (ethertype !== ETHERTYPE_IPV4 && ethertype !== ETHERTYPE_IPV6) {
    return { ip: null, issue: `${what} ${hex16(ethertype)} is not IP` };
  }
  const ip = frame.subarray(at);
  const version = ip.length > 0 ? ip[0]! >> 4 : null;
  const expected = ethertype === ETHERTYPE_IPV4 ? 4 : 6;
  if (version !== expected) {
    const found = version === null ? 'nothing' : `IP version ${version}`;
    return { ip: null, issue: `${what} ${hex16(ethertype)} announces IPv${expected} but byte ${at} holds ${found}` };
  }
  // Ethernet pads short frames to 60 bytes and may keep the FCS: neither is worth a word.
  return trimmedToIpLength(ip, 'silent');
}

/**
 * NULL stores the address family in the capturing host's byte order, which need not be the
 * file's; a family never reaches 2^16, so a value with only high bytes set is byte-swapped.
 */
function loopback(frame: Uint8Array, order: 'host' | 'network'): LinkPayload {
  if (frame.length < 4) {
    return { ip: null, issue: `loopback frame of ${frame.length} bytes is shorter than its 4-byte header` };
  }
  const view = new DataView(frame.buffer, frame.byteOffset, 4);
  let family = view.getUint32(0, order === 'host');
  if (order === 'host' && (family & 0xffff) === 0) family = view.getUint32(0, false);
  const expected = family === AF_INET ? 4 : AF_INET6.has(family) ? 6 : null;
  if (expected === null) return { ip: null, issue: `loopback address family ${family} is not IP` };
  const payload = rawIp(frame.subarray(4), expected);
  if (payload.issue !== null && payload.ip === null) {
    return { ip: null, issue: `loopback address family ${family}: ${payload.issue}` };
  }
  return payload;
}

/**
 * Cuts the bytes after the IP packet's own length away, and says when the frame holds fewer
 * bytes than the IP header claims (a snapped capture, or a damaged one).
 */
function trimmedToIpLength(ip: Uint8Array, trailing: 'report' | 'silent'): LinkPayload {
  const claimed = claimedIpLength(ip);
  if (claimed === null) return { ip, issue: null };
  if (typeof claimed === 'string') return { ip, issue: claimed };
  if (claimed > ip.length) {
    return { ip, issue: `IP packet says it is ${claimed} bytes but the frame holds only ${ip.length} of them` };
  }
  if (claimed < ip.length && trailing === 'report') {
    const extra = ip.length - claimed;
    return { ip: ip.subarray(0, claimed), issue: `${extra} byte${extra === 1 ? '' : 's'} after the end of the IP packet were left out` };
  }
  return { ip: ip.subarray(0, claimed), issue: null };
}

/** The length the IP header claims; null when it cannot say, a message when it is nonsense. */
function claimedIpLength(ip: Uint8Array): number | string | null {
  if ((ip[0]! >> 4) === 4) {
    if (ip.length < 4) return null;
    const totalLength = readU16(ip, 2);
    const headerLength = (ip[0]! & 0x0f) * 4;
    if (totalLength < 20 || totalLength < headerLength) {
      return `IPv4 total length ${totalLength} is shorter than its header; kept all ${ip.length} bytes`;
    }
    return totalLength;
  }
  if (ip.length < 7) return null;
  const payloadLength = readU16(ip, 4);
  // A zero payload length with a Hop-by-Hop header next may be a jumbogram, whose length is
  // in that header: keep every byte rather than guess.
  if (payloadLength === 0 && ip[6] === 0) return null;
  return 40 + payloadLength;
}

function readU16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}
