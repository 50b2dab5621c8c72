import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildPacket } from '../../src/lang/build.js';
import { ENCODE_DEFAULTS, type SegmentDefaults } from '../../src/lang/defaults.js';
import { formatSegment } from '../../src/lang/format-segment.js';
import { parseSegment } from '../../src/lang/segment-parser.js';
import { canonicalIpv6Address } from '../../src/wire/ip-address.js';
import { decodePacket, encodePacket, type IpRepr, type Packet } from '../../src/wire/packet.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import { tcpOptionsLength, type TcpOption } from '../../src/wire/tcp-options.js';

const noVariables = () => undefined;

function roundTrip(packet: Packet, defaults?: SegmentDefaults): Packet {
  const text = defaults === undefined ? formatSegment(packet) : formatSegment(packet, { defaults });
  return buildPacket(parseSegment(text), { defaults: defaults ?? ENCODE_DEFAULTS, resolve: noVariables });
}

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((array) => Uint8Array.from(array));
const ipv6 = fc.ipV6().map((address) => canonicalIpv6Address(address) ?? '::1');

const ipv4Repr: fc.Arbitrary<IpRepr> = fc.record({
  version: fc.constant(4 as const),
  src: fc.ipV4(),
  dst: fc.ipV4(),
  tos: u8,
  id: u16,
  df: fc.boolean(),
  mf: fc.constant(false),
  fragOffset: fc.constant(0),
  ttl: u8,
  protocol: fc.constant(6),
  options: fc.constant(new Uint8Array(0)),
});

const ipv6Repr: fc.Arbitrary<IpRepr> = fc.record({
  version: fc.constant(6 as const),
  src: ipv6,
  dst: ipv6,
  trafficClass: u8,
  flowLabel: fc.constant(0),
  hopLimit: u8,
  nextHeader: fc.constant(6),
});

const unknownOption: fc.Arbitrary<TcpOption> = fc
  .tuple(u8, bytes(8), fc.option(fc.oneof(fc.constant(null), u8), { nil: undefined }))
  .map(([type, data, length]) => (length === undefined ? { kind: 'unknown', type, data } : { kind: 'unknown', type, data, length }));

const tcpOption: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.constant({ kind: 'eol' as const }),
  fc.constant({ kind: 'nop' as const }),
  fc.constant({ kind: 'sackok' as const }),
  u16.map((value) => ({ kind: 'mss' as const, value })),
  u8.map((value) => ({ kind: 'wscale' as const, value })),
  fc.tuple(u32, u32).map(([tsval, tsecr]) => ({ kind: 'ts' as const, tsval, tsecr })),
  fc.array(fc.tuple(u32, u32), { maxLength: 4 }).map((blocks) => ({ kind: 'sack' as const, blocks })),
  unknownOption,
);

const textPayload = fc.string({ maxLength: 40 }).map((text) => Uint8Array.from(Buffer.from(text, 'utf8')));

const packet: fc.Arbitrary<Packet> = fc
  .record({
    ip: fc.oneof(ipv4Repr, ipv6Repr),
    sport: u16,
    dport: u16,
    seq: u32,
    ack: u32,
    flags: fc.integer({ min: 0, max: 0x1ff }),
    window: u16,
    urgent: u16,
    options: fc.array(tcpOption, { maxLength: 6 }).filter((options) => tcpOptionsLength(options) <= 40),
    payload: fc.oneof(bytes(64), textPayload),
    checksum: fc.option(u16, { nil: undefined }),
  })
  // fast-check's records have no prototype; spread them into plain objects like the ones built.
  .map(({ ip, checksum, ...tcp }) => ({ ip: { ...ip }, tcp: checksum === undefined ? { ...tcp } : { ...tcp, checksum } }));

const defaults: fc.Arbitrary<SegmentDefaults> = fc.record({
  version: fc.constantFrom(4 as const, 6 as const),
  ipv4: fc.record({ src: fc.ipV4(), dst: fc.ipV4() }),
  ipv6: fc.record({ src: ipv6, dst: ipv6 }),
  sport: u16,
  dport: u16,
  seq: u32,
  ack: u32,
  flags: fc.integer({ min: 0, max: 0x1ff }),
  win: u16,
  urp: u16,
  ttl: u8,
  id: u16,
  tos: u8,
  df: fc.boolean(),
});

/** Defaults that agree with the packet on a random subset of fields, so omission is exercised. */
function sharing(base: SegmentDefaults, p: Packet, picks: boolean[]): SegmentDefaults {
  const take = (i: number) => picks[i] === true;
  const { ip, tcp } = p;
  const out: SegmentDefaults = { ...base, ipv4: { ...base.ipv4 }, ipv6: { ...base.ipv6 } };
  const family = ip.version === 4 ? out.ipv4 : out.ipv6;
  if (take(0)) out.version = ip.version;
  if (take(1)) family.src = ip.src;
  if (take(2)) family.dst = ip.dst;
  if (take(3)) out.sport = tcp.sport;
  if (take(4)) out.dport = tcp.dport;
  if (take(5)) out.seq = tcp.seq;
  if (take(6)) out.ack = tcp.ack;
  if (take(7)) out.flags = tcp.flags;
  if (take(8)) out.win = tcp.window;
  if (take(9)) out.urp = tcp.urgent;
  if (take(10)) out.ttl = ip.version === 4 ? ip.ttl : ip.hopLimit;
  if (take(11)) out.tos = ip.version === 4 ? ip.tos : ip.trafficClass;
  if (take(12) && ip.version === 4) out.id = ip.id;
  if (take(13) && ip.version === 4) out.df = ip.df;
  return out;
}

test('formatting a packet and parsing the text gives the same packet', () => {
  fc.assert(
    fc.property(packet, (p) => {
      assert.deepEqual(roundTrip(p), p);
    }),
    { numRuns: 1000 },
  );
});

test('with defaults, the short text builds the same packet under those defaults', () => {
  fc.assert(
    fc.property(packet, defaults, fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }), (p, base, picks) => {
      const d = sharing(base, p, picks);
      assert.deepEqual(roundTrip(p, d), p);
    }),
    { numRuns: 1000 },
  );
});

test('the canonical text lists every field in order', () => {
  const built = buildPacket(parseSegment('tcp flags=SA seq=1000 ack=1 opts=mss:1460 data="hi\\n"'), {
    defaults: ENCODE_DEFAULTS,
    resolve: noVariables,
  });
  assert.equal(
    formatSegment(built),
    'tcp src=127.0.0.1 dst=127.0.0.1 ttl=64 id=0 tos=0 df=1 sport=40000 dport=7 seq=1000 ack=1 flags=SA win=64240 urp=0 opts=mss:1460 data="hi\\n"',
  );
  assert.equal(formatSegment(built, { defaults: ENCODE_DEFAULTS }), 'tcp seq=1000 ack=1 flags=SA opts=mss:1460 data="hi\\n"');
});

test('with defaults, an IPv6 packet keeps an address to say so', () => {
  const built = buildPacket(parseSegment('tcp dst=::1 flags=S'), { defaults: ENCODE_DEFAULTS, resolve: noVariables });
  assert.equal(formatSegment(built), 'tcp src=::1 dst=::1 ttl=64 tos=0 sport=40000 dport=7 seq=0 ack=0 flags=S win=64240 urp=0');
  assert.equal(formatSegment(built, { defaults: ENCODE_DEFAULTS }), 'tcp dst=::1 flags=S');
  assert.equal(formatSegment(built, { defaults: { ...ENCODE_DEFAULTS, version: 6 } }), 'tcp flags=S');
});

test('a decoded packet formats to a line that encodes to the same bytes, checksum included', () => {
  const sent = buildPacket(parseSegment('tcp flags=PA seq=7 data="x" opts=nop,nop,ts:1:2'), { defaults: ENCODE_DEFAULTS, resolve: noVariables });
  const bytesOnWire = encodePacket(sent);
  const decoded = decodePacket(bytesOnWire);
  assert.ok(decoded.ip && decoded.tcp);
  const text = formatSegment({ ip: decoded.ip, tcp: decoded.tcp });
  assert.match(text, / chksum=0x[0-9a-f]{4}$/);
  const again = buildPacket(parseSegment(text), { defaults: ENCODE_DEFAULTS, resolve: noVariables });
  assert.deepEqual(encodePacket(again), bytesOnWire);
  assert.equal(again.tcp.flags, TcpFlag.PSH | TcpFlag.ACK);
});
