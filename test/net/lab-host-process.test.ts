// A lab host started ahead of the code that speaks to it, as `tcplab repl` does: the lab uses
// it, an unneeded one is ended, and what it did before anyone listened is not lost.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startLabHost } from '../../src/net/lab/lab-host-process.js';
import { createLabNetwork, LabStartError } from '../../src/net/lab/lab-network.js';
import { selectNetwork } from '../../src/net/select.js';
import { whyNoLab } from '../support/lab-availability.js';

/** Runs `body` with an unshare that always fails first on PATH. */
async function withFailingUnshare<T>(body: () => Promise<T>): Promise<T> {
  const tools = mkdtempSync(join(tmpdir(), 'tcplab-no-unshare-'));
  writeFileSync(join(tools, 'unshare'), '#!/bin/sh\necho "unshare: unshare failed: Operation not permitted" >&2\nexit 1\n', { mode: 0o755 });
  const saved = process.env.PATH;
  process.env.PATH = `${tools}:${saved ?? ''}`;
  try {
    return await body();
  } finally {
    process.env.PATH = saved;
    rmSync(tools, { recursive: true, force: true });
  }
}

const noLab = await whyNoLab();

describe('a lab host started ahead', () => {
  it('is used by the lab that is then started, not a second one', { skip: noLab }, async () => {
    const host = startLabHost();
    try {
      const lab = await createLabNetwork({ host });
      try {
        assert.equal(lab.host.pid, host.child.pid);
        assert.deepEqual(lab.info.learner.ports, { first: 40000, last: 40999 });
      } finally {
        await lab.close();
      }
      assert.notEqual(host.child.exitCode ?? host.child.signalCode, null, 'closing the lab ends the host');
    } finally {
      host.child.kill('SIGKILL');
    }
  });

  it('reports an end that came before the lab listened, with what the host wrote', async () => {
    // The fake stays on PATH until the host has ended: setpriv looks unshare up after the spawn.
    const host = await withFailingUnshare(async () => {
      const started = startLabHost();
      await new Promise<void>((resolve) => started.onExit(() => resolve()));
      return started;
    });
    const error = await createLabNetwork({ host }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof LabStartError);
    assert.equal(error.stage, 'spawn');
    assert.match(error.message, /^the lab host ended before it was ready \(status 1\): unshare: unshare failed: Operation not permitted$/);
    assert.match(error.fix, /user namespaces are off/);
  });

  it('is ended when sim is chosen after all', async () => {
    const host = startLabHost();
    const exited = new Promise<void>((resolve) => host.onExit(() => resolve()));
    try {
      const { network } = await selectNetwork('sim', { labHost: host });
      try {
        assert.equal(network.info.kind, 'sim');
        await exited;
      } finally {
        await network.close();
      }
    } finally {
      host.child.kill('SIGKILL');
    }
  });
});
