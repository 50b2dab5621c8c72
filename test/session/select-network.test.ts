// Which network a session runs on, and the one line that says why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labAvailability } from '../../src/net/lab/lab-network.js';
import { selectNetwork } from '../../src/net/select.js';

test('sim when asked, with its seed in the note', async () => {
  const { network, note } = await selectNetwork('sim', { seed: 42 });
  try {
    assert.equal(network.info.kind, 'sim');
    assert.equal(note, 'network: sim, as asked (seed 42)');
  } finally {
    await network.close();
  }
});

test('with no choice: the lab where it runs, else sim saying why', async () => {
  const availability = await labAvailability();
  const { network, note } = await selectNetwork();
  try {
    if (availability.ok) {
      assert.equal(network.info.kind, 'lab');
      assert.equal(note, 'network: lab: the Linux kernel in a network namespace of its own');
    } else {
      assert.equal(network.info.kind, 'sim');
      assert.ok(note.startsWith(`network: sim, because the lab cannot run here: ${availability.reason} (fix: ${availability.fix})`), note);
    }
  } finally {
    await network.close();
  }
});
