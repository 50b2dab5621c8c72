// The bundled server's own duties: its listeners, reconfiguring a behaviour, refusing bad
// specs and taken ports with a clear message, and closing down.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { BEHAVIOUR_PORTS } from '../../src/server/behaviour.js';
import { BundledServer, DEFAULT_BEHAVIOURS, InvalidBehaviourError, ServerListenError } from '../../src/server/bundled-server.js';
import { freeBehaviourPorts, startTestServer, TestClient, waitUntil } from './loopback.js';

describe('BundledServer', () => {
  test('listens for every behaviour but refuse, on every host, and says so', async () => {
    const s = await startTestServer();
    try {
      const listening = s.events.filter((event) => event.kind === 'listening');
      const expected = ['127.0.0.1', '::1'].flatMap((host) =>
        Object.entries(s.ports)
          .filter(([name]) => name !== 'refuse')
          .map(([name, port]) => `${name} listening on ${host.includes(':') ? `[${host}]` : host}:${port}`),
      );
      // Listeners come up concurrently, so their announcements may arrive in any order.
      assert.deepEqual(
        listening.map((event) => event.message).sort(),
        [...expected].sort(),
      );
      assert.ok(listening.every((event) => event.remote === null));
      assert.equal(s.server.portOf('echo'), s.ports.echo);
    } finally {
      await s.server.close();
    }
  });

  test('the classic ports by default', () => {
    const server = new BundledServer();
    assert.equal(server.portOf('echo'), 7);
    assert.equal(server.portOf('discard'), 9);
    assert.equal(server.portOf('banner'), 13);
    assert.deepEqual(server.hosts, ['127.0.0.1', '::1']);
    assert.deepEqual(server.behaviourOf('close-after'), DEFAULT_BEHAVIOURS['close-after']);
    assert.equal(BEHAVIOUR_PORTS.refuse, server.portOf('refuse'));
  });

  test('setBehaviour: returns the port; new connections get the new spec, open ones keep theirs', async () => {
    const s = await startTestServer({ hosts: ['127.0.0.1'] });
    try {
      assert.deepEqual(await s.server.setBehaviour({ name: 'close-after', bytes: 2 }), { port: s.ports['close-after'] });
      const before = await TestClient.open('127.0.0.1', s.ports['close-after']);
      assert.deepEqual(await s.server.setBehaviour({ name: 'close-after', bytes: 4 }), { port: s.ports['close-after'] });
      const after = await TestClient.open('127.0.0.1', s.ports['close-after']);
      before.socket.write('abcdef');
      after.socket.write('abcdef');
      await waitUntil('both FINs', () => before.sawFin && after.sawFin);
      assert.equal(before.text(), 'ab');
      assert.equal(after.text(), 'abcd');
      before.socket.end();
      after.socket.end();
    } finally {
      await s.server.close();
    }
  });

  test('a spec that does not parse is refused with the field and the reason', async () => {
    const server = new BundledServer();
    await assert.rejects(
      server.setBehaviour({ name: 'close-after', bytes: -1 }),
      (error: unknown) => error instanceof InvalidBehaviourError && /^server behaviour: bytes: /.test(error.message),
    );
    await assert.rejects(
      server.setBehaviour({ name: 'chargen' } as never),
      (error: unknown) => error instanceof InvalidBehaviourError && /^server behaviour: name: /.test(error.message),
    );
    const applied = await server.setBehaviour({ name: 'slow-reader' } as never);
    assert.deepEqual(server.behaviourOf('slow-reader'), { name: 'slow-reader', bytesPerSecond: 0 }, 'defaults are filled in');
    assert.equal(applied.port, 7004);
  });

  test('a port already taken: start() fails naming the behaviour, the address and the errno, and listens nowhere', async () => {
    const ports = await freeBehaviourPorts();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen({ host: '::1', port: ports.line, ipv6Only: true }, resolve));
    try {
      const server = new BundledServer({ ports });
      await assert.rejects(server.start(), (error: unknown) => {
        assert.ok(error instanceof ServerListenError);
        assert.equal(error.message, `cannot listen for line on [::1]:${ports.line}: EADDRINUSE: the address and port are already in use`);
        return true;
      });
      const probe = new TestClient('127.0.0.1', ports.echo);
      await waitUntil('a refusal', () => probe.error !== null);
      assert.equal(probe.error!.code, 'ECONNREFUSED', 'the listeners opened before the failure are closed again');
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  test('close() stops listening and aborts open connections', async () => {
    const s = await startTestServer({ hosts: ['127.0.0.1'] });
    const client = await TestClient.open('127.0.0.1', s.ports.discard);
    client.socket.write('x');
    await waitUntil('the read', () => s.kindsFor(client.localPort).includes('received'));
    await s.server.close();
    await waitUntil('the client to see the end', () => client.closed || client.sawFin);
    await waitUntil('the closed event', () => s.kindsFor(client.localPort).includes('closed'));
    const probe = new TestClient('127.0.0.1', s.ports.discard);
    await waitUntil('a refusal', () => probe.error !== null);
    assert.equal(probe.error!.code, 'ECONNREFUSED');
  });
});
