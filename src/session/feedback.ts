// Turns a matcher's per-field results into what a learner reads: each failing seq and ack
// related to the ISN it counts from, and both packets (the one the check describes and the
// one that came) in the segment language and as one-liners, as packetdrill shows a script
// packet beside the actual one.

import { formatSegment } from '../lang/format-segment.js';
import type { SegmentDefaults } from '../lang/defaults.js';
import { expectedPacket, type FieldResult, type ResolvedMatcher } from '../lang/matcher-match.js';
import type { Direction } from '../net/network.js';
import { decodePacket, encodePacket, WireEncodeError, type DecodedPacket, type Packet } from '../wire/packet.js';
import { renderOneLine } from '../wire/render/index.js';
import type { ConnectionView } from './connection.js';
import type { FieldFeedback, PacketText } from './log-entry.js';

const MOD = 2 ** 32;

/** "your ISN + 1", "their ISN - 3": a sequence number as a distance from an ISN. */
export function relativeToIsn(value: number, isn: number, whose: 'your' | 'their'): string {
  const distance = (((value - isn) % MOD) + MOD) % MOD;
  return distance <= MOD / 2 ? `${whose} ISN + ${distance}` : `${whose} ISN - ${MOD - distance}`;
}

/**
 * The results with notes where an ISN helps read a wrong seq or ack. In a packet from the
 * peer, seq counts from their ISN and ack from the learner's; the other way round for the
 * learner's own packets.
 */
export function withIsnNotes(results: readonly FieldResult[], dir: Direction, connection: ConnectionView): FieldFeedback[] {
  return results.map((result) => {
    if (result.ok || (result.field !== 'seq' && result.field !== 'ack')) return { ...result };
    const fromPeer = (dir === 'in') === (result.field === 'seq');
    const isn = fromPeer ? connection.peerIsn : connection.isn;
    if (isn === null) return { ...result };
    const whose = fromPeer ? 'their' : 'your';
    const feedback: FieldFeedback = { ...result };
    if (result.expectedValue !== undefined) feedback.expectedNote = relativeToIsn(result.expectedValue, isn, whose);
    if (result.actualValue !== undefined) feedback.actualNote = relativeToIsn(result.actualValue, isn, whose);
    return feedback;
  });
}

/** A packet as segment text (fields equal to `defaults` left out) and as tcpdump's one-liner. */
export function packetText(packet: DecodedPacket, defaults: SegmentDefaults): PacketText {
  const line = renderOneLine(packet);
  if (packet.ip === null || packet.tcp === null) return { segment: '(not a TCP packet)', line };
  return { segment: formatSegment(asWritten({ ip: packet.ip, tcp: packet.tcp }), { defaults }), line };
}

/** The packet the matcher describes, built from the actual one; null if it cannot be encoded. */
export function expectedPacketText(matcher: ResolvedMatcher, actual: DecodedPacket, defaults: SegmentDefaults): PacketText | null {
  if (actual.ip === null || actual.tcp === null) return null;
  const packet = expectedPacket(matcher, { ip: actual.ip, tcp: actual.tcp });
  try {
    const decoded = decodePacket(encodePacket(packet));
    return { segment: formatSegment(packet, { defaults }), line: renderOneLine(decoded) };
  } catch (error) {
    if (error instanceof WireEncodeError) return null;
    throw error;
  }
}

/** A decoded packet as a learner would write it: no checksum, which the decoder always fills in. */
function asWritten(packet: Packet): Packet {
  const { checksum: _checksum, dataOffset: _dataOffset, ...tcp } = packet.tcp;
  return { ip: packet.ip, tcp };
}
