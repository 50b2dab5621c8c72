import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NetEvent } from '../../src/net/network.js';
import { LADDER_MIN_WIDTH, LADDER_NOTES_WIDTH, renderLadder } from '../../src/session/ladder.js';
import { textWidth } from '../../src/session/text-width.js';
import { decodePacket } from '../../src/wire/packet.js';
import { RenderOptionsError } from '../../src/wire/render/render-options.js';
import { app, echoExchange, LEARNER, packet, simExchange, state, stripAnsi } from './net-events.js';

/** The labels of the arrows, in order, with their direction: "-> S seq=0", "<- SA seq=0 ack=1". */
function arrows(ladder: string): string[] {
  return ladder
    .split('\n')
    .map((line) => /^\|(<-+|-+) (.*?) -+>?\|/.exec(line))
    .filter((match) => match !== null)
    .map((match) => `${match[1]!.startsWith('<') ? '<-' : '->'} ${match[2]}`);
}

function notes(ladder: string): string[] {
  return ladder
    .split('\n')
    .map((line) => /^\|.*\| {2}(.*)$/.exec(line)?.[1])
    .filter((note): note is string => note !== undefined);
}

function assertFits(ladder: string, width: number): void {
  for (const line of ladder.split('\n')) {
    assert.ok(textWidth(line) <= width, `${textWidth(line)} columns, more than ${width}: ${JSON.stringify(line)}`);
  }
}

describe('a handshake, data both ways and the four-way close', () => {
  test('at 80 columns', () => {
    assert.equal(
      renderLadder(echoExchange()),
      [
        'learner                                      server',
        '127.0.0.1:40000                         127.0.0.1:7',
        '|                                                 |  listening',
        '|                                                 |  LISTEN',
        '|------------------- S seq=0 -------------------->|  SYN-RECV',
        '|<---------------- SA seq=0 ack=1 ----------------|',
        '|---------------- A seq=1 ack=1 ----------------->|  SYN-RECV -> ESTABLISHED',
        '|                                                 |  accepted',
        '|------------- PA seq=1 ack=1 len=5 ------------->|',
        '|<----------------- A seq=1 ack=6 ----------------|  received 5 bytes',
        '|<------------- PA seq=1 ack=6 len=5 -------------|',
        '|---------------- A seq=6 ack=6 ----------------->|',
        '|---------------- FA seq=6 ack=6 ---------------->|  ESTABLISHED -> CLOSE-WAIT',
        '|                                                 |  peer closed',
        '|                                                 |  CLOSE-WAIT -> LAST-ACK',
        '|<---------------- FA seq=6 ack=7 ----------------|  closed',
        '|---------------- A seq=7 ack=7 ----------------->|  LAST-ACK -> CLOSED',
      ].join('\n'),
    );
  });

  test('at 40 columns, with no room for the notes', () => {
    assert.equal(
      renderLadder(echoExchange(), { width: 40 }),
      [
        'learner                           server',
        '127.0.0.1:40000              127.0.0.1:7',
        '|-------------- S seq=0 -------------->|',
        '|<----------- SA seq=0 ack=1 ----------|',
        '|----------- A seq=1 ack=1 ----------->|',
        '|------- PA seq=1 ack=1 len=5 -------->|',
        '|<----------- A seq=1 ack=6 -----------|',
        '|<-------- PA seq=1 ack=6 len=5 -------|',
        '|----------- A seq=6 ack=6 ----------->|',
        '|---------- FA seq=6 ack=6 ----------->|',
        '|<----------- FA seq=6 ack=7 ----------|',
        '|----------- A seq=7 ack=7 ----------->|',
      ].join('\n'),
    );
  });

  test('at 24 columns the labels shorten', () => {
    assert.deepEqual(arrows(renderLadder(echoExchange(), { width: 24 })), [
      '-> S seq=0',
      '<- SA seq=0 ack=1',
      '-> A seq=1 ack=1',
      '-> PA s=1 a=1 l=5',
      '<- A seq=1 ack=6',
      '<- PA s=1 a=6 l=5',
      '-> A seq=6 ack=6',
      '-> FA seq=6 ack=6',
      '<- FA seq=6 ack=7',
      '-> A seq=7 ack=7',
    ]);
  });

  test('fits every width, down to the smallest, notes from 60 columns on', () => {
    for (let width = 1; width <= 132; width++) {
      const ladder = renderLadder(echoExchange(), { width });
      assertFits(ladder, Math.max(width, LADDER_MIN_WIDTH));
      assert.equal(notes(ladder).length > 0, width >= LADDER_NOTES_WIDTH, `width ${width}`);
      assert.equal(ladder.split('\n').filter((line) => line.startsWith('|')).length >= 10, true);
    }
  });

  test('absolute numbers when asked', () => {
    assert.deepEqual(arrows(renderLadder(echoExchange(), { relative: false })).slice(0, 4), [
      '-> S seq=1000',
      '<- SA seq=5000 ack=1001',
      '-> A seq=1001 ack=5001',
      '-> PA seq=1001 ack=5001 len=5',
    ]);
  });

  test('colour adds escapes around the plain text and nothing else', () => {
    const plain = renderLadder(echoExchange());
    const coloured = renderLadder(echoExchange(), { color: true });
    assert.notEqual(coloured, plain);
    assert.equal(stripAnsi(coloured), plain);
    assert.match(coloured, /\x1b\[36m-+ \x1b\[0m\x1b\[1mS seq=0\x1b\[0m/);
  });
});

describe('numbering', () => {
  test('without a SYN from a side, its numbers are as on the wire', () => {
    const events = [packet(0, 'out', 'tcp flags=R seq=12345'), packet(1, 'out', 'tcp flags=A seq=7 ack=99')];
    assert.deepEqual(arrows(renderLadder(events)), ['-> R seq=12345', '-> A seq=7 ack=99']);
  });

  test("an ack counts from the other side's SYN even when this side sent none", () => {
    const events = [packet(0, 'out', 'tcp flags=S seq=4294967295'), packet(1, 'in', 'tcp flags=RA seq=0 ack=0')];
    assert.deepEqual(arrows(renderLadder(events)), ['-> S seq=0', '<- RA seq=0 ack=1']);
  });

  test('a new SYN after a RST starts a new connection, counted from its own ISN', () => {
    const events = [
      packet(0, 'out', 'tcp flags=S seq=100'),
      packet(1, 'in', 'tcp flags=RA seq=0 ack=101'),
      packet(2, 'out', 'tcp flags=S seq=900'),
      packet(3, 'in', 'tcp flags=SA seq=50 ack=901'),
    ];
    const ladder = renderLadder(events);
    assert.deepEqual(arrows(ladder), ['-> S seq=0', '<- RA seq=0 ack=1', '-> S seq=0', '<- SA seq=0 ack=1']);
    assert.equal(ladder.split('\n').filter((line) => line.includes('127.0.0.1:40000 <-> 127.0.0.1:7')).length, 2);
  });

  test('a segment whose sequence space was already sent is marked resent', () => {
    const events = [
      packet(0, 'out', 'tcp flags=S seq=0'),
      packet(1000, 'out', 'tcp flags=S seq=0'),
      packet(1001, 'in', 'tcp flags=SA seq=10 ack=1'),
      packet(1002, 'out', 'tcp flags=PA seq=1 ack=11 data="abc"'),
      packet(1003, 'out', 'tcp flags=PA seq=2 ack=11 data="bc"'),
      packet(1004, 'out', 'tcp flags=PA seq=2 ack=11 data="bcd"'),
      packet(1005, 'out', 'tcp flags=A seq=5 ack=11'),
    ];
    assert.deepEqual(arrows(renderLadder(events)), [
      '-> S seq=0',
      '-> S seq=0 resent',
      '<- SA seq=0 ack=1',
      '-> PA seq=1 ack=1 len=3',
      '-> PA seq=2 ack=1 len=2 resent',
      '-> PA seq=2 ack=1 len=3',
      '-> A seq=5 ack=1',
    ]);
  });
});

describe('what else an arrow says', () => {
  test('no flags, a zero window, a bad checksum', () => {
    const events = [
      packet(0, 'out', 'tcp flags=0 seq=1'),
      packet(1, 'in', 'tcp flags=A seq=1 ack=1 win=0'),
      packet(2, 'out', 'tcp flags=A seq=1 ack=1 chksum=0x0001'),
    ];
    assert.deepEqual(arrows(renderLadder(events)), ['-> none seq=1', '<- A seq=1 ack=1 win=0', '-> A seq=1 ack=1 bad cksum']);
  });

  test('a packet that is not TCP', () => {
    // An IPv4 header carrying 8 bytes of UDP.
    const udp = Uint8Array.from(Buffer.from('4500001c0001000040117cce7f0000017f00000100140035000800000000', 'hex').subarray(0, 28));
    const events: NetEvent[] = [{ type: 'packet', t: 0, dir: 'out', packet: decodePacket(udp) }];
    assert.deepEqual(arrows(renderLadder(events)), ['-> not TCP (protocol 17)']);
  });

  test('IPv6 endpoints are bracketed', () => {
    const learner = { addr: '::1', port: 40000 };
    const server = { addr: '::1', port: 7 };
    const events = [packet(0, 'out', 'tcp flags=S seq=1', { learner, server }), packet(1, 'in', 'tcp flags=SA seq=1 ack=2', { learner, server })];
    assert.equal(renderLadder(events).split('\n')[1], '[::1]:40000                                 [::1]:7');
  });

  test('with nothing sent yet, only the two sides', () => {
    assert.equal(renderLadder([]), 'learner                                      server');
    assert.equal(renderLadder([app(0, 'listening'), state(0, null, 'LISTEN')]), 'learner                                      server');
  });
});

describe('notes', () => {
  test('belong to the connections in view; other listeners are left out', () => {
    const otherListener: NetEvent = { type: 'state', t: 0, local: { addr: '127.0.0.1', port: 9 }, remote: { addr: '0.0.0.0', port: 0 }, from: null, to: 'LISTEN' };
    const otherConnection: NetEvent = { type: 'app', t: 0, kind: 'accepted', local: { addr: '127.0.0.1', port: 7 }, remote: { addr: '127.0.0.1', port: 41000 } };
    const events = [otherListener, otherConnection, ...echoExchange()];
    assert.deepEqual(notes(renderLadder(events)), notes(renderLadder(echoExchange())));
  });

  test('wide characters are measured as two columns and wrapped to fit', () => {
    const message = 'ECONNRESET: 接続が相手によってリセットされました (RST)';
    const events = [...echoExchange().slice(0, 6), app(3, 'error', { message })];
    for (const width of [60, 72, 80, 100]) {
      const ladder = renderLadder(events, { width });
      assertFits(ladder, width);
      const shown = notes(ladder);
      const error = shown.slice(shown.findIndex((note) => note.startsWith('error: '))).join(' ');
      assert.equal(error.replaceAll(' ', ''), `error: ${message}`.replaceAll(' ', ''), ladder);
      assert.ok(shown.length > notes(renderLadder(events.slice(0, -1), { width })).length + 1, 'the message takes more than one line');
    }
  });
});

describe('options', () => {
  test('a bad option is named', () => {
    assert.throws(
      () => renderLadder([], { width: 'wide' as unknown as number }),
      (error: unknown) => error instanceof RenderOptionsError && /^ladder option width: /.test(error.message),
    );
    assert.throws(() => renderLadder([], { width: 2.5 }), RenderOptionsError);
  });
});

describe('from the sim', () => {
  test('the echo exchange as the simulated Linux answers it', async () => {
    const events = await simExchange(async (s) => {
      await s.send('tcp flags=S seq=1000');
      const isn = s.rx().seq;
      await s.send(`tcp flags=A seq=1001 ack=${isn + 1}`);
      await s.send(`tcp flags=PA seq=1001 ack=${isn + 1} data="hello"`);
      await s.send(`tcp flags=A seq=1006 ack=${isn + 6}`);
      await s.send(`tcp flags=FA seq=1006 ack=${isn + 6}`);
      await s.send(`tcp flags=A seq=1007 ack=${isn + 7}`);
      await s.wait(1000);
    });
    const ladder = renderLadder(events);
    assertFits(ladder, 80);
    const labels = arrows(ladder);
    assert.deepEqual(labels.slice(0, 3), ['-> S seq=0', '<- SA seq=0 ack=1', '-> A seq=1 ack=1']);
    assert.ok(labels.includes('<- PA seq=1 ack=6 len=5'), labels.join('\n'));
    assert.ok(labels.includes('<- FA seq=6 ack=7'), labels.join('\n'));
    assert.equal(labels.at(-1), '-> A seq=7 ack=7');
    const shown = notes(ladder);
    for (const note of ['LISTEN', 'SYN-RECV -> ESTABLISHED', 'accepted', 'received 5 bytes', 'ESTABLISHED -> CLOSE-WAIT', 'LAST-ACK -> CLOSED']) {
      assert.ok(shown.includes(note), `no note '${note}' in\n${ladder}`);
    }
  });

  test('a SYN-ACK sent again when the handshake is not finished', async () => {
    const events = await simExchange(async (s) => {
      await s.send('tcp flags=S seq=1000');
      await s.wait(3500);
    });
    const labels = arrows(renderLadder(events));
    assert.equal(labels[0], '-> S seq=0');
    assert.equal(labels[1], '<- SA seq=0 ack=1');
    assert.ok(labels.length >= 3, labels.join('\n'));
    for (const label of labels.slice(2)) assert.equal(label, '<- SA seq=0 ack=1 resent');
  });

  test('a RST from a port where nothing listens, in red', async () => {
    const events = await simExchange(async (s) => {
      await s.send('tcp flags=S seq=1000 dport=7777');
    });
    const ladder = renderLadder(events, { color: true });
    assert.deepEqual(arrows(stripAnsi(ladder)), ['-> S seq=0', '<- RA seq=0 ack=1']);
    assert.match(ladder, /\x1b\[31mRA seq=0 ack=1\x1b\[0m/);
  });

  test('the learner as server: the bundled client on the right, opening', async () => {
    const events = await simExchange(async (s) => {
      await s.connectToLearner();
      const isn = s.rx().seq;
      await s.send(`tcp flags=SA seq=3000 ack=${isn + 1} dport=${s.rx().sport}`);
      await s.send(`tcp flags=PA seq=3001 ack=${isn + 1} dport=${s.rx().sport} data="hi\\r\\n"`);
      await s.wait(100);
    });
    const ladder = renderLadder(events);
    const [roles, ends] = ladder.split('\n');
    assert.match(roles ?? '', /^learner +client$/);
    assert.match(ends ?? '', new RegExp(`^127\\.0\\.0\\.1:${LEARNER.port} +127\\.0\\.0\\.1:\\d+$`));
    assert.deepEqual(arrows(ladder).slice(0, 4), ['<- S seq=0', '-> SA seq=0 ack=1', '<- A seq=1 ack=1', '-> PA seq=1 ack=1 len=4']);
    const shown = notes(ladder);
    assert.ok(shown.includes('SYN-SENT'), ladder);
    assert.ok(shown.includes('connected'), ladder);
    assert.ok(shown.includes('received 4 bytes'), ladder);
  });

  test('fits every width with what the sim sends', async () => {
    const events = await simExchange(async (s) => {
      await s.send('tcp flags=S seq=4294967000');
      const isn = s.rx().seq;
      await s.send(`tcp flags=PA seq=4294967001 ack=${isn + 1} data="${'x'.repeat(300)}"`);
      await s.wait(500);
      await s.send('tcp flags=S seq=1 sport=40001 dport=7777');
    });
    for (const relative of [true, false]) {
      for (let width = LADDER_MIN_WIDTH; width <= 132; width++) assertFits(renderLadder(events, { width, relative }), width);
    }
  });
});
