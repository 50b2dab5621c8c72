import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fixturePath, runCli } from '../support/run-cli.js';

test('decode prints one tcpdump-style line per packet, and says which frames are not IP', () => {
  const run = runCli(['decode', fixturePath('pcap', 'ethernet-vlan.pcap')]);
  assert.equal(run.status, 0);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(
    lines[0],
    '10.0.0.1.40000 > 10.0.0.2.7: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,wscale 7,eol], length 0',
  );
  assert.match(lines[2]!, /Flags \[P\.\], seq 1001:1007, ack 5001, win 502, length 6$/);
  assert.equal(lines[3], '#4: Ethernet type 0x0806 is not IP');
});

test('decode --json gives the documented fields, in file order, one object per line', () => {
  const run = runCli(['decode', '--json', fixturePath('pcap', 'ethernet-vlan.pcap')]);
  assert.equal(run.status, 0);
  const objects = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(
    objects.map((o) => o.index),
    [0, 1, 2, 3, 4, 5],
  );
  const synAck = objects[1];
  assert.equal(synAck.ip.version, 4);
  assert.equal(synAck.ip.src, '10.0.0.2');
  assert.equal(synAck.tcp.sport, 7);
  assert.equal(synAck.tcp.ack, 1001);
  assert.deepEqual(synAck.tcp.flags, ['SYN', 'ACK']);
  assert.equal(synAck.tcp.checksumOk, true);
  assert.deepEqual(synAck.tcp.options, [{ kind: 'mss', value: 1460 }]);
  assert.equal(typeof objects[3].error, 'string');
});

test('decode reads stdin with -', () => {
  const bytes = readFileSync(fixturePath('pcap', 'ethernet-vlan.pcap'));
  const run = runCli(['decode', '-'], { input: bytes });
  assert.equal(run.status, 0);
  assert.equal(run.stdout.trimEnd().split('\n').length, 6);
});

test('decode --hex reads pasted hex dumps, and a broken packet does not stop the rest', () => {
  const syn =
    '4500003c0000400040063cba7f0000017f0000019c400007000003e800000000a002faf0aedc0000020405b40402080a000000010000000001030307';
  const truncated = syn.slice(0, 60);
  const run = runCli(['decode', '--hex', '--json', '-'], { input: `${syn}\n\n${truncated}\n\n${syn}\n` });
  assert.equal(run.status, 0);
  const objects = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.equal(objects.length, 3);
  assert.equal(objects[0].tcp.seq, 1000);
  assert.equal(typeof objects[1].error, 'string');
  assert.equal(objects[2].tcp.seq, 1000);
});

test('a file that is not a capture is one clear line and exit status 1', () => {
  const run = runCli(['decode', fixturePath('pcap', 'fixtures.json')]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /is not a pcap or pcapng file/);
  assert.equal(run.stderr.trimEnd().split('\n').length, 1);
});

test('a missing file says so', () => {
  const run = runCli(['decode', 'no-such-file.pcap']);
  assert.equal(run.status, 1);
  assert.equal(run.stderr, 'tcplab decode: cannot read no-such-file.pcap: no such file\n');
});
