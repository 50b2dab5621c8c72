// Whatever a learner types, execute() resolves: a mistake is an error entry whose column, when
// it has one, points inside the line. Never a rejected promise, never a stack trace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { COMMAND_NAMES } from '../../src/session/commands/registry.js';
import { simSession } from './sim-session.js';

const WORDS = [...COMMAND_NAMES, 'tcp', 'flags=', 'seq=', 'ack=', '$rx.seq', '$tx', '$pkt[', ']', '+1', '..', '*', 'opts=', 'mss:', 'data="', 'timeout=', '=', ' ', '"', '#', '\\', '0x', '-', ',', ':', 'S', 'PA', 'show', '$me.port', 'close-after=', 'save'];

test('no line makes execute throw, and every error points inside its line', async () => {
  const sim = await simSession(3);
  try {
    const line = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }).map((words) => words.join('')),
      fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }).map((words) => words.join(' ')),
    );
    await fc.assert(
      fc.asyncProperty(line, async (text) => {
        // pcap save would write files wherever the generator says; quit is not a mistake.
        if (/pcap/.test(text)) return;
        const { status, entries } = await sim.session.execute(text.replace(/timeout=\S*/g, 'timeout=0'));
        assert.ok(['ok', 'failed', 'timeout', 'error', 'quit'].includes(status));
        for (const entry of entries) {
          if (entry.kind !== 'error') continue;
          assert.ok(entry.message.length > 0);
          assert.doesNotMatch(entry.message, /\n\s+at /, 'no stack trace');
          if (entry.column !== undefined) assert.ok(entry.column >= 1 && entry.column <= entry.input.length + 1, `${entry.message} in ${JSON.stringify(entry.input)}`);
        }
      }),
      { numRuns: 400 },
    );
  } finally {
    await sim.close();
  }
});
