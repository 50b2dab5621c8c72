import assert from 'node:assert/strict';
import test from 'node:test';
import { runCli } from '../support/run-cli.js';

// Bytes built independently with scapy:
// bytes(IP(src='127.0.0.1',dst='127.0.0.1',flags='DF',id=0)/TCP(sport=40000,dport=7,seq=1000,flags='S',window=64240,
//   options=[('MSS',1460),('SAckOK',b''),('Timestamp',(1,0)),('NOP',None),('WScale',7)])).hex()
const LINUX_STYLE_SYN =
  '4500003c0000400040063cba7f0000017f0000019c400007000003e800000000a002faf0aedc0000020405b40402080a000000010000000001030307';

test('encode prints the bytes of a SYN in hex, defaults filled in', () => {
  const run = runCli(['encode', 'tcp flags=S seq=1000 opts=mss:1460,sackok,ts:1:0,nop,wscale:7']);
  assert.equal(run.stderr, '');
  assert.equal(run.status, 0);
  assert.equal(run.stdout, `${LINUX_STYLE_SYN}\n`);
});

test('encode --json shows every computed field', () => {
  const run = runCli(['encode', '--json', 'tcp flags=PA seq=1001 ack=5001 data="hello"']);
  assert.equal(run.status, 0);
  const packet = JSON.parse(run.stdout);
  assert.equal(packet.ip.src, '127.0.0.1');
  assert.equal(packet.ip.totalLength, 45);
  assert.deepEqual(packet.tcp.flags, ['PSH', 'ACK']);
  assert.equal(packet.tcp.payloadLength, 5);
  assert.equal(packet.tcp.payloadHex, '68656c6c6f');
  assert.equal(packet.tcp.checksumOk, true);
});

test('a typo in a field name says where and suggests the right one', () => {
  const run = runCli(['encode', 'tcp flgs=S']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /unknown field 'flgs' at column 5; did you mean 'flags'\?/);
  assert.match(run.stderr, /tcp flgs=S\n {6}\^\^\^\^/);
  assert.doesNotMatch(run.stderr, /at .*\.js:\d+/, 'no stack trace');
});

test('a variable outside a session is reported as unknown', () => {
  const run = runCli(['encode', 'tcp ack=$rx.seq+1']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /\$rx/);
  assert.match(run.stderr, /column 9/);
});
