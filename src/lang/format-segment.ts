import type { Packet } from '../wire/packet.js';
import { formatDataLiteral } from './data-literal.js';
import type { SegmentDefaults } from './defaults.js';
import { formatFlags } from './flags.js';
import { formatOptions } from './options.js';

export interface FormatSegmentOptions {
  /**
   * Leave out every field equal to these defaults, for a short echo. Parsing the result and
   * building it with the same defaults gives the packet back.
   */
  defaults?: SegmentDefaults;
}

/**
 * The canonical `tcp ...` text of a packet, fields in SEGMENT_FIELDS order. Parsing it gives
 * the same packet. Header fields the language has no name for (IP options, fragments, flow
 * label, reserved bits, lengths and the IP checksum) are not written.
 */
export function formatSegment(packet: Packet, options: FormatSegmentOptions = {}): string {
  const { ip, tcp } = packet;
  const defaults = options.defaults;
  const parts: string[] = ['tcp'];
  const field = (name: string, value: string | number, fallback?: string | number): void => {
    if (defaults !== undefined && value === fallback) return;
    parts.push(`${name}=${value}`);
  };

  const family = ip.version === 4 ? defaults?.ipv4 : defaults?.ipv6;
  const srcIsDefault = ip.src === family?.src;
  const dstIsDefault = ip.dst === family?.dst;
  // Without any address, a line takes the defaults' IP version; keep dst to say which it is.
  const versionImplied = defaults === undefined || defaults.version === ip.version;
  if (defaults === undefined || !srcIsDefault) parts.push(`src=${ip.src}`);
  if (defaults === undefined || !dstIsDefault || (!versionImplied && srcIsDefault)) parts.push(`dst=${ip.dst}`);

  if (ip.version === 4) {
    field('ttl', ip.ttl, defaults?.ttl);
    field('id', ip.id, defaults?.id);
    field('tos', ip.tos, defaults?.tos);
    field('df', ip.df ? 1 : 0, defaults === undefined ? undefined : defaults.df ? 1 : 0);
  } else {
    field('ttl', ip.hopLimit, defaults?.ttl);
    field('tos', ip.trafficClass, defaults?.tos);
  }

  field('sport', tcp.sport, defaults?.sport);
  field('dport', tcp.dport, defaults?.dport);
  field('seq', tcp.seq, defaults?.seq);
  field('ack', tcp.ack, defaults?.ack);
  field('flags', formatFlags(tcp.flags), defaults === undefined ? undefined : formatFlags(defaults.flags));
  field('win', tcp.window, defaults?.win);
  field('urp', tcp.urgent, defaults?.urp);
  if (tcp.options.length > 0) parts.push(`opts=${formatOptions(tcp.options)}`);
  if (tcp.payload.length > 0) parts.push(`data=${formatDataLiteral(tcp.payload)}`);
  if (tcp.checksum !== undefined) parts.push(`chksum=0x${tcp.checksum.toString(16).padStart(4, '0')}`);
  return parts.join(' ');
}
