import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePacket, encodePacket, WireEncodeError, type WireIssue } from '../../src/wire/packet.js';
import { checkTcpOptions, emitTcpOptions, parseTcpOptions, type TcpOption } from '../../src/wire/tcp-options.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import { hex, unhex } from './fixture-hex.js';
import {
  LOOPBACK_SYN,
  MSS_EOL,
  SACK_FOUR_BLOCKS,
  SACK_TWO_BLOCKS,
  SYN_LINUX_ORDER,
  UNKNOWN_OPTIONS,
  WSCALE_PADDED,
} from './wire-fixtures.js';

/** Parses an options area given as hex, as if it started at byte 40 of a packet. */
function parse(areaHex: string): { options: TcpOption[]; issues: WireIssue[] } {
  const area = unhex(areaHex);
  const bytes = new Uint8Array(40 + area.length);
  bytes.set(area, 40);
  const issues: WireIssue[] = [];
  return { options: parseTcpOptions(bytes, 40, bytes.length, issues), issues };
}

/** The options area exactly as the encoder writes it, padding included. */
function emit(options: TcpOption[]): string {
  const length = checkTcpOptions(options);
  const out = new Uint8Array((length + 3) & ~3);
  emitTcpOptions(options, out, 0);
  return hex(out);
}

const fixtures: Array<[string, string, TcpOption[]]> = [
  [
    'Linux SYN order',
    SYN_LINUX_ORDER,
    [{ kind: 'mss', value: 1460 }, { kind: 'sackok' }, { kind: 'ts', tsval: 1, tsecr: 0 }, { kind: 'nop' }, { kind: 'wscale', value: 7 }],
  ],
  [
    'loopback SYN',
    LOOPBACK_SYN,
    [{ kind: 'mss', value: 65495 }, { kind: 'sackok' }, { kind: 'ts', tsval: 0x544a320c, tsecr: 0 }, { kind: 'nop' }, { kind: 'wscale', value: 10 }],
  ],
  [
    'two SACK blocks',
    SACK_TWO_BLOCKS,
    [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [[1000, 2000], [3000, 4000]] }],
  ],
  [
    'four SACK blocks',
    SACK_FOUR_BLOCKS,
    [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [[1, 2], [3, 4], [5, 6], [7, 8]] }],
  ],
  [
    'unknown kinds',
    UNKNOWN_OPTIONS,
    [
      { kind: 'unknown', type: 30, data: Uint8Array.of(1, 2, 3) },
      { kind: 'unknown', type: 34, data: new Uint8Array(0) },
    ],
  ],
  ['window scale and padding', WSCALE_PADDED, [{ kind: 'wscale', value: 14 }]],
  ['MSS and end of list', MSS_EOL, [{ kind: 'mss', value: 536 }, { kind: 'eol' }]],
];

for (const [name, fixture, options] of fixtures) {
  test(`options from scapy and Linux: ${name} decode to their reprs and encode to the same bytes`, () => {
    const decoded = decodePacket(unhex(fixture));
    assert.deepEqual(decoded.issues, []);
    assert.deepEqual(decoded.tcp?.options, options);
    const headerLength = decoded.tcp!.dataOffset! * 4;
    assert.equal(emit(options), fixture.slice(80, 40 + headerLength * 2));
  });
}

test('options go out exactly as written, in the order written, then zero padding', () => {
  assert.equal(
    emit([{ kind: 'wscale', value: 2 }, { kind: 'nop' }, { kind: 'mss', value: 0x1234 }, { kind: 'eol' }, { kind: 'nop' }, { kind: 'sackok' }]),
    '030302' + '01' + '02041234' + '00' + '01' + '0402',
  );
  assert.equal(emit([{ kind: 'ts', tsval: 0xffffffff, tsecr: 0x80000001 }]), '080affffffff80000001' + '0000');
  assert.equal(emit([{ kind: 'unknown', type: 254, data: Uint8Array.of(0xf9, 0x89) }]), 'fe04f989');
  assert.equal(emit([]), '');
});

test('an unknown option can carry a length byte that disagrees with its data, or none', () => {
  assert.equal(emit([{ kind: 'unknown', type: 2, length: 9, data: Uint8Array.of(5) }]), '020905' + '00');
  assert.equal(emit([{ kind: 'nop' }, { kind: 'unknown', type: 8, length: null, data: new Uint8Array(0) }]), '0108' + '0000');
});

test('a known kind with a wrong length is kept byte for byte as unknown, with a warning', () => {
  const { options, issues } = parse('020505b400' + '010101');
  assert.deepEqual(options, [{ kind: 'unknown', type: 2, data: Uint8Array.of(0x05, 0xb4, 0x00) }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'nop' }]);
  assert.deepEqual(issues, [
    {
      severity: 'warning',
      field: 'tcp.options[0].length',
      offset: 41,
      message: 'MSS option with length 5, expected 4; kept byte for byte as an unknown option',
    },
  ]);
  for (const [area, name] of [
    ['0302', 'window scale'],
    ['04030000', 'SACK-permitted'],
    ['080600000000', 'timestamps'],
    ['050b0000000000000000000000', 'SACK'],
  ] as const) {
    const parsed = parse(area);
    assert.equal(parsed.options[0]!.kind, 'unknown', name);
    assert.match(parsed.issues[0]!.message, new RegExp(`^${name} option with length`));
  }
});

test('a SACK option with no blocks is read as such, with a warning', () => {
  const { options, issues } = parse('01010502');
  assert.deepEqual(options, [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [] }]);
  assert.deepEqual(
    issues.map((issue) => [issue.severity, issue.field, issue.offset]),
    [['warning', 'tcp.options[2].length', 43]],
  );
});

test('a length below 2 stops the parse, and the rest is kept as it is', () => {
  for (const length of [0, 1]) {
    const { options, issues } = parse(`0204ffff08${length.toString(16).padStart(2, '0')}0102`);
    assert.deepEqual(options, [{ kind: 'mss', value: 0xffff }, { kind: 'unknown', type: 8, length, data: Uint8Array.of(1, 2) }]);
    assert.deepEqual(issues, [
      {
        severity: 'error',
        field: 'tcp.options[1].length',
        offset: 45,
        message: `option kind 8 has length ${length}, below the minimum of 2; the 4 bytes from here on are kept as they are`,
      },
    ]);
  }
});

test('a length that runs past the header is reported and the option kept as it is', () => {
  const { options, issues } = parse('0204ffff080a0000');
  assert.deepEqual(options, [{ kind: 'mss', value: 0xffff }, { kind: 'unknown', type: 8, length: 10, data: Uint8Array.of(0, 0) }]);
  assert.deepEqual(issues, [
    {
      severity: 'error',
      field: 'tcp.options[1].length',
      offset: 45,
      message: 'option kind 8 has length 10, which runs past the end of the header (4 bytes left); kept as it is',
    },
  ]);
  assert.equal(emit(options), '0204ffff080a0000');
});

test('a kind byte with no room for its length is reported and kept', () => {
  const { options, issues } = parse('01010108');
  assert.deepEqual(options, [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'unknown', type: 8, length: null, data: new Uint8Array(0) }]);
  assert.deepEqual(
    issues.map((issue) => [issue.field, issue.offset, issue.message]),
    [['tcp.options[3].length', 44, 'option kind 8 is cut off by the end of the header before its length byte']],
  );
  assert.equal(emit(options), '01010108');
});

test('options after the end of the list are read, with a warning, so their bytes survive', () => {
  const { options, issues } = parse('00010100');
  assert.deepEqual(options, [{ kind: 'eol' }, { kind: 'nop' }, { kind: 'nop' }]);
  assert.deepEqual(
    issues.map((issue) => [issue.severity, issue.field, issue.offset]),
    [['warning', 'tcp.options[1]', 41]],
  );
  assert.equal(emit(options), '00010100');
});

test('end-of-list bytes are dropped only as far as padding explains them', () => {
  assert.deepEqual(parse('03030700').options, [{ kind: 'wscale', value: 7 }]);
  assert.deepEqual(parse('0204021800000000').options, [{ kind: 'mss', value: 536 }, { kind: 'eol' }]);
  const zeros = parse('0000000000000000').options;
  assert.equal(zeros.length, 5);
  assert.equal(emit(zeros), '0000000000000000');
});

test('malformed options inside a whole packet re-encode to the same bytes', () => {
  const packet = unhex(SYN_LINUX_ORDER);
  // The SACK-permitted option's length becomes 1: everything after it is one unknown option.
  packet[45] = 1;
  const decoded = decodePacket(packet);
  assert.deepEqual(
    decoded.issues.map((issue) => issue.field),
    ['tcp.options[1].length', 'tcp.checksum'],
  );
  assert.equal(hex(encodePacket({ ip: decoded.ip!, tcp: decoded.tcp! })), hex(packet));
});

test('options that do not fit or whose values do not are WireEncodeErrors naming the field', () => {
  const cases: Array<[TcpOption[], string]> = [
    [Array.from({ length: 41 }, () => ({ kind: 'nop' as const })), 'tcp.options'],
    [[{ kind: 'sack', blocks: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]] }], 'tcp.options'],
    [[{ kind: 'unknown', type: 99, data: new Uint8Array(39) }], 'tcp.options'],
    [[{ kind: 'nop' }, { kind: 'mss', value: 70000 }], 'tcp.options[1].value'],
    [[{ kind: 'wscale', value: 256 }], 'tcp.options[0].value'],
    [[{ kind: 'ts', tsval: -1, tsecr: 0 }], 'tcp.options[0].tsval'],
    [[{ kind: 'ts', tsval: 0, tsecr: 2 ** 32 }], 'tcp.options[0].tsecr'],
    [[{ kind: 'sack', blocks: [[0, 2 ** 32]] }], 'tcp.options[0].blocks[0][1]'],
    [[{ kind: 'unknown', type: 256, data: new Uint8Array(0) }], 'tcp.options[0].type'],
    [[{ kind: 'unknown', type: 30, length: 256, data: new Uint8Array(0) }], 'tcp.options[0].length'],
    [[{ kind: 'bogus' } as unknown as TcpOption], 'tcp.options[0].kind'],
  ];
  const ip = { version: 4 as const, src: '10.0.0.1', dst: '10.0.0.2', tos: 0, id: 1, df: false, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array(0) };
  for (const [options, field] of cases) {
    assert.throws(
      () =>
        encodePacket({
          ip,
          tcp: { sport: 1, dport: 2, seq: 0, ack: 0, flags: TcpFlag.SYN, window: 0, urgent: 0, options, payload: new Uint8Array(0) },
        }),
      (error: unknown) => error instanceof WireEncodeError && error.field === field,
      field,
    );
  }
  assert.throws(() => checkTcpOptions(Array.from({ length: 44 }, () => ({ kind: 'eol' as const }))), {
    message: 'tcp.options: 44 bytes of options do not fit; a TCP header holds at most 40',
  });
});
