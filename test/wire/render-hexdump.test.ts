import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { readHexText } from '../../src/wire/hex-text.js';
import { decodePacket, type DecodedPacket } from '../../src/wire/packet.js';
import { fieldLayout, type FieldSpan } from '../../src/wire/render/field-layout.js';
import { renderHexdump } from '../../src/wire/render/hexdump.js';
import { renderOneLine } from '../../src/wire/render/one-line.js';
import { renderShow } from '../../src/wire/render/show.js';
import { unhex } from './fixture-hex.js';

// Bytes built with Debian's python3-scapy 2.5.0 (see render-one-line.test.ts for how).
const SYN = '4500003c0001000040067cb97f0000017f0000019c410007000003e800000000a002faf0aedb0000020405b40402080a000000010000000001030307';
const DATA = '4500002d0001000040067cc87f0000017f0000019c410007000003e90000138950180200b838000068656c6c6f';
const IPV6_DATA = '610123450018064020010db800000000000000000000000120010db80000000000000000000000029c4100070000000100000001501820002296000068690d0a';
const BAD_TCP_CHECKSUM = '450000280001000040067ccd7f0000017f0000019c41000700000001000000005002200012340000';
const FIXTURES = [
  '4500003c0001000040067cb97f0000017f0000019c410007000003e800000000a002faf0aedb0000020405b40402080a000000010000000001030307',
  '4500003c0001000040067cb97f0000017f00000100079c4100001388000003e9a012ffcb9c3c00000204ffd70402080a000000070000000101030307',
  '450000280001000040067ccd7f0000017f0000019c410007000003e90000138950100200fc170000',
  '4500002d0001000040067cc87f0000017f0000019c410007000003e90000138950180200b838000068656c6c6f',
  '450000280001000040067ccd7f0000017f0000019c410007000003ee0000138950110200fc110000',
  '450000280001000040067ccd7f0000017f0000019c411b5d000003ee0000000050040000f6510000',
  '450000280001000040067ccd7f0000017f0000011b5d9c4100000000000003e950140000f6460000',
  '450000280001000040067ccd7f0000017f0000019c410007000003ee0000000050002000f1ab0000',
  '4500002b0001000040067cca7f0000017f0000019c410007000003ee000013895038200019820003616263',
  '4500003c0001000040067cb97f0000017f00000100079c4100001389000003eea01020005123000001010512000007d600000bbe00000fa60000138e',
  '450000300001000040067cc57f0000017f0000019c410007000000010000000070022000cdd60000020405b400000000',
  '450000300001000040067cc57f0000017f0000019c410007000000010000000070022000a985000063040102c8020000',
  '450000440001000040067cb17f0000017f0000019c4100070000000100000000c0022000ec05000022021c04800afe04f989060600000005140401021d060102aabb0000',
  '4500003c0001000040067cb97f0000017f0000019c4100070000000100000000a0022000886600001312414141414141414141414141414141410000',
  '450000340001000040067cc17f0000017f0000019c410007000000010000000080022000936c0000220a01020304050607080000',
  '600000000018064000000000000000000000000000000001000000000000000000000000000000019c410007000003e8000000006002fd2000c300000204ffc4',
  '610123450018064020010db800000000000000000000000120010db80000000000000000000000029c4100070000000100000001501820002296000068690d0a',
  '450000280001000040067ccd7f0000017f0000019c410007000000010000000050c22000f4d60000',
  '450000280001000040067ccd7f0000017f0000019c410007000000010000000250ff2000f4970000',
  '4500002c0001000040067cc97f0000017f0000019c410007000000010000000060022000de8e000002030501',
  '450000300001000040067cc57f0000017f0000019c410007000000010000000070022000ccd900000101020005b40000',
  '4500002c0001000040067cc97f0000017f0000019c410007000000010000000060022000ddd50000020905b4',
  '450000280001000040067ccd7f0000017f0000019c4100070000000100000000f002200055960000',
  '4500002c0001000040067cc97f0000017f0000019c41000700000001000000004002200040cc000061626364',
  '450000300001000040067cc57f0000017f0000019c410007000000010000000170102000d07600000508000000010000',
  '4500002e0001000040067cc77f0000017f0000019c410007000000010000000050042000b2470000726561736f6e',
  '4500008c0001000040067c697f0000017f0000019c410007fffffffa000000015018200059540000000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263',
  '450000280001000040067ccd7f0000017f0000019c410007000000010000000150102000f5870000000000000000',
  '4500002e0001200040065cc77f0000017f0000019c410007000000010000000150182000cb4c0000616263646566',
  '4500001a0001000a40067cd17f0000017f000001616263646566',
  '450000200001000040637c787f0000017f0000016162636465666768696a6b6c',
  '60000000000663400000000000000000000000000000000100000000000000000000000000000001616263646566',
  '450000330001000040067cc27f0000017f00000100010002000000000000',
  '450000330001000040067cc27f0000017f0000010001',
  '450000330001000040067cc27f0000017f00000100010002000000000000000070022000759700000204',
  '450000330001000040067cc27f0000017f0000010001000200000000000000007002200075970000020405b401030307',
  '6000000000170640000000000000000000000000000000010000000000000000000000000000000100010002000000000000',
  '450000280001000040067ccd7f0000017f0000019c41000700000001000000005002200012340000',
  '600000000015064000000000000000000000000000000001000000000000000000000000000000019c410007000000010000000150182000beef000078',
];

function decode(hex: string): DecodedPacket {
  return decodePacket(unhex(hex));
}

const strip = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

test('the data segment: hex rows as hexdump -C prints them, then the legend', () => {
  assert.equal(
    renderHexdump(decode(DATA)),
    [
      '0000  45 00 00 2d 00 01 00 00  40 06 7c c8 7f 00 00 01  |E..-....@.|.....|',
      '0010  7f 00 00 01 9c 41 00 07  00 00 03 e9 00 00 13 89  |.....A..........|',
      '0020  50 18 02 00 b8 38 00 00  68 65 6c 6c 6f           |P....8..hello|',
      '',
      '# 0000-0000  ip.version/ihl           version 4, ihl 5 (20 bytes)',
      '# 0001-0001  ip.tos                   0x00 (DSCP 0, Not-ECT)',
      '# 0002-0003  ip.totalLength           45',
      '# 0004-0005  ip.id                    1',
      '# 0006-0007  ip.flags/fragOffset      none, offset 0',
      '# 0008-0008  ip.ttl                   64',
      '# 0009-0009  ip.protocol              6 (tcp)',
      '# 000a-000b  ip.checksum              0x7cc8 (correct)',
      '# 000c-000f  ip.src                   127.0.0.1',
      '# 0010-0013  ip.dst                   127.0.0.1',
      '# 0014-0015  tcp.sport                40001',
      '# 0016-0017  tcp.dport                7',
      '# 0018-001b  tcp.seq                  1001',
      '# 001c-001f  tcp.ack                  5001',
      '# 0020-0020  tcp.dataOffset/reserved  data offset 5 (20 bytes), reserved 0',
      '# 0021-0021  tcp.flags                [P.] PSH ACK',
      '# 0022-0023  tcp.window               512',
      '# 0024-0025  tcp.checksum             0xb838 (correct)',
      '# 0026-0027  tcp.urgent               0',
      '# 0028-002c  tcp.payload              5 bytes',
    ].join('\n'),
  );
});

test('options are one span each, named as the decoder numbers them', () => {
  const spans = fieldLayout(decode(SYN)).filter((span) => span.field.startsWith('tcp.options'));
  assert.deepEqual(
    spans.map(({ start, end, field, value }) => [start, end, field, value]),
    [
      [0x28, 0x2c, 'tcp.options[0]', 'mss 1460'],
      [0x2c, 0x2e, 'tcp.options[1]', 'sackOK'],
      [0x2e, 0x38, 'tcp.options[2]', 'TS val 1 ecr 0'],
      [0x38, 0x39, 'tcp.options[3]', 'nop'],
      [0x39, 0x3c, 'tcp.options[4]', 'wscale 7'],
    ],
  );
  assert.equal(spans[0]!.label, 'maximum segment size');
});

test('end-of-list bytes that only pad the header are one padding span', () => {
  // TCP(options=[('MSS',1460),('EOL',None)]): mss, the EOL the decoder keeps (the header
  // would be shorter without it), then three zero bytes up to the word.
  const spans = fieldLayout(decode(FIXTURES.find((hex) => hex.endsWith('020405b400000000'))!));
  assert.deepEqual(
    spans.slice(-2).map(({ start, end, field, label, value }) => [start, end, field, label, value]),
    [
      [0x2c, 0x2d, 'tcp.options[1]', 'end of option list', 'eol'],
      [0x2d, 0x30, 'tcp.options', 'padding', '3 bytes of end-of-list padding'],
    ],
  );
});

test('IPv6 fields that share bytes share a span; long names push their value a line down', () => {
  const spans = fieldLayout(decode(IPV6_DATA));
  assert.deepEqual(spans[0], {
    start: 0,
    end: 4,
    field: 'ip.version/trafficClass/flowLabel',
    label: 'version, traffic class, flow label',
    value: 'version 6, tc 0x10, fl 0x12345',
  });
  const dump = renderHexdump(decode(IPV6_DATA)).split('\n');
  const at = dump.indexOf('# 0000-0003  ip.version/trafficClass/flowLabel');
  assert.ok(at > 0);
  assert.equal(dump[at + 1], '#' + ' '.repeat(38) + 'version 6, tc 0x10, fl 0x12345');
  assert.ok(dump.includes('# 0018-0027  ip.dst                    2001:db8::2'));
});

test('a bad checksum says what it should have been, and relative numbers are offered', () => {
  const spans = fieldLayout(decode(BAD_TCP_CHECKSUM));
  assert.equal(spans.find((span) => span.field === 'tcp.checksum')!.value, '0x1234 (bad, correct is 0xf596)');
  const relative = fieldLayout(decode(DATA), { seqBase: 1000, ackBase: 5000 });
  assert.equal(relative.find((span) => span.field === 'tcp.seq')!.value, '1001 (relative 1)');
  assert.equal(relative.find((span) => span.field === 'tcp.ack')!.value, '5001 (relative 1)');
});

test('with colour, a field\'s bytes and its legend entry share a colour, and bad ones are red', () => {
  const plain = renderHexdump(decode(BAD_TCP_CHECKSUM));
  const coloured = renderHexdump(decode(BAD_TCP_CHECKSUM), { color: true });
  assert.equal(strip(coloured), plain);
  // The checksum 0x1234 sits at offset 0x24: bytes "12 34" on the third row, in red.
  assert.match(coloured, /\x1b\[31m12\x1b\[0m \x1b\[31m34\x1b\[0m/);
  assert.match(coloured, /# \x1b\[31m0024-0025\x1b\[0m/);
  // The source port (first span of TCP) is coloured the same in the rows and in the legend.
  const sport = /\x1b\[(\d+)m9c\x1b\[0m \x1b\[\1m41\x1b\[0m/.exec(coloured);
  assert.ok(sport);
  assert.match(coloured, new RegExp(`# \\x1b\\[${sport[1]}m0014-0015\\x1b\\[0m`));
});

// A mutated or cut copy of a fixture: what a learner pastes, or a capture goes wrong with.
const damagedPacket = fc
  .record({
    base: fc.constantFrom(...FIXTURES),
    edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
  })
  .map(({ base, edits, cut }) => {
    let bytes = unhex(base);
    for (const [at, value] of edits) bytes[at % bytes.length] = value;
    if (cut !== undefined) bytes = bytes.slice(0, cut % (bytes.length + 1));
    return bytes;
  });

// Random option areas behind a fixed header, to line the layout's options up with the decoder's.
const randomOptions = fc
  .tuple(fc.integer({ min: 1, max: 10 }), fc.uint8Array({ minLength: 40, maxLength: 40 }), fc.uint8Array({ maxLength: 8 }))
  .map(([words, area, payload]) => {
    const bytes = unhex(DATA.slice(0, 80));
    const packet = new Uint8Array(40 + words * 4 + payload.length);
    packet.set(bytes);
    packet.set(area.subarray(0, words * 4), 40);
    packet.set(payload, 40 + words * 4);
    packet[2] = packet.length >> 8;
    packet[3] = packet.length & 0xff;
    packet[32] = (5 + words) << 4;
    return packet;
  });

function assertCovers(spans: readonly FieldSpan[], length: number): void {
  let at = 0;
  for (const span of spans) {
    assert.equal(span.start, at, `span ${span.field} starts at ${span.start}, expected ${at}`);
    assert.ok(span.end > span.start, `span ${span.field} is empty`);
    at = span.end;
  }
  assert.equal(at, length);
}

test('the layout covers every byte once, in order, whatever the bytes', () => {
  fc.assert(
    fc.property(fc.oneof(damagedPacket, randomOptions, fc.uint8Array({ maxLength: 80 })), (bytes) => {
      assertCovers(fieldLayout(decodePacket(bytes)), bytes.length);
    }),
    { numRuns: 2000 },
  );
});

test('an issue about an option falls in the span of that option, and the counts agree', () => {
  fc.assert(
    fc.property(randomOptions, (bytes) => {
      const decoded = decodePacket(bytes);
      const spans = fieldLayout(decoded);
      const options = spans.filter((span) => /^tcp\.options\[\d+\]$/.test(span.field));
      assert.equal(options.length, decoded.tcp!.options.length);
      for (const issue of decoded.issues) {
        const named = /^tcp\.options\[\d+\]/.exec(issue.field);
        if (!named) continue;
        // A missing length byte is reported where it should have been: just past the option.
        const span = spans.find((candidate) => candidate.field === named[0]);
        assert.ok(span, `no span for ${issue.field}`);
        assert.ok(issue.offset >= span.start && issue.offset <= span.end, `${issue.field} at ${issue.offset} is outside ${span.start}-${span.end}`);
      }
    }),
    { numRuns: 2000 },
  );
});

test('the dump pasted back into the hex reader gives the same bytes', () => {
  fc.assert(
    fc.property(fc.oneof(damagedPacket, randomOptions, fc.uint8Array({ minLength: 1, maxLength: 300 })), (bytes) => {
      const read = readHexText(renderHexdump(decodePacket(bytes)));
      assert.deepEqual(
        read.map((packet) => packet.bytes),
        bytes.length === 0 ? [] : [bytes],
      );
    }),
    { numRuns: 1000 },
  );
});

test('no rendering throws, and the dump and field view stay within 80 columns', () => {
  fc.assert(
    fc.property(fc.oneof(damagedPacket, randomOptions), (bytes) => {
      const decoded = decodePacket(bytes);
      renderOneLine(decoded, { seqBase: 7, ackBase: 9 });
      for (const text of [renderHexdump(decoded), renderShow(decoded)]) {
        for (const line of text.split('\n')) assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
      }
      const coloured = renderHexdump(decoded, { color: true });
      assert.equal(strip(coloured), renderHexdump(decoded));
    }),
    { numRuns: 1000 },
  );
});

test('an empty packet has no rows to show', () => {
  assert.equal(renderHexdump(decodePacket(new Uint8Array(0))), '# no bytes');
  assert.deepEqual(fieldLayout(decodePacket(new Uint8Array(0))), []);
});
