// Scapy's notation against scapy itself: cases.json holds lines as a learner types them with
// the bytes scapy builds for each (test/fixtures/scapy-notation/generate.py makes it), and
// tcplab, given scapy's defaults in place of a session's, must build the same bytes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { z } from 'zod';
import { buildPacket, type SegmentContext } from '../../src/lang/build.js';
import type { SegmentDefaults } from '../../src/lang/defaults.js';
import type { VariableRef } from '../../src/lang/expression.js';
import {
  SCAPY_KEYWORDS,
  buildScapyPacket,
  isScapyNotation,
  parseScapyNotation,
} from '../../src/lang/scapy-notation.js';
import { parseSegment } from '../../src/lang/segment-parser.js';
import { SegmentSyntaxError } from '../../src/lang/syntax-error.js';
import { encodePacket, PacketSchema } from '../../src/wire/packet.js';
import { expectSyntaxError } from './expect-error.js';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    assert.notEqual(parent, dir, 'no package.json above this test');
    dir = parent;
  }
  return dir;
}

const ROOT = packageRoot();

/** What scapy fills in for a field left out, as a session's defaults would be. */
const SCAPY_DEFAULTS: SegmentDefaults = {
  version: 4,
  ipv4: { src: '127.0.0.1', dst: '127.0.0.1' },
  ipv6: { src: '::1', dst: '::1' },
  sport: 20,
  dport: 80,
  seq: 0,
  ack: 0,
  flags: 0x02,
  win: 8192,
  urp: 0,
  ttl: 64,
  id: 1,
  tos: 0,
  df: false,
};

const VARIABLES: Record<string, number | string> = {
  'rx.seq': 5000,
  'rx.ack': 1001,
  'rx.flags': 0x12,
  'server.addr': '10.0.0.2',
  'server.port': 7,
  'v6.addr': 'fd00::2',
};

function resolve(ref: VariableRef): number | string | undefined {
  return VARIABLES[ref.field === null ? ref.name : `${ref.name}.${ref.field}`];
}

const SCAPY_CONTEXT: SegmentContext = { defaults: SCAPY_DEFAULTS, resolve };

function scapyHex(line: string, context: SegmentContext = SCAPY_CONTEXT): string {
  return Buffer.from(encodePacket(buildScapyPacket(parseScapyNotation(line), context))).toString('hex');
}

function segmentHex(line: string, context: SegmentContext = SCAPY_CONTEXT): string {
  return Buffer.from(encodePacket(buildPacket(parseSegment(line), context))).toString('hex');
}

const CaseSchema = z.object({
  line: z.string(),
  scapy: z.string(),
  call: z.enum(['sr1', 'sr', 'send']).nullable(),
  timeout: z.number().nullable(),
  hex: z.string().regex(/^[0-9a-f]+$/),
});

const cases = z.array(CaseSchema).parse(JSON.parse(readFileSync(join(ROOT, 'test/fixtures/scapy-notation/cases.json'), 'utf8')));

describe('byte for byte what scapy builds', () => {
  test('the fixture has cases', () => assert.ok(cases.length >= 80, `${cases.length} cases`));
  for (const fixture of cases) {
    test(fixture.line, () => {
      const notation = parseScapyNotation(fixture.line);
      assert.equal(notation.call?.name ?? null, fixture.call);
      assert.equal(notation.call?.timeout?.seconds ?? null, fixture.timeout);
      assert.equal(scapyHex(fixture.line), fixture.hex, `scapy built ${fixture.scapy}`);
    });
  }
  test('every keyword of the notation appears in some case', () => {
    for (const { layer, keyword } of SCAPY_KEYWORDS) {
      const used = cases.some((c) => new RegExp(`${layer}\\([^)]*\\b${keyword}\\s*=`).test(c.line));
      assert.ok(used, `no case uses ${layer}(${keyword}=...)`);
    }
  });
});

describe('the same packets as the segment language', () => {
  const pairs: Array<[string, string]> = [
    ['IP(dst="10.0.0.2")/TCP(dport=7, flags="S", seq=1000)', 'tcp dst=10.0.0.2 dport=7 flags=S seq=1000'],
    ["TCP(flags='PA', seq=1, ack=1)/'hello\\r\\n'", 'tcp flags=PA seq=1 ack=1 data="hello\\r\\n"'],
    ['IPv6(dst="fd00::2", hlim=3, tc=4)/TCP()', 'tcp dst=fd00::2 ttl=3 tos=4'],
    ['IP(flags="DF", id=9)/TCP(window=0, urgptr=5, chksum=0xbeef)', 'tcp df=1 id=9 win=0 urp=5 chksum=0xbeef'],
    [
      "TCP(options=[('MSS',1460),('SAckOK',b''),('Timestamp',(1,0)),('NOP',None),('WScale',7),('SAck',(1000,2000))])",
      'tcp opts=mss:1460,sackok,ts:1:0,nop,wscale:7,sack:1000-2000',
    ],
    ["TCP(options=[(30, b'\\x00\\x81')])", 'tcp opts=raw:30:0081'],
  ];
  for (const [scapy, segment] of pairs) {
    test(scapy, () => assert.equal(scapyHex(scapy), segmentHex(segment)));
  }

  test('$variables work where numbers and addresses go, as in a tcp line', () => {
    assert.equal(
      scapyHex('sr1(IP(dst=$server.addr)/TCP(dport=$server.port, flags="A", seq=$rx.ack, ack=$rx.seq+1))'),
      segmentHex('tcp dst=10.0.0.2 dport=7 flags=A seq=1001 ack=5001'),
    );
    assert.equal(scapyHex('TCP(flags=$rx.flags)'), segmentHex('tcp flags=SA'));
    assert.equal(scapyHex("TCP(options=[('Timestamp', ($rx.seq, 0))])"), segmentHex('tcp opts=ts:5000:0'));
  });

  test('fields left out take the session defaults, not scapy\'s', () => {
    const session: SegmentContext = {
      defaults: { ...SCAPY_DEFAULTS, sport: 40001, dport: 7, flags: 0, win: 64240, id: 0, df: true },
      resolve,
    };
    assert.equal(scapyHex('TCP(flags="S")', session), segmentHex('tcp flags=S', session));
    assert.equal(scapyHex('IP()/TCP(flags="S")', session), segmentHex('tcp flags=S', session));
  });

  test('IP() and IPv6() fix the version even when the session is the other one', () => {
    const v6session: SegmentContext = { defaults: { ...SCAPY_DEFAULTS, version: 6 }, resolve };
    const v4 = buildScapyPacket(parseScapyNotation('IP()/TCP()'), v6session);
    assert.equal(v4.ip.version, 4);
    const v6 = buildScapyPacket(parseScapyNotation('IPv6()/TCP()'), SCAPY_CONTEXT);
    assert.equal(v6.ip.version, 6);
    assert.equal(buildScapyPacket(parseScapyNotation('TCP()'), v6session).ip.version, 6);
  });

  test('the spec points into the scapy text', () => {
    const line = 'IP(dst="10.0.0.2")/TCP(seq=1000, flags="S")';
    const { spec, ipLayer } = parseScapyNotation(line);
    assert.equal(spec.text, line);
    assert.equal(spec.version, 4);
    assert.deepEqual(ipLayer, { name: 'IP', version: 4, span: { column: 1, length: 2 } });
    assert.deepEqual(spec.fields.seq?.nameSpan, { column: 24, length: 3 });
    assert.deepEqual(spec.fields.seq?.valueSpan, { column: 28, length: 4 });
    assert.deepEqual(spec.fields.dst?.valueSpan, { column: 8, length: 10 });
  });
});

describe('wrappers', () => {
  test('sr1, sr and send say what to do, with the timeout in seconds', () => {
    assert.deepEqual(parseScapyNotation('sr1(TCP(), timeout=2)').call, {
      name: 'sr1',
      span: { column: 1, length: 3 },
      timeout: { seconds: 2, span: { column: 20, length: 1 } },
    });
    assert.equal(parseScapyNotation('send(TCP())').call?.name, 'send');
    assert.equal(parseScapyNotation('sr(TCP(), timeout=0.25)').call?.timeout?.seconds, 0.25);
    assert.equal(parseScapyNotation('TCP()').call, null);
  });

  test('a pasted prompt and a trailing semicolon are fine', () => {
    assert.equal(parseScapyNotation('>>> sr1(TCP())').call?.name, 'sr1');
    assert.equal(parseScapyNotation('sr1(TCP());').call?.name, 'sr1');
  });

  test('isScapyNotation tells the two languages apart', () => {
    for (const line of ['sr1(IP()/TCP())', '  IP(dst="1.2.3.4")/TCP()', 'TCP ()', '>>> send(TCP())', 'UDP()']) {
      assert.equal(isScapyNotation(line), true, line);
    }
    for (const line of ['tcp flags=S', 'tcp data="f(x)"', '', 'send tcp flags=S']) {
      assert.equal(isScapyNotation(line), false, line);
    }
  });
});

describe('errors name the column', () => {
  const errors: Array<[string, number, string]> = [
    ['IP()/UDP(dport=53)', 6, 'UDP() is not supported at column 6; tcplab builds TCP segments only'],
    ['Ether()/IP()/TCP()', 1, 'Ether() is not supported at column 1; tcplab sends IP packets with no link layer; start with IP(...)'],
    ['sendp(IP()/TCP())', 1, 'sendp() is not supported at column 1; tcplab sends IP packets, not frames: write send(...)'],
    ['IP()/TPC()', 6, "unknown layer 'TPC' at column 6; did you mean 'TCP'?"],
    ['TCP(windw=5)', 5, "unknown keyword 'windw' for TCP() at column 5; did you mean 'window'?"],
    ['TCP(win=5)', 5, "unknown keyword 'win' for TCP() at column 5; scapy calls it 'window'"],
    ['TCP(dst="10.0.0.1")', 5, "unknown keyword 'dst' for TCP() at column 5; 'dst' belongs to IP(...)"],
    ['IPv6(ttl=1)/TCP()', 6, "unknown keyword 'ttl' for IPv6() at column 6; scapy's IPv6 calls it 'hlim'"],
    ['IPv6(flags="DF")/TCP()', 6, "unknown keyword 'flags' for IPv6() at column 6; IPv6 has no flags field"],
    ['TCP(dataofs=5)', 5, 'TCP(dataofs=...) is not supported at column 5; tcplab computes the data offset from the options'],
    ['IP(len=20)/TCP()', 4, "IP(len=...) is not supported at column 4; tcplab computes the IP packet's length"],
    ['TCP(seq=1000*2)', 13, "unexpected '*' at column 13; tcplab reads values, it does not run Python; only '+' and '-' combine numbers"],
    ['TCP(seq=2**8)', 10, "unexpected '**' at column 10; tcplab reads values, it does not run Python; only '+' and '-' combine numbers"],
    ['TCP(seq=x)', 9, "'x' is a Python name at column 9; tcplab does not run Python; write a number, or a $variable such as $rx.seq"],
    ['TCP(seq=RandInt())', 9, 'RandInt() is Python code at column 9; tcplab does not run Python; write a number, or a $variable such as $rx.seq'],
    ['TCP(seq=len("ab"))', 9, 'len() is Python code at column 9; tcplab does not run Python; write a number, or a $variable such as $rx.seq'],
    ['TCP()/"a"*100', 10, "unexpected '*' at column 10; tcplab reads values, it does not run Python; only '+' and '-' combine numbers"],
    ['TCP()/"a"+"b"', 10, "'+' combines numbers only, not a string at column 10; write the whole payload as one literal"],
    ['TCP(seq=-1)', 9, "unexpected '-' at column 9; a field takes no negative number; write the value itself"],
    ['TCP(seq=1.5)', 9, 'seq takes an integer, got 1.5 at column 9'],
    ['TCP(seq=0123)', 9, 'a decimal number cannot start with 0 at column 9; Python reads 0o123 as octal and 0x as hex'],
    ['TCP(seq=0x)', 11, "expected hex digits after '0x', got ')' at column 11"],
    ['TCP(seq=12ab)', 9, "'12ab' is not a number at column 9; 'a' cannot follow the digits"],
    ['TCP(seq=1__0)', 10, "'_' must be followed by a digit at column 10"],
    ['TCP(seq=4294967296)', 9, 'seq must be 0..4294967295, got 4294967296 at column 9'],
    ['TCP(sport=70000)', 11, 'sport must be 0..65535, got 70000 at column 11'],
    ['TCP(window="big")', 12, 'window takes a number, or a $variable such as $rx.seq, got a string at column 12'],
    ['TCP(seq=1, seq=2)', 12, "duplicate keyword 'seq' at column 12; it is already set at column 5"],
    ['TCP(flags="Sx")', 13, "unknown TCP flag 'x' at column 13; scapy's TCP flag letters are F S R P A U E C N"],
    ['TCP(flags="sa")', 12, "unknown TCP flag 's' at column 12; scapy's flag letters are upper case: 'S'"],
    ['TCP(flags=0x200)', 11, 'flags must be 0..511, got 512 at column 11'],
    ['IP(flags="DG")/TCP()', 10, "unknown IP flag 'DG' at column 10; did you mean 'DF'?"],
    ['IP(flags=8)/TCP()', 10, 'IP flags must be 0..7, got 8 at column 10'],
    ['IP(dst="::1")/TCP()', 8, "IP() takes IPv4 addresses, got '::1' at column 8; write IPv6(dst=\"::1\")"],
    ['IPv6(src="10.0.0.1")/TCP()', 10, "IPv6() takes IPv6 addresses, got '10.0.0.1' at column 10; write IP(src=\"10.0.0.1\")"],
    ['IP(dst="example.com")/TCP()', 8, "'example.com' is not an IPv4 address at column 8; names are not looked up; write an address"],
    ['IP(dst="10.0.0.0/24")/TCP()', 8, "'10.0.0.0/24' is not an IPv4 address at column 8; scapy's a/b stands for many packets; write one address"],
    ['IP(dst="10.0.0.256")/TCP()', 8, "'10.0.0.256' is not an IPv4 address at column 8; write four numbers 0..255, e.g. 10.0.0.1"],
    ['IP(dst=10)/TCP()', 8, 'dst takes an address in quotes, e.g. dst="10.0.0.2", got a number at column 8'],
    ['IP("10.0.0.1")/TCP()', 4, 'IP() takes its fields by name at column 4; e.g. IP(src="10.0.0.1")'],
    ['IP(dst="10.0.0.1")', 19, 'expected /TCP(...) after IP(...) at column 19; tcplab sends TCP segments, e.g. IP(dst="10.0.0.2")/TCP(flags="S")'],
    ['sr1()', 1, 'sr1() needs a packet at column 1; e.g. sr1(IP(dst="10.0.0.2")/TCP(dport=7, flags="S"))'],
    ['sr1(p)', 5, "'p' is a Python name at column 5; tcplab reads the packet as written and keeps no Python variables; write the layers out, e.g. IP(...)/TCP(...)"],
    ['sr1(TCP(), timeot=2)', 12, "unknown keyword 'timeot' for sr1() at column 12; did you mean 'timeout'?"],
    ['sr1(TCP(), iface="lo")', 12, "unknown keyword 'iface' for sr1() at column 12; sr1() takes the packet, timeout= and verbose="],
    ['sr1(TCP(), TCP())', 12, 'sr1() takes one packet at column 12; send one packet per line'],
    ['IP()/send(TCP())', 6, 'send() goes around the whole packet at column 6; e.g. send(IP(...)/TCP(...))'],
    ['TCP()/IP()', 7, 'IP(...) must come before TCP(...) at column 7; write IP(...)/TCP(...)'],
    ['IP()/IP()/TCP()', 6, 'a second IP layer at column 6; IP() at column 1 is the packet\'s IP header; IP in IP is not supported'],
    ['TCP()/TCP()', 7, 'a second TCP layer at column 7; the TCP header is already at column 1; put more bytes in the payload'],
    ['IP()/"x"/TCP()', 6, 'a payload must come after TCP(...) at column 6; e.g. TCP(flags="PA")/"hello"'],
    ['TCP()/Raw(data=b"x")', 11, "unknown keyword 'data' for Raw() at column 11; scapy calls it 'load'"],
    ['TCP()/Raw(load=5)', 16, 'the payload takes a str or bytes literal, e.g. b"hello\\r\\n", got a number at column 16'],
    ['TCP()/b"caf\u00e9"', 12, "a bytes literal holds ASCII characters only at column 12; write \\x escapes, or a str, which scapy sends as UTF-8"],
    ['TCP()/"abc', 7, 'unterminated string at column 7; close it with "'],
    ['TCP()/"""abc"""', 7, 'triple-quoted strings are not supported at column 7; write one line, with \\n for line breaks'],
    ['TCP()/f"{x}"', 7, 'f-strings are Python code at column 7; write a plain string'],
    ['TCP()/"\\x4"', 8, "'\\x' needs 2 hex digits at column 8; e.g. \\x00 or \\x7f"],
    ['TCP()/b"\\777"', 9, "octal escape '\\777' is more than one byte at column 9; the largest is \\377"],
    ['TCP()/"\\N{BULLET}"', 8, "'\\N{...}' names are not supported at column 8; write the character, or \\uXXXX"],
    ["TCP(options=[('MSS', 1460), ('Mss', 536)])", 30, "unknown option 'Mss' at column 30; did you mean 'MSS'?"],
    ["TCP(options=[('UTO', b'\\x00\\x10')])", 15, "option 'UTO' is not supported by name at column 15; write its kind and bytes: (28, b'...')"],
    ["TCP(options=[('MSS', 70000)])", 22, 'MSS must be 0..65535, got 70000 at column 22'],
    ["TCP(options=[('SAck', (1, 2, 3))])", 23, 'SAck takes edges in pairs, got 3 at column 23; give left and right edges, e.g. (1000, 2000, 3000, 4000)'],
    ["TCP(options=[('SAckOK', None)])", 25, "SAckOK's value takes b'', got None at column 25"],
    ["TCP(options=[('Timestamp', 5)])", 28, "Timestamp's value takes a pair (TSval, TSecr), e.g. (100, 0), got a number at column 28"],
    ["TCP(options=['MSS'])", 14, "expected an option as a (name, value) pair, got a string at column 14; e.g. ('MSS', 1460) or ('NOP', None)"],
    ["TCP(options=[(256, b'')])", 15, 'an option kind must be 0..255, got 256 at column 15'],
    [
      "TCP(options=[('SAck', (1,2,3,4,5,6,7,8)), ('Timestamp', (1, 0))])",
      13,
      'options take 44 bytes at column 13; a TCP header holds at most 40 bytes of options',
    ],
    ['TCP(seq=1', 10, "expected ')', got end of line at column 10; the '(' at column 4 is not closed"],
    ['TCP(seq=1 ack=2)', 11, "expected ',' or ')' after an argument of TCP(), got 'ack' at column 11; separate arguments with commas"],
    ['TCP(seq=)', 9, "missing value for 'seq' at column 9; write seq=value"],
    ['TCP(seq=1, 5)', 12, 'a positional argument follows a keyword argument at column 12; put it before the keyword at column 5'],
    ['TCP() TCP()', 7, "unexpected 'TCP' after TCP(...) at column 7; write one packet per line"],
    ['TCP()//"x"', 6, "'//' is Python's integer division at column 6; stack layers with a single '/', e.g. IP()/TCP()"],
    ['TCP(seq=1)[0]', 11, "unexpected '[' at column 11; indexing is Python code; write the value itself"],
    ['', 1, 'expected a packet, got end of line at column 1; e.g. sr1(IP(dst="10.0.0.2")/TCP(dport=7, flags="S"))'],
    ['sr1(TCP(), timeout="2")', 20, 'timeout takes a number of seconds, got a string at column 20; e.g. timeout=2 or timeout=0.5'],
  ];
  for (const [line, column, message] of errors) {
    test(line === '' ? '(empty line)' : line, () => {
      expectSyntaxError(() => parseScapyNotation(line), column, message);
    });
  }

  test('an address variable of the other version is caught when the packet is built', () => {
    const notation = parseScapyNotation('IP(dst=$v6.addr)/TCP()');
    expectSyntaxError(
      () => buildScapyPacket(notation, SCAPY_CONTEXT),
      8,
      'IP() takes IPv4 addresses but $v6.addr is fd00::2 at column 8; write IPv6(...) for IPv6',
    );
  });

  test('a variable the session cannot answer points at its $', () => {
    expectSyntaxError(() => buildScapyPacket(parseScapyNotation('TCP(ack=$tx.seq+1)'), SCAPY_CONTEXT), 9, 'unknown variable $tx.seq at column 9');
  });
});

describe('the reference', () => {
  const reference = readFileSync(join(ROOT, 'docs', 'scapy-notation.md'), 'utf8');

  test('lists every keyword, with the field it fills', () => {
    const rows = [...reference.matchAll(/^\| `(IP|IPv6|TCP|Raw)` +\| `(\w+)` +\| (`\w+`|none) *\|/gm)].map((m) => ({
      layer: m[1],
      keyword: m[2],
      field: m[3] === 'none' ? null : m[3]!.slice(1, -1),
    }));
    assert.deepEqual(
      rows,
      SCAPY_KEYWORDS.map(({ layer, keyword, field }) => ({ layer, keyword, field })),
    );
  });

  // "| `scapy line` | `tcp line` |" rows: both sides build the same packet.
  const pairs = [...reference.matchAll(/^\| `((?:sr1|sr|send|IP|IPv6|TCP)\(.*?)` +\| `(tcp .*?)` +\|$/gm)].map((m) => [m[1]!, m[2]!] as const);
  test('has side-by-side examples', () => assert.ok(pairs.length >= 8, `${pairs.length} pairs`));
  for (const [scapy, segment] of pairs) {
    test(`side by side: ${scapy}`, () => {
      const context: SegmentContext = { defaults: { ...SCAPY_DEFAULTS, df: true, id: 0, sport: 40000, dport: 7, flags: 0, win: 64240 }, resolve };
      assert.equal(scapyHex(scapy.replaceAll('\\|', '|'), context), segmentHex(segment.replaceAll('\\|', '|'), context));
    });
  }

  // "| `line` | message |" rows in the errors section quote what the parser says.
  const errorSection = reference.slice(reference.indexOf('## Errors'));
  const quoted = [...errorSection.matchAll(/^\| `(.+?)` +\| (.+?) +\|$/gm)].map((m) => [m[1]!, m[2]!.replaceAll('\\|', '|')] as const);
  test('quotes errors', () => assert.ok(quoted.length >= 5, `${quoted.length} errors`));
  for (const [line, message] of quoted) {
    test(`quotes the error for ${line}`, () => {
      let caught: unknown;
      try {
        parseScapyNotation(line);
      } catch (error) {
        caught = error;
      }
      assert.ok(caught instanceof Error, `${line} did not fail`);
      assert.equal(caught.message, message);
    });
  }
});

// Fragments of the notation, so random lines get deep into the reader rather than failing
// on the first character.
const fragment = fc.constantFrom(
  'sr1(', 'send(', 'IP(', 'IPv6(', 'TCP(', 'Raw(', 'UDP(', ')', '(', '/', ',', '=', ' ', 'src', 'dst', 'flags', 'seq',
  'options', 'fl', 'load', 'timeout', '"', "'", 'b', 'r', '\\', '\\x', '\\u', '\\N', '\\777', '1', '0x', '0o', '0b',
  '_', '.', 'e', '1.5', '4294967296', '+', '-', '*', '[', ']', 'None', 'True', '$rx.seq', '$server.addr', '"SA"', '"DF"',
  "('MSS', 1460)", "('SAck', (1, 2))", '10.0.0.1', '::1', 'é', '中', '#', ';', '>>>',
);
const scapyLine = fc.oneof(
  fc.array(fragment, { maxLength: 16 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 40 }),
);

test('any line either builds a valid packet or fails with a SegmentSyntaxError at a column inside it', () => {
  fc.assert(
    fc.property(scapyLine, (text) => {
      try {
        PacketSchema.parse(buildScapyPacket(parseScapyNotation(text), SCAPY_CONTEXT));
      } catch (error) {
        assert.ok(error instanceof SegmentSyntaxError, `${JSON.stringify(text)} threw ${String(error)}`);
        assert.ok(error.column >= 1 && error.column <= text.length + 1, `${JSON.stringify(text)}: column ${error.column}`);
        assert.match(error.message, new RegExp(`at column ${error.column}\\b`));
      }
    }),
    { numRuns: 5000 },
  );
});
