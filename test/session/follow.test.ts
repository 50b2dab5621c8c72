import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { followStreams, renderFollow, type FollowChunk } from '../../src/session/follow.js';
import { textWidth } from '../../src/session/text-width.js';
import { RenderOptionsError } from '../../src/wire/render/render-options.js';
import { echoExchange, LEARNER, packet, simExchange, stripAnsi } from './net-events.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Chunks as short strings: "out 0 'abc'", "in gap 3+2". */
function describeChunks(chunks: readonly FollowChunk[]): string[] {
  return chunks.map((c) => (c.kind === 'data' ? `${c.dir} ${c.offset} '${text(c.bytes)}'` : `${c.dir} gap ${c.offset}+${c.length}`));
}

describe('reassembly', () => {
  test('data both ways, in the order sent', () => {
    const stream = followStreams(echoExchange());
    assert.equal(text(stream.out), 'hello');
    assert.equal(text(stream.in), 'hello');
    assert.deepEqual(describeChunks(stream.chunks), ["out 0 'hello'", "in 0 'hello'"]);
    assert.deepEqual(stream.learner, LEARNER);
    assert.equal(stream.opener, 'learner');
    assert.deepEqual(stream.repeated, { out: 0, in: 0 });
    assert.deepEqual(stream.missing, { out: 0, in: 0 });
  });

  test('out of order: held until the gap fills, then given in sequence order', () => {
    const events = [
      packet(0, 'out', 'tcp flags=S seq=999'),
      packet(1, 'in', 'tcp flags=SA seq=0 ack=1000'),
      packet(2, 'out', 'tcp flags=PA seq=1005 ack=1 data="world"'),
      packet(3, 'in', 'tcp flags=A seq=1 ack=1000'),
      packet(4, 'out', 'tcp flags=PA seq=1000 ack=1 data="hello"'),
      packet(5, 'in', 'tcp flags=PA seq=1 ack=1010 data="ok"'),
    ];
    const stream = followStreams(events);
    assert.equal(text(stream.out), 'helloworld');
    assert.deepEqual(describeChunks(stream.chunks), ["out 0 'hello'", "out 5 'world'", "in 0 'ok'"]);
    assert.deepEqual(stream.chunks.map((c) => c.t), [4, 4, 5]);
  });

  test('retransmitted and overlapping bytes are counted once', () => {
    const events = [
      packet(0, 'out', 'tcp flags=S seq=0'),
      packet(1, 'out', 'tcp flags=PA seq=1 data="hello"'),
      packet(2, 'out', 'tcp flags=PA seq=1 data="hello"'),
      packet(3, 'out', 'tcp flags=PA seq=4 data="lo world"'),
      packet(4, 'out', 'tcp flags=PA seq=2 data="el"'),
    ];
    const stream = followStreams(events);
    assert.equal(text(stream.out), 'hello world');
    assert.deepEqual(describeChunks(stream.chunks), ["out 0 'hello'", "out 5 ' world'"]);
    assert.deepEqual(stream.repeated, { out: 5 + 2 + 2, in: 0 });
  });

  test('bytes that never came are a gap, where the data after it was sent', () => {
    const events = [
      packet(0, 'out', 'tcp flags=S seq=0'),
      packet(1, 'out', 'tcp flags=PA seq=1 data="abc"'),
      packet(2, 'out', 'tcp flags=PA seq=10 data="xyz"'),
      packet(3, 'in', 'tcp flags=SA seq=100 ack=4'),
      packet(4, 'out', 'tcp flags=PA seq=20 data="!"'),
    ];
    const stream = followStreams(events);
    assert.equal(text(stream.out), 'abcxyz!');
    assert.deepEqual(describeChunks(stream.chunks), ["out 0 'abc'", 'out gap 3+6', "out 9 'xyz'", 'out gap 12+7', "out 19 '!'"]);
    assert.deepEqual(stream.missing, { out: 13, in: 0 });
  });

  test('without a SYN, a side starts at the lowest sequence number it sent', () => {
    const events = [
      packet(0, 'out', 'tcp flags=PA seq=4294967294 data="cd"'),
      packet(1, 'out', 'tcp flags=PA seq=4294967292 data="ab"'),
      packet(2, 'out', 'tcp flags=PA seq=0 data="ef"'),
    ];
    const stream = followStreams(events);
    assert.equal(text(stream.out), 'abcdef');
    assert.equal(stream.opener, null);
  });

  test('data on a SYN starts one past its sequence number; a RST carries none', () => {
    const events = [
      packet(0, 'out', 'tcp flags=S seq=500 data="GET"'),
      packet(1, 'out', 'tcp flags=PA seq=504 data=" /"'),
      packet(2, 'in', 'tcp flags=R seq=1 data="diagnostic"'),
    ];
    const stream = followStreams(events);
    assert.equal(text(stream.out), 'GET /');
    assert.equal(stream.in.length, 0);
  });

  test('the latest connection, or the one from a given port', () => {
    const other = { addr: '127.0.0.1', port: 40001 };
    const events = [
      packet(0, 'out', 'tcp flags=S seq=0'),
      packet(1, 'out', 'tcp flags=PA seq=1 data="first"'),
      packet(2, 'out', 'tcp flags=S seq=0', { learner: other }),
      packet(3, 'out', 'tcp flags=PA seq=1 data="second"', { learner: other }),
    ];
    assert.equal(text(followStreams(events).out), 'second');
    assert.equal(text(followStreams(events, { learnerPort: 40000 }).out), 'first');
    assert.equal(followStreams(events, { learnerPort: 1 }).learner, null);
    assert.equal(followStreams([]).chunks.length, 0);
  });
});

describe('rendering', () => {
  test('the two sides interleaved, labelled', () => {
    assert.equal(
      renderFollow(echoExchange()),
      [
        '127.0.0.1:40000 (learner) <-> 127.0.0.1:7 (server)',
        'learner sent 5 bytes, server sent 5 bytes',
        '',
        '--> learner, 5 bytes',
        'hello',
        '<-- server, 5 bytes',
        'hello',
      ].join('\n'),
    );
  });

  test('line breaks end their line, other bytes are escaped, UTF-8 text is shown as it is', () => {
    const events = [
      packet(0, 'out', 'tcp flags=S seq=0'),
      packet(1, 'out', 'tcp flags=PA seq=1 data="GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n"'),
      packet(2, 'in', 'tcp flags=SA seq=0 ack=1'),
      packet(3, 'in', 'tcp flags=PA seq=1 data="tab\\there\\\\ nul\\x00 caf\\xc3\\xa9 中文\\n"'),
      packet(4, 'in', 'tcp flags=PA seq=40 data="late"'),
    ];
    assert.equal(
      renderFollow(events),
      [
        '127.0.0.1:40000 (learner) <-> 127.0.0.1:7 (server)',
        'learner sent 27 bytes, server sent 32 bytes (11 missing)',
        '',
        '--> learner, 27 bytes',
        'GET / HTTP/1.0\\r\\n',
        'Host: x\\r\\n',
        '\\r\\n',
        '<-- server, 32 bytes',
        'tab\\there\\\\ nul\\x00 café 中文\\n',
        '[11 bytes missing]',
        'late',
      ].join('\n'),
    );
  });

  test('mostly binary blocks as a hex dump, offsets in the stream', () => {
    const events = [
      packet(0, 'out', 'tcp flags=S seq=0'),
      packet(1, 'out', 'tcp flags=PA seq=1 data="ok"'),
      packet(2, 'out', 'tcp flags=PA seq=3 data=0x0000000568656c6c6f00ff10203040506070'),
    ];
    assert.equal(
      renderFollow(events).split('\n').slice(3).join('\n'),
      ['--> learner, 20 bytes', 'ok', '0002  00 00 00 05 68 65 6c 6c 6f 00 ff 10 20 30 40 50  ....hello... 0@P', '0012  60 70                                            `p'].join('\n'),
    );
    assert.deepEqual(renderFollow(events, { width: 40 }).split('\n').slice(5), [
      '0002  00 00 00 05 68 65 6c 6c  ....hell',
      '000a  6f 00 ff 10 20 30 40 50  o... 0@P',
      '0012  60 70                    `p',
    ]);
    assert.equal(renderFollow(events, { as: 'text' }).split('\n')[5], '\\x00\\x00\\x00\\x05hello\\x00\\xff\\x10 0@P`p');
    assert.equal(renderFollow(events, { as: 'hex' }).split('\n')[4], '0000  6f 6b                                            ok');
  });

  test('long lines wrap at the width, never inside an escape', () => {
    const long = 'abcdefghij'.repeat(5) + '\\x01'.repeat(10);
    const events = [packet(0, 'out', 'tcp flags=S seq=0'), packet(1, 'out', `tcp flags=PA seq=1 data="${long}"`)];
    const lines = renderFollow(events, { width: 24, as: 'text' }).split('\n').slice(4);
    for (const line of lines) assert.ok(textWidth(line) <= 24, line);
    assert.equal(lines.join(''), 'abcdefghij'.repeat(5) + '\\x01'.repeat(10));
    assert.ok(lines.every((line) => !/\\x?[0-9a-f]?$/.test(line) || line.endsWith('\\x01')), lines.join('\n'));
  });

  test('colour around the plain text only', () => {
    const plain = renderFollow(echoExchange());
    const coloured = renderFollow(echoExchange(), { color: true });
    assert.notEqual(coloured, plain);
    assert.equal(stripAnsi(coloured), plain);
  });

  test('nothing to follow', () => {
    assert.equal(renderFollow([]), 'no TCP connection to follow yet');
  });

  test('a bad option is named', () => {
    assert.throws(
      () => renderFollow([], { as: 'ascii' as 'text' }),
      (error: unknown) => error instanceof RenderOptionsError && /^follow option as: /.test(error.message),
    );
  });
});

describe('from the sim', () => {
  test('echo, with the server sending its data again while the learner does not acknowledge it', async () => {
    const events = await simExchange(async (s) => {
      await s.send('tcp flags=S seq=1000');
      const isn = s.rx().seq;
      await s.send(`tcp flags=A seq=1001 ack=${isn + 1}`);
      await s.send(`tcp flags=PA seq=1001 ack=${isn + 1} data="hello\\r\\n"`);
      await s.wait(700);
      // Acknowledging "hello" at last, or Nagle would hold the echo of "again" back.
      await s.send(`tcp flags=PA seq=1008 ack=${isn + 8} data="again\\r\\n"`);
      await s.wait(100);
    });
    const stream = followStreams(events);
    assert.equal(text(stream.out), 'hello\r\nagain\r\n');
    assert.equal(text(stream.in), 'hello\r\nagain\r\n');
    assert.ok(stream.repeated.in >= 7, `the server resent ${stream.repeated.in} bytes`);
    assert.deepEqual(
      renderFollow(events).split('\n').slice(3),
      ['--> learner, 7 bytes', 'hello\\r\\n', '<-- server, 7 bytes', 'hello\\r\\n', '--> learner, 7 bytes', 'again\\r\\n', '<-- server, 7 bytes', 'again\\r\\n'],
    );
  });

  test('out-of-order segments from the learner reach the server in order', async () => {
    const events = await simExchange(async (s) => {
      await s.send('tcp flags=S seq=0');
      const isn = s.rx().seq;
      await s.send(`tcp flags=A seq=1 ack=${isn + 1}`);
      await s.send(`tcp flags=PA seq=4 ack=${isn + 1} data="def"`);
      await s.send(`tcp flags=PA seq=1 ack=${isn + 1} data="abc"`);
      await s.wait(100);
    });
    const stream = followStreams(events);
    assert.equal(text(stream.out), 'abcdef');
    assert.equal(text(stream.in), 'abcdef', 'the echo server answers with the reassembled bytes');
  });

  test('the learner as server: the bundled client is named', async () => {
    const events = await simExchange(async (s) => {
      await s.connectToLearner();
      const isn = s.rx().seq;
      await s.send(`tcp flags=SA seq=3000 ack=${isn + 1} dport=${s.rx().sport}`);
      await s.send(`tcp flags=PA seq=3001 ack=${isn + 1} dport=${s.rx().sport} data="220 hello\\r\\n"`);
      await s.wait(100);
    });
    const stream = followStreams(events);
    assert.equal(stream.opener, 'peer');
    assert.equal(text(stream.out), '220 hello\r\n');
    const [heading, summary] = renderFollow(events).split('\n');
    assert.match(heading ?? '', /^127\.0\.0\.1:40000 \(learner\) <-> 127\.0\.0\.1:\d+ \(client\)$/);
    assert.equal(summary, 'learner sent 11 bytes, client sent 0 bytes');
  });
});
