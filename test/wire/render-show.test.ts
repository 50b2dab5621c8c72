import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldSum, ipv4PseudoSum } from '../../src/wire/checksum.js';
import { decodePacket } from '../../src/wire/packet.js';
import { renderShow } from '../../src/wire/render/show.js';
import { unhex } from './fixture-hex.js';

// Bytes built with Debian's python3-scapy 2.5.0 (see render-one-line.test.ts for how).
const SYN = '4500003c0001000040067cb97f0000017f0000019c410007000003e800000000a002faf0aedb0000020405b40402080a000000010000000001030307';
const IPV6_DATA = '610123450018064020010db800000000000000000000000120010db80000000000000000000000029c4100070000000100000001501820002296000068690d0a';
const BAD_TCP_CHECKSUM = '450000280001000040067ccd7f0000017f0000019c41000700000001000000005002200012340000';
const BAD_IP_CHECKSUM = '4500002800010000400612347f0000017f0000019c410007000000010000000050022000f5960000';
const DATA = '4500002d0001000040067cc87f0000017f0000019c410007000003e90000138950180200b838000068656c6c6f';
const PADDED = '450000280001000040067ccd7f0000017f0000019c410007000000010000000150102000f5870000000000000000';
const LATER_FRAGMENT = '4500001a0001000a40067cd17f0000017f000001616263646566';
const NOT_TCP = '450000200001000040637c787f0000017f0000016162636465666768696a6b6c';
const OPTION_PAST_HEADER = '4500002c0001000040067cc97f0000017f0000019c410007000000010000000060022000ddd50000020905b4';
const HUNDRED_BYTES = '4500008c0001000040067c697f0000017f0000019c410007fffffffa000000015018200059540000000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263';
const MD5 = '4500003c0001000040067cb97f0000017f0000019c4100070000000100000000a0022000886600001312414141414141414141414141414141410000';

function show(hex: string, options?: Parameters<typeof renderShow>[1]): string {
  return renderShow(decodePacket(unhex(hex)), options);
}

test('the Linux SYN, field by field, computed fields included', () => {
  assert.equal(
    show(SYN),
    [
      '###[ IP ]###',
      '  version   = 4',
      '  ihl       = 5 (20 bytes)',
      '  tos       = 0x00 (DSCP 0, Not-ECT)',
      '  len       = 60',
      '  id        = 1',
      '  flags     = none',
      '  frag      = 0',
      '  ttl       = 64',
      '  proto     = 6 (tcp)',
      '  chksum    = 0x7cb9 (correct)',
      '  src       = 127.0.0.1',
      '  dst       = 127.0.0.1',
      '  options   = []',
      '###[ TCP ]###',
      '  sport     = 40001',
      '  dport     = 7',
      '  seq       = 1000',
      '  ack       = 0',
      '  dataofs   = 10 (40 bytes)',
      '  reserved  = 0',
      '  flags     = [S] SYN',
      '  window    = 64240',
      '  chksum    = 0xaedb (correct)',
      '  urgptr    = 0',
      '  options   = [0] mss 1460',
      '              [1] sackOK',
      '              [2] TS val 1 ecr 0',
      '              [3] nop',
      '              [4] wscale 7',
    ].join('\n'),
  );
});

test('IPv6 fields go by their own names, and the payload is a Raw layer', () => {
  const text = show(IPV6_DATA);
  assert.match(text, /^###\[ IPv6 \]###\n  version   = 6\n  tc        = 0x10 \(DSCP 4, Not-ECT\)\n  fl        = 0x12345\n/);
  assert.match(text, /\n  plen      = 24\n  nh        = 6 \(tcp\)\n  hlim      = 64\n  src       = 2001:db8::1\n  dst       = 2001:db8::2\n/);
  assert.match(text, /\n  flags     = \[P\.\] PSH ACK\n/);
  assert.ok(text.endsWith('###[ Raw ]###\n  load      = "hi\\r\\n" (4 bytes)'));
});

test('checksums carry their verdict and, when bad, the right value', () => {
  // tcpdump -v gave the right values: "incorrect -> 0xf596" and "bad cksum 1234 (->7ccd)!".
  const tcp = show(BAD_TCP_CHECKSUM);
  assert.match(tcp, /\n  chksum    = 0x1234 \(bad, correct is 0xf596\)\n/);
  assert.match(tcp, /\n###\[ Issues \]###\n  error   tcp\.checksum \(byte 36\): /);
  const ip = show(BAD_IP_CHECKSUM);
  assert.match(ip, /\n  chksum    = 0x1234 \(bad, correct is 0x7ccd\)\n/);
  assert.match(ip, /\n  chksum    = 0xf596 \(correct\)\n/);

  const bytes = unhex(DATA);
  const partial = foldSum(ipv4PseudoSum(bytes, 12, 16, 6, bytes.length - 20));
  bytes[36] = partial >> 8;
  bytes[37] = partial & 0xff;
  const offloaded = renderShow(decodePacket(bytes));
  assert.match(offloaded, new RegExp(`\n  chksum    = 0x${partial.toString(16).padStart(4, '0')} \\(partial: offloaded\\)\n`));
  assert.doesNotMatch(offloaded, /Issues/);
});

test('relative numbers are shown next to the absolute ones', () => {
  const text = show(DATA, { seqBase: 1000, ackBase: 5000 });
  assert.match(text, /\n  seq       = 1001 \(relative 1\)\n  ack       = 5001 \(relative 1\)\n/);
});

test('bytes after the IP packet are a Padding layer, and the issues come last', () => {
  const text = show(PADDED);
  assert.ok(
    text.endsWith(
      [
        '###[ Padding ]###',
        '  load      = "\\x00\\x00\\x00\\x00\\x00\\x00" (6 bytes)',
        '###[ Issues ]###',
        '  warning ip.totalLength (byte 2): 6 bytes after the total length of 40 bytes',
        '          are ignored (link-layer padding?)',
      ].join('\n'),
    ),
    text,
  );
});

test('a packet that is not TCP shows its IP layer and its payload', () => {
  const text = show(NOT_TCP);
  assert.match(text, /\n  proto     = 99\n/);
  assert.ok(text.endsWith('###[ Raw ]###\n  load      = "abcdefghijkl" (12 bytes)'));
  const fragment = show(LATER_FRAGMENT);
  assert.match(fragment, /\n  frag      = 10\n/);
  assert.doesNotMatch(fragment, /###\[ TCP/);
  assert.match(fragment, /warning ip\.fragOffset \(byte 6\)/);
});

test('an option the decoder kept raw is shown raw, with its declared length', () => {
  const text = show(OPTION_PAST_HEADER);
  assert.match(text, /\n  options   = \[0\] mss 0x05b4 \[len 9\]\n/);
  assert.match(text, /\n  error   tcp\.options\[0\]\.length \(byte 41\): option kind 2 has length 9/);
});

test('bytes that are not IP are shown raw, with the reason', () => {
  assert.equal(
    renderShow(decodePacket(unhex('5000aa'))),
    [
      '###[ Raw ]###',
      '  load      = "P\\x00\\xaa" (3 bytes)',
      '###[ Issues ]###',
      '  error   ip.version (byte 0): IP version 5 is neither 4 nor 6',
    ].join('\n'),
  );
});

test('a TCP header cut short is named, not guessed at', () => {
  const text = show(SYN.slice(0, 60));
  assert.match(text, /###\[ TCP \]###\n  header    = unreadable: 10 bytes\n###\[ Raw \]###\n/);
});

test('nothing is wider than 80 columns, long payloads and options included', () => {
  for (const hex of [SYN, IPV6_DATA, HUNDRED_BYTES, MD5, PADDED, OPTION_PAST_HEADER]) {
    for (const line of show(hex).split('\n')) assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
  }
  const load = show(HUNDRED_BYTES).split('###[ Raw ]###\n')[1]!;
  assert.equal(
    load,
    [
      '  load      = "\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n\\x0b\\x0c\\r\\x0e\\x0f\\x10"',
      '              "\\x11\\x12\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f !\\""',
      '              "#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`a"',
      '              "bc" (100 bytes)',
    ].join('\n'),
  );
  // The decoder drops the end-of-list byte that only pads the header, so md5 is the last line.
  assert.match(show(MD5), /\n  options   = \[0\] md5 41414141414141414141414141414141$/);
});

test('colour only wraps text that reads the same without it', () => {
  for (const hex of [SYN, BAD_TCP_CHECKSUM, PADDED]) {
    const coloured = show(hex, { color: true });
    assert.match(coloured, /\x1b\[/);
    assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), show(hex));
  }
});
