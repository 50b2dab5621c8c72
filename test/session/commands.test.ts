// Every command and variable end to end on a seeded sim network: what each does to the
// session, and what the learner reads.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseServerBehaviour } from '../../src/lesson/format/server-spec.js';
import { SESSION_COMMANDS } from '../../src/session/commands/registry.js';
import type { CheckEntry, ErrorEntry, LogEntry, TextEntry } from '../../src/session/log-entry.js';
import { readCapture } from '../../src/wire/capture.js';
import { decodePacket } from '../../src/wire/packet.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import { HANDSHAKE, simSession, type SimSession } from './sim-session.js';

function only<K extends LogEntry['kind']>(entries: readonly LogEntry[], kind: K): Extract<LogEntry, { kind: K }>[] {
  return entries.filter((entry): entry is Extract<LogEntry, { kind: K }> => entry.kind === kind);
}

function lastError(entries: readonly LogEntry[]): ErrorEntry {
  const errors = only(entries, 'error');
  assert.ok(errors.length > 0, 'expected an error entry');
  return errors[errors.length - 1]!;
}

describe('send and sr1', () => {
  let sim: SimSession;
  before(async () => (sim = await simSession()));
  after(() => sim.close());

  test('send fills in the session: your address and port, the server\'s', async () => {
    const { status, entries } = await sim.one('send tcp flags=S seq=1000');
    assert.equal(status, 'ok');
    assert.equal(entries[0]?.kind, 'command');
    const [out, reply] = only(entries, 'packet');
    assert.equal(out?.dir, 'out');
    assert.deepEqual(
      { src: out?.packet.ip?.src, dst: out?.packet.ip?.dst, sport: out?.packet.tcp?.sport, dport: out?.packet.tcp?.dport, seq: out?.packet.tcp?.seq },
      { src: '127.0.0.1', dst: '127.0.0.1', sport: 40000, dport: 7, seq: 1000 },
    );
    assert.equal(reply?.dir, 'in', 'the SYN-ACK is logged under the send that caused it');
    assert.equal(reply?.packet.tcp?.flags, TcpFlag.SYN | TcpFlag.ACK);
  });

  test('$rx is the SYN-ACK that came, without any recv', async () => {
    const { status, entries } = await sim.one('send tcp flags=A seq=1001 ack=$rx.seq+1');
    assert.equal(status, 'ok');
    const [ack] = only(entries, 'packet');
    const synAck = sim.session.packets[1]!.packet.tcp!;
    assert.equal(ack?.packet.tcp?.ack, (synAck.seq + 1) >>> 0);
    assert.equal(sim.session.connection.state, 'ESTABLISHED');
    assert.equal(sim.session.connection.peerIsn, synAck.seq);
    assert.equal(sim.session.connection.isn, 1000);
  });

  test('the packet lines count from the ISNs when asked', () => {
    const synAck = only(sim.session.log, 'packet')[1]!;
    assert.match(synAck.relativeLine, /Flags \[S\.\], seq 0, ack 1, /);
    assert.match(synAck.line, /, ack 1001, /);
  });

  test('sr1 takes a reply that was already waiting, and says so', async () => {
    // The SYN-ACK came during the first send, and no sr1 or recv has taken it since.
    const { status, entries } = await sim.one('sr1 tcp flags=PA seq=1001 ack=$rx.seq+1 data="hi"');
    assert.equal(status, 'ok');
    const check = only(entries, 'check')[0]!;
    const sent = only(entries, 'packet')[0]!.index;
    assert.equal(check.index, 2);
    assert.equal(check.summary, `#2 came back, but before #${sent} went out: it is the oldest packet from the peer that no sr1 or recv had taken`);
    assert.equal(sim.session.currentRx()?.index, 2, 'what sr1 returned is $rx');
  });

  test('an unsendable segment is an error entry, not a throw', async () => {
    const { status, entries } = await sim.one('send tcp dst=10.9.9.9 flags=S');
    assert.equal(status, 'error');
    assert.match(lastError(entries).message, /^the segment was not sent: ENETUNREACH/);
  });

  test('a line without tcp points at what is there', async () => {
    const { status, entries } = await sim.one('send flags=S');
    assert.equal(status, 'error');
    const error = lastError(entries);
    assert.equal(error.message, "expected 'tcp', got 'flags=' at column 6; a segment starts with 'tcp', e.g. send tcp flags=S seq=1000");
    assert.equal(error.column, 6);
  });

  test('sr1 returns the reply to what it sent, which becomes $rx', async () => {
    const fresh = await simSession();
    try {
      const { status, entries } = await fresh.one('sr1 tcp flags=S seq=1000');
      assert.equal(status, 'ok');
      const check = only(entries, 'check')[0]!;
      assert.deepEqual([check.outcome, check.summary, check.index], ['pass', '#2 came back', 2]);
      assert.equal(fresh.session.currentRx()?.packet.tcp?.flags, TcpFlag.SYN | TcpFlag.ACK);
    } finally {
      await fresh.close();
    }
  });

  test('sr1 with nothing coming back times out on the network clock', async () => {
    const fresh = await simSession();
    try {
      const before = fresh.network.now();
      // A bad checksum is dropped without a word: nothing comes back.
      const { status, entries } = await fresh.one('sr1 tcp flags=S seq=5 chksum=0xdead timeout=0.5');
      assert.equal(status, 'timeout');
      const check = only(entries, 'check')[0]!;
      assert.equal(check.summary, 'nothing came back within 0.5 s');
      assert.equal(fresh.network.now() - before, 500);
    } finally {
      await fresh.close();
    }
  });
});

describe('recv and expect', () => {
  let sim: SimSession;
  before(async () => {
    sim = await simSession();
    await sim.run(...HANDSHAKE, 'send tcp flags=PA seq=1001 ack=$rx.seq+1 data="hello"');
  });
  after(() => sim.close());

  test('recv takes the first packet that matches', async () => {
    const { status, entries } = await sim.one('recv flags=PA');
    assert.equal(status, 'ok');
    const check = only(entries, 'check')[0] as CheckEntry;
    assert.equal(check.summary, `#${check.index} matches flags=PA`);
    assert.equal(sim.session.currentRx()?.packet.tcp?.payload.length, 5);
  });

  test('expect holds: ok, and the status says so', async () => {
    const { status, entries } = await sim.one('expect data="hello" len=5 ack=1006 flags=PA opts=- win=* seq=$rx[-2].seq');
    assert.equal(status, 'ok', sim.text(entries));
  });

  test('expect fails: status failed, each wrong field in decimal and hex', async () => {
    const { status, entries } = await sim.one('expect ack=1007 data="hellO"');
    assert.equal(status, 'failed');
    const check = only(entries, 'check')[0]!;
    assert.equal(check.outcome, 'fail');
    assert.deepEqual(
      check.fields.map((field) => [field.field, field.expected, field.actual, field.expectedNote, field.actualNote]),
      [
        ['ack', '1007 (0x3ef)', '1006 (0x3ee)', 'your ISN + 7', 'your ISN + 6'],
        ['data', '"hellO" (5 bytes)', '"hello" (5 bytes)', undefined, undefined],
      ],
    );
    assert.match(check.expected?.segment ?? '', /ack=1007 .*data="hellO"/);
    assert.match(check.actual?.segment ?? '', /ack=1006 .*data="hello"/);
  });

  test('recv with a timeout that nothing meets says which packet came closest', async () => {
    const { status, entries } = await sim.one('recv flags=R timeout=0.2');
    assert.equal(status, 'timeout');
    const check = only(entries, 'check')[0]!;
    assert.match(check.summary, /^nothing from the peer matched flags=R within 0\.2 s; the closest was #\d+$/);
    assert.deepEqual(check.fields.map((field) => [field.field, field.ok, field.expected]), [['flags', false, 'R']]);
  });

  test('a misspelt timeout is caught, with the recv fields in the hint', async () => {
    const { status, entries } = await sim.one('recv timout=3');
    assert.equal(status, 'error');
    assert.equal(lastError(entries).message, "unknown field 'timout' at column 6; did you mean 'timeout'?");
  });

  test('expect with no field is an error', async () => {
    const { status, entries } = await sim.one('expect');
    assert.equal(status, 'error');
    assert.equal(lastError(entries).message, 'expect needs at least one field=value at column 7; e.g. expect flags=SA');
  });
});

describe('variables', () => {
  let sim: SimSession;
  before(async () => (sim = await simSession()));
  after(() => sim.close());

  test('$rx before anything came says so, at its $', async () => {
    const { entries } = await sim.one('send tcp flags=A ack=$rx.seq+1');
    const error = lastError(entries);
    assert.equal(error.message, '$rx.seq has no value yet: nothing has come from the peer at column 22; wait for a reply with recv or sr1');
    assert.equal(error.column, 22);
  });

  test('$tx before anything was sent says so', async () => {
    const { entries } = await sim.one('send tcp seq=$tx.seq');
    assert.equal(lastError(entries).message, '$tx.seq has no value yet: you have sent nothing at column 14; send a segment first');
  });

  test('endpoints: $server, $me, $peer', async () => {
    const { status } = await sim.one('send tcp flags=S seq=$me.port dport=$server.port dst=$server.addr sport=$me.port');
    assert.equal(status, 'ok');
    assert.equal(sim.session.sentAt(null)?.packet.tcp?.seq, 40000);
    assert.equal((await sim.one('send tcp seq=$peer.port flags=R')).status, 'ok');
    assert.equal(sim.session.sentAt(null)?.packet.tcp?.seq, 7);
  });

  test('$tx[-2], $rx[-1], $rx[0] and $pkt[N]', async () => {
    const first = sim.session.packets[0]!.packet.tcp!;
    assert.equal((await sim.one(`send tcp flags=R seq=$tx[-2].seq+$pkt[1].seq-${first.seq}`)).status, 'ok');
    assert.equal(sim.session.sentAt(null)?.packet.tcp?.seq, 40000, '$tx[-2] is the SYN');
    assert.equal((await sim.one('send tcp flags=R seq=$rx[-1].seq-$rx[0].seq')).status, 'ok');
    assert.equal(sim.session.sentAt(null)?.packet.tcp?.seq, 0);
    assert.equal((await sim.one('send tcp flags=R seq=$pkt[-1].sport')).status, 'ok');
    assert.equal(sim.session.sentAt(null)?.packet.tcp?.seq, 40000, '$pkt[-1] is the last packet, our RST');
  });

  test('what cannot be answered is explained', async () => {
    const cases: Array<[string, string]> = [
      ['send tcp seq=$pkt[0].seq', 'packets are numbered from 1 at column 14; write $pkt[1] for the first, $pkt[-1] for the latest'],
      ['send tcp seq=$pkt[999].seq', `$pkt[999].seq is not there: the session has ${sim.session.packets.length} packets so far at column 14`],
      ['send tcp seq=$pkt.seq', '$pkt needs a packet number at column 14; e.g. $pkt[1].seq for the first packet of the session'],
      ['send tcp seq=$server.seq', '$server has no .seq at column 14; an endpoint has .addr and .port'],
      ['send tcp seq=$server', '$server is an endpoint; name its .addr or .port at column 14; e.g. $server.port'],
      ['send tcp seq=$rx', '$rx is a packet; name one of its fields at column 14; e.g. $rx.seq'],
      ['send tcp seq=$rxx.seq', "unknown variable $rxx at column 14; did you mean '$rx'?"],
      ['send tcp seq=$rx.tsval', '$rx.tsval cannot be read: the packet has no timestamp option at column 14'],
      ['send tcp seq=$rx.port', '$rx.port: a packet has no .port at column 14; .addr and .port belong to $server, $me and $peer; a packet has .seq .ack .len .win .flags .sport .dport .urp .ttl .src .dst .tsval .tsecr'],
      ['send tcp seq=$rx[-9].seq', '$rx[-9].seq is not there: there is 1 packet from the peer so far at column 14'],
      ['send tcp dst=$rx.seq', 'expected an address but $rx.seq is ' + sim.session.currentRx()!.packet.tcp!.seq + ' at column 14'],
    ];
    for (const [line, message] of cases) {
      const { status, entries } = await sim.one(line);
      assert.equal(status, 'error', line);
      assert.equal(lastError(entries).message, message, line);
    }
  });
});

describe('show, hex, ls, help', () => {
  let sim: SimSession;
  before(async () => (sim = await simSession()));
  after(() => sim.close());

  test('show with no packets yet is an error', async () => {
    const { status, entries } = await sim.one('show');
    assert.equal(status, 'error');
    assert.equal(lastError(entries).message, 'there are no packets yet: send one first');
  });

  test('show and hex name their packet, by number or variable', async () => {
    await sim.run(...HANDSHAKE);
    const cases: Array<[string, string, RegExp]> = [
      ['show', '#3 out, 0.000 s', /###\[ TCP \]###/],
      ['show 2', '#2 in, 0.000 s', /seq {7}= \d+ \(relative 0\)/],
      ['show #1', '#1 out, 0.000 s', /ack {7}= 0/],
      ['show $rx', '#2 in, 0.000 s', /flags {5}= \[S\.\] SYN ACK/],
      ['show $tx[-2]', '#1 out, 0.000 s', /options {3}= \[0\] mss 1460/],
      ['hex $pkt[1]', '#1 out, 0.000 s', /^0000 {2}45 00 00 2c/],
    ];
    for (const [line, title, body] of cases) {
      const { status, entries } = await sim.one(line);
      assert.equal(status, 'ok', line);
      const text = only(entries, 'text')[0] as TextEntry;
      assert.equal(text.title, title, line);
      assert.match(text.text, body, line);
    }
  });

  test('show refuses what is not a packet', async () => {
    const cases: Array<[string, string]> = [
      ['show 9', 'there is no packet 9: the session has 3 so far at column 6'],
      ['show 0', 'packets are numbered from 1 at column 6'],
      ['show $rx.seq', '$rx.seq is a field, not a packet at column 6; write $rx'],
      ['show $me', '$me is not a packet at column 6; name a packet as 3, #3, $rx, $tx, $rx[-2] or $pkt[3]'],
      ['show rx', "expected a packet, got 'rx'; name a packet as 3, #3, $rx, $tx, $rx[-2] or $pkt[3] at column 6"],
      ['show 1 2', "unexpected '2'; usage: show [PACKET] at column 8"],
    ];
    for (const [line, message] of cases) {
      assert.equal(lastError((await sim.one(line)).entries).message, message, line);
    }
  });

  test('ls lists each field with its default and its value in this session', async () => {
    const { entries } = await sim.one('ls tcp');
    const text = (only(entries, 'text')[0] as TextEntry).text;
    const lines = text.split('\n');
    assert.match(lines[0]!, /^field +default +session +\$tx +what it is$/);
    assert.match(text, /^sport +40000 +40000 +40000 +source port/m);
    assert.match(text, /^dport +7 +7 +7 +destination port/m);
    assert.match(text, /^flags +0 +0 +A +letters from FSRPAUEC/m);
    assert.doesNotMatch(text, /^src /m, 'ls tcp leaves out the IP fields');
  });

  test('ls vars shows what each variable holds now', async () => {
    const { entries } = await sim.one('ls vars');
    const text = (only(entries, 'text')[0] as TextEntry).text;
    assert.match(text, /^\$tx +#3 flags=A seq=1001 ack=\d+ len=0 /m);
    assert.match(text, /^\$server +127\.0\.0\.1:7 \(echo\) /m);
    assert.match(text, /^\$pkt\[N\] +N = 1\.\.3 /m);
  });

  test('ls with a wrong topic', async () => {
    assert.equal(lastError((await sim.one('ls udp')).entries).message, "ls lists ip, tcp, vars or everything, not 'udp' at column 4");
  });

  test('help lists every command with an example; help NAME says more', async () => {
    const all = (only((await sim.one('help')).entries, 'text')[0] as TextEntry).text;
    for (const name of ['send', 'sr1', 'recv', 'expect', 'show', 'hex', 'ls', 'ladder', 'follow', 'server', 'connect', 'reset', 'pcap', 'help', 'quit']) {
      assert.match(all, new RegExp(`^  ${name}\\b`, 'm'), name);
    }
    assert.match(all, /e\.g\. recv flags=PA timeout=3/);
    const recv = (only((await sim.one('help recv')).entries, 'text')[0] as TextEntry).text;
    assert.match(recv, /^recv \[timeout=SECONDS\] \[field=value \.\.\.\]\n/);
    assert.match(recv, /e\.g\. recv flags=PA timeout=3$/);
    assert.equal(lastError((await sim.one('help snd')).entries).message, "no command 'snd'; did you mean 'send'? at column 6");
  });

  test('every command\'s example, as help shows it, runs', async () => {
    const examples = await simSession();
    try {
      await examples.run(...HANDSHAKE);
      // pcap's example would write into the working folder; it is tested on its own below.
      for (const command of SESSION_COMMANDS.filter((c) => c.name !== 'pcap')) {
        const { status, entries } = await examples.one(command.example);
        assert.notEqual(status, 'error', examples.text(entries));
      }
    } finally {
      await examples.close();
    }
  });

  test('an unknown command suggests the nearest', async () => {
    const { status, entries } = await sim.one('sned tcp flags=S');
    assert.equal(status, 'error');
    const error = lastError(entries);
    assert.equal(error.message, "unknown command 'sned' at column 1; did you mean 'send'?");
    assert.deepEqual([error.column, error.length], [1, 4]);
  });

  test('comments and blank lines do nothing; quit says so', async () => {
    assert.deepEqual((await sim.one('')).entries, []);
    const comment = await sim.one('# just a note');
    assert.deepEqual([comment.status, comment.entries.map((e) => e.kind)], ['ok', ['command']]);
    assert.equal((await sim.one('quit')).status, 'quit');
    assert.equal((await sim.one('exit')).status, 'quit');
  });
});

describe('ladder and follow', () => {
  let sim: SimSession;
  before(async () => {
    sim = await simSession();
    await sim.run(...HANDSHAKE, 'send tcp flags=PA seq=1001 ack=$rx.seq+1 data="hello"', 'recv flags=PA');
  });
  after(() => sim.close());

  test('ladder draws every packet as an arrow, fitted to the width asked', async () => {
    const { status, entries } = await sim.one('ladder width=70');
    assert.equal(status, 'ok');
    const text = only(entries, 'text')[0]!;
    assert.equal(text.title, 'the exchange, 6 packets');
    const lines = text.text.split('\n');
    assert.ok(lines.every((line) => line.length <= 70), text.text);
    assert.equal(lines.filter((line) => line.includes('-->|')).length, 3, 'three arrows from us');
    assert.equal(lines.filter((line) => line.includes('|<--')).length, 3, 'three to us');
    assert.match(text.text, / S seq=0 /);
  });

  test('ladder absolute shows the numbers as on the wire', async () => {
    const text = only((await sim.one('ladder absolute')).entries, 'text')[0]!.text;
    assert.match(text, / S seq=1000 /);
  });

  test('the session width is the default', async () => {
    sim.session.width = 50;
    const text = only((await sim.one('ladder')).entries, 'text')[0]!.text;
    assert.ok(text.split('\n').every((line) => line.length <= 50), text);
    sim.session.width = 80;
  });

  test('follow puts the bytes back together each way', async () => {
    const text = only((await sim.one('follow')).entries, 'text')[0]!.text;
    assert.match(text, /^127\.0\.0\.1:40000 \(learner\) <-> 127\.0\.0\.1:7 \(server\)\nlearner sent 5 bytes, server sent 5 bytes\n/);
    assert.match(text, /--> learner, 5 bytes\nhello\n<-- server, 5 bytes\nhello/);
    assert.match(only((await sim.one('follow hex')).entries, 'text')[0]!.text, /0000 {2}68 65 6c 6c 6f/);
  });

  test('their mistakes', async () => {
    const cases: Array<[string, string]> = [
      ['ladder sideways', "unexpected 'sideways'; usage: ladder [relative|absolute] [width=COLUMNS] at column 8"],
      ['ladder width=8', "width is a number of columns, 16..1000, got '8' at column 14"],
      ['follow as=hex', "unexpected 'as='; usage: follow [auto|text|hex] [width=COLUMNS] at column 8"],
    ];
    for (const [line, message] of cases) assert.equal(lastError((await sim.one(line)).entries).message, message, line);
  });
});

describe('server, connect, reset, pcap', () => {
  let sim: SimSession;
  before(async () => (sim = await simSession()));
  after(() => sim.close());

  test('server switches the behaviour and $server.port with it', async () => {
    const { status, entries } = await sim.one('server close-after=5');
    assert.equal(status, 'ok');
    assert.equal(only(entries, 'note')[0]?.text, 'the server is now close-after=5 on port 7001 ($server.port)');
    assert.equal(sim.session.server.port, 7001);
    assert.equal(only((await sim.one('server')).entries, 'note')[0]?.text, 'the server is close-after=5 on 127.0.0.1:7001');
  });

  test('the server closes first after five bytes', async () => {
    const outcomes = await sim.run(...HANDSHAKE, 'send tcp flags=PA seq=1001 ack=$rx.seq+1 data="12345"', 'recv flags=FPA', 'expect data="12345"');
    assert.deepEqual(outcomes.map((o) => o.status), ['ok', 'ok', 'ok', 'ok', 'ok'], sim.text(outcomes.flatMap((o) => o.entries)));
  });

  test('bad behaviours are named', async () => {
    const cases: Array<[string, string]> = [
      ['server echoo', "unknown behaviour 'echoo'; did you mean 'echo'? at column 8"],
      ['server close-after', 'close-after needs a byte count, e.g. close-after=5 at column 8'],
      ['server close-after=x', 'close-after needs a byte count, e.g. close-after=5 at column 20'],
      ['server echo=1', 'echo takes no value; write just echo at column 12'],
      ['server echo discard', "unexpected 'discard'; usage: server [BEHAVIOUR] at column 13"],
    ];
    for (const [line, message] of cases) assert.equal(lastError((await sim.one(line)).entries).message, message, line);
  });

  test('a behaviour reads as a lesson reads it, to the same behaviour', async () => {
    for (const word of ['echo', 'banner', 'banner="hi there\\r\\n"', 'close-after=0', 'slow-reader', 'slow-reader=100', 'LINE']) {
      assert.equal((await sim.one(`server ${word}`)).status, 'ok', word);
      assert.deepEqual(sim.session.serverBehaviour, parseServerBehaviour(word), word);
    }
  });

  test('what the lesson format refuses, server refuses too, at the column', async () => {
    const cases: Array<[string, string]> = [
      ['server banner="a"b', "unexpected 'b' after the banner text at column 18; put the whole text in one quoted string"],
      ['server banner="\\xff"', 'the banner text is not UTF-8 at column 15'],
      ['server banner=hi', "data must be a quoted string or 0x hex, got 'hi' at column 15; write data=\"hello\\r\\n\" or data=0x68656c6c6f"],
      ['server close-after=99999999999999999999', 'close-after=99999999999999999999 is too large at column 20'],
      ['server slow-reader=-1', 'slow-reader takes bytes per second, e.g. slow-reader=100 (0 reads nothing) at column 20'],
      ['server =5', "expected a behaviour before '='; behaviours are echo discard banner close-after line length-prefixed slow-reader refuse at column 8"],
    ];
    for (const [line, message] of cases) assert.equal(lastError((await sim.one(line)).entries).message, message, line);
  });

  test('banner takes its text', async () => {
    await sim.one('reset');
    assert.equal((await sim.one('server banner="hi\\r\\n"')).status, 'ok');
    const outcomes = await sim.run(...HANDSHAKE, 'recv flags=PA', 'expect data="hi\\r\\n"');
    assert.deepEqual(outcomes.map((o) => o.status), ['ok', 'ok', 'ok', 'ok'], sim.text(outcomes.flatMap((o) => o.entries)));
  });

  test('reset takes the next port and forgets $rx and $tx, but not $pkt', async () => {
    const count = sim.session.packets.length;
    const { entries } = await sim.one('reset');
    assert.equal(only(entries, 'note')[0]?.text, 'a fresh start: you are now 127.0.0.1:40002');
    assert.equal(sim.session.connection.state, 'CLOSED');
    assert.match(lastError((await sim.one('send tcp ack=$rx.seq')).entries).message, /^\$rx\.seq has no value yet/);
    assert.equal((await sim.one(`send tcp flags=R seq=$pkt[${count}].seq`)).status, 'ok');
  });

  test('connect: the bundled client SYNs to us, and $peer is its end', async () => {
    await sim.one('reset');
    const outcomes = await sim.run('server echo', 'connect', 'recv flags=S', 'send tcp flags=SA seq=5000 ack=$rx.seq+1', 'recv flags=A', 'expect ack=5001');
    assert.deepEqual(outcomes.map((o) => o.status), ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'], sim.text(outcomes.flatMap((o) => o.entries)));
    const peer = sim.session.connection.peer!;
    assert.notEqual(peer.port, 7);
    assert.equal(sim.session.sentAt(null)?.packet.tcp?.dport, peer.port, 'dport defaulted to the client');
    assert.equal(sim.session.connection.state, 'ESTABLISHED');
    assert.equal(sim.session.bundledState, 'ESTABLISHED');
  });

  test('pcap save writes every packet, readable back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcplab-pcap-'));
    const file = join(dir, 'session.pcapng');
    const { status, entries } = await sim.one(`pcap save ${file}`);
    assert.equal(status, 'ok', sim.text(entries));
    const capture = readCapture(readFileSync(file));
    assert.equal(capture.format, 'pcapng');
    assert.equal(capture.frames.length, sim.session.packets.length);
    capture.frames.forEach((frame, i) => assert.deepEqual(decodePacket(frame.ip!).tcp, sim.session.packets[i]!.packet.tcp));
    assert.equal(only(entries, 'note')[0]?.text, `wrote ${capture.frames.length} packets to ${file}`);
  });

  test('pcap mistakes', async () => {
    const cases: Array<[string, string]> = [
      ['pcap', "expected 'save'; usage: pcap save FILE at column 5"],
      ['pcap load x', "expected 'save'; usage: pcap save FILE at column 6"],
      ['pcap save', 'which file? usage: pcap save FILE at column 10'],
      ['pcap save ', 'which file? usage: pcap save FILE at column 11'],
      ['pcap save /nonexistent/dir/x.pcapng', 'could not write /nonexistent/dir/x.pcapng: ENOENT'],
    ];
    for (const [line, message] of cases) assert.equal(lastError((await sim.one(line)).entries).message, message, line);
  });
});

describe('IPv6', () => {
  test('a session in IPv6 does the handshake on ::1', async () => {
    const sim = await simSession(7, { family: 6 });
    try {
      const outcomes = await sim.run(...HANDSHAKE, 'expect src=::1 dst=::1');
      assert.deepEqual(outcomes.map((o) => o.status), ['ok', 'ok', 'ok'], sim.text(outcomes.flatMap((o) => o.entries)));
      assert.equal(sim.session.packets[0]?.packet.ip?.version, 6);
    } finally {
      await sim.close();
    }
  });
});
