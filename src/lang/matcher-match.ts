import type { DecodedPacket, IpRepr, Packet } from '../wire/packet.js';
import type { TcpRepr } from '../wire/tcp.js';
import { resolveAddress } from './address.js';
import { formatDataLiteral } from './data-literal.js';
import type { Resolver } from './expression.js';
import { ALL_FLAGS_MASK, formatFlags } from './flags.js';
import { numericRuleOf, type Matcher, type MatcherFieldName, type MatcherNumericField } from './matcher.js';
import {
  decimalAndHex,
  formatNumberPattern,
  numberMatches,
  resolveNumberPattern,
  type ResolvedNumber,
} from './matcher-number.js';
import { formatOptionPatterns, optionMismatches, optionsAsExpected } from './matcher-options-match.js';
import { resolveOptionPatterns, type ResolvedOptionPattern } from './matcher-options.js';
import { formatOptions } from './options.js';
import { SegmentSyntaxError } from './syntax-error.js';

/** A matcher field with its variables resolved: what a packet is tested against. */
export type ResolvedField =
  | { field: MatcherNumericField; kind: 'number'; pattern: ResolvedNumber }
  | { field: 'src' | 'dst'; kind: 'address'; address: string }
  | { field: 'flags'; kind: 'flags'; mask: number }
  | { field: 'opts'; kind: 'options'; options: ResolvedOptionPattern[] }
  | { field: 'opts'; kind: 'no-options' }
  | { field: 'data'; kind: 'data'; bytes: Uint8Array<ArrayBuffer> }
  | { field: MatcherFieldName; kind: 'any' };

export interface ResolvedMatcher {
  fields: ResolvedField[];
}

/** How one field of a packet compares with what was asked. */
export interface FieldResult {
  field: MatcherFieldName;
  ok: boolean;
  /** What was asked, values resolved: "1001 (0x3e9)", "SA", "mss:*,ts:*". */
  expected: string;
  /** What the packet holds, written the same way. */
  actual: string;
  /** Numeric fields asked for one value: both numbers, so feedback can relate them to an ISN. */
  expectedValue?: number;
  actualValue?: number;
  /** For options: what is missing or different, one phrase each. */
  problems?: string[];
}

/**
 * Resolve every variable now, so a matcher that waits (recv) tests every packet against the
 * values as they were when the command ran. Throws SegmentSyntaxError at the variable.
 */
export function resolveMatcher(matcher: Matcher, resolve: Resolver): ResolvedMatcher {
  const fields = matcher.fields.map((field): ResolvedField => {
    switch (field.kind) {
      case 'number':
        return { field: field.field, kind: 'number', pattern: resolveNumberPattern(field.pattern, numericRuleOf(field.field), resolve) };
      case 'address':
        return { field: field.field, kind: 'address', address: resolveAddress(field.value, resolve).address };
      case 'flags':
        return { field: 'flags', kind: 'flags', mask: resolveFlagsValue(field.value, resolve) };
      case 'options':
        return { field: 'opts', kind: 'options', options: resolveOptionPatterns(field.options, resolve) };
      case 'no-options':
        return { field: 'opts', kind: 'no-options' };
      case 'data':
        return { field: 'data', kind: 'data', bytes: field.value.bytes };
      case 'any':
        return { field: field.field, kind: 'any' };
    }
  });
  return { fields };
}

function resolveFlagsValue(value: Extract<Matcher['fields'][number], { kind: 'flags' }>['value'], resolve: Resolver): number {
  if (value.kind === 'flags') return value.mask;
  const { ref } = value;
  const resolved = resolve(ref);
  if (resolved === undefined) throw new SegmentSyntaxError(`unknown variable ${ref.text}`, ref.span);
  if (typeof resolved !== 'number' || !Number.isInteger(resolved) || resolved < 0 || resolved > ALL_FLAGS_MASK) {
    throw new SegmentSyntaxError(`expected flags but ${ref.text} is ${JSON.stringify(resolved)}`, ref.span);
  }
  return resolved;
}

/** Every field of the matcher tested against the packet, in the order they were written. */
export function matchPacket(matcher: ResolvedMatcher, packet: DecodedPacket): FieldResult[] {
  return matcher.fields.map((field) => matchField(field, packet));
}

export function allMatch(results: readonly FieldResult[]): boolean {
  return results.every((result) => result.ok);
}

/** The numeric value of a field in a packet, or why there is none. */
export function numericFieldOf(name: MatcherNumericField, packet: DecodedPacket): number | string {
  const { ip, tcp } = packet;
  switch (name) {
    case 'ttl':
      return ip === null ? 'no IP header' : ip.version === 4 ? ip.ttl : ip.hopLimit;
    case 'tos':
      return ip === null ? 'no IP header' : ip.version === 4 ? ip.tos : ip.trafficClass;
    case 'id':
      return ip === null ? 'no IP header' : ip.version === 4 ? ip.id : 'none: IPv6 has no id';
    case 'df':
      return ip === null ? 'no IP header' : ip.version === 4 ? (ip.df ? 1 : 0) : 'none: IPv6 has no df';
  }
  if (tcp === null) return 'no TCP header';
  switch (name) {
    case 'sport':
      return tcp.sport;
    case 'dport':
      return tcp.dport;
    case 'seq':
      return tcp.seq;
    case 'ack':
      return tcp.ack;
    case 'win':
      return tcp.window;
    case 'urp':
      return tcp.urgent;
    case 'chksum':
      return tcp.checksum ?? 'none';
    case 'len':
      return tcp.payload.length;
  }
}

function matchField(field: ResolvedField, packet: DecodedPacket): FieldResult {
  const { ip, tcp } = packet;
  switch (field.kind) {
    case 'number': {
      const actual = numericFieldOf(field.field, packet);
      const expected = formatNumberPattern(field.pattern);
      if (typeof actual === 'string') return { field: field.field, ok: field.pattern.kind === 'any', expected, actual };
      const result: FieldResult = { field: field.field, ok: numberMatches(field.pattern, actual), expected, actual: decimalAndHex(actual), actualValue: actual };
      if (field.pattern.kind === 'equals') result.expectedValue = field.pattern.value;
      return result;
    }
    case 'address': {
      const actual = ip === null ? 'no IP header' : field.field === 'src' ? ip.src : ip.dst;
      return { field: field.field, ok: actual === field.address, expected: field.address, actual };
    }
    case 'flags': {
      const expected = formatFlags(field.mask);
      if (tcp === null) return { field: 'flags', ok: false, expected, actual: 'no TCP header' };
      return { field: 'flags', ok: tcp.flags === field.mask, expected, actual: formatFlags(tcp.flags) };
    }
    case 'options': {
      const expected = formatOptionPatterns(field.options);
      if (tcp === null) return { field: 'opts', ok: false, expected, actual: 'no TCP header' };
      const problems = optionMismatches(field.options, tcp.options);
      return { field: 'opts', ok: problems.length === 0, expected, actual: optionsText(tcp), ...(problems.length > 0 ? { problems } : {}) };
    }
    case 'no-options': {
      if (tcp === null) return { field: 'opts', ok: false, expected: '-', actual: 'no TCP header' };
      return { field: 'opts', ok: tcp.options.length === 0, expected: '-', actual: optionsText(tcp) };
    }
    case 'data': {
      const expected = dataText(field.bytes);
      if (tcp === null) return { field: 'data', ok: false, expected, actual: 'no TCP header' };
      return { field: 'data', ok: sameBytes(tcp.payload, field.bytes), expected, actual: dataText(tcp.payload) };
    }
    case 'any':
      return { field: field.field, ok: true, expected: '*', actual: anyText(field.field, packet) };
  }
}

function anyText(name: MatcherFieldName, packet: DecodedPacket): string {
  const { ip, tcp } = packet;
  switch (name) {
    case 'src':
    case 'dst':
      return ip === null ? 'no IP header' : ip[name];
    case 'flags':
      return tcp === null ? 'no TCP header' : formatFlags(tcp.flags);
    case 'opts':
      return tcp === null ? 'no TCP header' : optionsText(tcp);
    case 'data':
      return tcp === null ? 'no TCP header' : dataText(tcp.payload);
    default: {
      const value = numericFieldOf(name, packet);
      return typeof value === 'string' ? value : decimalAndHex(value);
    }
  }
}

function optionsText(tcp: TcpRepr): string {
  return tcp.options.length === 0 ? '-' : formatOptions(tcp.options);
}

function dataText(bytes: Uint8Array): string {
  return `${formatDataLiteral(bytes)} (${bytes.length} ${bytes.length === 1 ? 'byte' : 'bytes'})`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The matcher as a `field=value` list again, values resolved: for summaries. */
export function describeMatcher(matcher: ResolvedMatcher): string {
  return matcher.fields.map(describeField).join(' ');
}

function describeField(field: ResolvedField): string {
  switch (field.kind) {
    case 'number': {
      const pattern = field.pattern;
      const value = pattern.kind === 'any' ? '*' : pattern.kind === 'equals' ? String(pattern.value) : `${pattern.low}..${pattern.high}`;
      return `${field.field}=${value}`;
    }
    case 'address':
      return `${field.field}=${field.address}`;
    case 'flags':
      return `flags=${formatFlags(field.mask)}`;
    case 'options':
      return `opts=${formatOptionPatterns(field.options)}`;
    case 'no-options':
      return 'opts=-';
    case 'data':
      return `data=${formatDataLiteral(field.bytes)}`;
    case 'any':
      return `${field.field}=*`;
  }
}

/**
 * The packet the matcher describes, as close to `actual` as it allows: every pinned value
 * put in, everything left free kept as it arrived. Shown beside the actual packet when a
 * check fails, the way packetdrill shows its script packet. Computed fields are left for the
 * encoder, except a checksum the matcher pins.
 */
export function expectedPacket(matcher: ResolvedMatcher, actual: Packet): Packet {
  const ip = withoutComputedIp(actual.ip);
  const { checksum: _checksum, dataOffset: _dataOffset, ...tcpRest } = actual.tcp;
  const tcp: TcpRepr = { ...tcpRest, options: [...actual.tcp.options] };
  const pin = (pattern: ResolvedNumber, current: number): number => {
    if (pattern.kind === 'equals') return pattern.value;
    if (pattern.kind === 'range' && !numberMatches(pattern, current)) return pattern.low;
    return current;
  };
  let pinnedLength: number | null = null;
  for (const field of matcher.fields) {
    switch (field.kind) {
      case 'number':
        switch (field.field) {
          case 'ttl':
            if (ip.version === 4) ip.ttl = pin(field.pattern, ip.ttl);
            else ip.hopLimit = pin(field.pattern, ip.hopLimit);
            break;
          case 'tos':
            if (ip.version === 4) ip.tos = pin(field.pattern, ip.tos);
            else ip.trafficClass = pin(field.pattern, ip.trafficClass);
            break;
          case 'id':
            if (ip.version === 4) ip.id = pin(field.pattern, ip.id);
            break;
          case 'df':
            if (ip.version === 4) ip.df = pin(field.pattern, ip.df ? 1 : 0) === 1;
            break;
          case 'sport':
          case 'dport':
          case 'seq':
          case 'ack':
            tcp[field.field] = pin(field.pattern, tcp[field.field]);
            break;
          case 'win':
            tcp.window = pin(field.pattern, tcp.window);
            break;
          case 'urp':
            tcp.urgent = pin(field.pattern, tcp.urgent);
            break;
          case 'chksum':
            if (field.pattern.kind !== 'any') tcp.checksum = pin(field.pattern, actual.tcp.checksum ?? 0);
            break;
          case 'len':
            pinnedLength = pin(field.pattern, tcp.payload.length);
            break;
        }
        break;
      case 'address':
        if (ip.version === 4 && !field.address.includes(':')) ip[field.field] = field.address;
        if (ip.version === 6 && field.address.includes(':')) ip[field.field] = field.address;
        break;
      case 'flags':
        tcp.flags = field.mask;
        break;
      case 'options':
        tcp.options = optionsAsExpected(field.options, tcp.options);
        break;
      case 'no-options':
        tcp.options = [];
        break;
      case 'data':
        tcp.payload = field.bytes;
        break;
      case 'any':
        break;
    }
  }
  const hasData = matcher.fields.some((field) => field.kind === 'data');
  if (pinnedLength !== null && !hasData && pinnedLength !== tcp.payload.length) {
    const payload = new Uint8Array(pinnedLength);
    payload.set(tcp.payload.subarray(0, pinnedLength));
    tcp.payload = payload;
  }
  return { ip, tcp };
}

/** A header as the language would build it: lengths and checksums left for the encoder. */
export function withoutComputedIp(ip: IpRepr): IpRepr {
  if (ip.version === 4) {
    const { ihl: _ihl, totalLength: _totalLength, checksum: _checksum, ...rest } = ip;
    return { ...rest };
  }
  const { payloadLength: _payloadLength, ...rest } = ip;
  return { ...rest };
}
