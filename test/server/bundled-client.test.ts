// The bundled client, the learner-as-server case: a kernel socket connects to a listener on
// loopback that plays the learner's part, and we check what each side sees.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import type { AppEvent } from '../../src/server/app-event.js';
import { connectBundledClient } from '../../src/server/bundled-client.js';
import { bundledSockets, type SocketStateChange, SocketStateWatcher } from '../../src/server/socket-states.js';
import { freePort, sleep, waitUntil } from './loopback.js';

interface Learner {
  server: Server;
  port: number;
  socket: () => Socket;
  received: () => string;
  sawFin: () => boolean;
  error: () => NodeJS.ErrnoException | null;
}

async function learnerListening(host: string): Promise<Learner> {
  let socket: Socket | null = null;
  let received = '';
  let sawFin = false;
  let error: NodeJS.ErrnoException | null = null;
  const server = createServer({ allowHalfOpen: true }, (accepted) => {
    socket = accepted;
    accepted.on('data', (chunk) => (received += chunk.toString()));
    accepted.on('end', () => (sawFin = true));
    accepted.on('error', (failure) => (error = failure));
  });
  const port = await new Promise<number>((resolve) => server.listen({ host, port: 0 }, () => resolve((server.address() as { port: number }).port)));
  return {
    server,
    port,
    socket: () => {
      assert.ok(socket, 'the learner has accepted');
      return socket;
    },
    received: () => received,
    sawFin: () => sawFin,
    error: () => error,
  };
}

const closeLearner = (learner: Learner): Promise<void> => new Promise((resolve) => learner.server.close(() => resolve()));

describe('connectBundledClient', () => {
  for (const host of ['127.0.0.1', '::1']) {
    test(`on ${host}: connects, greets, reads, and answers the learner's FIN with its own`, async () => {
      const learner = await learnerListening(host);
      const events: AppEvent[] = [];
      const client = connectBundledClient({ addr: host, port: learner.port }, (event) => events.push(event), { greeting: 'hello from the client\n' });
      try {
        await waitUntil('the greeting', () => learner.received() === 'hello from the client\n');
        assert.deepEqual(client.local(), { addr: host, port: learner.socket().remotePort });
        learner.socket().write('hi');
        await waitUntil('the received event', () => events.some((event) => event.kind === 'received'));
        learner.socket().end();
        await waitUntil("the client's FIN", () => learner.sawFin());
        await client.closed;
        assert.deepEqual(
          events.map((event) => event.kind),
          ['connected', 'received', 'peer-closed', 'closed'],
        );
        assert.equal(Buffer.from(events[1]!.data!).toString(), 'hi');
        for (const event of events) {
          assert.deepEqual(event.remote, { addr: host, port: learner.port });
          assert.deepEqual(event.local, client.local());
        }
      } finally {
        await closeLearner(learner);
      }
    });
  }

  test('with endOnPeerClose false, the client sits in CLOSE-WAIT until end()', async () => {
    const learner = await learnerListening('127.0.0.1');
    const changes: SocketStateChange[] = [];
    const watcher = new SocketStateWatcher({ filter: bundledSockets({ serverPorts: [], learnerPorts: [learner.port] }), onChange: (change) => changes.push(change) });
    const events: AppEvent[] = [];
    const client = connectBundledClient({ addr: '127.0.0.1', port: learner.port }, (event) => events.push(event), { endOnPeerClose: false });
    try {
      await waitUntil('connected', () => events.some((event) => event.kind === 'connected'));
      learner.socket().end();
      await waitUntil('peer-closed', () => events.some((event) => event.kind === 'peer-closed'));
      await watcher.poll();
      assert.deepEqual(
        changes.map((change) => change.to),
        ['CLOSE-WAIT'],
      );
      await sleep(50);
      assert.equal(learner.sawFin(), false, 'no FIN until the lesson says so');
      client.end();
      await waitUntil("the client's FIN", () => learner.sawFin());
      await client.closed;
      await watcher.poll();
      assert.equal(changes.at(-1)!.to, 'CLOSED');
    } finally {
      await closeLearner(learner);
    }
  });

  test('binds to localAddress and localPort when asked, so its end is known before the handshake', async () => {
    const learner = await learnerListening('127.0.0.1');
    const localPort = await freePort();
    const client = connectBundledClient({ addr: '127.0.0.1', port: learner.port }, () => {}, { localAddress: '127.0.0.1', localPort });
    try {
      await sleep(0);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(client.local(), { addr: '127.0.0.1', port: localPort });
      await waitUntil('the learner accepting', () => {
        try {
          return learner.socket().remotePort === localPort;
        } catch {
          return false;
        }
      });
      client.end();
      learner.socket().end();
      await client.closed;
    } finally {
      await closeLearner(learner);
    }
  });

  test("a learner who answers the SYN with RST: ECONNREFUSED, then closed", async () => {
    const port = await freePort();
    const events: AppEvent[] = [];
    const client = connectBundledClient({ addr: '127.0.0.1', port }, (event) => events.push(event));
    await client.closed;
    assert.deepEqual(
      events.map((event) => [event.kind, event.message]),
      [
        ['error', 'ECONNREFUSED: the peer refused the connection (RST in answer to our SYN)'],
        ['closed', 'closed after an error'],
      ],
    );
    assert.deepEqual(events[0]!.local, { addr: '0.0.0.0', port: 0 }, 'a refused connect never had an end of its own');
    assert.equal(client.local(), null);
  });

  test('destroy() aborts with an RST the learner sees', async () => {
    const learner = await learnerListening('::1');
    const events: AppEvent[] = [];
    const client = connectBundledClient({ addr: '::1', port: learner.port }, (event) => events.push(event));
    try {
      await waitUntil('connected', () => events.some((event) => event.kind === 'connected'));
      await waitUntil('the learner accepting', () => {
        try {
          return learner.socket() !== null;
        } catch {
          return false;
        }
      });
      client.destroy();
      await client.closed;
      await waitUntil("the learner's ECONNRESET", () => learner.error() !== null);
      assert.equal(learner.error()!.code, 'ECONNRESET');
    } finally {
      await closeLearner(learner);
    }
  });
});
