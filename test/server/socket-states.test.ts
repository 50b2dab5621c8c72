// The socket-state differ and watcher: over fixture snapshots with an injected reader, then
// for real against this kernel's /proc while a kernel client talks to the bundled server.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import type { TcpState } from '../../src/net/network.js';
import { parseProcNetTcp } from '../../src/server/proc-net-tcp.js';
import { bundledSockets, diffSockets, type SocketStateChange, SocketStateWatcher } from '../../src/server/socket-states.js';
import { freePort, sleep, startTestServer, waitUntil } from './loopback.js';
import { PROC_NET_TCP, PROC_NET_TCP_CLOSING } from './proc-net-tcp-fixtures.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
/** One socket line: 127.0.0.1:local to 127.0.0.1:remote in state `code`. */
function line(local: number, remote: number, code: string, rx = 0): string {
  const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');
  const peer = remote === 0 ? '00000000:0000' : `0100007F:${hex(remote, 4)}`;
  return `   0: 0100007F:${hex(local, 4)} ${peer} ${code} 00000000:${hex(rx, 8)} 00:00000000 00000000     0        0 1 1\n`;
}

const brief = (change: SocketStateChange): string => `${change.local.port}-${change.remote.port} ${change.from ?? 'new'} -> ${change.to}`;

describe('diffSockets', () => {
  test('new sockets change from null, changed ones from their old state, gone ones to CLOSED', () => {
    const first = diffSockets(new Map(), parseProcNetTcp(HEADER + line(7, 0, '0A') + line(7, 40000, '03')));
    assert.deepEqual(first.changes.map(brief), ['7-0 new -> LISTEN', '7-40000 new -> SYN-RECV']);
    const second = diffSockets(first.sockets, parseProcNetTcp(HEADER + line(7, 0, '0A') + line(7, 40000, '01') + line(7, 40001, '03')));
    assert.deepEqual(second.changes.map(brief), ['7-40000 SYN-RECV -> ESTABLISHED', '7-40001 new -> SYN-RECV']);
    const third = diffSockets(second.sockets, parseProcNetTcp(HEADER + line(7, 0, '0A') + line(7, 40000, '08', 1)));
    assert.deepEqual(third.changes.map(brief), ['7-40000 ESTABLISHED -> CLOSE-WAIT', '7-40001 SYN-RECV -> CLOSED']);
    assert.equal(third.changes[0]!.rxQueue, 1, "the peer's FIN waits in the receive queue");
    assert.deepEqual(diffSockets(third.sockets, parseProcNetTcp(HEADER + line(7, 0, '0A') + line(7, 40000, '08', 1))).changes, []);
  });

  test('a four-tuple shown twice, TIME-WAIT and a new connection: the live one wins', () => {
    const { changes } = diffSockets(new Map(), parseProcNetTcp(HEADER + line(7, 40000, '06') + line(7, 40000, '03')));
    assert.deepEqual(changes.map(brief), ['7-40000 new -> SYN-RECV']);
  });

  test("bundledSockets: the server's listeners and every socket whose peer is a learner's port", () => {
    const keep = bundledSockets({ serverPorts: [5000], learnerPorts: { first: 33000, last: 34000 } });
    assert.deepEqual(
      parseProcNetTcp(PROC_NET_TCP).filter(keep).map((entry) => `${entry.local.port}-${entry.remote.port} ${entry.state}`),
      ['5000-0 LISTEN', '5000-33452 CLOSE-WAIT', '5000-33438 ESTABLISHED'],
    );
    const listed = bundledSockets({ serverPorts: [], learnerPorts: [6000] });
    assert.deepEqual(
      parseProcNetTcp(PROC_NET_TCP_CLOSING).filter(listed).map((entry) => entry.state),
      ['FIN-WAIT-2', 'FIN-WAIT-1', 'TIME-WAIT'],
    );
  });
});

describe('SocketStateWatcher over an injected reader', () => {
  test('reports each snapshot’s changes to onChange and from poll(), in order', async () => {
    const snapshots = [HEADER + line(7, 0, '0A'), HEADER + line(7, 0, '0A') + line(7, 40000, '01'), HEADER + line(7, 0, '0A')];
    const seen: string[] = [];
    const watcher = new SocketStateWatcher({ read: () => snapshots.shift() ?? '', onChange: (change) => seen.push(brief(change)) });
    assert.deepEqual((await watcher.poll()).map(brief), ['7-0 new -> LISTEN']);
    assert.deepEqual((await watcher.poll()).map(brief), ['7-40000 new -> ESTABLISHED']);
    assert.equal(watcher.current.length, 2);
    assert.deepEqual((await watcher.poll()).map(brief), ['7-40000 ESTABLISHED -> CLOSED']);
    assert.deepEqual(seen, ['7-0 new -> LISTEN', '7-40000 new -> ESTABLISHED', '7-40000 ESTABLISHED -> CLOSED']);
  });

  test('polls asked for at once run one after the other, each on its own snapshot', async () => {
    const snapshots = [HEADER + line(7, 40000, '03'), HEADER + line(7, 40000, '01')];
    const watcher = new SocketStateWatcher({
      read: async () => {
        await sleep(5);
        return snapshots.shift() ?? '';
      },
      onChange: () => {},
    });
    const [a, b] = await Promise.all([watcher.poll(), watcher.poll()]);
    assert.deepEqual([a.map(brief), b.map(brief)], [['7-40000 new -> SYN-RECV'], ['7-40000 SYN-RECV -> ESTABLISHED']]);
  });

  test('an unreadable snapshot goes to onError, changes nothing, and the watcher keeps going', async () => {
    const snapshots: (string | Error)[] = [HEADER + line(7, 40000, '01'), HEADER + '   0: garbage\n', new Error('EACCES: permission denied'), HEADER + line(7, 40000, '08')];
    const errors: string[] = [];
    const watcher = new SocketStateWatcher({
      read: () => {
        const next = snapshots.shift() ?? '';
        if (next instanceof Error) throw next;
        return next;
      },
      onChange: () => {},
      onError: (message) => errors.push(message),
    });
    await watcher.poll();
    assert.deepEqual(await watcher.poll(), []);
    assert.deepEqual(await watcher.poll(), []);
    assert.deepEqual((await watcher.poll()).map(brief), ['7-40000 ESTABLISHED -> CLOSE-WAIT']);
    assert.equal(errors.length, 2);
    assert.match(errors[0]!, /line 2: expected/);
    assert.equal(errors[1], 'EACCES: permission denied');
  });

  test('start() polls on its interval until stop()', async () => {
    let reads = 0;
    const watcher = new SocketStateWatcher({ read: () => (reads++, ''), onChange: () => {}, intervalMs: 10 });
    watcher.start();
    await waitUntil('three polls', () => reads >= 3);
    watcher.stop();
    const stopped = reads;
    await sleep(50);
    assert.equal(reads, stopped);
  });
});

describe("SocketStateWatcher on this kernel's /proc", () => {
  /** Polls until the socket from `clientPort` reaches `state`, and returns its path there. */
  async function reach(watcher: SocketStateWatcher, changes: SocketStateChange[], clientPort: number, state: TcpState, from = 0): Promise<void> {
    await waitUntil(`the server's socket to reach ${state}; saw ${changes.map(brief).join(', ')}`, () => {
      void watcher.poll();
      return changes.slice(from).some((change) => change.remote.port === clientPort && change.to === state);
    });
  }

  test('the server closes first: ESTABLISHED, FIN-WAIT-2, TIME-WAIT', async () => {
    const s = await startTestServer({ hosts: ['127.0.0.1'] });
    const changes: SocketStateChange[] = [];
    const clientPort = await freePort();
    const port = s.ports['close-after'];
    const watcher = new SocketStateWatcher({ filter: bundledSockets({ serverPorts: [port], learnerPorts: [clientPort] }), onChange: (change) => changes.push(change) });
    try {
      await s.server.setBehaviour({ name: 'close-after', bytes: 3 });
      await watcher.poll();
      // Other tests share this host's loopback: a stale TIME-WAIT on the same port pair may
      // already be there. What matters is the listener, and what happens from here on.
      assert.ok(changes.map(brief).includes(`${port}-0 new -> LISTEN`), changes.map(brief).join(', '));
      const baseline = changes.length;
      const client = connect({ host: '127.0.0.1', port, localPort: clientPort, allowHalfOpen: true });
      let sawFin = false;
      client.on('end', () => (sawFin = true));
      client.resume();
      await reach(watcher, changes, clientPort, 'ESTABLISHED', baseline);
      client.write('abc');
      await waitUntil("the server's FIN", () => sawFin);
      await reach(watcher, changes, clientPort, 'FIN-WAIT-2', baseline);
      client.end();
      await reach(watcher, changes, clientPort, 'TIME-WAIT', baseline);
      const path = changes
        .slice(baseline)
        .filter((change) => change.remote.port === clientPort)
        .map((change) => change.to);
      assert.deepEqual(path.slice(0, 1), ['ESTABLISHED']);
      assert.deepEqual(path.slice(-2), ['FIN-WAIT-2', 'TIME-WAIT']);
    } finally {
      await s.server.close();
    }
  });

  test("a reader that never reads: CLOSE-WAIT holds the peer's FIN; closing the server ends it", async () => {
    const s = await startTestServer({ hosts: ['127.0.0.1'] });
    const changes: SocketStateChange[] = [];
    const clientPort = await freePort();
    const port = s.ports['slow-reader'];
    const watcher = new SocketStateWatcher({ filter: bundledSockets({ serverPorts: [port], learnerPorts: [clientPort] }), onChange: (change) => changes.push(change) });
    try {
      const client = connect({ host: '127.0.0.1', port, localPort: clientPort, allowHalfOpen: true });
      client.on('error', () => {});
      await reach(watcher, changes, clientPort, 'ESTABLISHED');
      client.end('unread');
      await reach(watcher, changes, clientPort, 'CLOSE-WAIT');
      const closeWait = changes.find((change) => change.to === 'CLOSE-WAIT')!;
      assert.equal(closeWait.rxQueue, 'unread'.length + 1, 'six unread bytes and the FIN');
      await sleep(50);
      await watcher.poll();
      assert.equal(changes.at(-1)!.to, 'CLOSE-WAIT', 'the application never reads, so it never closes');
      await s.server.close();
      await reach(watcher, changes, clientPort, 'CLOSED');
    } finally {
      await s.server.close();
    }
  });
});
