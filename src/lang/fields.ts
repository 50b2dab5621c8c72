import type { NumericRule } from './expression.js';

export type SegmentFieldName =
  | 'src'
  | 'dst'
  | 'ttl'
  | 'id'
  | 'tos'
  | 'df'
  | 'sport'
  | 'dport'
  | 'seq'
  | 'ack'
  | 'flags'
  | 'win'
  | 'urp'
  | 'opts'
  | 'data'
  | 'chksum';

export interface SegmentFieldInfo {
  name: SegmentFieldName;
  layer: 'ip' | 'tcp';
  description: string;
  example: string;
}

/** Every field of `tcp ...`, in the order the canonical text writes them; for help and completion. */
export const SEGMENT_FIELDS: ReadonlyArray<SegmentFieldInfo> = [
  { name: 'src', layer: 'ip', description: 'source address, IPv4 or IPv6', example: 'src=10.0.0.1' },
  { name: 'dst', layer: 'ip', description: 'destination address, IPv4 or IPv6', example: 'dst=$server.addr' },
  { name: 'ttl', layer: 'ip', description: 'time to live (hop limit for IPv6), 0..255', example: 'ttl=64' },
  { name: 'id', layer: 'ip', description: 'IPv4 identification, 0..65535', example: 'id=1' },
  { name: 'tos', layer: 'ip', description: 'type of service (traffic class for IPv6), 0..255', example: 'tos=0x10' },
  { name: 'df', layer: 'ip', description: "IPv4 don't-fragment bit, 0 or 1", example: 'df=1' },
  { name: 'sport', layer: 'tcp', description: 'source port, 0..65535', example: 'sport=40000' },
  { name: 'dport', layer: 'tcp', description: 'destination port, 0..65535', example: 'dport=$server.port' },
  { name: 'seq', layer: 'tcp', description: 'sequence number, wraps modulo 2^32', example: 'seq=$tx.seq+$tx.len' },
  { name: 'ack', layer: 'tcp', description: 'acknowledgment number, wraps modulo 2^32', example: 'ack=$rx.seq+1' },
  { name: 'flags', layer: 'tcp', description: 'letters from FSRPAUEC, or names like SYN|ACK; 0 for none', example: 'flags=SA' },
  { name: 'win', layer: 'tcp', description: 'receive window, 0..65535', example: 'win=64240' },
  { name: 'urp', layer: 'tcp', description: 'urgent pointer, 0..65535', example: 'urp=0' },
  { name: 'opts', layer: 'tcp', description: 'options, comma-separated, sent as written', example: 'opts=mss:1460,sackok,wscale:7' },
  { name: 'data', layer: 'tcp', description: 'payload: a quoted string or 0x hex', example: 'data="hello\\r\\n"' },
  { name: 'chksum', layer: 'tcp', description: 'TCP checksum, 0..65535; computed when absent', example: 'chksum=0xdead' },
];

export const SEGMENT_FIELD_NAMES: readonly SegmentFieldName[] = SEGMENT_FIELDS.map((field) => field.name);

/** The fields whose value is a number expression, and how each takes its value. */
export const NUMERIC_FIELD_RULES = {
  ttl: { label: 'ttl', max: 0xff, wrap: false },
  id: { label: 'id', max: 0xffff, wrap: false },
  tos: { label: 'tos', max: 0xff, wrap: false },
  df: { label: 'df', max: 1, wrap: false },
  sport: { label: 'sport', max: 0xffff, wrap: false },
  dport: { label: 'dport', max: 0xffff, wrap: false },
  seq: { label: 'seq', max: 0xffffffff, wrap: true },
  ack: { label: 'ack', max: 0xffffffff, wrap: true },
  win: { label: 'win', max: 0xffff, wrap: false },
  urp: { label: 'urp', max: 0xffff, wrap: false },
  chksum: { label: 'chksum', max: 0xffff, wrap: false },
} as const satisfies Partial<Record<SegmentFieldName, NumericRule>>;

export type NumericFieldName = keyof typeof NUMERIC_FIELD_RULES;

export function isNumericField(name: SegmentFieldName): name is NumericFieldName {
  return name in NUMERIC_FIELD_RULES;
}
