import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalIpv6Address } from '../../src/wire/ip-address.js';
import type { Ipv4Repr } from '../../src/wire/ipv4.js';
import type { Ipv6Repr } from '../../src/wire/ipv6.js';
import { decodePacket, encodePacket, type Packet } from '../../src/wire/packet.js';
import type { TcpRepr } from '../../src/wire/tcp.js';
import { checkTcpOptions, tcpOptionsLength, type TcpOption } from '../../src/wire/tcp-options.js';
import { assertReencodes, decodeStrictly } from './decode-checks.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

const ipv4Text = fc.tuple(u8, u8, u8, u8).map((parts) => parts.join('.'));
// Any text form in; what comes back out is the RFC 5952 form, so that is what is generated.
const ipv6Text = fc
  .array(fc.oneof(fc.constant(0), u16), { minLength: 8, maxLength: 8 })
  .map((words) => canonicalIpv6Address(words.map((word) => word.toString(16)).join(':'))!);

/** Kinds the codec names; an "unknown" option of one of these would decode as the named kind. */
const NAMED_KINDS = new Set([0, 1, 2, 3, 4, 5, 8]);

const option: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.constant<TcpOption>({ kind: 'eol' }),
  fc.constant<TcpOption>({ kind: 'nop' }),
  u16.map<TcpOption>((value) => ({ kind: 'mss', value })),
  u8.map<TcpOption>((value) => ({ kind: 'wscale', value })),
  fc.constant<TcpOption>({ kind: 'sackok' }),
  fc.array(fc.tuple(u32, u32), { maxLength: 4 }).map<TcpOption>((blocks) => ({ kind: 'sack', blocks })),
  fc.tuple(u32, u32).map<TcpOption>(([tsval, tsecr]) => ({ kind: 'ts', tsval, tsecr })),
  fc
    .tuple(u8.filter((type) => !NAMED_KINDS.has(type)), fc.uint8Array({ maxLength: 12 }))
    .map<TcpOption>(([type, data]) => ({ kind: 'unknown', type, data })),
);

// Options that would not fit are left out: a filter would throw most long lists away.
const options = fc.array(option, { maxLength: 14 }).map((list) => {
  const fitting: TcpOption[] = [];
  for (const each of list) if (tcpOptionsLength([...fitting, each]) <= 40) fitting.push(each);
  return fitting;
});

const tcp: fc.Arbitrary<TcpRepr> = fc.record(
  {
    sport: u16,
    dport: u16,
    seq: u32,
    ack: u32,
    flags: fc.integer({ min: 0, max: 0x1ff }),
    window: u16,
    urgent: u16,
    options,
    payload: fc.uint8Array({ maxLength: 300 }),
    reserved: fc.integer({ min: 0, max: 7 }),
  },
  { requiredKeys: ['sport', 'dport', 'seq', 'ack', 'flags', 'window', 'urgent', 'options', 'payload'] },
);

const ipv4: fc.Arbitrary<Ipv4Repr> = fc.record(
  {
    version: fc.constant(4 as const),
    src: ipv4Text,
    dst: ipv4Text,
    tos: u8,
    id: u16,
    df: fc.boolean(),
    mf: fc.boolean(),
    // A later fragment holds no TCP header, so only first fragments and whole packets.
    fragOffset: fc.constant(0),
    ttl: u8,
    protocol: fc.constant(6),
    options: fc.uint8Array({ maxLength: 40 }),
    reservedBit: fc.boolean(),
  },
  { requiredKeys: ['version', 'src', 'dst', 'tos', 'id', 'df', 'mf', 'fragOffset', 'ttl', 'protocol', 'options'] },
);

const ipv6: fc.Arbitrary<Ipv6Repr> = fc.record({
  version: fc.constant(6 as const),
  src: ipv6Text,
  dst: ipv6Text,
  trafficClass: u8,
  flowLabel: fc.integer({ min: 0, max: 0xfffff }),
  hopLimit: u8,
  nextHeader: fc.constant(6),
});

const packet: fc.Arbitrary<Packet> = fc.record({ ip: fc.oneof(ipv4, ipv6), tcp });

/**
 * What a repr reads back as: the computed fields filled in, optional flags made explicit,
 * and trailing zero bytes that the padding swallows dropped, since the bytes cannot tell
 * "an EOL option, then padding" from "padding" alone.
 */
function expectedBack(sent: Packet, bytes: Uint8Array): Packet {
  const ipHeader = sent.ip.version === 4 ? (bytes[0]! & 0x0f) * 4 : 40;
  const tcpOptions = [...sent.tcp.options];
  while (tcpOptions.at(-1)?.kind === 'eol' && padded(checkTcpOptions(tcpOptions) - 1) === padded(checkTcpOptions(tcpOptions))) tcpOptions.pop();
  const tcpBack: TcpRepr = {
    ...sent.tcp,
    options: tcpOptions,
    reserved: sent.tcp.reserved ?? 0,
    dataOffset: bytes[ipHeader + 12]! >> 4,
    checksum: (bytes[ipHeader + 16]! << 8) | bytes[ipHeader + 17]!,
  };
  if (sent.ip.version === 6) return { ip: { ...sent.ip, payloadLength: bytes.length - 40 }, tcp: tcpBack };
  // Start from the options as they sit on the wire, padding included, and read them back.
  let ipOptions = new Uint8Array(padded(sent.ip.options.length));
  ipOptions.set(sent.ip.options);
  const keep = lastWholeIpv4Option(ipOptions);
  while (ipOptions.length > keep && ipOptions.at(-1) === 0 && padded(ipOptions.length - 1) === padded(ipOptions.length)) {
    ipOptions = ipOptions.subarray(0, -1);
  }
  return {
    ip: {
      ...sent.ip,
      options: ipOptions,
      reservedBit: sent.ip.reservedBit ?? false,
      ihl: ipHeader / 4,
      totalLength: bytes.length,
      checksum: (bytes[10]! << 8) | bytes[11]!,
    },
    tcp: tcpBack,
  };
}

/** RFC 791: zeros inside an option (a router alert's value) are the option's, not padding. */
function lastWholeIpv4Option(options: Uint8Array): number {
  let at = 0;
  while (at < options.length) {
    if (options[at] === 0) return at;
    if (options[at] === 1) {
      at += 1;
      continue;
    }
    const length = options[at + 1];
    if (length === undefined || length < 2 || at + length > options.length) return 0;
    at += length;
  }
  return at;
}

function padded(length: number): number {
  return Math.ceil(length / 4) * 4;
}

test('decode(encode(x)) is x with the computed fields filled, for any representable packet', () => {
  fc.assert(
    fc.property(packet, (sent) => {
      const bytes = encodePacket(sent);
      const decoded = decodePacket(bytes);
      assert.deepEqual(
        decoded.issues.filter((issue) => issue.severity === 'error'),
        [],
      );
      assert.deepEqual({ ip: decoded.ip, tcp: decoded.tcp }, expectedBack(sent, bytes));
      assert.equal(decoded.ipChecksum, sent.ip.version === 4 ? 'ok' : null);
      assert.equal(decoded.tcpChecksum, sent.ip.version === 4 && sent.ip.mf ? null : 'ok');
      // And encoding what was decoded gives the same bytes again.
      assert.deepEqual(encodePacket({ ip: decoded.ip!, tcp: decoded.tcp! }), bytes);
    }),
    { numRuns: 3000 },
  );
});

test('decode never throws nor reads out of bounds on arbitrary bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
      assertReencodes(bytes, decodeStrictly(bytes));
    }),
    { numRuns: 5000 },
  );
});

test('decode never throws on arbitrary bytes with a version nibble of 4 or 6', () => {
  fc.assert(
    fc.property(fc.constantFrom(0x40, 0x60), fc.uint8Array({ maxLength: 120 }), (version, bytes) => {
      if (bytes.length > 0) bytes[0] = version | (bytes[0]! & 0x0f);
      assertReencodes(bytes, decodeStrictly(bytes));
    }),
    { numRuns: 5000 },
  );
});

test('decode never throws on valid packets with a stretch overwritten, cut or extended', () => {
  const damage = fc.record({
    at: fc.nat(),
    noise: fc.uint8Array({ minLength: 1, maxLength: 24 }),
    cut: fc.nat(),
    tail: fc.uint8Array({ maxLength: 8 }),
    how: fc.constantFrom('overwrite', 'cut', 'extend', 'all'),
  });
  fc.assert(
    fc.property(packet, damage, (sent, { at, noise, cut, tail, how }) => {
      let bytes = encodePacket(sent);
      if (how === 'overwrite' || how === 'all') {
        const start = at % bytes.length;
        bytes.set(noise.subarray(0, bytes.length - start), start);
      }
      if (how === 'cut' || how === 'all') bytes = bytes.slice(0, cut % (bytes.length + 1));
      if (how === 'extend' || how === 'all') bytes = Uint8Array.from([...bytes, ...tail]);
      assertReencodes(bytes, decodeStrictly(bytes));
    }),
    { numRuns: 3000 },
  );
});
