import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { VariableRef } from '../../src/lang/expression.js';
import { parseMatcherLine } from '../../src/lang/matcher.js';
import { allMatch, describeMatcher, expectedPacket, matchPacket, resolveMatcher, type FieldResult } from '../../src/lang/matcher-match.js';
import { decodePacket, encodePacket, type Packet } from '../../src/wire/packet.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import { expectSyntaxError } from './expect-error.js';

// A SYN-ACK as Linux sends it on loopback, to test matchers against.
const synAck: Packet = {
  ip: { version: 4, src: '127.0.0.1', dst: '127.0.0.1', tos: 0, id: 0, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array() },
  tcp: {
    sport: 7,
    dport: 40000,
    seq: 0xfffffff0,
    ack: 1001,
    flags: TcpFlag.SYN | TcpFlag.ACK,
    window: 65483,
    urgent: 0,
    options: [{ kind: 'mss', value: 65495 }, { kind: 'sackok' }, { kind: 'ts', tsval: 12345, tsecr: 100 }, { kind: 'nop' }, { kind: 'wscale', value: 10 }],
    payload: new Uint8Array(),
  },
};
const synAckDecoded = decodePacket(encodePacket(synAck));

const echo = decodePacket(
  encodePacket({ ip: synAck.ip, tcp: { ...synAck.tcp, seq: 5001, flags: TcpFlag.PSH | TcpFlag.ACK, options: [], payload: new TextEncoder().encode('hello') } }),
);

const variables: Record<string, number | string> = { 'tx.seq': 1000, 'tx.len': 0, 'rx.flags': TcpFlag.SYN | TcpFlag.ACK, 'server.addr': '127.0.0.1' };
const resolve = (ref: VariableRef) => variables[`${ref.name}${ref.index === null ? '' : `[${ref.index}]`}.${ref.field ?? ''}`];

function results(line: string, packet = synAckDecoded): FieldResult[] {
  return matchPacket(resolveMatcher(parseMatcherLine(line), resolve), packet);
}

function holds(line: string, packet = synAckDecoded): boolean {
  return allMatch(results(line, packet));
}

describe('matcher values', () => {
  test('a number, decimal or hex', () => {
    assert.equal(holds('expect ack=1001'), true);
    assert.equal(holds('expect ack=0x3e9'), true);
    assert.equal(holds('expect ack=1002'), false);
  });

  test('an expression over variables', () => {
    assert.equal(holds('expect ack=$tx.seq+1'), true);
    assert.equal(holds('expect ack=$tx.seq+$tx.len+1'), true);
    assert.equal(holds('expect ack=$tx.seq'), false);
  });

  test('* matches anything, even a field the packet lacks', () => {
    assert.equal(holds('expect seq=* win=* flags=* opts=* data=* src=*'), true);
  });

  test('a range includes both ends', () => {
    assert.equal(holds('expect win=65483..65535'), true);
    assert.equal(holds('expect win=1000..65483'), true);
    assert.equal(holds('expect win=1000..65482'), false);
    assert.equal(holds('expect ack=$tx.seq..$tx.seq+1'), true);
  });

  test('a range in sequence space may wrap past 2^32', () => {
    assert.equal(holds('expect seq=4294967280..10'), true);
    assert.equal(holds('expect seq=0xfffffff0..0xfffffff0'), true);
    assert.equal(holds('expect seq=4294967290..10'), false);
    assert.equal(holds('expect seq=0..4294967279'), false);
  });

  test('flags are exact: SA is SYN and ACK and nothing else', () => {
    assert.equal(holds('expect flags=SA'), true);
    assert.equal(holds('expect flags=SYN|ACK'), true);
    assert.equal(holds('expect flags=S'), false);
    assert.equal(holds('expect flags=SAE'), false);
    assert.equal(holds('expect flags=$rx.flags'), true);
  });

  test('opts lists options that must be present, in any order', () => {
    assert.equal(holds('expect opts=mss:*'), true);
    assert.equal(holds('expect opts=mss'), true);
    assert.equal(holds('expect opts=mss:65495'), true);
    assert.equal(holds('expect opts=mss:1460'), false);
    assert.equal(holds('expect opts=wscale:*,mss:*,ts:*'), true);
    assert.equal(holds('expect opts=ts:12345:*'), true);
    assert.equal(holds('expect opts=ts:*:100'), true);
    assert.equal(holds('expect opts=ts:*:101'), false);
    assert.equal(holds('expect opts=wscale:7..14'), true);
    assert.equal(holds('expect opts=sackok,nop'), true);
    assert.equal(holds('expect opts=sack'), false);
    assert.equal(holds('expect opts=raw:2'), true);
    assert.equal(holds('expect opts=raw:30'), false);
  });

  test('opts=- means no options at all', () => {
    assert.equal(holds('expect opts=-'), false);
    assert.equal(holds('expect opts=-', echo), true);
  });

  test('data is the payload, exactly; len its length', () => {
    assert.equal(holds('expect data="hello"', echo), true);
    assert.equal(holds('expect data=0x68656c6c6f', echo), true);
    assert.equal(holds('expect data="hell"', echo), false);
    assert.equal(holds('expect len=5', echo), true);
    assert.equal(holds('expect len=1..4', echo), false);
    assert.equal(holds('expect len=0'), true);
  });

  test('addresses, ports and IP fields', () => {
    assert.equal(holds('expect src=127.0.0.1 dst=$server.addr sport=7 dport=40000 ttl=64 df=1 id=0 tos=0'), true);
    assert.equal(holds('expect src=::1'), false);
  });

  test('timeout= is an error unless the caller takes it', () => {
    expectSyntaxError(() => parseMatcherLine('expect timeout=3'), 8, "unknown field 'timeout' at column 8; fields are src dst ttl id tos df sport dport seq ack win urp chksum flags opts len data");
    const matcher = parseMatcherLine('recv flags=PA timeout=3', { extras: ['timeout'] });
    assert.equal(matcher.fields.length, 1);
    assert.equal(matcher.extras.get('timeout')?.value, '3');
  });
});

describe('matcher results', () => {
  test('each field says what was expected and what arrived, in decimal and hex', () => {
    assert.deepEqual(results('expect ack=1002 flags=SA'), [
      { field: 'ack', ok: false, expected: '1002 (0x3ea)', actual: '1001 (0x3e9)', expectedValue: 1002, actualValue: 1001 },
      { field: 'flags', ok: true, expected: 'SA', actual: 'SA' },
    ]);
  });

  test('a range and a missing option are explained', () => {
    assert.deepEqual(results('expect win=1..100 opts=mss:1460,sack'), [
      { field: 'win', ok: false, expected: '1..100 (0x1..0x64)', actual: '65483 (0xffcb)', actualValue: 65483 },
      {
        field: 'opts',
        ok: false,
        expected: 'mss:1460,sack',
        actual: 'mss:65495,sackok,ts:12345:100,nop,wscale:10',
        problems: ['mss is 65495 (0xffd7), expected 1460', 'no sack option'],
      },
    ]);
  });

  test('data shows both payloads as the language writes them', () => {
    assert.deepEqual(results('expect data="help"', echo), [{ field: 'data', ok: false, expected: '"help" (4 bytes)', actual: '"hello" (5 bytes)' }]);
  });

  test('an IPv6-only absence is named', () => {
    const v6 = decodePacket(
      encodePacket({ ip: { version: 6, src: '::1', dst: '::1', trafficClass: 0, flowLabel: 0, hopLimit: 64, nextHeader: 6 }, tcp: synAck.tcp }),
    );
    assert.deepEqual(results('expect id=0', v6), [{ field: 'id', ok: false, expected: '0 (0x0)', actual: 'none: IPv6 has no id' }]);
  });

  test('describeMatcher writes the resolved list back', () => {
    assert.equal(describeMatcher(resolveMatcher(parseMatcherLine('expect ack=$tx.seq+1 win=* opts=mss:*,ts:1..2 data="a"'), resolve)), 'ack=1001 win=* opts=mss:*,ts:1..2:* data="a"');
  });

  test('the expected packet is the actual one with every pinned value put in', () => {
    const matcher = resolveMatcher(parseMatcherLine('expect ack=1002 win=1..100 opts=mss:1460,sack flags=S len=2'), resolve);
    const packet = expectedPacket(matcher, { ip: synAckDecoded.ip!, tcp: synAckDecoded.tcp! });
    assert.equal(packet.tcp.ack, 1002);
    assert.equal(packet.tcp.window, 1);
    assert.equal(packet.tcp.flags, TcpFlag.SYN);
    assert.deepEqual(packet.tcp.options, [...synAck.tcp.options.map((o) => (o.kind === 'mss' ? { kind: 'mss', value: 1460 } : o)), { kind: 'sack', blocks: [] }]);
    assert.equal(packet.tcp.payload.length, 2);
    assert.equal(packet.tcp.checksum, undefined, 'the checksum is left for the encoder');
    assert.equal(packet.tcp.seq, synAck.tcp.seq, 'what the matcher leaves free stays as it arrived');
  });
});

describe('matcher errors name the column', () => {
  const cases: Array<[string, number, string]> = [
    ['expect flgs=SA', 8, "unknown field 'flgs' at column 8; did you mean 'flags'?"],
    ['expect flags SA', 13, "missing '=' after 'flags' at column 13; write flags=value"],
    ['expect SA', 8, "expected field=value, got 'SA' at column 8; write field=value, e.g. flags=SA; fields are src dst ttl id tos df sport dport seq ack win urp chksum flags opts len data"],
    ['expect ack=', 12, "missing value for 'ack' at column 12; e.g. ack=$tx.seq+1"],
    ['expect ack=1 ack=2', 14, "duplicate field 'ack' at column 14; it is already given at column 8"],
    ['expect win=2000..1000', 12, 'the range 2000..1000 is empty at column 12; write the smaller bound first'],
    ['expect win=1000..', 18, "a range needs an upper bound after '..' at column 18; e.g. 1000..1000+100"],
    ['expect win=70000', 12, 'win must be 0..65535, got 70000 at column 12'],
    ['expect win=1..70000', 15, 'win must be 0..65535, got 70000 at column 15'],
    ['expect ack=1x', 13, "unexpected 'x' in the value of ack at column 13; a value is a number, an expression with '+' and '-', a range a..b, or *"],
    ['expect ack=$rx.sqe', 15, "unknown variable field '.sqe' at column 15; did you mean '.seq'?"],
    ['expect flags=SX', 15, "unknown flag 'X' at column 15; flags are letters from FSRPAUEC or names like SYN|ACK"],
    ['expect opts=mms:*', 13, "unknown option 'mms' at column 13; did you mean 'mss'?"],
    ['expect opts=mss:*;ts', 18, "unexpected ';' after mss at column 18; separate options with ','"],
    ['expect opts=sackok:1', 19, 'option sackok takes no value at column 19; write just sackok'],
    ['expect opts=sack:1-x', 20, "expected a sack edge, got 'x' at column 20; an edge is a number, a $variable, (an expression) or *, e.g. sack:1000-2000"],
    ['expect opts=mss:70000', 17, 'mss must be 0..65535, got 70000 at column 17'],
    ['expect data=hello', 13, "data must be a quoted string or 0x hex, got 'hello' at column 13; write data=\"hello\\r\\n\" or data=0x68656c6c6f"],
    ['expect data="abc', 13, 'unterminated string at column 13; close it with "'],
    ['expect src=1.2.3', 12, "'1.2.3' is not an IPv4 address at column 12; write four numbers 0..255, e.g. 10.0.0.1"],
  ];
  for (const [line, column, message] of cases) {
    test(line, () => {
      expectSyntaxError(() => parseMatcherLine(line), column, message);
    });
  }

  test('a variable with no value is an error at its $ when the matcher is resolved', () => {
    const matcher = parseMatcherLine('expect ack=$rx.seq+1');
    expectSyntaxError(() => resolveMatcher(matcher, () => undefined), 12, 'unknown variable $rx.seq at column 12');
  });

  test('a range whose variables make it empty is refused when resolved', () => {
    const matcher = parseMatcherLine('expect win=$tx.seq..10');
    expectSyntaxError(() => resolveMatcher(matcher, resolve), 12, 'the range $tx.seq..10 is empty: 1000 is more than 10 at column 12; write the smaller bound first');
  });
});
