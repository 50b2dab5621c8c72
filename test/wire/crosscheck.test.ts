// The codec against two independent implementations. decode.json holds packets with the
// fields tshark dissects from them; encode.json holds Packet reprs with the bytes scapy
// builds for them. Both are made by test/fixtures/crosscheck/generate.py (its header says how
// to re-run it), so this test needs neither tool. Where tshark is not the reference (a
// partial checksum, 0xffff for zero, option lengths it only notes), the fixture carries an
// `expect` or a `note` saying why.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { decodePacket, encodePacket, PacketSchema, type ChecksumStatus, type DecodedPacket, type Packet } from '../../src/wire/packet.js';
import type { TcpOption } from '../../src/wire/tcp-options.js';

// ---------------------------------------------------------------- fixture files

const n = z.number().int();

const TsharkOptionSchema = z.object({
  kind: n,
  len: n.optional(),
  mss_val: n.optional(),
  'wscale.shift': n.optional(),
  tsval: n.optional(),
  tsecr: n.optional(),
  sack_le: z.array(n).optional(),
  sack_re: z.array(n).optional(),
  data: z.string().optional(),
});
type TsharkOption = z.infer<typeof TsharkOptionSchema>;

const TsharkStatusSchema = z.enum(['good', 'bad', 'unverified']);

// Every field is optional: on a malformed packet tshark stops where the bytes stop making sense.
const TsharkViewSchema = z.object({
  layers: z.string(),
  ip: z
    .object({
      'ip.version': n.optional(),
      'ip.hdr_len': n.optional(),
      'ip.dsfield': n.optional(),
      'ip.len': n.optional(),
      'ip.id': n.optional(),
      'ip.flags.rb': n.optional(),
      'ip.flags.df': n.optional(),
      'ip.flags.mf': n.optional(),
      'ip.frag_offset': n.optional(),
      'ip.ttl': n.optional(),
      'ip.proto': n.optional(),
      'ip.checksum': n.optional(),
      'ip.checksum.status': TsharkStatusSchema.optional(),
      'ip.src': z.string().optional(),
      'ip.dst': z.string().optional(),
      'ip.opt.type': z.array(n),
    })
    .optional(),
  ipv6: z
    .object({
      'ipv6.version': n.optional(),
      'ipv6.tclass': n.optional(),
      'ipv6.flow': n.optional(),
      'ipv6.plen': n.optional(),
      'ipv6.nxt': n.optional(),
      'ipv6.hlim': n.optional(),
      'ipv6.src': z.string().optional(),
      'ipv6.dst': z.string().optional(),
    })
    .optional(),
  tcp: z
    .object({
      'tcp.srcport': n.optional(),
      'tcp.dstport': n.optional(),
      'tcp.seq_raw': n.optional(),
      'tcp.ack_raw': n.optional(),
      'tcp.hdr_len': n.optional(),
      'tcp.flags': n.optional(),
      'tcp.window_size_value': n.optional(),
      'tcp.checksum': n.optional(),
      'tcp.checksum.status': TsharkStatusSchema.optional(),
      'tcp.urgent_pointer': n.optional(),
      'tcp.len': n.optional(),
      'tcp.payload': z.string().optional(),
      'tcp.options': z.array(TsharkOptionSchema).optional(),
    })
    .optional(),
  other: z.enum(['udp', 'icmp', 'icmpv6']).optional(),
  malformed: z.boolean(),
  experts: z.array(z.object({ layer: z.string(), severity: z.enum(['note', 'warn', 'error']), message: z.string() })),
});
type TsharkView = z.infer<typeof TsharkViewSchema>;

const DecodeFixtureSchema = z.object({
  name: z.string(),
  frame: n,
  hex: z.string(),
  /** What the generator meant to build; tshark agrees unless the note says otherwise. */
  malformed: z.boolean(),
  note: z.string().optional(),
  /** Where tshark is not the reference, what the codec must say instead, and the note says why. */
  expect: z
    .object({
      tcpChecksum: z.enum(['ok', 'bad', 'partial']).optional(),
      /** A field path prefix that must carry a warning. */
      warningOn: z.string().optional(),
    })
    .optional(),
  tshark: TsharkViewSchema,
  scapy: z
    .object({ ip: z.object({ options: z.string() }).optional(), error: z.string().optional() })
    .nullable()
    .optional(),
});
type DecodeFixture = z.infer<typeof DecodeFixtureSchema>;

// The repr in JSON: byte arrays as hex, everything else as the schema has it.
const JsonOptionSchema = z.union([
  z.object({ kind: z.literal('unknown'), type: n, data: z.string() }),
  z.object({ kind: z.string() }).loose(),
]);
const EncodeFixtureSchema = z.object({
  name: z.string(),
  note: z.string().optional(),
  packet: z.object({
    ip: z.object({ version: z.union([z.literal(4), z.literal(6)]), options: z.string().optional() }).loose(),
    tcp: z.object({ options: z.array(JsonOptionSchema), payload: z.string() }).loose(),
  }),
  hex: z.string(),
});
type EncodeFixture = z.infer<typeof EncodeFixtureSchema>;

function fixtureDirectory(): string {
  // Found from this file rather than the working directory, so that the test runs the same
  // from the sources (tsx) and from dist/ (node --test).
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return join(dir, 'test', 'fixtures', 'crosscheck');
}

function loadFixtures<T>(file: string, schema: z.ZodType<T>): T[] {
  const path = join(fixtureDirectory(), file);
  const parsed = z.object({ packets: z.array(schema) }).safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data.packets;
}

function unhex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

/** Compressed lowercase text for an IPv6 address, whatever form either side prints. */
function canonicalIpv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

// ---------------------------------------------------------------- comparing

/** Collects every disagreement of one packet, so a failure lists them all at once. */
class Comparison {
  readonly disagreements: string[] = [];

  same(field: string, decoded: unknown, reference: unknown): void {
    if (reference === undefined) return;
    if (!Object.is(decoded, reference)) {
      this.disagreements.push(`${field}: decoded ${JSON.stringify(decoded)}, reference ${JSON.stringify(reference)}`);
    }
  }

  fail(message: string): void {
    this.disagreements.push(message);
  }
}

const bit = (value: boolean | undefined): number => (value ? 1 : 0);

function tsharkChecksum(status: z.infer<typeof TsharkStatusSchema> | undefined): ChecksumStatus | null | undefined {
  if (status === 'good') return 'ok';
  if (status === 'bad') return 'bad';
  if (status === 'unverified') return null;
  return undefined;
}

function compareIpv4(decoded: DecodedPacket, ip: NonNullable<TsharkView['ip']>, fixture: DecodeFixture, c: Comparison): void {
  const repr = decoded.ip;
  if (repr === null) {
    if (!fixture.malformed) c.fail('ip: decoded null, tshark read an IPv4 header');
    return;
  }
  if (repr.version !== 4) return c.fail(`ip.version: decoded ${repr.version}, tshark 4`);
  c.same('ip.version', repr.version, ip['ip.version']);
  c.same('ip.ihl (bytes)', repr.ihl === undefined ? undefined : repr.ihl * 4, ip['ip.hdr_len']);
  c.same('ip.tos', repr.tos, ip['ip.dsfield']);
  c.same('ip.totalLength', repr.totalLength, ip['ip.len']);
  c.same('ip.id', repr.id, ip['ip.id']);
  c.same('ip.reservedBit', bit(repr.reservedBit), ip['ip.flags.rb']);
  c.same('ip.df', bit(repr.df), ip['ip.flags.df']);
  c.same('ip.mf', bit(repr.mf), ip['ip.flags.mf']);
  c.same('ip.fragOffset', repr.fragOffset, ip['ip.frag_offset']);
  c.same('ip.ttl', repr.ttl, ip['ip.ttl']);
  c.same('ip.protocol', repr.protocol, ip['ip.proto']);
  c.same('ip.checksum', repr.checksum, ip['ip.checksum']);
  c.same('ip.src', repr.src, ip['ip.src']);
  c.same('ip.dst', repr.dst, ip['ip.dst']);
  if (fixture.malformed) return;
  c.same('ipChecksum', decoded.ipChecksum, tsharkChecksum(ip['ip.checksum.status']));
  // tshark names each IP option's type and stops at End of Option List, as RFC 791 does.
  const { types, cut } = walkIpOptions(repr.options);
  c.same('ip.options types', types.join(', '), untilEol(ip['ip.opt.type'], (t) => t === 0).join(', '));
  if (cut !== null) c.fail(`ip.options: ${cut}`);
  // scapy has the option bytes themselves: the decoded options are they, with at most zero padding cut off.
  const onWire = fixture.scapy?.ip?.options;
  if (onWire !== undefined) {
    const options = hex(repr.options);
    const rest = onWire.slice(options.length);
    if (!onWire.startsWith(options) || /[^0]/.test(rest)) c.fail(`ip.options: decoded ${options}, scapy ${onWire}`);
  }
}

/**
 * The types of IPv4 options up to End of Option List, read with RFC 791's two formats, and
 * whether the last one is cut short: a decoder may drop padding, never an option's own bytes.
 */
function walkIpOptions(options: Uint8Array): { types: number[]; cut: string | null } {
  const types: number[] = [];
  for (let at = 0; at < options.length; ) {
    const type = options[at]!;
    if (type === 0) break;
    types.push(type);
    if (type === 1) {
      at += 1;
      continue;
    }
    const length = options[at + 1];
    if (length === undefined || at + length > options.length) {
      return { types, cut: `option ${type} at ${at} has length ${length ?? '(missing)'}, but the decoded options end at ${options.length} (${hex(options)})` };
    }
    at += Math.max(length, 2);
  }
  return { types, cut: null };
}

function untilEol<T>(list: readonly T[], isEol: (item: T) => boolean): T[] {
  const end = list.findIndex(isEol);
  return end < 0 ? [...list] : list.slice(0, end);
}

function compareIpv6(decoded: DecodedPacket, ip6: NonNullable<TsharkView['ipv6']>, fixture: DecodeFixture, c: Comparison): void {
  const repr = decoded.ip;
  if (repr === null) {
    if (!fixture.malformed) c.fail('ip: decoded null, tshark read an IPv6 header');
    return;
  }
  if (repr.version !== 6) return c.fail(`ip.version: decoded ${repr.version}, tshark 6`);
  c.same('ip.version', repr.version, ip6['ipv6.version']);
  c.same('ip.trafficClass', repr.trafficClass, ip6['ipv6.tclass']);
  c.same('ip.flowLabel', repr.flowLabel, ip6['ipv6.flow']);
  c.same('ip.payloadLength', repr.payloadLength, ip6['ipv6.plen']);
  c.same('ip.nextHeader', repr.nextHeader, ip6['ipv6.nxt']);
  c.same('ip.hopLimit', repr.hopLimit, ip6['ipv6.hlim']);
  for (const [field, tsharkField] of [['src', 'ipv6.src'], ['dst', 'ipv6.dst']] as const) {
    const reference = ip6[tsharkField];
    if (reference !== undefined) c.same(`ip.${field}`, canonicalIpv6(repr[field]), canonicalIpv6(reference));
  }
}

function compareTcp(decoded: DecodedPacket, tcp: NonNullable<TsharkView['tcp']>, fixture: DecodeFixture, c: Comparison): void {
  const repr = decoded.tcp;
  if (repr === null) {
    // A header too broken to read is for the verdict to judge, not the fields.
    if (!fixture.malformed) c.fail('tcp: decoded null, tshark read a TCP header');
    return;
  }
  c.same('tcp.sport', repr.sport, tcp['tcp.srcport']);
  c.same('tcp.dport', repr.dport, tcp['tcp.dstport']);
  c.same('tcp.seq', repr.seq, tcp['tcp.seq_raw']);
  c.same('tcp.ack', repr.ack, tcp['tcp.ack_raw']);
  c.same('tcp.dataOffset (bytes)', repr.dataOffset === undefined ? undefined : repr.dataOffset * 4, tcp['tcp.hdr_len']);
  // tshark's tcp.flags is twelve bits: the nine flags, AE included, then the three reserved bits.
  const flags = tcp['tcp.flags'];
  if (flags !== undefined) {
    c.same('tcp.flags', repr.flags, flags & 0x1ff);
    c.same('tcp.reserved', repr.reserved ?? 0, flags >> 9);
  }
  c.same('tcp.window', repr.window, tcp['tcp.window_size_value']);
  c.same('tcp.checksum', repr.checksum, tcp['tcp.checksum']);
  c.same('tcp.urgent', repr.urgent, tcp['tcp.urgent_pointer']);
  if (fixture.malformed) return;
  c.same('tcp.payload length', repr.payload.length, tcp['tcp.len']);
  c.same('tcp.payload', hex(repr.payload), tcp['tcp.payload'] ?? (tcp['tcp.len'] === 0 ? '' : undefined));
  c.same('tcpChecksum', decoded.tcpChecksum, fixture.expect?.tcpChecksum ?? tsharkChecksum(tcp['tcp.checksum.status']));
  compareOptions(repr.options, tcp['tcp.options'] ?? [], c);
}

// Padding after End of Option List is zeros, which tshark lists as more EOLs; a decoder may
// just as well stop at the first, or leave a trailing EOL out (the bytes are the same), so
// both lists are compared up to their first EOL.
function compareOptions(decoded: readonly TcpOption[], reference: readonly TsharkOption[], c: Comparison): void {
  const ours = untilEol(decoded, (o) => o.kind === 'eol').map(describeOption);
  const theirs = untilEol(reference, (o) => o.kind === 0).map(describeTsharkOption);
  c.same('tcp.options', ours.join(', '), theirs.join(', '));
}

function describeOption(option: TcpOption): string {
  switch (option.kind) {
    case 'eol':
    case 'nop':
    case 'sackok':
      return option.kind;
    case 'mss':
    case 'wscale':
      return `${option.kind} ${option.value}`;
    case 'sack':
      return `sack ${option.blocks.map(([left, right]) => `${left}-${right}`).join(' ')}`;
    case 'ts':
      return `ts ${option.tsval} ${option.tsecr}`;
    case 'unknown':
      return `kind ${option.type} data ${hex(option.data)}`;
  }
}

function describeTsharkOption(option: TsharkOption): string {
  const { kind, len } = option;
  if (kind === 1) return 'nop';
  if (kind === 2 && len === 4) return `mss ${option.mss_val}`;
  if (kind === 3 && len === 3) return `wscale ${option['wscale.shift']}`;
  if (kind === 4 && len === 2) return 'sackok';
  if (kind === 5 && len !== undefined && (len - 2) % 8 === 0) {
    const left = option.sack_le ?? [];
    return `sack ${left.map((edge, i) => `${edge}-${option.sack_re?.[i]}`).join(' ')}`;
  }
  if (kind === 8 && len === 10) return `ts ${option.tsval} ${option.tsecr}`;
  return `kind ${kind} data ${option.data}`;
}

function compareOther(decoded: DecodedPacket, view: TsharkView, c: Comparison): void {
  if (decoded.tcp !== null) c.fail(`tcp: decoded a TCP header, tshark found ${view.other ?? 'no TCP header'}`);
  if (view.other === undefined) return;
  const ip = view.ip;
  const ip6 = view.ipv6;
  const expected =
    ip !== undefined
      ? { protocol: ip['ip.proto'], length: (ip['ip.len'] ?? NaN) - (ip['ip.hdr_len'] ?? NaN) }
      : { protocol: ip6?.['ipv6.nxt'], length: ip6?.['ipv6.plen'] };
  c.same('other', JSON.stringify(decoded.other), JSON.stringify(expected));
}

/**
 * A malformed packet must say so with an error. A well-formed one may carry warnings, and
 * errors only about a checksum that is bad. tshark's verdict is the reference; where the
 * fixture departs from it, its note must say why.
 */
function compareVerdict(decoded: DecodedPacket, fixture: DecodeFixture, c: Comparison): void {
  const errors = decoded.issues.filter((issue) => issue.severity === 'error');
  const tsharkMalformed =
    fixture.tshark.malformed || fixture.tshark.experts.some((e) => e.severity === 'error' && !/checksum/i.test(e.message));
  if (tsharkMalformed !== fixture.malformed && fixture.note === undefined) {
    c.fail(`fixture: malformed is ${fixture.malformed} but tshark says ${tsharkMalformed}, and no note says why`);
  }
  const warningOn = fixture.expect?.warningOn;
  if (warningOn !== undefined && !decoded.issues.some((i) => i.severity === 'warning' && i.field.startsWith(warningOn))) {
    c.fail(`issues: no warning on ${warningOn}`);
  }
  if (fixture.malformed) {
    if (errors.length === 0) c.fail(`issues: no error for a malformed packet (tshark: ${summariseExperts(fixture.tshark)})`);
    return;
  }
  const badChecksums = new Set<string>();
  if (decoded.ipChecksum === 'bad') badChecksums.add('ip.checksum');
  if (decoded.tcpChecksum === 'bad') badChecksums.add('tcp.checksum');
  for (const issue of errors) {
    if (!badChecksums.has(issue.field)) c.fail(`issues: error on ${issue.field} at ${issue.offset} for a well-formed packet: ${issue.message}`);
  }
}

function summariseExperts(view: TsharkView): string {
  return view.experts.map((e) => `${e.severity} "${e.message}"`).join(', ') || 'silent';
}

function compareDecode(fixture: DecodeFixture): string[] {
  const decoded = decodePacket(unhex(fixture.hex));
  const c = new Comparison();
  const view = fixture.tshark;
  if (view.ip !== undefined) compareIpv4(decoded, view.ip, fixture, c);
  else if (view.ipv6 !== undefined) compareIpv6(decoded, view.ipv6, fixture, c);
  else if (decoded.ip !== null && !fixture.malformed) c.fail('ip: decoded an IP header, tshark found none');
  if (view.tcp !== undefined) compareTcp(decoded, view.tcp, fixture, c);
  else if (!fixture.malformed) compareOther(decoded, view, c);
  compareVerdict(decoded, fixture, c);
  return c.disagreements;
}

// ---------------------------------------------------------------- the reprs of encode.json

function packetFromJson(fixture: EncodeFixture): Packet {
  const { ip, tcp } = fixture.packet;
  const input = {
    ip: ip.version === 4 ? { ...ip, options: unhex(ip.options ?? '') } : ip,
    tcp: {
      ...tcp,
      payload: unhex(tcp.payload),
      options: tcp.options.map((option) => (option.kind === 'unknown' && 'data' in option ? { ...option, data: unhex(String(option.data)) } : option)),
    },
  };
  const parsed = PacketSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`encode.json "${fixture.name}": ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

function firstDifference(actual: string, expected: string): string {
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at++;
  const byte = Math.floor(at / 2);
  return `first difference at byte ${byte}: encoded ${actual.slice(byte * 2, byte * 2 + 8) || '(end)'}..., scapy ${expected.slice(byte * 2, byte * 2 + 8) || '(end)'}...`;
}

/** Fields the repr sets that decoding scapy's bytes must give back; inconsistent given lengths excepted. */
function roundTripDisagreements(fixture: EncodeFixture, packet: Packet): string[] {
  const decoded = decodePacket(unhex(fixture.hex));
  const c = new Comparison();
  if (decoded.ip === null || decoded.tcp === null) return [`decoded ip ${decoded.ip === null ? 'null' : 'ok'}, tcp ${decoded.tcp === null ? 'null' : 'ok'}`];
  const got: Record<string, unknown> = { ...decoded.ip };
  for (const [field, value] of Object.entries(packet.ip)) {
    if (field === 'options') continue;
    if (field === 'src' || field === 'dst') {
      const canonical = (a: unknown) => (packet.ip.version === 6 ? canonicalIpv6(String(a)) : a);
      c.same(`ip.${field}`, canonical(got[field]), canonical(value));
    } else c.same(`ip.${field}`, got[field] ?? (field === 'reservedBit' ? false : undefined), value);
  }
  if (packet.ip.version === 4 && decoded.ip.version === 4) {
    const options = hex(decoded.ip.options);
    const wanted = hex(packet.ip.options);
    if (!options.startsWith(wanted) || /[^0]/.test(options.slice(wanted.length))) c.fail(`ip.options: decoded ${options}, given ${wanted}`);
  }
  for (const [field, value] of Object.entries(packet.tcp)) {
    if (field === 'options' || field === 'payload') continue;
    c.same(`tcp.${field}`, (decoded.tcp as Record<string, unknown>)[field] ?? (field === 'reserved' ? 0 : undefined), value);
  }
  c.same('tcp.payload', hex(decoded.tcp.payload), hex(packet.tcp.payload));
  const ours = untilEol(decoded.tcp.options, (o) => o.kind === 'eol').map(describeOption);
  const given = untilEol(packet.tcp.options, (o) => o.kind === 'eol').map(describeOption);
  c.same('tcp.options', ours.join(', '), given.join(', '));
  return c.disagreements;
}

// ---------------------------------------------------------------- the tests

const decodeFixtures = loadFixtures('decode.json', DecodeFixtureSchema);
const encodeFixtures = loadFixtures('encode.json', EncodeFixtureSchema);

describe('decodePacket agrees with tshark', () => {
  test('the fixtures cover what they claim', () => {
    assert.ok(decodeFixtures.length >= 60, `only ${decodeFixtures.length} decode fixtures`);
    assert.ok(decodeFixtures.some((f) => f.malformed) && decodeFixtures.some((f) => f.tshark.ipv6 !== undefined));
  });
  for (const fixture of decodeFixtures) {
    test(`${fixture.name} (frame ${fixture.frame})`, () => {
      const disagreements = compareDecode(fixture);
      const context = fixture.note ? `\nnote: ${fixture.note}` : '';
      assert.deepEqual(disagreements, [], `bytes ${fixture.hex}${context}`);
    });
  }
});

describe('encodePacket matches scapy byte for byte', () => {
  for (const fixture of encodeFixtures) {
    test(fixture.name, () => {
      const actual = hex(encodePacket(packetFromJson(fixture)));
      if (actual !== fixture.hex) assert.equal(actual, fixture.hex, firstDifference(actual, fixture.hex));
    });
  }
});

describe("scapy's bytes decode back to the repr they were built from", () => {
  // A given length that disagrees with the bytes moves where the decoder finds the options
  // or the payload, so those reprs do not come back field for field.
  const givesLength = ({ packet }: EncodeFixture) => 'dataOffset' in packet.tcp || 'totalLength' in packet.ip || 'payloadLength' in packet.ip;
  // A fragment other than the first holds no TCP header to read back (RFC 791).
  const laterFragment = ({ packet }: EncodeFixture) => (packet.ip['fragOffset'] ?? 0) !== 0;
  for (const fixture of encodeFixtures.filter((f) => !givesLength(f) && !laterFragment(f))) {
    test(fixture.name, () => {
      assert.deepEqual(roundTripDisagreements(fixture, packetFromJson(fixture)), [], `bytes ${fixture.hex}`);
    });
  }
});
