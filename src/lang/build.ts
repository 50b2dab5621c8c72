import type { IpRepr, Packet } from '../wire/packet.js';
import { TCP_MIN_HEADER, TCP_PROTOCOL } from '../wire/tcp.js';
import { IPV4_MIN_HEADER } from '../wire/ipv4.js';
import { resolveAddress, type ResolvedAddress } from './address.js';
import type { SegmentDefaults } from './defaults.js';
import { resolveNumber, type Resolver, type VariableRef } from './expression.js';
import { NUMERIC_FIELD_RULES, type NumericFieldName } from './fields.js';
import { ALL_FLAGS_MASK, type FlagsValue } from './flags.js';
import { checkIpv4Only, checkSameVersion } from './ip-version.js';
import { optionsLength, resolveOptions } from './options.js';
import type { SegmentSpec } from './segment-parser.js';
import { SegmentSyntaxError } from './syntax-error.js';

/** Where unset fields and variables get their values: a session, a lesson, or `tcplab encode`. */
export interface SegmentContext {
  defaults: SegmentDefaults;
  /** Undefined means "no such variable"; the error then names it and points at its '$'. */
  resolve(ref: VariableRef): number | string | undefined;
}

/** The IP length field is 16 bits: header and payload together. */
const MAX_IP_LENGTH = 0xffff;

/**
 * Turn a parsed line into a packet: variables resolved, unset fields from the defaults.
 * Computed fields (lengths, checksums) are left for the encoder, except a chksum the line
 * sets on purpose. Throws SegmentSyntaxError, pointing into the line.
 */
export function buildPacket(spec: SegmentSpec, context: SegmentContext): Packet {
  // Called through the context so a resolver written as a method keeps its `this`.
  const resolve: Resolver = (ref) => context.resolve(ref);
  const { fields } = spec;
  const { defaults } = context;

  const src = fields.src ? resolveAddress(fields.src.value, resolve) : null;
  const dst = fields.dst ? resolveAddress(fields.dst.value, resolve) : null;
  const versioned = (name: 'src' | 'dst', address: ResolvedAddress | null) =>
    address === null || fields[name] === undefined
      ? null
      : { name, version: address.version, span: fields[name].value.span };
  const srcVersion = versioned('src', src);
  const dstVersion = versioned('dst', dst);
  checkSameVersion(srcVersion, dstVersion);
  const decidedBy = srcVersion ?? dstVersion;
  const version = decidedBy?.version ?? defaults.version;

  const number = (name: NumericFieldName, fallback: number): number => {
    const field = fields[name];
    return field === undefined ? fallback : resolveNumber(field.value, NUMERIC_FIELD_RULES[name], resolve);
  };

  const ttl = number('ttl', defaults.ttl);
  const tos = number('tos', defaults.tos);
  let ip: IpRepr;
  if (version === 4) {
    ip = {
      version: 4,
      src: src?.address ?? defaults.ipv4.src,
      dst: dst?.address ?? defaults.ipv4.dst,
      tos,
      id: number('id', defaults.id),
      df: fields.df === undefined ? defaults.df : number('df', 0) === 1,
      mf: false,
      fragOffset: 0,
      ttl,
      protocol: TCP_PROTOCOL,
      options: new Uint8Array(0),
    };
  } else {
    const because = decidedBy
      ? `of ${decidedBy.name} at column ${decidedBy.span.column}`
      : 'the defaults for this line are IPv6';
    checkIpv4Only(
      [
        fields.id ? { name: 'id', span: fields.id.nameSpan } : null,
        fields.df ? { name: 'df', span: fields.df.nameSpan } : null,
      ],
      because,
    );
    ip = {
      version: 6,
      src: src?.address ?? defaults.ipv6.src,
      dst: dst?.address ?? defaults.ipv6.dst,
      trafficClass: tos,
      flowLabel: 0,
      hopLimit: ttl,
      nextHeader: TCP_PROTOCOL,
    };
  }

  const options = fields.opts ? resolveOptions(fields.opts.value, resolve) : [];
  // A copy, so a packet handed on (and perhaps changed) never reaches back into the spec,
  // which the REPL may build again.
  const payload = fields.data ? fields.data.value.bytes.slice() : new Uint8Array(0);
  const tcp: Packet['tcp'] = {
    sport: number('sport', defaults.sport),
    dport: number('dport', defaults.dport),
    seq: number('seq', defaults.seq),
    ack: number('ack', defaults.ack),
    flags: fields.flags ? resolveFlags(fields.flags.value, resolve) : defaults.flags,
    window: number('win', defaults.win),
    urgent: number('urp', defaults.urp),
    options,
    payload,
  };
  if (fields.chksum !== undefined) tcp.checksum = number('chksum', 0);

  checkPayloadFits(spec, version, payload.length);
  return { ip, tcp };
}

function resolveFlags(value: FlagsValue, resolve: Resolver): number {
  if (value.kind === 'flags') return value.mask;
  const { ref } = value;
  const resolved = resolve(ref);
  if (resolved === undefined) throw new SegmentSyntaxError(`unknown variable ${ref.text}`, ref.span);
  if (typeof resolved !== 'number' || !Number.isInteger(resolved) || resolved < 0 || resolved > ALL_FLAGS_MASK) {
    throw new SegmentSyntaxError(`expected flags but ${ref.text} is ${JSON.stringify(resolved)}`, ref.span);
  }
  return resolved;
}

function checkPayloadFits(spec: SegmentSpec, version: 4 | 6, length: number): void {
  const data = spec.fields.data;
  if (data === undefined) return;
  const optionBytes = optionsLength(spec.fields.opts?.value ?? []);
  const ipHeader = version === 4 ? IPV4_MIN_HEADER : 0;
  const room = MAX_IP_LENGTH - ipHeader - TCP_MIN_HEADER - optionBytes;
  if (length > room) {
    throw new SegmentSyntaxError(
      `data is ${length} bytes, more than one IPv${version} packet can carry`,
      data.valueSpan,
      `at most ${room} bytes fit after the headers`,
    );
  }
}
