// Each behaviour over a real loopback connection: what a kernel client sees on its socket,
// and which application events the server reports, in order.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_LINE } from '../../src/server/behaviours.js';
import { ManualClock, sleep, startTestServer, TestClient, type TestServer, waitUntil } from './loopback.js';

function frame(payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  return Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
}

/** Waits until the server has read `count` chunks from this client, so writes arrive as separate reads. */
async function serverRead(server: TestServer, client: TestClient, count: number): Promise<void> {
  await waitUntil(`${count} reads by the server`, () => server.kindsFor(client.localPort).filter((kind) => kind === 'received').length >= count);
}

describe('behaviours over loopback', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.server.close();
  });

  for (const host of ['127.0.0.1', '::1']) {
    test(`echo on ${host}: bytes come back; the peer's FIN is answered with ours`, async () => {
      const client = await TestClient.open(host, s.ports.echo);
      client.socket.write('hello');
      await client.receive('the echo', 5);
      assert.equal(client.text(), 'hello');
      await sleep(50);
      assert.equal(client.sawFin, false, 'echo must not close before the peer does');
      client.socket.end();
      await waitUntil("the server's FIN", () => client.sawFin);
      await waitUntil('the closed event', () => s.kindsFor(client.localPort).includes('closed'));
      assert.deepEqual(s.kindsFor(client.localPort), ['accepted', 'received', 'peer-closed', 'closed']);
      const [accepted, received] = s.eventsFor(client.localPort);
      assert.deepEqual(accepted!.local, { addr: host, port: s.ports.echo });
      assert.deepEqual(accepted!.remote, { addr: host, port: client.localPort });
      assert.equal(Buffer.from(received!.data!).toString(), 'hello');
      assert.equal(received!.message, 'echoed 5 bytes');
    });
  }

  test('discard: nothing comes back, reads are reported, FIN answered with FIN', async () => {
    const client = await TestClient.open('127.0.0.1', s.ports.discard);
    client.socket.write('into the void');
    await serverRead(s, client, 1);
    await sleep(50);
    assert.equal(client.received.length, 0);
    client.socket.end();
    await waitUntil("the server's FIN", () => client.sawFin);
    await waitUntil('closed', () => client.closed);
    await waitUntil('the closed event', () => s.kindsFor(client.localPort).includes('closed'));
    assert.deepEqual(s.kindsFor(client.localPort), ['accepted', 'received', 'peer-closed', 'closed']);
    assert.equal(Buffer.from(s.eventsFor(client.localPort)[1]!.data!).toString(), 'into the void');
  });

  test('banner: the server speaks first, with the default text and then a chosen one', async () => {
    const first = await TestClient.open('127.0.0.1', s.ports.banner);
    await first.receive('the banner', '220 tcplab ready\r\n'.length);
    assert.equal(first.text(), '220 tcplab ready\r\n');
    first.socket.end();
    await waitUntil("the server's FIN", () => first.sawFin);

    await s.server.setBehaviour({ name: 'banner', text: 'SSH-2.0-tcplab\r\n' });
    const second = await TestClient.open('::1', s.ports.banner);
    await second.receive('the new banner', 16);
    assert.equal(second.text(), 'SSH-2.0-tcplab\r\n');
    second.socket.write('ignored');
    await serverRead(s, second, 1);
    assert.equal(second.text(), 'SSH-2.0-tcplab\r\n', 'after the banner, input is discarded');
    second.socket.destroy();
  });

  test('close-after: echoes up to N bytes, then the server closes first; the peer may still send', async () => {
    await s.server.setBehaviour({ name: 'close-after', bytes: 5 });
    const client = await TestClient.open('127.0.0.1', s.ports['close-after']);
    client.socket.write('abc');
    await client.receive('the first echo', 3);
    assert.equal(client.sawFin, false);
    client.socket.write('defgh');
    await waitUntil("the server's FIN", () => client.sawFin);
    assert.equal(client.text(), 'abcde', 'bytes past the fifth are not echoed');
    // Half-closed: our direction still carries data.
    client.socket.write('late');
    await serverRead(s, client, 3);
    assert.equal(s.kindsFor(client.localPort).includes('peer-closed'), false);
    client.socket.end();
    await waitUntil('closed', () => client.closed);
    await waitUntil('the closed event', () => s.kindsFor(client.localPort).includes('closed'));
    const events = s.eventsFor(client.localPort);
    assert.deepEqual(
      events.map((event) => event.kind),
      ['accepted', 'received', 'received', 'received', 'peer-closed', 'closed'],
    );
    assert.equal(events[1]!.message, 'echoed 3 bytes (3 of 5)');
    assert.equal(events[2]!.message, 'echoed 2 bytes, reaching 5, discarded the 3 bytes past it; closing first (FIN)');
    assert.match(events[3]!.message!, /already closed/);
    assert.match(events[4]!.message!, /already closed/);
  });

  test('close-after 0: the FIN follows the handshake at once', async () => {
    await s.server.setBehaviour({ name: 'close-after', bytes: 0 });
    const client = await TestClient.open('127.0.0.1', s.ports['close-after']);
    await waitUntil("the server's FIN", () => client.sawFin);
    assert.equal(client.received.length, 0);
    client.socket.end();
    await waitUntil('closed', () => client.closed);
  });

  test('line: nothing until a newline; a line split across writes; several lines in one write', async () => {
    const client = await TestClient.open('127.0.0.1', s.ports.line);
    client.socket.write('hel');
    await serverRead(s, client, 1);
    await sleep(30);
    assert.equal(client.received.length, 0, 'an unfinished line gets no reply');
    client.socket.write('lo\nwor');
    await client.receive('the first reply', '#1 hello\n'.length);
    client.socket.write('ld\r\n');
    await serverRead(s, client, 3);
    client.socket.write('a\nb\n\nc\n');
    const expected = '#1 hello\n#2 world\n#3 a\n#4 b\n#5 \n#6 c\n';
    await client.receive('every reply', expected.length);
    assert.equal(client.text(), expected);
    const messages = s.eventsFor(client.localPort).filter((event) => event.kind === 'received').map((event) => event.message);
    assert.deepEqual(messages, [
      'no complete line yet; holding 3 bytes, waiting for a newline',
      'answered #1 "hello"; holding 3 bytes, waiting for a newline',
      'answered #2 "world"',
      'answered #3 "a", #4 "b", #5 "", #6 "c"',
    ]);
    client.socket.end();
    await waitUntil("the server's FIN", () => client.sawFin);
  });

  test(`line: no newline within ${MAX_LINE} bytes is an error, then the server closes`, async () => {
    const client = await TestClient.open('127.0.0.1', s.ports.line);
    client.socket.write('x'.repeat(MAX_LINE + 1));
    await waitUntil("the server's FIN", () => client.sawFin);
    assert.equal(client.text(), `error: line longer than ${MAX_LINE} bytes\n`);
    client.socket.destroy();
  });

  test('length-prefixed: a message split across writes, several in one write, an empty one', async () => {
    const client = await TestClient.open('::1', s.ports['length-prefixed']);
    const hello = frame('hello');
    client.socket.write(hello.subarray(0, 1));
    await serverRead(s, client, 1);
    client.socket.write(hello.subarray(1, 4));
    await serverRead(s, client, 2);
    await sleep(30);
    assert.equal(client.received.length, 0, 'an unfinished message gets no reply');
    client.socket.write(hello.subarray(4));
    const first = frame('#1 hello');
    await client.receive('the first reply', first.length);
    assert.deepEqual(client.received, first);
    client.socket.write(Buffer.concat([frame('ab'), frame(''), frame('c'), frame('tail').subarray(0, 3)]));
    const all = Buffer.concat([first, frame('#2 ab'), frame('#3 '), frame('#4 c')]);
    await client.receive('three more replies', all.length);
    await sleep(30);
    assert.deepEqual(client.received, all);
    const messages = s.eventsFor(client.localPort).filter((event) => event.kind === 'received').map((event) => event.message);
    assert.deepEqual(messages, [
      'no complete message yet; holding 1 byte, waiting for the rest of a 2-byte length',
      'no complete message yet; holding 4 bytes, waiting for the rest of a 5 bytes message',
      'answered #1 (5 bytes) "hello"',
      'answered #2 (2 bytes) "ab", #3 (0 bytes) "", #4 (1 byte) "c"; holding 3 bytes, waiting for the rest of a 4 bytes message',
    ]);
    client.socket.end();
    await waitUntil("the server's FIN", () => client.sawFin);
  });

  test('length-prefixed: a 65535-byte message is answered with a frame cut to 65535 bytes', async () => {
    const client = await TestClient.open('127.0.0.1', s.ports['length-prefixed']);
    const big = Buffer.alloc(0xffff, 0x61);
    client.socket.write(frame(big));
    await client.receive('the reply', 2 + 0xffff);
    assert.equal(client.received.readUInt16BE(0), 0xffff);
    assert.equal(client.received.subarray(2, 5).toString(), '#1 ');
    assert.equal(client.received.length, 2 + 0xffff);
    client.socket.destroy();
  });

  test('refuse: nothing listens, the kernel refuses', async () => {
    const client = new TestClient('127.0.0.1', s.ports.refuse);
    await waitUntil('the refusal', () => client.error !== null);
    assert.equal(client.error!.code, 'ECONNREFUSED');
    assert.deepEqual(await s.server.setBehaviour({ name: 'refuse' }), { port: s.ports.refuse });
  });

  test('a learner who aborts: the server reports ECONNRESET, then closed', async () => {
    const client = await TestClient.open('127.0.0.1', s.ports.echo);
    client.socket.write('x');
    await client.receive('the echo', 1);
    client.socket.resetAndDestroy();
    await waitUntil('the closed event', () => s.kindsFor(client.localPort).includes('closed'));
    const events = s.eventsFor(client.localPort);
    assert.deepEqual(
      events.map((event) => event.kind),
      ['accepted', 'received', 'error', 'closed'],
    );
    assert.equal(events[2]!.message, 'ECONNRESET: the peer reset the connection (RST)');
    assert.equal(events[3]!.message, 'closed after an error');
  });
});

describe('the slow reader', () => {
  test('with rate 0 it never reads: the kernel receive queue fills and the writer stalls', async () => {
    const s = await startTestServer({ hosts: ['127.0.0.1'] });
    try {
      const { parseProcNetTcp } = await import('../../src/server/proc-net-tcp.js');
      const { readProcNetTcp } = await import('../../src/server/socket-states.js');
      const client = await TestClient.open('127.0.0.1', s.ports['slow-reader']);
      const rxQueue = async (): Promise<number> => {
        const entry = parseProcNetTcp(await readProcNetTcp()).find(
          (socket) => socket.local.port === s.ports['slow-reader'] && socket.remote.port === client.localPort,
        );
        assert.ok(entry, "the server's socket is in /proc/net/tcp");
        return entry.rxQueue;
      };
      client.socket.write(Buffer.alloc(1000, 1));
      for (let i = 0; i < 100 && (await rxQueue()) < 1000; i++) await sleep(10);
      const samples: number[] = [];
      for (const size of [1000, 20000, 200000]) {
        client.socket.write(Buffer.alloc(size, 2));
        await sleep(100);
        samples.push(await rxQueue());
      }
      assert.equal(samples[0], 2000, 'every byte sent so far waits in the kernel');
      assert.ok(samples[1]! > samples[0]!, `the queue grows: ${samples.join(', ')}`);
      assert.ok(samples[2]! >= samples[1]!, `the queue does not shrink: ${samples.join(', ')}`);
      // The window closed: what the server cannot take piles up in the client's send buffer.
      let accepted = true;
      for (let i = 0; i < 200 && accepted; i++) accepted = client.socket.write(Buffer.alloc(65536, 3));
      await sleep(100);
      assert.ok(client.socket.writableLength > 0, 'the client has bytes it cannot send');
      assert.deepEqual(s.kindsFor(client.localPort), ['accepted'], 'the application read nothing');
      client.socket.destroy();
    } finally {
      await s.server.close();
    }
  });

  test('with a rate it reads a chunk, then rests as long as that chunk takes at that rate', async () => {
    const clock = new ManualClock();
    const s = await startTestServer({ hosts: ['127.0.0.1'], clock });
    try {
      await s.server.setBehaviour({ name: 'slow-reader', bytesPerSecond: 100 });
      const client = await TestClient.open('127.0.0.1', s.ports['slow-reader']);
      client.socket.write(Buffer.alloc(50, 1));
      await serverRead(s, client, 1);
      assert.deepEqual(clock.pending(), [500], '50 bytes at 100 bytes/s: half a second');
      client.socket.write(Buffer.alloc(30, 2));
      await sleep(100);
      assert.equal(s.kindsFor(client.localPort).filter((kind) => kind === 'received').length, 1, 'resting: nothing read');
      clock.advance(499);
      await sleep(50);
      assert.equal(s.kindsFor(client.localPort).filter((kind) => kind === 'received').length, 1, 'still resting');
      clock.advance(1);
      await serverRead(s, client, 2);
      const reads = s.eventsFor(client.localPort).filter((event) => event.kind === 'received');
      assert.equal(reads[1]!.data!.length, 30);
      assert.equal(reads[1]!.message, 'read 30 bytes; resting 300 ms before reading more');
      assert.deepEqual(clock.pending(), [300]);
      client.socket.destroy();
      await waitUntil('the closed event', () => s.kindsFor(client.localPort).includes('closed'));
      assert.deepEqual(clock.pending(), [], 'a closed connection leaves no timer behind');
    } finally {
      await s.server.close();
    }
  });
});
