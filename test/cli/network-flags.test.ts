import assert from 'node:assert/strict';
import test from 'node:test';
import { UsageError } from '../../src/cli/command.js';
import { networkChoice } from '../../src/cli/network-flags.js';
import { NetworkUnavailableError, selectNetwork } from '../../src/net/select.js';

const flags = (entries: Record<string, string | true>) => new Map(Object.entries(entries));

test('--net ws://HOST:PORT asks for the lab on that host, with the token file given', () => {
  assert.deepEqual(networkChoice(flags({ net: 'wss://lab.example:7777', 'token-file': 'class.token' })), {
    kind: 'lab',
    options: { remote: { url: 'wss://lab.example:7777', tokenFile: 'class.token' } },
  });
  assert.deepEqual(networkChoice(flags({ net: 'sim', seed: '42' })), { kind: 'sim', options: { seed: 42 } });
  assert.deepEqual(networkChoice(flags({})), { kind: undefined, options: {} });
});

test('mistakes in --net, --seed and --token-file are usage errors that say what is accepted', () => {
  assert.throws(() => networkChoice(flags({ net: 'http://x' })), new UsageError("--net is lab, sim or ws://HOST:PORT (wss:// with TLS), not 'http://x'"));
  assert.throws(() => networkChoice(flags({ 'token-file': 't' })), new UsageError('--token-file goes with --net ws://HOST:PORT'));
  assert.throws(() => networkChoice(flags({ net: 'ws://h:1', seed: '3' })), /--seed is for sim/);
});

test('a remote lab with no token says where to put one, before any connection is tried', async () => {
  const saved = process.env.TCPLAB_TOKEN;
  delete process.env.TCPLAB_TOKEN;
  try {
    await assert.rejects(
      selectNetwork('lab', { remote: { url: 'ws://127.0.0.1:9' } }),
      (error: unknown) => error instanceof NetworkUnavailableError && /TCPLAB_TOKEN|token/.test(error.message),
    );
  } finally {
    if (saved !== undefined) process.env.TCPLAB_TOKEN = saved;
  }
});
