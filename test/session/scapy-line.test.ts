import assert from 'node:assert/strict';
import test from 'node:test';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import { simSession } from './sim-session.js';

test("a handshake in scapy's notation runs as sr1 and send do", async () => {
  const s = await simSession(11);
  try {
    const [synAck, ack] = await s.run(
      'sr1(IP(dst="127.0.0.1")/TCP(dport=7, flags="S", seq=1000))',
      'send(IP()/TCP(flags="A", seq=1001, ack=$rx.seq+1))',
    );
    assert.equal(synAck!.status, 'ok');
    assert.match(s.text(synAck!.entries), /in {2}127\.0\.0\.1\.7 > 127\.0\.0\.1\.40000: Flags \[S\.\].*ack 1001/);
    assert.equal(ack!.status, 'ok');
    assert.match(s.text(ack!.entries), /echo accepted 127\.0\.0\.1:40000/);
    const sent = s.session.packets.filter((record) => record.dir === 'out').map((record) => record.packet.tcp!.flags);
    assert.deepEqual(sent, [TcpFlag.SYN, TcpFlag.ACK]);
  } finally {
    await s.close();
  }
});

test('a packet written alone is shown, not sent', async () => {
  const s = await simSession(11);
  try {
    const outcome = await s.one('IP()/TCP(flags="PA")/"hi"');
    assert.equal(outcome.status, 'ok');
    const text = s.text(outcome.entries);
    assert.match(text, /built, not sent/);
    assert.match(text, /load {6}= "hi" \(2 bytes\)/);
    assert.equal(s.session.packets.length, 0);
  } finally {
    await s.close();
  }
});

test('sr shows every answer within its timeout: the ACK and the echo', async () => {
  const s = await simSession(11);
  try {
    await s.run('sr1(IP()/TCP(flags="S", seq=1000))', 'send(IP()/TCP(flags="A", seq=1001, ack=$rx.seq+1))');
    const outcome = await s.one('sr(IP()/TCP(flags="PA", seq=1001, ack=$rx.seq+1)/Raw(load=b"hello"), timeout=0.1)');
    assert.equal(outcome.status, 'ok');
    const passes = outcome.entries.filter((entry) => entry.kind === 'check' && entry.outcome === 'pass');
    assert.equal(passes.length, 2, s.text(outcome.entries));
  } finally {
    await s.close();
  }
});

test('a mistake in the notation points at its column', async () => {
  const s = await simSession(11);
  try {
    const outcome = await s.one('sr1(IP()/UDP(dport=7))');
    assert.equal(outcome.status, 'error');
    const error = outcome.entries.find((entry) => entry.kind === 'error');
    assert.ok(error && error.kind === 'error');
    assert.equal(error.column, 10);
    assert.match(error.message, /UDP/);
  } finally {
    await s.close();
  }
});
