// sr1 and recv never miss a packet: they take the oldest matching packet from the peer that
// no earlier sr1 or recv returned, whether it came long before the command (a learner types
// slowly) or after (a script runs faster than the network answers).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CheckEntry } from '../../src/session/log-entry.js';
import type { PacketRecord } from '../../src/session/packet-history.js';
import type { CommandOutcome } from '../../src/session/session.js';
import { ReceiveQueue } from '../../src/session/receive-queue.js';
import { decodePacket } from '../../src/wire/packet.js';
import { HANDSHAKE, simSession } from './sim-session.js';

function record(index: number): PacketRecord {
  return { index, t: index, dir: 'in', packet: decodePacket(new Uint8Array()) };
}

describe('ReceiveQueue', () => {
  test('take returns the oldest that passes, once', () => {
    const queue = new ReceiveQueue();
    for (const index of [3, 5, 8]) queue.push(record(index));
    assert.equal(queue.take((r) => r.index !== 3)?.index, 5);
    assert.equal(queue.take(() => true)?.index, 3, 'the one skipped is still there');
    assert.equal(queue.take(() => true)?.index, 8);
    assert.equal(queue.take(() => true), null);
    assert.deepEqual(queue.unreturned(), []);
  });

  test('$rx is what was returned until something newer arrives', () => {
    const queue = new ReceiveQueue();
    assert.equal(queue.current(), undefined);
    queue.push(record(1));
    queue.push(record(2));
    assert.equal(queue.current()?.index, 2, 'before any recv: the latest arrival');
    queue.take((r) => r.index === 1);
    assert.equal(queue.current()?.index, 1, 'what recv returned, though #2 came before it ran');
    queue.push(record(4));
    assert.equal(queue.current()?.index, 4, 'a packet has arrived since');
  });

  test('$rx[-n] counts back from $rx; $rx[n] from the first', () => {
    const queue = new ReceiveQueue();
    for (const index of [2, 4, 6, 8]) queue.push(record(index));
    queue.take((r) => r.index === 6);
    assert.deepEqual([queue.at(-1)?.index, queue.at(-2)?.index, queue.at(-3)?.index, queue.at(-4)], [6, 4, 2, undefined]);
    assert.deepEqual([queue.at(0)?.index, queue.at(3)?.index, queue.at(4)], [2, 8, undefined]);
  });
});

describe('receiving on sim', () => {
  test('a reply that came before recv ran is found at once', async () => {
    const sim = await simSession();
    try {
      await sim.one('send tcp flags=S seq=1000');
      const before = sim.network.now();
      const { status, entries } = await sim.one('recv flags=SA timeout=0');
      assert.equal(status, 'ok', sim.text(entries));
      assert.equal(sim.network.now(), before, 'no time had to pass');
    } finally {
      await sim.close();
    }
  });

  test('a packet skipped for not matching is still there for a later recv', async () => {
    const sim = await simSession();
    try {
      await sim.run(...HANDSHAKE, 'send tcp flags=PA seq=1001 ack=$rx.seq+1 data="hello"');
      // Linux acknowledges the first data at once (#5), then the echo comes (#6).
      const echo = await sim.one('recv flags=PA');
      const pureAck = await sim.one('recv flags=A len=0');
      const returned = (outcome: CommandOutcome) => outcome.entries.find((entry): entry is CheckEntry => entry.kind === 'check')?.index;
      assert.equal(returned(echo), 6);
      assert.equal(returned(pureAck), 5);
      assert.equal(sim.session.currentRx()?.index, 5, '$rx is what recv returned, older or not');
    } finally {
      await sim.close();
    }
  });

  test('a script faster than the network: recv waits, on the virtual clock, for a delayed ACK', async () => {
    const sim = await simSession();
    try {
      await sim.run(...HANDSHAKE, 'send tcp flags=PA seq=1001 ack=$rx.seq+1 data="hello"', 'recv flags=PA');
      // More data without acknowledging the echo: the server's next echo waits for that ACK
      // (Nagle), so nothing carries its ACK of "again" until the delayed-ACK timer, 40 ms on.
      await sim.one('send tcp flags=PA seq=1006 ack=$rx.seq data="again"');
      const before = sim.network.now();
      const { status, entries } = await sim.one('recv flags=A ack=1011 timeout=1');
      assert.equal(status, 'ok', sim.text(entries));
      const waited = sim.network.now() - before;
      assert.ok(waited >= 30 && waited <= 50, `waited ${waited} ms of virtual time`);
    } finally {
      await sim.close();
    }
  });

  test('recv stops at the first match: a retransmitted SYN-ACK after 1 s, not the whole timeout', async () => {
    const sim = await simSession();
    try {
      await sim.run('sr1 tcp flags=S seq=1000');
      const before = sim.network.now();
      const { status, entries } = await sim.one('recv flags=SA timeout=10');
      assert.equal(status, 'ok', sim.text(entries));
      const waited = sim.network.now() - before;
      assert.ok(waited >= 1000 && waited < 1010, `the retransmission came after ${waited} ms, and waiting stopped there`);
      const packets = sim.session.packets.filter((p) => p.dir === 'in');
      assert.equal(packets.length, 2, 'no second retransmission (at 3 s) was let happen');
    } finally {
      await sim.close();
    }
  });

  test('lines given at once run one after the other, in order', async () => {
    const sim = await simSession();
    try {
      const [a, b, c] = await Promise.all([sim.session.execute('send tcp flags=S seq=1000'), sim.session.execute('recv flags=SA'), sim.session.execute('expect ack=1001')]);
      assert.deepEqual([a.status, b.status, c.status], ['ok', 'ok', 'ok']);
      assert.ok(a.entries[0]!.id < b.entries[0]!.id && b.entries[0]!.id < c.entries[0]!.id);
    } finally {
      await sim.close();
    }
  });
});
