// The ladder in a lesson's language: every word it writes (the names over the lifelines, what
// the server's application did, what an arrow says besides its numbers) in Simplified Chinese
// for a zh-CN lesson, wide characters measured as two columns; flags, numbers, addresses and
// TCP state names as they are in every language; English as before when no language is given.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NetEvent } from '../../src/net/network.js';
import { describeSocketError } from '../../src/server/app-event.js';
import { renderLadder } from '../../src/session/ladder.js';
import { textWidth } from '../../src/session/text-width.js';
import { decodePacket } from '../../src/wire/packet.js';
import { RenderOptionsError } from '../../src/wire/render/render-options.js';
import { app, echoExchange, packet, simExchange } from './net-events.js';
import { englishWordsIn, linesWiderThan, notesIn } from './ladder-words.js';

const ZH = { language: 'zh-CN' } as const;

describe('a handshake, data both ways and the four-way close, in Chinese', () => {
  test('at 80 columns', () => {
    assert.equal(
      renderLadder(echoExchange(), ZH),
      [
        '你                                           服务器',
        '127.0.0.1:40000                         127.0.0.1:7',
        '|                                                 |  开始监听',
        '|                                                 |  LISTEN',
        '|------------------- S seq=0 -------------------->|  SYN-RECV',
        '|<---------------- SA seq=0 ack=1 ----------------|',
        '|---------------- A seq=1 ack=1 ----------------->|  SYN-RECV -> ESTABLISHED',
        '|                                                 |  接受了连接',
        '|------------- PA seq=1 ack=1 len=5 ------------->|',
        '|<----------------- A seq=1 ack=6 ----------------|  读到 5 字节',
        '|<------------- PA seq=1 ack=6 len=5 -------------|',
        '|---------------- A seq=6 ack=6 ----------------->|',
        '|---------------- FA seq=6 ack=6 ---------------->|  ESTABLISHED -> CLOSE-WAIT',
        '|                                                 |  读到流的结尾',
        '|                                                 |  CLOSE-WAIT -> LAST-ACK',
        '|<---------------- FA seq=6 ack=7 ----------------|  套接字已关闭',
        '|---------------- A seq=7 ack=7 ----------------->|  LAST-ACK -> CLOSED',
      ].join('\n'),
    );
  });

  test('the arrows as in English; only the words differ', () => {
    const english = renderLadder(echoExchange()).split('\n');
    const chinese = renderLadder(echoExchange(), ZH).split('\n');
    assert.equal(chinese.length, english.length);
    chinese.slice(1).forEach((line, i) => assert.equal(line.split('|  ')[0], english[i + 1]!.split('|  ')[0]));
  });

  test('no English word at any width, and every line within it', () => {
    for (let width = 16; width <= 132; width++) {
      const ladder = renderLadder(echoExchange(), { ...ZH, width });
      assert.deepEqual(linesWiderThan(ladder, width), [], `width ${width}`);
      assert.deepEqual(englishWordsIn(ladder), [], ladder);
    }
  });

  test('unset, or en, the English ladder', () => {
    assert.equal(renderLadder(echoExchange(), { language: 'en' }), renderLadder(echoExchange()));
    assert.match(renderLadder(echoExchange()), /\| {2}received 5 bytes\n/);
  });
});

describe('the headings', () => {
  test('over the lifelines, the right one flush with its edge', () => {
    const english = renderLadder(echoExchange()).split('\n');
    const chinese = renderLadder(echoExchange(), ZH).split('\n');
    assert.equal(english[0], 'learner                                      server');
    assert.equal(chinese[0], `你${' '.repeat(textWidth(english[0]!) - textWidth('你') - textWidth('服务器'))}服务器`);
    assert.equal(textWidth(chinese[0]!), textWidth(english[0]!));
  });

  test('the bundled client, when the learner serves, and what its program did', async () => {
    const events = await simExchange(async (s) => {
      await s.connectToLearner();
      const isn = s.rx().seq;
      await s.send(`tcp flags=SA seq=3000 ack=${isn + 1} dport=${s.rx().sport}`);
      await s.send(`tcp flags=PA seq=3001 ack=${isn + 1} dport=${s.rx().sport} data="hi\\r\\n"`);
      await s.wait(100);
    });
    const ladder = renderLadder(events, ZH);
    assert.match(ladder.split('\n')[0]!, /^你 +客户端$/);
    const notes = notesIn(ladder);
    assert.ok(notes.includes('连接已建立'), ladder);
    assert.ok(notes.includes('读到 4 字节'), ladder);
    assert.deepEqual(englishWordsIn(ladder), [], ladder);
  });
});

describe('what an arrow says besides its numbers', () => {
  test('no flags, a zero window, a bad checksum, a segment sent again', () => {
    const events = [
      packet(0, 'out', 'tcp flags=0 seq=1'),
      packet(1, 'in', 'tcp flags=A seq=1 ack=1 win=0'),
      packet(2, 'out', 'tcp flags=A seq=1 ack=1 chksum=0x0001'),
      packet(3, 'out', 'tcp flags=PA seq=1 ack=1 data="abc"'),
      packet(4, 'out', 'tcp flags=PA seq=1 ack=1 data="abc"'),
    ];
    const rows = renderLadder(events, ZH).split('\n').slice(2);
    assert.deepEqual(rows, [
      '|---------------- 无标志位 seq=1 ---------------->|',
      '|<-------------- A seq=1 ack=1 win=0 -------------|',
      '|----------- A seq=1 ack=1 校验和错误 ----------->|',
      '|------------- PA seq=1 ack=1 len=3 ------------->|',
      '|---------- PA seq=1 ack=1 len=3 重传 ----------->|',
    ]);
  });

  test('a packet that is not TCP, and one that cannot be read', () => {
    const udp = Uint8Array.from(Buffer.from('4500001c0001000040117cce7f0000017f00000100140035000800000000', 'hex').subarray(0, 28));
    const events: NetEvent[] = [
      { type: 'packet', t: 0, dir: 'out', packet: decodePacket(udp) },
      { type: 'packet', t: 1, dir: 'in', packet: decodePacket(Uint8Array.from([0x45, 0, 0])) },
    ];
    const rows = renderLadder(events, ZH).split('\n').slice(1);
    assert.match(rows[0]!, /^\|-+ 非 TCP（协议号 17） -+>\|$/);
    assert.match(rows[1]!, /^\|<-+ 无法解析 -+\|$/);
    assert.ok(rows.every((row) => textWidth(row) === 51), rows.join('\n'));
  });
});

describe('errors of the server\'s socket', () => {
  const CODES = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRINUSE', 'EADDRNOTAVAIL', 'EACCES'];
  const CLOSING = /^[，。、：；！？）」』》]/u;

  test('each one the networks report, in Chinese, wrapped between words at 60 to 80 columns', () => {
    for (const code of CODES) {
      const events = [...echoExchange().slice(0, 8), app(3, 'error', { message: describeSocketError({ code }) })];
      for (let width = 60; width <= 80; width++) {
        const ladder = renderLadder(events, { ...ZH, width });
        assert.deepEqual(linesWiderThan(ladder, width), [], `${code} at ${width}`);
        assert.deepEqual(englishWordsIn(ladder), [], ladder);
        const notes = notesIn(ladder);
        const error = notes.slice(notes.findIndex((note) => note.startsWith('出错：')));
        assert.equal(error[0]!.startsWith(`出错：${code}`), true, ladder);
        for (const line of error) assert.doesNotMatch(line, CLOSING, ladder);
        // A Latin word or number is never cut in two.
        for (const word of error.join(' ').match(/[A-Z0-9]+/g) ?? []) assert.ok(error.some((line) => line.split(/[\s：，（）]/u).includes(word)), `${word} cut in\n${ladder}`);
      }
    }
  });

  test('the peer reset, as the sim reports it', async () => {
    const events = await simExchange(async (s) => {
      await s.send('tcp flags=S seq=1000');
      const isn = s.rx().seq;
      await s.send(`tcp flags=A seq=1001 ack=${isn + 1}`);
      await s.send('tcp flags=R seq=1001');
      await s.wait(100);
    });
    const notes = notesIn(renderLadder(events, ZH));
    assert.ok(notes.join(' ').includes('出错：ECONNRESET 对方用 RST 重置了连接'), notes.join('\n'));
    assert.ok(notes.includes('套接字已关闭'), notes.join('\n'));
    const english = notesIn(renderLadder(events)).join(' ');
    assert.ok(english.includes('error: ECONNRESET: the peer reset the connection (RST)'), english);
  });

  test('a message the table does not know stays as the network gave it; none at all is said', () => {
    const base = echoExchange().slice(0, 8);
    const other = notesIn(renderLadder([...base, app(3, 'error', { message: 'EWHATEVER: 某种错误' })], ZH));
    assert.ok(other.includes('出错：EWHATEVER: 某种错误'), other.join('\n'));
    const none = notesIn(renderLadder([...base, app(3, 'error')], ZH));
    assert.ok(none.includes('出错：原因不明'), none.join('\n'));
  });
});

describe('options', () => {
  test('a language it does not speak is a clear error', () => {
    assert.throws(
      () => renderLadder(echoExchange(), { language: 'fr' as never }),
      (error: unknown) => error instanceof RenderOptionsError && /^ladder option language: /.test(error.message),
    );
  });
});
