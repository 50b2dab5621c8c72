import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SEGMENT_FIELDS, SEGMENT_FIELD_NAMES } from '../../src/lang/fields.js';
import { parseSegment, parseSegmentFields } from '../../src/lang/segment-parser.js';
import { lexLine } from '../../src/lang/lexer.js';
import { expectSyntaxError } from './expect-error.js';

test('a bare tcp has no fields', () => {
  const spec = parseSegment('tcp');
  assert.deepEqual(spec.fields, {});
  assert.equal(spec.version, null);
  assert.deepEqual(parseSegment('  TCP  ').fields, {});
});

test('every field parses, keeping where its name and value were written', () => {
  const text =
    'tcp src=10.0.0.1 dst=10.0.0.2 ttl=3 id=0x10 tos=16 df=0 sport=40000 dport=7 seq=1000 ack=$rx.seq+1 ' +
    'flags=SA win=512 urp=1 opts=mss:1460 data="hi" chksum=0xdead';
  const spec = parseSegment(text);
  assert.deepEqual(Object.keys(spec.fields).sort(), [...SEGMENT_FIELD_NAMES].sort());
  assert.equal(spec.version, 4);
  for (const name of SEGMENT_FIELD_NAMES) {
    const field = spec.fields[name];
    assert.ok(field, name);
    const at = text.indexOf(` ${name}=`) + 2;
    assert.deepEqual(field.nameSpan, { column: at, length: name.length }, name);
    assert.equal(field.valueSpan.column, at + name.length + 1, name);
  }
  assert.deepEqual(spec.fields.src?.value, { kind: 'address', version: 4, address: '10.0.0.1', span: { column: 9, length: 8 } });
  assert.equal(spec.fields.ack?.value.kind, 'binary');
  assert.equal(spec.fields.ack?.value.text, '$rx.seq+1');
  assert.deepEqual(spec.fields.flags?.value, { kind: 'flags', mask: 0x12, span: { column: text.indexOf('flags=SA') + 7, length: 2 } });
  assert.deepEqual([...(spec.fields.data?.value.bytes ?? [])], [0x68, 0x69]);
});

test('an IPv6 literal makes the line IPv6; addresses are kept in canonical form', () => {
  const spec = parseSegment('tcp src=FD00:0:0::1 dst=fd00::2');
  assert.equal(spec.version, 6);
  assert.equal(spec.fields.src?.value.kind === 'address' && spec.fields.src.value.address, 'fd00::1');
  assert.equal(parseSegment('tcp dst=::ffff:10.0.0.1').version, 6);
  assert.equal(parseSegment('tcp dst=$server.addr').version, null);
});

test('parseSegmentFields serves a command with its own head word', () => {
  const text = 'send flags=S seq=1';
  const spec = parseSegmentFields(text, lexLine(text).fields);
  assert.equal(spec.fields.seq?.nameSpan.column, 14);
});

test('SEGMENT_FIELDS describes every field with an example that parses', () => {
  assert.equal(SEGMENT_FIELDS.length, 16);
  for (const field of SEGMENT_FIELDS) {
    assert.ok(field.description.length > 0);
    assert.ok(field.example.startsWith(`${field.name}=`));
    assert.ok(parseSegment(`tcp ${field.example}`).fields[field.name], field.name);
  }
});

// Each row: the line, the column, and the whole message.
const ERRORS: Array<[string, number, string]> = [
  ['tcp flgs=S', 5, "unknown field 'flgs' at column 5; did you mean 'flags'?"],
  ['tcp window=5', 5, "unknown field 'window' at column 5; fields are src dst ttl id tos df sport dport seq ack flags win urp opts data chksum"],
  ['tcp seq=1 seq=2', 11, "duplicate field 'seq' at column 11; it is already set at column 5"],
  ['tcp flags S', 10, "missing '=' after 'flags' at column 10; write flags=value"],
  ['tcp flags', 10, "missing '=' after 'flags' at column 10; write flags=value"],
  ['tcp flags =S', 10, "missing '=' after 'flags' at column 10; write flags=value with no spaces around '='"],
  ['tcp seq= ack=1', 9, "missing value for 'seq' at column 9; e.g. seq=$tx.seq+$tx.len"],
  ['tcp seq=1 "abc"', 11, "unknown field '\"abc\"' at column 11; fields are src dst ttl id tos df sport dport seq ack flags win urp opts data chksum"],
  ['tcp =5', 5, "expected a field name before '=' at column 5; e.g. flags=S"],
  ['tcp data="abc', 10, 'unterminated string at column 10; close it with "'],
  ['tcp data="a\\qb"', 12, 'unknown escape \'\\q\' at column 12; escapes are \\\\ \\" \\n \\r \\t \\0 \\a \\b \\f \\v \\e \\xHH and octal \\NNN'],
  ['tcp data="a"b', 13, "unexpected 'b' in the value of data at column 13; put the whole payload in one quoted string, or one 0x hex run"],
  ['tcp sport=70000', 11, 'sport must be 0..65535, got 70000 at column 11'],
  ['tcp dport=65536', 11, 'dport must be 0..65535, got 65536 at column 11'],
  ['tcp ttl=256', 9, 'ttl must be 0..255, got 256 at column 9'],
  ['tcp id=65536', 8, 'id must be 0..65535, got 65536 at column 8'],
  ['tcp tos=0x100', 9, 'tos must be 0..255, got 256 at column 9'],
  ['tcp df=2', 8, 'df must be 0..1, got 2 at column 8'],
  ['tcp win=1+65535', 9, 'win must be 0..65535, got 65536 from 1+65535 at column 9'],
  ['tcp urp=65536', 9, 'urp must be 0..65535, got 65536 at column 9'],
  ['tcp chksum=0x10000', 12, 'chksum must be 0..65535, got 65536 at column 12'],
  ['tcp seq=4294967296', 9, 'seq must be 0..4294967295, got 4294967296 at column 9'],
  ['tcp seq=1x', 10, "unexpected 'x' in the value of seq at column 10; values combine with '+' and '-'"],
  ['tcp seq=-1', 9, "expected a number or $variable, got '-' at column 9"],
  ['tcp flags=SX', 12, "unknown flag 'X' at column 12; flags are letters from FSRPAUEC or names like SYN|ACK"],
  ['tcp flags=$rx.flags+1', 20, "unexpected '+' in the value of flags at column 20; a flags variable stands alone, with no arithmetic"],
  ['tcp opts=mms:1460', 10, "unknown option 'mms' at column 10; did you mean 'mss'?"],
  ['tcp data=0x123', 12, 'data has an odd number of hex digits (3) at column 12; each byte takes two digits, e.g. 0a not a'],
  ['tcp ack=$rx.seq+', 16, "'+' needs a number or $variable after it at column 16; got end of value"],
  ['tcp ack=$rx.sqe+1', 12, "unknown variable field '.sqe' at column 12; did you mean '.seq'?"],
  ['tcp src=10.0.0.256', 9, "'10.0.0.256' is not an IPv4 address at column 9; write four numbers 0..255, e.g. 10.0.0.1"],
  ['tcp src=fe80::1%eth0', 9, "'fe80::1%eth0' is not an IPv6 address at column 9; zone ids such as %eth0 are not supported"],
  ['tcp dst=fe80:::1', 9, "'fe80:::1' is not an IPv6 address at column 9; e.g. fe80::1 or ::1"],
  ['tcp dst=localhost', 9, "expected an IPv4 or IPv6 address or $variable, got 'localhost' at column 9; names are not looked up"],
  ['tcp dst=$server.addr+1', 21, "unexpected '+' in the value of dst at column 21; an address variable stands alone, with no arithmetic"],
  [
    'tcp src=::1 dst=10.0.0.1',
    17,
    'dst is IPv4 but src is IPv6 at column 17; src at column 9 makes this an IPv6 packet; use one IP version for both',
  ],
  [
    'tcp dst=10.0.0.1 src=::1',
    22,
    'src is IPv6 but dst is IPv4 at column 22; dst at column 9 makes this an IPv4 packet; use one IP version for both',
  ],
  ['tcp dst=::1 id=4', 13, 'id is IPv4-only at column 13; this packet is IPv6 because of dst at column 9'],
  ['tcp df=1 src=fd00::1', 5, 'df is IPv4-only at column 5; this packet is IPv6 because of src at column 14'],
  ['tcpp flags=S', 1, "expected 'tcp', got 'tcpp' at column 1; did you mean 'tcp'?"],
  ['udp flags=S', 1, "expected 'tcp', got 'udp' at column 1; a segment starts with 'tcp', e.g. tcp flags=S"],
  ['flags=S', 1, "expected 'tcp', got 'flags=S' at column 1; e.g. tcp flags=S"],
  ['', 1, "expected 'tcp', got end of line at column 1; e.g. tcp flags=S"],
  ['   ', 4, "expected 'tcp', got end of line at column 4; e.g. tcp flags=S"],
];

for (const [text, column, message] of ERRORS) {
  test(`error: ${JSON.stringify(text)}`, () => {
    expectSyntaxError(() => parseSegment(text), column, message);
  });
}
