import type { DecodedPacket } from '../wire/packet.js';
import { FLAG_NAMES, TcpFlag } from '../wire/tcp-flags.js';
import type { TcpOption } from '../wire/tcp-options.js';

/** The classic eight; AE is reported apart, as `tcp.ae`, so the documented array keeps its names. */
const JSON_FLAG_NAMES = FLAG_NAMES.filter((name) => name !== 'AE');

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function optionJson(option: TcpOption): Record<string, unknown> {
  switch (option.kind) {
    case 'unknown': {
      // A length byte that disagrees with the data (or is missing) is what makes it malformed: keep it.
      const json: Record<string, unknown> = { kind: 'unknown', type: option.type, dataHex: hex(option.data) };
      if (option.length !== undefined) json.length = option.length;
      return json;
    }
    case 'sack':
      return { kind: 'sack', blocks: option.blocks.map(([left, right]) => [left, right]) };
    default:
      return { ...option };
  }
}

/**
 * The documented one-object-per-packet JSON of `tcplab decode --json` (and `encode --json`):
 * stable field names for scripts and graders, independent of the internal representation.
 */
export function packetJson(decoded: DecodedPacket, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { ip, tcp } = decoded;
  const errors = decoded.issues.filter((issue) => issue.severity === 'error');
  if (!ip) {
    return { ...extra, error: errors[0]?.message ?? 'not an IP packet', issues: decoded.issues, length: decoded.bytes.length };
  }
  const ipJson =
    ip.version === 4
      ? {
          version: 4,
          src: ip.src,
          dst: ip.dst,
          ttl: ip.ttl,
          id: ip.id,
          tos: ip.tos,
          df: ip.df,
          mf: ip.mf,
          fragOffset: ip.fragOffset,
          protocol: ip.protocol,
          headerLength: (ip.ihl ?? 5) * 4,
          totalLength: ip.totalLength ?? null,
          checksum: ip.checksum ?? null,
          checksumOk: decoded.ipChecksum !== 'bad',
          optionsHex: hex(ip.options),
        }
      : {
          version: 6,
          src: ip.src,
          dst: ip.dst,
          ttl: ip.hopLimit,
          hopLimit: ip.hopLimit,
          trafficClass: ip.trafficClass,
          flowLabel: ip.flowLabel,
          protocol: ip.nextHeader,
          payloadLength: ip.payloadLength ?? null,
        };
  const tcpJson = tcp
    ? {
        sport: tcp.sport,
        dport: tcp.dport,
        seq: tcp.seq,
        ack: tcp.ack,
        flags: JSON_FLAG_NAMES.filter((name) => (tcp.flags & TcpFlag[name]) !== 0),
        ae: (tcp.flags & TcpFlag.AE) !== 0,
        window: tcp.window,
        urgent: tcp.urgent,
        headerLength: (tcp.dataOffset ?? 5) * 4,
        checksum: tcp.checksum ?? null,
        // Loopback's offloaded checksum is what Linux really sends, so it is not a fault.
        checksumOk: decoded.tcpChecksum !== 'bad',
        checksumStatus: decoded.tcpChecksum,
        payloadLength: tcp.payload.length,
        payloadHex: hex(tcp.payload),
        options: tcp.options.map(optionJson),
      }
    : null;
  const result: Record<string, unknown> = { ...extra, ip: ipJson, tcp: tcpJson };
  if (decoded.other) result.other = decoded.other;
  if (decoded.issues.length > 0) result.issues = decoded.issues;
  if (errors.length > 0 && !tcp) result.error = errors[0]!.message;
  return result;
}
