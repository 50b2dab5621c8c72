// opts= in matchers beyond presence: `!wscale` for an option that must not be there, and
// `sack:L-R;L-R` for the blocks a SACK option must carry. Tested against a SYN-ACK that
// answered a SYN with no options, one that answered Linux's full SYN, and a duplicate ACK
// reporting a hole, as the kernel sends them on loopback.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { VariableRef } from '../../src/lang/expression.js';
import { parseMatcherLine } from '../../src/lang/matcher.js';
import { allMatch, describeMatcher, expectedPacket, matchPacket, resolveMatcher, type FieldResult } from '../../src/lang/matcher-match.js';
import { formatOptions } from '../../src/lang/options.js';
import { decodePacket, encodePacket, type DecodedPacket } from '../../src/wire/packet.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import type { TcpOption } from '../../src/wire/tcp-options.js';
import { expectSyntaxError } from './expect-error.js';

function fromServer(flags: number, options: TcpOption[]): DecodedPacket {
  return decodePacket(
    encodePacket({
      ip: { version: 4, src: '127.0.0.1', dst: '127.0.0.1', tos: 0, id: 0, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array() },
      tcp: { sport: 7, dport: 40000, seq: 5000, ack: 2001, flags, window: 64, urgent: 0, options, payload: new Uint8Array() },
    }),
  );
}

const bareSynAck = fromServer(TcpFlag.SYN | TcpFlag.ACK, [{ kind: 'mss', value: 65495 }]);
const fullSynAck = fromServer(TcpFlag.SYN | TcpFlag.ACK, [
  { kind: 'mss', value: 65495 },
  { kind: 'sackok' },
  { kind: 'ts', tsval: 777, tsecr: 100 },
  { kind: 'nop' },
  { kind: 'wscale', value: 10 },
]);
const dupAck = fromServer(TcpFlag.ACK, [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', tsval: 778, tsecr: 102 }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [[2006, 2011]] }]);
const twoHoles = fromServer(TcpFlag.ACK, [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [[3000, 3100], [2006, 2011]] }]);
const wrapped = fromServer(TcpFlag.ACK, [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [[4294967290, 4]] }]);

const variables: Record<string, number> = { 'tx.seq': 2006, 'tx.len': 5 };
const resolve = (ref: VariableRef) => variables[`${ref.name}.${ref.field ?? ''}`];

function results(line: string, packet: DecodedPacket): FieldResult[] {
  return matchPacket(resolveMatcher(parseMatcherLine(line), resolve), packet);
}

const holds = (line: string, packet: DecodedPacket): boolean => allMatch(results(line, packet));

describe('an option that must be absent', () => {
  test('!wscale holds where no window scale came, and fails where one did', () => {
    assert.equal(holds('expect opts=!wscale', bareSynAck), true);
    assert.equal(holds('expect opts=!wscale', fullSynAck), false);
  });

  test('absences and presences mix in one list, in any order', () => {
    assert.equal(holds('expect opts=mss:*,!wscale,!sackok,!ts', bareSynAck), true);
    assert.equal(holds('expect opts=!ts,mss:65495,!sack', bareSynAck), true);
    assert.equal(holds('expect opts=mss:*,!wscale,!sackok,!ts', fullSynAck), false);
    assert.equal(holds('expect opts=sackok,!sack', fullSynAck), true, 'SACK permitted is not a SACK block');
  });

  test('every option can be ruled out by name, and any by kind number', () => {
    for (const name of ['mss', 'wscale', 'sackok', 'ts', 'nop']) assert.equal(holds(`expect opts=!${name}`, fullSynAck), false, name);
    assert.equal(holds('expect opts=!sack', fullSynAck), true);
    assert.equal(holds('expect opts=!eol', fullSynAck), true);
    assert.equal(holds('expect opts=!raw:3', fullSynAck), false, 'kind 3 is window scale');
    assert.equal(holds('expect opts=!raw:30', fullSynAck), true);
  });

  test('a packet with no options at all lacks every one', () => {
    const bare = fromServer(TcpFlag.ACK, []);
    assert.equal(holds('expect opts=!mss,!wscale,!sackok,!sack,!ts,!nop,!eol,!raw:30', bare), true);
  });

  test('an option the decoder could not read still counts as there', () => {
    const malformed = decodePacket(
      encodePacket({
        ip: fullSynAck.ip!,
        tcp: { ...fullSynAck.tcp!, checksum: undefined, dataOffset: undefined, options: [{ kind: 'unknown', type: 3, data: new Uint8Array([7, 0]) }] },
      }),
    );
    assert.equal(holds('expect opts=!wscale', malformed), false);
  });
});

describe('SACK blocks', () => {
  test('sack:L-R holds for exactly those blocks', () => {
    assert.equal(holds('expect opts=sack:2006-2011', dupAck), true);
    assert.equal(holds('expect opts=sack:2006-2012', dupAck), false);
    assert.equal(holds('expect opts=sack:2001-2006', dupAck), false);
  });

  test('sack alone, or sack:*, asks only that the option is there', () => {
    assert.equal(holds('expect opts=sack', dupAck), true);
    assert.equal(holds('expect opts=sack:*', dupAck), true);
    assert.equal(holds('expect opts=sack:*', fullSynAck), false);
  });

  test('an edge may be * or an expression over variables', () => {
    assert.equal(holds('expect opts=sack:*-2011', dupAck), true);
    assert.equal(holds('expect opts=sack:2006-*', dupAck), true);
    assert.equal(holds('expect opts=sack:*-*', dupAck), true);
    assert.equal(holds('expect opts=sack:$tx.seq-($tx.seq+$tx.len)', dupAck), true);
    assert.equal(holds('expect opts=sack:$tx.seq-$tx.seq', dupAck), false);
  });

  test('the blocks are matched in their order and number: the first is the latest', () => {
    assert.equal(holds('expect opts=sack:3000-3100;2006-2011', twoHoles), true);
    assert.equal(holds('expect opts=sack:2006-2011;3000-3100', twoHoles), false);
    assert.equal(holds('expect opts=sack:3000-3100', twoHoles), false);
    assert.equal(holds('expect opts=sack:2006-2011;3000-3100', dupAck), false);
  });

  test('edges live in sequence space: a block may wrap past 2^32', () => {
    assert.equal(holds('expect opts=sack:4294967290-4', wrapped), true);
    assert.equal(holds('expect opts=sack:(0-6)-4', wrapped), true);
  });
});

describe('what a failed option check says', () => {
  test('an option that should be absent is shown as it came, in the notation of the check', () => {
    assert.deepEqual(results('expect opts=mss:*,!wscale,!sackok', fullSynAck), [
      {
        field: 'opts',
        ok: false,
        expected: 'mss:*,!wscale,!sackok',
        actual: 'mss:65495,sackok,ts:777:100,nop,wscale:10',
        problems: ['wscale:10 is there, expected !wscale', 'sackok is there, expected !sackok'],
      },
    ]);
  });

  test('several of one kind are all shown', () => {
    assert.deepEqual(results('expect opts=!nop', dupAck)[0]?.problems, ['nop,nop,nop,nop are there, expected !nop']);
  });

  test('wrong SACK blocks are shown beside the ones asked for', () => {
    assert.deepEqual(results('expect opts=sack:2001-2006', dupAck), [
      {
        field: 'opts',
        ok: false,
        expected: 'sack:2001-2006',
        actual: 'nop,nop,ts:778:102,nop,nop,sack:2006-2011',
        problems: ['sack is 2006-2011, expected 2001-2006'],
      },
    ]);
    assert.deepEqual(results('expect opts=sack:*-2011;3000-3100', dupAck)[0]?.problems, ['sack is 2006-2011, expected *-2011;3000-3100']);
    assert.deepEqual(results('expect opts=sack:2006-2011', fullSynAck)[0]?.problems, ['no sack option']);
  });

  test('the matcher is written back with its variables resolved', () => {
    assert.equal(describeMatcher(resolveMatcher(parseMatcherLine('expect opts=mss:*,!wscale,sack:$tx.seq-($tx.seq+5);*-1,!raw:30'), resolve)), 'opts=mss:*,!wscale,sack:2006-2011;*-1,!raw:30');
  });

  test('the expected packet drops a ruled-out option, with the nops that aligned it, and carries the blocks asked for', () => {
    const absent = expectedPacket(resolveMatcher(parseMatcherLine('expect opts=!wscale'), resolve), { ip: fullSynAck.ip!, tcp: fullSynAck.tcp! });
    assert.equal(formatOptions(absent.tcp.options), 'mss:65495,sackok,ts:777:100');
    const noTs = expectedPacket(resolveMatcher(parseMatcherLine('expect opts=!ts'), resolve), { ip: dupAck.ip!, tcp: dupAck.tcp! });
    assert.equal(formatOptions(noTs.tcp.options), 'nop,nop,sack:2006-2011');
    const blocks = expectedPacket(resolveMatcher(parseMatcherLine('expect opts=sack:2001-*;3000-3100'), resolve), { ip: dupAck.ip!, tcp: dupAck.tcp! });
    assert.equal(formatOptions(blocks.tcp.options), 'nop,nop,ts:778:102,nop,nop,sack:2001-2011;3000-3100');
    const added = expectedPacket(resolveMatcher(parseMatcherLine('expect opts=sack:2006-2011'), resolve), { ip: fullSynAck.ip!, tcp: fullSynAck.tcp! });
    assert.equal(formatOptions(added.tcp.options), 'mss:65495,sackok,ts:777:100,nop,wscale:10,sack:2006-2011');
  });
});

describe('mistakes in absences and SACK blocks name the column', () => {
  const cases: Array<[string, number, string]> = [
    ['expect opts=!wscal', 14, "unknown option 'wscal' at column 14; did you mean 'wscale'?"],
    ['expect opts=!', 14, "expected an option name after '!' at column 14; e.g. !wscale; options are mss wscale sackok sack ts nop eol raw"],
    ['expect opts=mss:*,!', 20, "expected an option name after '!' at column 20; e.g. !wscale; options are mss wscale sackok sack ts nop eol raw"],
    ['expect opts=!!mss', 14, "expected an option name, got '!' at column 14; options are mss wscale sackok sack ts nop eol raw"],
    ['expect opts=!mss:1460', 17, '!mss takes no value at column 17; !mss rules the option out whatever its value; write just !mss'],
    ['expect opts=!raw:30:0081,mss', 20, '!raw:30 takes no value at column 20; !raw:30 rules the option out whatever its value; write just !raw:30'],
    ['expect opts=!raw', 17, 'option raw needs a kind number at column 17; e.g. raw:30 or raw:30:0081'],
    ['expect opts=mss!', 16, "unexpected '!' after mss at column 16; separate options with ','"],
    ['expect opts=!wscale;mss', 20, "unexpected ';' after !wscale at column 20; separate options with ','"],
    ['expect opts=mss:*,!mss', 19, "'!mss' contradicts 'mss:*' at column 19; an option cannot be both present and absent"],
    ['expect opts=!sack,sack:1-2', 19, "'sack:1-2' contradicts '!sack' at column 19; an option cannot be both present and absent"],
    ['expect opts=raw:3,!wscale', 19, "'!wscale' contradicts 'raw:3' at column 19; both are option kind 3, and an option cannot be both present and absent"],
    ['expect opts=sack:', 18, 'expected a sack edge, got end of value at column 18; an edge is a number, a $variable, (an expression) or *, e.g. sack:1000-2000'],
    ['expect opts=sack:1000', 22, "expected '-' between sack edges, got end of value at column 22; e.g. sack:1000-2000"],
    ['expect opts=sack:1-2-3', 21, "unexpected '-' after sack at column 21; separate options with ','"],
    ['expect opts=sack:1-2;', 22, 'expected a sack edge, got end of value at column 22; an edge is a number, a $variable, (an expression) or *, e.g. sack:1000-2000'],
    ['expect opts=sack:1-2;3-4;5-6;7-8;9-10', 34, 'too many sack blocks at column 34; an option holds at most 4'],
    ['expect opts=sack:4294967296-1', 18, 'a sack edge must be 0..4294967295, got 4294967296 at column 18'],
    ['expect opts=sack:$rx.sqe-1', 21, "unknown variable field '.sqe' at column 21; did you mean '.seq'?"],
  ];
  for (const [line, column, message] of cases) {
    test(line, () => {
      expectSyntaxError(() => parseMatcherLine(line), column, message);
    });
  }

  test('a contradiction is pointed at in full', () => {
    expectSyntaxError(() => parseMatcherLine('expect opts=mss:*,!mss'), 19, "'!mss' contradicts 'mss:*' at column 19; an option cannot be both present and absent", 4);
  });
});
