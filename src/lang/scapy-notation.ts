// Scapy's notation, for learners who come from it: `sr1(IP(dst="10.0.0.2")/TCP(dport=7,
// flags="S", seq=1000))` reads into the same SegmentSpec a `tcp` line gives, so the same
// buildPacket fills what was not written from the session. The text is read, never run:
// python-literal.ts knows the Python forms, this file what scapy means by them. The subset
// is documented in docs/scapy-notation.md.

import type { Packet } from '../wire/packet.js';
import { normalizeAddress, type AddressValue } from './address.js';
import { buildPacket, type SegmentContext } from './build.js';
import { checkIfConstant, evaluateExpression, hasVariables, resolveNumber, type Expression, type NumericRule } from './expression.js';
import { NUMERIC_FIELD_RULES, type NumericFieldName, type SegmentFieldName } from './fields.js';
import type { FlagsValue } from './flags.js';
import { MAX_OPTIONS_LENGTH, optionsLength, type OptionSpec } from './options.js';
import { describeValue, readPythonExpression, type PyArgument, type PyValue } from './python-literal.js';
import type { FieldSpec, SegmentFields, SegmentSpec } from './segment-parser.js';
import { didYouMean } from './suggest.js';
import { SegmentSyntaxError, type Span } from './syntax-error.js';

/** What the line asks the REPL to do: sr1 sends and waits for one answer, sr for all, send for none. */
export type ScapyCommandName = 'sr1' | 'sr' | 'send';

export interface ScapyCall {
  name: ScapyCommandName;
  span: Span;
  /** `timeout=` in seconds, when written. */
  timeout: { seconds: number; span: Span } | null;
}

/** What the segment language has no field for, applied by buildScapyPacket. */
export interface ScapyExtraFields {
  /** IPv6(fl=...): the flow label. */
  flowLabel?: FieldSpec<Expression>;
  /** IP(flags=...) with MF or evil set. */
  mf?: boolean;
  reservedBit?: boolean;
}

export interface ScapyNotation {
  text: string;
  /** The function around the packet; null for a packet written alone. */
  call: ScapyCall | null;
  /** The segment, its spans pointing into `text`. */
  spec: SegmentSpec;
  /** IP() or IPv6() as written: it fixes the IP version even with no address. Null for TCP() alone. */
  ipLayer: { name: 'IP' | 'IPv6'; version: 4 | 6; span: Span } | null;
  extra: ScapyExtraFields;
}

export type ScapyLayerName = 'IP' | 'IPv6' | 'TCP' | 'Raw';

export interface ScapyKeyword {
  layer: ScapyLayerName;
  keyword: string;
  /** The segment-language field it fills; null for the IPv6 flow label, which has none. */
  field: SegmentFieldName | null;
  example: string;
}

/** Every keyword the notation reads, for help, completion and the reference. */
export const SCAPY_KEYWORDS: ReadonlyArray<ScapyKeyword> = [
  { layer: 'IP', keyword: 'src', field: 'src', example: 'IP(src="10.0.0.1")' },
  { layer: 'IP', keyword: 'dst', field: 'dst', example: 'IP(dst="10.0.0.2")' },
  { layer: 'IP', keyword: 'ttl', field: 'ttl', example: 'IP(ttl=1)' },
  { layer: 'IP', keyword: 'id', field: 'id', example: 'IP(id=0x1234)' },
  { layer: 'IP', keyword: 'tos', field: 'tos', example: 'IP(tos=0x10)' },
  { layer: 'IP', keyword: 'flags', field: 'df', example: 'IP(flags="DF")' },
  { layer: 'IPv6', keyword: 'src', field: 'src', example: 'IPv6(src="fd00::1")' },
  { layer: 'IPv6', keyword: 'dst', field: 'dst', example: 'IPv6(dst="::1")' },
  { layer: 'IPv6', keyword: 'hlim', field: 'ttl', example: 'IPv6(hlim=1)' },
  { layer: 'IPv6', keyword: 'tc', field: 'tos', example: 'IPv6(tc=0x10)' },
  { layer: 'IPv6', keyword: 'fl', field: null, example: 'IPv6(fl=0x12345)' },
  { layer: 'TCP', keyword: 'sport', field: 'sport', example: 'TCP(sport=40000)' },
  { layer: 'TCP', keyword: 'dport', field: 'dport', example: 'TCP(dport=7)' },
  { layer: 'TCP', keyword: 'seq', field: 'seq', example: 'TCP(seq=1000)' },
  { layer: 'TCP', keyword: 'ack', field: 'ack', example: 'TCP(ack=$rx.seq+1)' },
  { layer: 'TCP', keyword: 'flags', field: 'flags', example: 'TCP(flags="SA")' },
  { layer: 'TCP', keyword: 'window', field: 'win', example: 'TCP(window=0)' },
  { layer: 'TCP', keyword: 'urgptr', field: 'urp', example: 'TCP(urgptr=1)' },
  { layer: 'TCP', keyword: 'chksum', field: 'chksum', example: 'TCP(chksum=0xdead)' },
  { layer: 'TCP', keyword: 'options', field: 'opts', example: "TCP(options=[('MSS', 1460)])" },
  { layer: 'Raw', keyword: 'load', field: 'data', example: 'Raw(load=b"hello\\r\\n")' },
];

/** Scapy fields tcplab reads no value for, and why. */
const UNSUPPORTED_FIELDS: Record<ScapyLayerName, Record<string, string>> = {
  IP: {
    version: 'the version follows from IP() or IPv6()',
    ihl: "tcplab computes the IP header's length",
    len: "tcplab computes the IP packet's length",
    chksum: "tcplab computes the IP header's checksum",
    frag: 'fragments are not supported',
    proto: 'the protocol is always TCP',
    options: 'IP options are not supported',
  },
  IPv6: {
    version: 'the version follows from IP() or IPv6()',
    plen: "tcplab computes the IPv6 payload's length",
    nh: 'the next header is always TCP',
  },
  TCP: {
    dataofs: 'tcplab computes the data offset from the options',
    reserved: 'the reserved bits are not supported',
  },
  Raw: {},
};

/** What someone used to the segment language might type, and scapy's word for it. */
const SEGMENT_WORDS: Record<ScapyLayerName, Record<string, string>> = {
  IP: { df: 'flags="DF" sets it' },
  IPv6: {
    ttl: "scapy's IPv6 calls it 'hlim'",
    tos: "scapy's IPv6 calls it 'tc'",
    id: 'IPv6 has no identification field',
    flags: 'IPv6 has no flags field',
    df: "IPv6 has no don't-fragment bit",
  },
  TCP: {
    win: "scapy calls it 'window'",
    urp: "scapy calls it 'urgptr'",
    opts: "scapy calls it 'options'",
    data: 'the payload follows the layer: TCP(...)/"hello"',
  },
  Raw: { data: "scapy calls it 'load'" },
};

const COMMANDS: readonly ScapyCommandName[] = ['sr1', 'sr', 'send'];
const CALL_KEYWORDS = ['timeout', 'verbose'];
const LAYERS: readonly ScapyLayerName[] = ['IP', 'IPv6', 'TCP', 'Raw'];

/** Scapy names a learner may reach for that tcplab does not build, and what to do instead. */
const OTHER_NAMES: Record<string, string> = {
  Ether: 'tcplab sends IP packets with no link layer; start with IP(...)',
  Dot1Q: 'tcplab sends IP packets with no link layer; start with IP(...)',
  UDP: 'tcplab builds TCP segments only',
  ICMP: 'tcplab builds TCP segments only',
  ICMPv6EchoRequest: 'tcplab builds TCP segments only',
  ARP: 'tcplab builds TCP segments only',
  DNS: 'tcplab builds TCP segments only',
  IPOption: 'IP options are not supported',
  IPv6ExtHdrFragment: 'IPv6 extension headers are not supported',
  IPv6ExtHdrRouting: 'IPv6 extension headers are not supported',
  IPv6ExtHdrHopByHop: 'IPv6 extension headers are not supported',
  IPv6ExtHdrDestOpt: 'IPv6 extension headers are not supported',
  Padding: 'put the bytes in the payload',
  sendp: 'tcplab sends IP packets, not frames: write send(...)',
  srp: 'tcplab sends IP packets, not frames: write sr(...)',
  srp1: 'tcplab sends IP packets, not frames: write sr1(...)',
  srloop: 'send one packet per line with sr1(...)',
  sr1flood: 'send one packet per line with sr1(...)',
  sniff: 'tcplab shows every packet on its own',
  fragment: 'fragments are not supported',
};

const TCP_FLAG_LETTERS = 'FSRPAUECN';
const IP_FLAG_NAMES = ['MF', 'DF', 'evil'] as const;
const FLOW_LABEL_RULE: NumericRule = { label: 'fl', max: 0xfffff, wrap: false };
const EXAMPLE = 'e.g. sr1(IP(dst="10.0.0.2")/TCP(dport=7, flags="S"))';

/** A line that reads as scapy's notation: a name and '(' first, as in `sr1(` or `IP(`. */
export function isScapyNotation(text: string): boolean {
  return /^\s*(?:>>>\s*)?[A-Za-z_][A-Za-z0-9_]*\s*\(/.test(text);
}

/** Parse one line of scapy's notation. Throws SegmentSyntaxError, never anything else. */
export function parseScapyNotation(text: string): ScapyNotation {
  const start = afterPrompt(text);
  if (text.slice(start).trim() === '') {
    throw new SegmentSyntaxError('expected a packet, got end of line', { column: start + 1, length: 1 }, EXAMPLE);
  }
  const value = readPythonExpression(text, start);
  let call: ScapyCall | null = null;
  let packet = value;
  if (value.kind === 'call' && isCommand(value.callee)) {
    const unwrapped = readCall(value, value.callee);
    call = unwrapped.call;
    packet = unwrapped.packet;
  }
  const reader = new SpecReader(text);
  reader.layers(packet);
  return reader.finish(call);
}

/**
 * The packet the notation describes: what it sets, and the rest from the context, as for a
 * `tcp` line; IP() or IPv6() fixes the version. Throws SegmentSyntaxError pointing into the line.
 */
export function buildScapyPacket(notation: ScapyNotation, context: SegmentContext): Packet {
  const layer = notation.ipLayer;
  if (layer !== null) checkVariableAddresses(notation, layer, context);
  const defaults = layer === null ? context.defaults : { ...context.defaults, version: layer.version };
  const packet = buildPacket(notation.spec, { defaults, resolve: (ref) => context.resolve(ref) });
  const { flowLabel, mf, reservedBit } = notation.extra;
  if (packet.ip.version === 6 && flowLabel !== undefined) {
    packet.ip.flowLabel = resolveNumber(flowLabel.value, FLOW_LABEL_RULE, (ref) => context.resolve(ref));
  }
  if (packet.ip.version === 4) {
    if (mf === true) packet.ip.mf = true;
    if (reservedBit === true) packet.ip.reservedBit = true;
  }
  return packet;
}

/** An address variable must name an address of its layer's version. */
function checkVariableAddresses(notation: ScapyNotation, layer: NonNullable<ScapyNotation['ipLayer']>, context: SegmentContext): void {
  for (const name of ['src', 'dst'] as const) {
    const field = notation.spec.fields[name];
    if (field === undefined || field.value.kind !== 'variable') continue;
    const resolved = context.resolve(field.value.ref);
    if (typeof resolved !== 'string') continue; // buildPacket explains a missing or numeric one
    const address = normalizeAddress(resolved);
    if (address === null || address.version === layer.version) continue;
    const other = layer.version === 4 ? 'IPv6' : 'IP';
    throw new SegmentSyntaxError(
      `${layer.name}() takes IPv${layer.version} addresses but ${field.value.ref.text} is ${resolved}`,
      field.value.span,
      `write ${other}(...) for IPv${address.version}`,
    );
  }
}

function afterPrompt(text: string): number {
  const match = /^\s*(?:>>>\s?)?/.exec(text);
  return match?.[0].length ?? 0;
}

function isCommand(name: string): name is ScapyCommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

function isLayer(name: string): name is ScapyLayerName {
  return (LAYERS as readonly string[]).includes(name);
}

/** `sr1(packet, timeout=2, verbose=0)`: the packet and what the REPL is to do with it. */
function readCall(value: Extract<PyValue, { kind: 'call' }>, name: ScapyCommandName): { call: ScapyCall; packet: PyValue } {
  let packet: PyValue | null = null;
  let timeout: ScapyCall['timeout'] = null;
  const seen = new Map<string, Span>();
  for (const argument of value.args) {
    if (argument.keyword === null) {
      if (packet !== null) {
        throw new SegmentSyntaxError(`${name}() takes one packet`, argument.value.span, 'send one packet per line');
      }
      packet = argument.value;
      continue;
    }
    const keyword = argument.keyword;
    checkDuplicate(seen, keyword);
    if (keyword.name === 'timeout') {
      timeout = { seconds: readSeconds(argument.value), span: argument.value.span };
    } else if (keyword.name === 'verbose') {
      readVerbose(argument.value);
    } else {
      const hint = didYouMean(keyword.name, CALL_KEYWORDS) ?? `${name}() takes the packet, timeout= and verbose=`;
      throw new SegmentSyntaxError(`unknown keyword '${keyword.name}' for ${name}()`, keyword.span, hint);
    }
  }
  if (packet === null) {
    throw new SegmentSyntaxError(`${name}() needs a packet`, value.calleeSpan, EXAMPLE);
  }
  return { call: { name, span: value.calleeSpan, timeout }, packet };
}

function readSeconds(value: PyValue): number {
  if (value.kind === 'float') return value.value;
  if (value.kind === 'int' && !hasVariables(value.expression)) return evaluateExpression(value.expression, () => undefined);
  throw new SegmentSyntaxError(`timeout takes a number of seconds, got ${describeValue(value)}`, value.span, 'e.g. timeout=2 or timeout=0.5');
}

/** verbose= is accepted so pasted lines work; tcplab always shows what came back. */
function readVerbose(value: PyValue): void {
  if (value.kind === 'constant' && value.value !== null) return;
  if (value.kind === 'int' && !hasVariables(value.expression)) return;
  throw new SegmentSyntaxError(`verbose takes a number or True/False, got ${describeValue(value)}`, value.span);
}

function checkDuplicate(seen: Map<string, Span>, keyword: { name: string; span: Span }): void {
  const earlier = seen.get(keyword.name);
  if (earlier !== undefined) {
    throw new SegmentSyntaxError(`duplicate keyword '${keyword.name}'`, keyword.span, `it is already set at column ${earlier.column}`);
  }
  seen.set(keyword.name, keyword.span);
}

type Call = Extract<PyValue, { kind: 'call' }>;

/** Reads the layers in order into the fields of one SegmentSpec. */
class SpecReader {
  private readonly fields: SegmentFields = {};
  private readonly extra: ScapyExtraFields = {};
  private ipLayer: ScapyNotation['ipLayer'] = null;
  private tcpLayer: Span | null = null;
  private payload: Span | null = null;

  constructor(private readonly text: string) {}

  finish(call: ScapyCall | null): ScapyNotation {
    const spec: SegmentSpec = { text: this.text, fields: this.fields, version: this.ipLayer?.version ?? null };
    return { text: this.text, call, spec, ipLayer: this.ipLayer, extra: this.extra };
  }

  layers(packet: PyValue): void {
    const layers = packet.kind === 'stack' ? packet.layers : [packet];
    for (const layer of layers) this.layer(layer);
    if (this.tcpLayer === null) {
      const after = { column: packet.span.column + packet.span.length, length: 1 };
      const what = this.ipLayer === null ? 'the packet' : `${this.ipLayer.name}(...)`;
      throw new SegmentSyntaxError(`expected /TCP(...) after ${what}`, after, 'tcplab sends TCP segments, e.g. IP(dst="10.0.0.2")/TCP(flags="S")');
    }
  }

  private layer(layer: PyValue): void {
    if (layer.kind === 'string') {
      this.placePayload(layer.span, 'a payload');
      this.data(layer, layer.span);
      return;
    }
    if (layer.kind !== 'call') throw notALayer(layer);
    const name = layer.callee;
    if (!isLayer(name)) throw unknownLayer(layer);
    switch (name) {
      case 'IP':
      case 'IPv6':
        if (this.ipLayer !== null) {
          throw new SegmentSyntaxError(`a second IP layer`, layer.calleeSpan, `${this.ipLayer.name}() at column ${this.ipLayer.span.column} is the packet's IP header; IP in IP is not supported`);
        }
        if (this.tcpLayer !== null) {
          throw new SegmentSyntaxError(`${name}(...) must come before TCP(...)`, layer.calleeSpan, `write ${name}(...)/TCP(...)`);
        }
        this.ipLayer = { name, version: name === 'IP' ? 4 : 6, span: layer.calleeSpan };
        this.keywords(layer, name);
        return;
      case 'TCP':
        if (this.tcpLayer !== null) {
          throw new SegmentSyntaxError('a second TCP layer', layer.calleeSpan, `the TCP header is already at column ${this.tcpLayer.column}; put more bytes in the payload`);
        }
        this.tcpLayer = layer.calleeSpan;
        this.keywords(layer, name);
        return;
      case 'Raw':
        this.placePayload(layer.calleeSpan, 'Raw(...)');
        this.raw(layer);
        return;
    }
  }

  private placePayload(span: Span, what: string): void {
    if (this.tcpLayer === null) {
      throw new SegmentSyntaxError(`${what} must come after TCP(...)`, span, 'e.g. TCP(flags="PA")/"hello"');
    }
    if (this.payload !== null) {
      throw new SegmentSyntaxError('a second payload', span, `the payload is already given at column ${this.payload.column}; write it as one literal`);
    }
    this.payload = span;
  }

  private raw(layer: Call): void {
    let load: PyArgument | null = null;
    for (const argument of layer.args) {
      const keyword = argument.keyword;
      if (keyword !== null && keyword.name !== 'load') throw unknownKeyword('Raw', keyword);
      if (load !== null) {
        throw new SegmentSyntaxError('Raw() takes one load', argument.value.span, 'write the whole payload as one literal');
      }
      load = argument;
    }
    if (load === null) {
      this.fields.data = { value: { bytes: new Uint8Array(0), span: layer.span }, nameSpan: layer.calleeSpan, valueSpan: layer.span };
      return;
    }
    this.data(load.value, load.keyword?.span ?? load.value.span);
  }

  private data(value: PyValue, nameSpan: Span): void {
    if (value.kind !== 'string') throw wrongValue('the payload', value, 'a str or bytes literal, e.g. b"hello\\r\\n"');
    this.fields.data = { value: { bytes: value.bytes, span: value.span }, nameSpan, valueSpan: value.span };
  }

  private keywords(layer: Call, name: 'IP' | 'IPv6' | 'TCP'): void {
    const seen = new Map<string, Span>();
    for (const argument of layer.args) {
      const keyword = argument.keyword;
      if (keyword === null) {
        throw new SegmentSyntaxError(`${name}() takes its fields by name`, argument.value.span, `e.g. ${exampleFor(name)}`);
      }
      checkDuplicate(seen, keyword);
      this.keyword(name, keyword, argument.value);
    }
  }

  private keyword(layer: 'IP' | 'IPv6' | 'TCP', keyword: { name: string; span: Span }, value: PyValue): void {
    const known = SCAPY_KEYWORDS.find((entry) => entry.layer === layer && entry.keyword === keyword.name);
    if (known === undefined) throw unknownKeyword(layer, keyword);
    const spans = { nameSpan: keyword.span, valueSpan: value.span };
    switch (keyword.name) {
      case 'src':
      case 'dst':
        this.fields[keyword.name] = { value: address(keyword.name, value, layer === 'IP' ? 4 : 6), ...spans };
        return;
      case 'flags':
        if (layer === 'TCP') this.fields.flags = { value: tcpFlags(value, this.text), ...spans };
        else this.ipFlags(value, spans);
        return;
      case 'options':
        this.fields.opts = { value: tcpOptions(value), ...spans };
        return;
      case 'fl':
        this.extra.flowLabel = { value: integer('fl', value, FLOW_LABEL_RULE), ...spans };
        return;
      case 'chksum':
        // chksum=None is scapy's "compute it", which is what leaving it out does.
        if (value.kind === 'constant' && value.value === null) return;
        break;
    }
    const field = known.field as NumericFieldName;
    const rule = NUMERIC_FIELD_RULES[field];
    this.fields[field] = { value: integer(keyword.name, value, { ...rule, label: keyword.name }), ...spans };
  }

  /** IP's flags: "DF", "MF+DF", "evil", "" or a number 0..7 (MF is 1, DF 2, evil 4). */
  private ipFlags(value: PyValue, spans: { nameSpan: Span; valueSpan: Span }): void {
    let mask: number;
    if (value.kind === 'string') {
      mask = 0;
      const text = new TextDecoder().decode(value.bytes);
      if (text !== '') {
        for (const part of text.split('+')) {
          const bit = (IP_FLAG_NAMES as readonly string[]).indexOf(part);
          if (bit < 0) {
            const hint = didYouMean(part, IP_FLAG_NAMES) ?? "IP's flags are MF, DF and evil, joined by '+'";
            throw new SegmentSyntaxError(`unknown IP flag '${part}'`, value.span, hint);
          }
          mask |= 1 << bit;
        }
      }
    } else {
      mask = constant('flags', value, { label: 'IP flags', max: 7, wrap: false }, 'a number 0..7 or a string such as "DF"');
    }
    const df = (mask >> 1) & 1;
    this.fields.df = { value: { kind: 'number', value: df, text: String(df), span: value.span }, ...spans };
    if ((mask & 1) !== 0) this.extra.mf = true;
    if ((mask & 4) !== 0) this.extra.reservedBit = true;
  }
}

function exampleFor(layer: ScapyLayerName): string {
  return SCAPY_KEYWORDS.find((entry) => entry.layer === layer)?.example ?? `${layer}()`;
}

// ------------------------------------------------------------------ errors

function notALayer(value: PyValue): SegmentSyntaxError {
  if (value.kind === 'name') {
    return new SegmentSyntaxError(
      `'${value.name}' is a Python name`,
      value.span,
      'tcplab reads the packet as written and keeps no Python variables; write the layers out, e.g. IP(...)/TCP(...)',
    );
  }
  return new SegmentSyntaxError(`expected a layer such as TCP(...), got ${describeValue(value)}`, value.span, EXAMPLE);
}

function unknownLayer(call: Call): SegmentSyntaxError {
  const name = call.callee;
  if (isCommand(name)) {
    return new SegmentSyntaxError(`${name}() goes around the whole packet`, call.calleeSpan, `e.g. ${name}(IP(...)/TCP(...))`);
  }
  const other = OTHER_NAMES[name];
  if (other !== undefined) return new SegmentSyntaxError(`${name}() is not supported`, call.calleeSpan, other);
  const hint = didYouMean(name, [...LAYERS, ...COMMANDS]) ?? `the notation knows ${LAYERS.join(' ')} and ${COMMANDS.join(' ')}`;
  return new SegmentSyntaxError(`unknown layer '${name}'`, call.calleeSpan, hint);
}

function unknownKeyword(layer: ScapyLayerName, keyword: { name: string; span: Span }): SegmentSyntaxError {
  const name = keyword.name;
  const unsupported = UNSUPPORTED_FIELDS[layer][name];
  if (unsupported !== undefined) {
    return new SegmentSyntaxError(`${layer}(${name}=...) is not supported`, keyword.span, unsupported);
  }
  const mine = SCAPY_KEYWORDS.filter((entry) => entry.layer === layer).map((entry) => entry.keyword);
  const hint =
    SEGMENT_WORDS[layer][name] ??
    didYouMean(name, mine) ??
    elsewhere(layer, name) ??
    `${layer}() takes ${mine.join(' ')}`;
  return new SegmentSyntaxError(`unknown keyword '${name}' for ${layer}()`, keyword.span, hint);
}

/** "'dport' belongs to TCP(...)", when the keyword is another layer's. */
function elsewhere(layer: ScapyLayerName, name: string): string | undefined {
  const owner = SCAPY_KEYWORDS.find((entry) => entry.keyword === name && entry.layer !== layer);
  return owner === undefined ? undefined : `'${name}' belongs to ${owner.layer}(...)`;
}

function wrongValue(what: string, value: PyValue, wanted: string): SegmentSyntaxError {
  if (value.kind === 'name') {
    return new SegmentSyntaxError(`'${value.name}' is a Python name`, value.span, `tcplab does not run Python; write ${wanted}`);
  }
  if (value.kind === 'call') {
    return new SegmentSyntaxError(`${value.callee}() is Python code`, value.span, `tcplab does not run Python; write ${wanted}`);
  }
  return new SegmentSyntaxError(`${what} takes ${wanted}, got ${describeValue(value)}`, value.span);
}

// ------------------------------------------------------------------ values

/** A number expression for a field, checked now when it has no variables. */
function integer(keyword: string, value: PyValue, rule: NumericRule): Expression {
  if (value.kind === 'float') {
    throw new SegmentSyntaxError(`${keyword} takes an integer, got ${value.text}`, value.span);
  }
  if (value.kind !== 'int') throw wrongValue(keyword, value, 'a number, or a $variable such as $rx.seq');
  checkIfConstant(value.expression, rule);
  return value.expression;
}

/** A number that must be known now, with no variables. */
function constant(keyword: string, value: PyValue, rule: NumericRule, wanted: string): number {
  if (value.kind !== 'int' || hasVariables(value.expression)) throw wrongValue(keyword, value, wanted);
  checkIfConstant(value.expression, rule);
  return evaluateExpression(value.expression, () => undefined);
}

function address(name: 'src' | 'dst', value: PyValue, version: 4 | 6): AddressValue {
  const layer = version === 4 ? 'IP' : 'IPv6';
  if (value.kind === 'int' && value.expression.kind === 'variable') {
    return { kind: 'variable', ref: value.expression.ref, span: value.span };
  }
  if (value.kind !== 'string') throw wrongValue(name, value, `an address in quotes, e.g. ${name}="${version === 4 ? '10.0.0.2' : 'fd00::2'}"`);
  const text = new TextDecoder().decode(value.bytes);
  const normal = normalizeAddress(text);
  if (normal === null) {
    let hint = 'names are not looked up; write an address';
    if (text.includes('/')) hint = "scapy's a/b stands for many packets; write one address";
    else if (text.includes(':') || /^[0-9.]+$/.test(text)) hint = version === 4 ? 'write four numbers 0..255, e.g. 10.0.0.1' : 'e.g. fd00::1 or ::1';
    throw new SegmentSyntaxError(`'${text}' is not an IPv${version} address`, value.span, hint);
  }
  if (normal.version !== version) {
    const other = version === 4 ? 'IPv6' : 'IP';
    throw new SegmentSyntaxError(`${layer}() takes IPv${version} addresses, got '${text}'`, value.span, `write ${other}(${name}="${text}")`);
  }
  return { kind: 'address', version, address: normal.address, span: value.span };
}

/** TCP's flags: scapy's letters FSRPAUECN (N is AE), a number, or a $variable. */
function tcpFlags(value: PyValue, source: string): FlagsValue {
  if (value.kind === 'int') {
    if (value.expression.kind === 'variable') return { kind: 'variable', ref: value.expression.ref, span: value.span };
    const mask = constant('flags', value, { label: 'flags', max: 0x1ff, wrap: false }, 'letters such as "SA", a number or a $variable');
    return { kind: 'flags', mask, span: value.span };
  }
  if (value.kind !== 'string') throw wrongValue('flags', value, 'letters such as "SA", a number or a $variable');
  const text = new TextDecoder().decode(value.bytes);
  const at = literalColumns(value, text, source);
  let mask = 0;
  for (let index = 0; index < text.length; index++) {
    const letter = text[index]!;
    const bit = TCP_FLAG_LETTERS.indexOf(letter);
    if (bit >= 0) {
      mask |= 1 << bit;
      continue;
    }
    const upper = TCP_FLAG_LETTERS.includes(letter.toUpperCase()) ? letter.toUpperCase() : null;
    const hint = upper !== null ? `scapy's flag letters are upper case: '${upper}'` : `scapy's TCP flag letters are ${TCP_FLAG_LETTERS.split('').join(' ')}`;
    throw new SegmentSyntaxError(`unknown TCP flag '${letter}'`, at(index), hint);
  }
  return { kind: 'flags', mask, span: value.span };
}

/** Where the character at `index` of a string's text sits: exact when no escape moved it, else the whole literal. */
function literalColumns(value: Extract<PyValue, { kind: 'string' }>, text: string, source: string): (index: number) => Span {
  const literal = source.slice(value.span.column - 1, value.span.column - 1 + value.span.length);
  const quote = literal.search(/['"]/);
  const inner = literal.slice(quote + 1, -1);
  if (inner !== text) return () => value.span;
  return (index) => ({ column: value.span.column + quote + 1 + index, length: 1 });
}

// ------------------------------------------------------------------ options

const OPTION_NAMES = ['EOL', 'NOP', 'MSS', 'WScale', 'SAckOK', 'SAck', 'Timestamp'] as const;
type OptionName = (typeof OPTION_NAMES)[number];
const OPTION_KINDS: Record<OptionName, number> = { EOL: 0, NOP: 1, MSS: 2, WScale: 3, SAckOK: 4, SAck: 5, Timestamp: 8 };
/** Names scapy knows and tcplab leaves to the numeric form, with their kinds. */
const OTHER_OPTIONS: Record<string, number> = { AltChkSum: 14, AltChkSumOpt: 15, MD5: 19, Mood: 25, UTO: 28, AO: 29, TFO: 34 };
const OPTION_RULES = {
  MSS: { label: 'MSS', max: 0xffff, wrap: false },
  WScale: { label: 'WScale', max: 0xff, wrap: false },
  edge: { label: 'a SAck edge', max: 0xffffffff, wrap: false },
  tsval: { label: 'TSval', max: 0xffffffff, wrap: false },
  tsecr: { label: 'TSecr', max: 0xffffffff, wrap: false },
} satisfies Record<string, NumericRule>;
const MAX_SACK_BLOCKS = 4;
/** The length byte counts the kind and itself: 253 bytes of data at most. */
const MAX_OPTION_DATA = 0xff - 2;

function tcpOptions(value: PyValue): OptionSpec[] {
  if (value.kind !== 'list' && value.kind !== 'tuple') {
    throw wrongValue('options', value, "a list of (name, value) pairs, e.g. [('MSS', 1460), ('NOP', None)]");
  }
  const options = value.items.map(tcpOption);
  const length = optionsLength(options);
  if (length > MAX_OPTIONS_LENGTH) {
    throw new SegmentSyntaxError(`options take ${length} bytes`, value.span, `a TCP header holds at most ${MAX_OPTIONS_LENGTH} bytes of options`);
  }
  return options;
}

function tcpOption(item: PyValue): OptionSpec {
  if (item.kind !== 'tuple' || item.items.length !== 2) {
    throw new SegmentSyntaxError(`expected an option as a (name, value) pair, got ${describeValue(item)}`, item.span, "e.g. ('MSS', 1460) or ('NOP', None)");
  }
  const [name, value] = item.items as [PyValue, PyValue];
  const span = item.span;
  if (name.kind === 'int') return numberedOption(name, value, span);
  if (name.kind !== 'string' || name.isBytes) {
    throw new SegmentSyntaxError(`an option's name is a string such as 'MSS', got ${describeValue(name)}`, name.span);
  }
  const text = new TextDecoder().decode(name.bytes);
  const known = OPTION_NAMES.find((option) => option === text);
  if (known === undefined) {
    const kind = OTHER_OPTIONS[text];
    if (kind !== undefined) {
      throw new SegmentSyntaxError(`option '${text}' is not supported by name`, name.span, `write its kind and bytes: (${kind}, b'...')`);
    }
    const hint = didYouMean(text, OPTION_NAMES) ?? `options are ${OPTION_NAMES.join(' ')}, or (kind, b'bytes')`;
    throw new SegmentSyntaxError(`unknown option '${text}'`, name.span, hint);
  }
  // As scapy does, bytes given for a named option are its data, sent as they are.
  if (value.kind === 'string' && known !== 'EOL' && known !== 'NOP' && !(known === 'SAckOK' && value.bytes.length === 0)) {
    return rawOption(OPTION_KINDS[known], value, span);
  }
  switch (known) {
    case 'EOL':
      return { kind: 'eol', span };
    case 'NOP':
      return { kind: 'nop', span };
    case 'SAckOK':
      if (value.kind !== 'string') throw wrongValue("SAckOK's value", value, "b''");
      return { kind: 'sackok', span };
    case 'MSS':
    case 'WScale': {
      const number = value.kind === 'tuple' && value.items.length === 1 ? value.items[0]! : value;
      const expression = integer(known, number, OPTION_RULES[known]);
      return { kind: known === 'MSS' ? 'mss' : 'wscale', value: expression, span };
    }
    case 'Timestamp': {
      if (value.kind !== 'tuple' || value.items.length !== 2) throw wrongValue("Timestamp's value", value, 'a pair (TSval, TSecr), e.g. (100, 0)');
      const [tsval, tsecr] = value.items as [PyValue, PyValue];
      return { kind: 'ts', tsval: integer('TSval', tsval, OPTION_RULES.tsval), tsecr: integer('TSecr', tsecr, OPTION_RULES.tsecr), span };
    }
    case 'SAck': {
      if (value.kind !== 'tuple') throw wrongValue("SAck's value", value, 'a tuple of edges, e.g. (1000, 2000)');
      if (value.items.length % 2 !== 0) {
        throw new SegmentSyntaxError(`SAck takes edges in pairs, got ${value.items.length}`, value.span, 'give left and right edges, e.g. (1000, 2000, 3000, 4000)');
      }
      const blocks: Array<[Expression, Expression]> = [];
      for (let i = 0; i < value.items.length; i += 2) {
        blocks.push([integer('a SAck edge', value.items[i]!, OPTION_RULES.edge), integer('a SAck edge', value.items[i + 1]!, OPTION_RULES.edge)]);
      }
      if (blocks.length > MAX_SACK_BLOCKS) {
        throw new SegmentSyntaxError(`too many SAck blocks (${blocks.length})`, value.span, `an option holds at most ${MAX_SACK_BLOCKS}`);
      }
      return { kind: 'sack', blocks, span };
    }
  }
}

/** `(30, b'\x00\x81')`: any kind with its data; kinds 0 and 1 are EOL and NOP whatever follows. */
function numberedOption(name: Extract<PyValue, { kind: 'int' }>, value: PyValue, span: Span): OptionSpec {
  const kind = constant("an option's kind", name, { label: 'an option kind', max: 0xff, wrap: false }, 'a number 0..255');
  if (kind === 0) return { kind: 'eol', span };
  if (kind === 1) return { kind: 'nop', span };
  return rawOption(kind, value, span);
}

function rawOption(kind: number, value: PyValue, span: Span): OptionSpec {
  if (value.kind !== 'string') throw wrongValue(`option ${kind}'s data`, value, "bytes, e.g. b'\\x00\\x81'");
  if (value.bytes.length > MAX_OPTION_DATA) {
    throw new SegmentSyntaxError(`option data is ${value.bytes.length} bytes`, value.span, `an option holds at most ${MAX_OPTION_DATA}`);
  }
  return { kind: 'raw', type: kind, data: value.bytes, span };
}
