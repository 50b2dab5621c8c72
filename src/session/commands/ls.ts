import { formatDataLiteral } from '../../lang/data-literal.js';
import { ENCODE_DEFAULTS, type SegmentDefaults } from '../../lang/defaults.js';
import { SEGMENT_FIELDS, type SegmentFieldName } from '../../lang/fields.js';
import { formatFlags } from '../../lang/flags.js';
import { formatOptions } from '../../lang/options.js';
import { formatEndpoint } from '../../server/app-event.js';
import type { DecodedPacket } from '../../wire/packet.js';
import { CommandError, type SessionCommand } from '../command.js';
import type { Session } from '../session.js';
import { SESSION_VARIABLES } from '../variables.js';
import { atMost, wordsOf } from './arguments.js';

export const LS_TOPICS = ['ip', 'tcp', 'vars'] as const;

export const lsCommand: SessionCommand = {
  name: 'ls',
  description: 'list every field with its default and its value in this session, and the variables',
  usage: 'ls [ip|tcp|vars]',
  example: 'ls tcp',
  details: [
    '"default" is what a field takes outside a session (tcplab encode); "session" is what it',
    'takes here when you leave it out; "$tx" is its value in the last segment you sent.',
  ],
  arguments: ['ls-topic'],
  async run(args, session) {
    const words = wordsOf(args, this.usage);
    atMost(args, words, 1, this.usage);
    const topic = words[0]?.toLowerCase();
    if (topic !== undefined && !(LS_TOPICS as readonly string[]).includes(topic)) {
      throw new CommandError(`ls lists ${LS_TOPICS.join(', ')} or everything, not '${words[0]}'`, args.tokens[0]!.nameSpan);
    }
    const sections: string[] = [];
    if (topic === undefined || topic === 'ip' || topic === 'tcp') sections.push(fieldTable(session, topic));
    if (topic === undefined || topic === 'vars') sections.push(variableTable(session));
    session.append({ kind: 'text', topic: 'ls', title: topic === undefined ? 'fields and variables' : topic === 'vars' ? 'variables' : `${topic} fields`, text: sections.join('\n\n') });
    return 'ok';
  },
};

function fieldTable(session: Session, layer: 'ip' | 'tcp' | undefined): string {
  const here = session.segmentDefaults();
  const tx = session.sentAt(null)?.packet;
  const rows = SEGMENT_FIELDS.filter((field) => layer === undefined || field.layer === layer).map((field) => [
    field.name,
    defaultText(field.name, ENCODE_DEFAULTS, session.family),
    defaultText(field.name, here, session.family),
    tx === undefined ? '' : packetFieldText(field.name, tx),
    field.description,
  ]);
  return table(['field', 'default', 'session', '$tx', 'what it is'], rows);
}

function defaultText(name: SegmentFieldName, defaults: SegmentDefaults, family: 4 | 6): string {
  const addresses = family === 6 ? defaults.ipv6 : defaults.ipv4;
  switch (name) {
    case 'src':
    case 'dst':
      return addresses[name];
    case 'df':
      return family === 6 ? '-' : defaults.df ? '1' : '0';
    case 'id':
      return family === 6 ? '-' : String(defaults.id);
    case 'flags':
      return formatFlags(defaults.flags);
    case 'opts':
      return 'none';
    case 'data':
      return '""';
    case 'chksum':
      return 'computed';
    default:
      return String(defaults[name]);
  }
}

function packetFieldText(name: SegmentFieldName, packet: DecodedPacket): string {
  const { ip, tcp } = packet;
  if (ip === null || tcp === null) return '?';
  switch (name) {
    case 'src':
    case 'dst':
      return ip[name];
    case 'ttl':
      return String(ip.version === 4 ? ip.ttl : ip.hopLimit);
    case 'tos':
      return String(ip.version === 4 ? ip.tos : ip.trafficClass);
    case 'id':
      return ip.version === 4 ? String(ip.id) : '-';
    case 'df':
      return ip.version === 4 ? (ip.df ? '1' : '0') : '-';
    case 'flags':
      return formatFlags(tcp.flags);
    case 'win':
      return String(tcp.window);
    case 'urp':
      return String(tcp.urgent);
    case 'opts':
      return tcp.options.length === 0 ? 'none' : formatOptions(tcp.options);
    case 'data':
      return formatDataLiteral(tcp.payload);
    case 'chksum':
      return tcp.checksum === undefined ? '?' : `0x${tcp.checksum.toString(16).padStart(4, '0')}`;
    default:
      return String(tcp[name]);
  }
}

function variableTable(session: Session): string {
  const packetValue = (packet: DecodedPacket | undefined, index: number | null | undefined): string => {
    if (packet?.tcp == null) return '(none yet)';
    const { seq, ack, payload, flags } = packet.tcp;
    return `${index != null ? `#${index} ` : ''}flags=${formatFlags(flags)} seq=${seq} ack=${ack} len=${payload.length}`;
  };
  const rx = session.currentRx();
  const rx2 = session.rxAt(-2);
  const tx = session.sentAt(null);
  const tx2 = session.sentAt(-2);
  const peer = session.connection.peer;
  const count = session.packets.length;
  const values: Record<string, string> = {
    '$rx': packetValue(rx?.packet, rx?.index),
    '$tx': packetValue(tx?.packet, tx?.record?.index),
    '$rx[-2]': packetValue(rx2?.packet, rx2?.index),
    '$tx[-2]': packetValue(tx2?.packet, tx2?.record?.index),
    '$pkt[N]': count === 0 ? '(none yet)' : count === 1 ? 'N = 1' : `N = 1..${count}`,
    '$server': `${formatEndpoint(session.server)} (${session.serverBehaviour.name})`,
    '$me': formatEndpoint(session.me),
    '$peer': peer === null ? '(none yet)' : formatEndpoint(peer),
  };
  const rows = SESSION_VARIABLES.map((variable) => [variable.name, values[variable.name] ?? '', variable.description]);
  return table(['variable', 'now', 'what it is'], rows);
}

/** Columns padded to their widest cell; the last column is left as it is. */
function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd()).join('\n');
}
