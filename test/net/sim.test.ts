// The sim network against what Linux 6.18 was measured to do on loopback (see the comments in
// src/net/sim/linux.ts and beside the code). Every test runs on the virtual clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSimNetwork } from '../../src/net/sim/network.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import type { TcpOption } from '../../src/wire/tcp-options.js';
import { encodePacket } from '../../src/wire/packet.js';
import { EventRecorder } from '../support/event-recorder.js';
import { answersToOffers, answerText, ECN_OFFERS } from './ecn-offers.js';
import { flagText, FULL_SYN_OPTIONS, Learner, optionKinds, settle, text } from './sim-learner.js';

const { SYN, ACK, PSH, FIN, RST, ECE, CWR } = TcpFlag;

function ts(options: readonly TcpOption[]): { tsval: number; tsecr: number } | undefined {
  const found = options.find((option) => option.kind === 'ts');
  return found && found.kind === 'ts' ? found : undefined;
}

describe('sim: passive open', () => {
  it('answers a SYN with every option as Linux does on 127.0.0.1', async () => {
    const net = createSimNetwork({ seed: 1 });
    const learner = new Learner(net, 7);
    const synAck = await learner.handshake();
    assert.equal(flagText(synAck.flags), 'S.');
    assert.equal(synAck.ack, 1_000_001);
    assert.equal(synAck.window, 65483);
    assert.equal(optionKinds(synAck.options), 'mss,sackok,ts,nop,wscale');
    assert.deepEqual(synAck.options[0], { kind: 'mss', value: 65495 });
    assert.equal(ts(synAck.options)?.tsecr, 1000);
    assert.deepEqual(synAck.options[4], { kind: 'wscale', value: 10 });
    assert.deepEqual(learner.states(), ['SYN-RECV', 'ESTABLISHED']);
    assert.equal(learner.appEvents('accepted').length, 1);
    assert.deepEqual(learner.replies(), [], 'the final ACK draws no answer');
  });

  const offers: Array<[string, TcpOption[], string, number]> = [
    ['nothing', [], 'mss', 65495],
    ['MSS only', [{ kind: 'mss', value: 1460 }], 'mss', 65495],
    ['MSS and timestamps', [{ kind: 'mss', value: 65495 }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', tsval: 1000, tsecr: 0 }], 'mss,nop,nop,ts', 65483],
    ['MSS and SACK', [{ kind: 'mss', value: 65495 }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'sackok' }], 'mss,nop,nop,sackok', 65495],
    ['MSS and window scale', [{ kind: 'mss', value: 65495 }, { kind: 'nop' }, { kind: 'wscale', value: 7 }], 'mss,nop,wscale', 65495],
    ['timestamps and window scale', [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', tsval: 1000, tsecr: 0 }, { kind: 'nop' }, { kind: 'wscale', value: 2 }], 'mss,nop,nop,ts,nop,wscale', 65483],
    ['SACK and window scale', [{ kind: 'sackok' }, { kind: 'nop' }, { kind: 'wscale', value: 14 }], 'mss,nop,nop,sackok,nop,wscale', 65495],
  ];
  for (const [name, offered, echoed, window] of offers) {
    it(`echoes only what the SYN offered: ${name}`, async () => {
      const net = createSimNetwork({ seed: 2 });
      const learner = new Learner(net, 7);
      const synAck = await learner.handshake(offered);
      assert.equal(optionKinds(synAck.options), echoed);
      assert.equal(synAck.window, window);
    });
  }

  it('offers the IPv6 MSS on ::1', async () => {
    const net = createSimNetwork({ seed: 3 });
    const learner = new Learner(net, 7, { family: 6 });
    const synAck = await learner.handshake();
    assert.deepEqual(synAck.options[0], { kind: 'mss', value: 65476 });
    assert.equal(synAck.window, 65464);
    const bare = new Learner(net, 7, { family: 6, sport: 40002 });
    assert.equal((await bare.handshake([])).window, 65476);
  });

  it('draws ISNs from the seed: the same seed gives the same run, another seed another', async () => {
    const isn = async (seed: number): Promise<number> => (await new Learner(createSimNetwork({ seed }), 7).handshake()).seq;
    assert.equal(await isn(7), await isn(7));
    assert.notEqual(await isn(7), await isn(8));
  });

  it('retransmits an unanswered SYN-ACK at 1, 3, 7, 15 and 31 s, then forgets the request at 63 s', async () => {
    const net = createSimNetwork({ seed: 4 });
    const learner = new Learner(net, 7);
    await learner.send(SYN, { options: FULL_SYN_OPTIONS, ack: 0 });
    const first = learner.replies();
    await learner.wait(70_000);
    const all = [...first, ...learner.replies()];
    assert.deepEqual(all.map((reply) => reply.t), [0, 1000, 3000, 7000, 15000, 31000]);
    assert.ok(all.every((reply) => flagText(reply.tcp.flags) === 'S.' && reply.tcp.seq === all[0]!.tcp.seq));
    assert.notEqual(ts(all[1]!.tcp.options)?.tsval, ts(all[0]!.tcp.options)?.tsval, 'each copy has a fresh TS value');
    const closed = learner.events.find((event) => event.type === 'state' && event.to === 'CLOSED' && event.remote.port === 40001);
    assert.equal(closed?.t, 63000);
  });
});

describe('sim: data', () => {
  it('ACKs the first data at once, then lets an echo reply carry the ACK', async () => {
    const net = createSimNetwork({ seed: 5 });
    const learner = new Learner(net, 7);
    await learner.handshake();
    await learner.send(PSH | ACK, { payload: text('hello\n') });
    learner.seq += 6;
    const first = learner.replies();
    assert.deepEqual(first.map((reply) => flagText(reply.tcp.flags)), ['.', 'P.']);
    assert.equal(first[0]!.tcp.ack, learner.seq);
    assert.equal(new TextDecoder().decode(first[1]!.tcp.payload), 'hello\n');
    assert.equal(first[0]!.tcp.window, 64, '65483 - 6 rounded up to the scale (1024), >> 10');
    await learner.send(ACK);
    await learner.wait(50);
    await learner.send(PSH | ACK, { payload: text('again\n') });
    learner.seq += 6;
    const second = learner.replies();
    assert.deepEqual(second.map((reply) => flagText(reply.tcp.flags)), ['P.'], 'interactive now: the reply carries the ACK');
    assert.equal(second[0]!.tcp.ack, learner.seq);
    assert.equal(learner.appEvents('received').length, 2);
  });

  it('keeps the right edge of the window where it was without window scaling', async () => {
    const net = createSimNetwork({ seed: 6 });
    const learner = new Learner(net, 9);
    await learner.handshake([]);
    await learner.send(PSH | ACK, { payload: text('hello\n') });
    assert.equal(learner.replies()[0]?.tcp.window, 65489);
  });

  it('delays the ACK 40 ms on an interactive connection when no reply comes', async () => {
    const net = createSimNetwork({ seed: 7 });
    const learner = new Learner(net, 7002);
    await learner.handshake();
    await learner.send(PSH | ACK, { payload: text('a\n') });
    learner.seq += 2;
    assert.deepEqual(learner.replies().map((reply) => flagText(reply.tcp.flags)), ['.', 'P.']);
    await learner.send(ACK);
    await learner.wait(100);
    await learner.send(PSH | ACK, { payload: text('b') });
    learner.seq += 1;
    assert.deepEqual(learner.replies(), [], 'half a line: nothing to say, and the ACK waits');
    await learner.wait(39);
    assert.deepEqual(learner.replies(), []);
    await learner.wait(1);
    const late = learner.replies();
    assert.deepEqual(late.map((reply) => [flagText(reply.tcp.flags), reply.tcp.ack]), [['.', learner.seq]]);
    assert.equal(late[0]!.t, 140);
  });

  it('retransmits unacknowledged data: a tail loss probe, then the RTO doubling from 200 ms', async () => {
    const net = createSimNetwork({ seed: 8 });
    const learner = new Learner(net, 7);
    await learner.handshake();
    await learner.send(PSH | ACK, { payload: text('hi') });
    learner.seq += 2;
    learner.replies();
    await learner.wait(3200);
    const copies = learner.replies().filter((reply) => reply.tcp.payload.length === 2);
    assert.deepEqual(copies.map((reply) => reply.t), [200, 400, 800, 1600, 3200]);
  });

  it('D-SACKs a duplicate and SACKs data beyond a hole, at once', async () => {
    const net = createSimNetwork({ seed: 9 });
    const learner = new Learner(net, 9);
    await learner.handshake();
    await learner.send(PSH | ACK, { payload: text('abc') });
    learner.seq += 3;
    learner.replies();
    await learner.wait(600);
    await learner.send(PSH | ACK, { payload: text('abc'), seq: learner.seq - 3 });
    const dup = learner.replies();
    assert.equal(dup.length, 1);
    assert.equal(optionKinds(dup[0]!.tcp.options), 'nop,nop,ts,nop,nop,sack');
    assert.deepEqual(dup[0]!.tcp.options[5], { kind: 'sack', blocks: [[learner.seq - 3, learner.seq]] });
    await learner.send(PSH | ACK, { payload: text('ooo'), seq: learner.seq + 100 });
    const ofo = learner.replies();
    assert.deepEqual(ofo[0]?.tcp.options[5], { kind: 'sack', blocks: [[learner.seq + 100, learner.seq + 103]] });
    assert.equal(ofo[0]?.tcp.ack, learner.seq);
  });
});

describe('sim: what Linux answers', () => {
  it('resets a SYN to a port nobody listens on: [R.] seq 0 ack ISN+1 win 0', async () => {
    const net = createSimNetwork({ seed: 10 });
    const learner = new Learner(net, 9999);
    await learner.send(SYN, { options: FULL_SYN_OPTIONS, ack: 0 });
    const [rst] = learner.replies();
    assert.equal(flagText(rst!.tcp.flags), 'R.');
    assert.equal(rst!.tcp.seq, 0);
    assert.equal(rst!.tcp.ack, 1_000_001);
    assert.equal(rst!.tcp.window, 0);
    assert.deepEqual(rst!.tcp.options, []);
    await learner.send(ACK, { ack: 12345, options: [] });
    const [second] = learner.replies();
    assert.deepEqual([flagText(second!.tcp.flags), second!.tcp.seq, second!.tcp.ack], ['R', 12345, 0]);
    const refused = new Learner(net, 7005, { sport: 40002 });
    await refused.send(SYN, { options: [], ack: 0 });
    assert.equal(flagText(refused.replies()[0]!.tcp.flags), 'R.', 'refuse: no listener');
  });

  it('answers an out-of-window segment and an in-window SYN with an ACK, and stays ESTABLISHED', async () => {
    const net = createSimNetwork({ seed: 11 });
    const learner = new Learner(net, 9);
    await learner.handshake();
    await learner.send(PSH | ACK, { payload: text('zzz'), seq: learner.seq + 10_000_000 });
    const [dup] = learner.replies();
    assert.deepEqual([flagText(dup!.tcp.flags), dup!.tcp.ack], ['.', learner.seq]);
    await learner.wait(600);
    await learner.send(SYN, { seq: learner.seq + 5, options: [] });
    const [challenge] = learner.replies();
    assert.deepEqual([flagText(challenge!.tcp.flags), challenge!.tcp.ack], ['.', learner.seq]);
    assert.deepEqual(learner.states(), ['SYN-RECV', 'ESTABLISHED']);
  });

  it('rate-limits challenge ACKs to one per 500 ms, but answers every data segment', async () => {
    const net = createSimNetwork({ seed: 12 });
    const learner = new Learner(net, 9);
    await learner.handshake();
    await learner.send(SYN, { seq: learner.seq + 5, options: [] });
    await learner.send(SYN, { seq: learner.seq + 6, options: [] });
    assert.equal(learner.replies().length, 1);
    await learner.send(PSH | ACK, { payload: text('x'), seq: learner.seq + 10_000_000 });
    await learner.send(PSH | ACK, { payload: text('x'), seq: learner.seq + 10_000_000 });
    assert.equal(learner.replies().length, 2);
  });

  it('challenges an RST inside the window, and resets on one at exactly rcv_nxt', async () => {
    const net = createSimNetwork({ seed: 13 });
    const learner = new Learner(net, 9);
    await learner.handshake();
    await learner.send(RST, { seq: learner.seq + 5, options: [] });
    assert.deepEqual(learner.replies().map((reply) => flagText(reply.tcp.flags)), ['.']);
    await learner.wait(600);
    await learner.send(RST, { seq: learner.seq + 10_000_000, options: [] });
    assert.deepEqual(learner.replies(), [], 'outside the window: ignored');
    await learner.send(RST, { options: [] });
    assert.deepEqual(learner.replies(), []);
    assert.deepEqual(learner.states(), ['SYN-RECV', 'ESTABLISHED', 'CLOSED']);
    assert.match(learner.appEvents('error')[0]?.message ?? '', /ECONNRESET/);
    await learner.send(PSH | ACK, { payload: text('abc') });
    const [rst] = learner.replies();
    assert.deepEqual([flagText(rst!.tcp.flags), rst!.tcp.seq], ['R', learner.ack]);
  });

  it('drops a segment with a wrong TCP checksum without a word, and counts it', async () => {
    const net = createSimNetwork({ seed: 14 });
    const learner = new Learner(net, 7);
    const packet = learner.packet(SYN, { options: FULL_SYN_OPTIONS, ack: 0 });
    packet.tcp.checksum = 0x1234;
    const result = await net.send(encodePacket(packet));
    await settle();
    assert.equal(result.ok, true);
    assert.deepEqual(learner.replies(), []);
    assert.equal(net.dropped.badChecksum, 1);
    assert.equal(learner.events.filter((event) => event.type === 'packet' && event.dir === 'out').length, 1, 'the learner still sees its packet go out');
  });

  it('fixes a wrong IPv4 header checksum as the sending kernel does, and answers', async () => {
    const net = createSimNetwork({ seed: 15 });
    const learner = new Learner(net, 7);
    const packet = learner.packet(SYN, { options: FULL_SYN_OPTIONS, ack: 0 });
    if (packet.ip.version === 4) packet.ip.checksum = 0x1111;
    await net.send(encodePacket(packet));
    await settle();
    assert.equal(flagText(learner.replies()[0]!.tcp.flags), 'S.');
  });
});

describe('sim: closing', () => {
  it('learner closes first: the server FIN carries the ACK, CLOSE-WAIT, LAST-ACK, CLOSED', async () => {
    const net = createSimNetwork({ seed: 16 });
    const learner = new Learner(net, 7);
    await learner.handshake();
    await learner.send(FIN | ACK);
    learner.seq += 1;
    const [fin] = learner.replies();
    assert.deepEqual([flagText(fin!.tcp.flags), fin!.tcp.ack], ['F.', learner.seq]);
    await learner.send(ACK);
    assert.deepEqual(learner.states(), ['SYN-RECV', 'ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED']);
    assert.deepEqual(learner.appEvents().filter((event) => event.remote?.port === 40001).map((event) => event.kind), ['accepted', 'peer-closed', 'closed']);
  });

  it('server closes first (close-after): FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT for 60 s', async () => {
    const net = createSimNetwork({ seed: 17 });
    assert.deepEqual(await net.setServer({ name: 'close-after', bytes: 5 }), { port: 7001 });
    const learner = new Learner(net, 7001);
    await learner.handshake();
    await learner.send(PSH | ACK, { payload: text('hello') });
    learner.seq += 5;
    assert.deepEqual(learner.replies().map((reply) => flagText(reply.tcp.flags)), ['.', 'P.', 'F.']);
    await learner.send(ACK);
    await learner.send(FIN | ACK);
    learner.seq += 1;
    const [ack] = learner.replies();
    assert.deepEqual([flagText(ack!.tcp.flags), ack!.tcp.ack], ['.', learner.seq]);
    assert.deepEqual(learner.states(), ['SYN-RECV', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT']);
    await learner.wait(59_999);
    assert.equal(learner.states().at(-1), 'TIME-WAIT');
    await learner.send(PSH | ACK, { payload: text('late') });
    assert.deepEqual(learner.replies().map((reply) => [flagText(reply.tcp.flags), reply.tcp.ack]), [['.', learner.seq]], 'TIME-WAIT ACKs what arrives');
    await learner.wait(60_000);
    assert.equal(learner.states().at(-1), 'CLOSED');
  });

  it('simultaneous close: FIN-WAIT-1, CLOSING, TIME-WAIT', async () => {
    const net = createSimNetwork({ seed: 18 });
    await net.setServer({ name: 'close-after', bytes: 5 });
    const learner = new Learner(net, 7001);
    await learner.handshake();
    await learner.send(PSH | ACK, { payload: text('hello') });
    learner.seq += 5;
    const replies = learner.replies();
    const fin = replies.find((reply) => reply.tcp.flags & FIN)!;
    // Our FIN crosses theirs: it acknowledges the data but not their FIN.
    await learner.send(FIN | ACK, { ack: fin.tcp.seq });
    learner.seq += 1;
    const [ack] = learner.replies();
    assert.deepEqual([flagText(ack!.tcp.flags), ack!.tcp.seq, ack!.tcp.ack], ['.', fin.tcp.seq + 1, learner.seq]);
    await learner.send(ACK);
    assert.deepEqual(learner.states(), ['SYN-RECV', 'ESTABLISHED', 'FIN-WAIT-1', 'CLOSING', 'TIME-WAIT']);
  });
});

describe('sim: active open (the bundled client)', () => {
  it('sends the SYN Linux sends, and completes the handshake when the learner answers', async () => {
    const net = createSimNetwork({ seed: 19 });
    const learner = new Learner(net, 0, { sport: 40003 });
    await net.connect({ addr: '127.0.0.1', port: 40003 });
    await settle();
    const syn = learner.events.flatMap((event) => (event.type === 'packet' && event.dir === 'in' && event.packet.tcp ? [event.packet.tcp] : []))[0]!;
    assert.equal(flagText(syn.flags), 'S');
    assert.equal(syn.window, 65495);
    assert.equal(optionKinds(syn.options), 'mss,sackok,ts,nop,wscale');
    const client = new Learner(net, syn.sport, { sport: 40003, isn: 5000 });
    client.ack = syn.seq + 1;
    client.tsecr = ts(syn.options)!.tsval;
    await client.send(SYN | ACK, { options: [{ kind: 'mss', value: 1000 }, { kind: 'sackok' }, { kind: 'ts', tsval: 500, tsecr: client.tsecr }, { kind: 'nop' }, { kind: 'wscale', value: 3 }] });
    client.seq += 1;
    const [ack] = client.replies();
    assert.deepEqual([flagText(ack!.tcp.flags), ack!.tcp.ack], ['.', 5001]);
    assert.equal(client.appEvents('connected').length, 1);
    await client.send(PSH | ACK, { payload: text('hello') });
    client.seq += 5;
    assert.deepEqual(client.replies().map((reply) => [flagText(reply.tcp.flags), reply.tcp.ack]), [['.', 5006]]);
    assert.equal(new TextDecoder().decode(client.appEvents('received')[0]!.data), 'hello');
    await client.send(FIN | ACK);
    client.seq += 1;
    assert.deepEqual(client.replies().map((reply) => flagText(reply.tcp.flags)), ['F.'], 'the client closes too');
  });

  it('retransmits an unanswered SYN at 1 s intervals first, then doubling, and gives up', async () => {
    const net = createSimNetwork({ seed: 20 });
    const learner = new Learner(net, 0, { sport: 40004 });
    await net.connect({ addr: '127.0.0.1', port: 40004 });
    await learner.wait(140_000);
    const syns = learner.events.flatMap((event) => (event.type === 'packet' && event.dir === 'in' && event.packet.tcp?.flags === SYN ? [event.t] : []));
    assert.deepEqual(syns, [0, 1000, 2000, 3000, 4000, 5000, 7000, 11000, 19000, 35000, 67000]);
    assert.match(learner.appEvents('error')[0]?.message ?? '', /ETIMEDOUT/);
    assert.equal(learner.appEvents('error')[0]?.t, 131000);
  });

  it('simultaneous open: SYN answered with SYN-ACK from the same ISN, then a D-SACK for the duplicate SYN', async () => {
    const net = createSimNetwork({ seed: 21 });
    const watcher = new Learner(net, 0, { sport: 40005 });
    await net.connect({ addr: '127.0.0.1', port: 40005 });
    await settle();
    const syn = watcher.events.flatMap((event) => (event.type === 'packet' && event.dir === 'in' && event.packet.tcp ? [event.packet.tcp] : []))[0]!;
    const learner = new Learner(net, syn.sport, { sport: 40005, isn: 700 });
    await learner.send(SYN, { options: FULL_SYN_OPTIONS, ack: 0 });
    const [synAck] = learner.replies();
    assert.deepEqual([flagText(synAck!.tcp.flags), synAck!.tcp.seq, synAck!.tcp.ack, synAck!.tcp.window], ['S.', syn.seq, 701, 65495]);
    await learner.send(SYN | ACK, { options: FULL_SYN_OPTIONS, ack: syn.seq + 1 });
    const [ack] = learner.replies();
    assert.equal(flagText(ack!.tcp.flags), '.');
    assert.deepEqual(ack!.tcp.options.find((option) => option.kind === 'sack'), { kind: 'sack', blocks: [[700, 701]] });
    assert.equal(learner.appEvents('connected').length, 1);
    const states = watcher.events.flatMap((event) => (event.type === 'state' && event.remote.port === 40005 ? [event.to] : []));
    assert.deepEqual(states, ['SYN-SENT', 'SYN-RECV', 'ESTABLISHED']);
  });
});

describe('sim: ECN beyond what the segment language writes or the lab sees', () => {
  it('agrees to an ECN-setup SYN by its reserved bits and AE as Linux does', async () => {
    const net = createSimNetwork({ seed: 22 });
    const answers = await answersToOffers(net, new EventRecorder(net, 1000), 40010);
    assert.deepEqual(answers, ECN_OFFERS.map((offer) => answerText(offer, offer.agreed)));
  });

  it('marks new data ECT(0) in the IPv6 traffic class, as tcpdump shows on the lab’s loopback ("class 0x02"), and ACKs not', async () => {
    const net = createSimNetwork({ seed: 23 });
    const learner = new Learner(net, 7, { family: 6 });
    await learner.send(SYN | ECE | CWR, { options: FULL_SYN_OPTIONS, ack: 0 });
    const [synAck] = learner.replies();
    assert.equal(flagText(synAck!.tcp.flags), 'S.E');
    learner.seq += 1;
    await learner.send(ACK);
    await learner.send(PSH | ACK, { payload: text('hello') });
    const replies = learner.replies();
    assert.deepEqual(
      [synAck!, ...replies].map((reply) => `${flagText(reply.tcp.flags)} class ${reply.packet.ip?.version === 6 ? reply.packet.ip.trafficClass : '-'}`),
      ['S.E class 0', '. class 0', 'P. class 2'],
    );
  });
});
