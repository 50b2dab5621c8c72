// Bare `tcplab` without a terminal: commands on stdin run as a script, as `tcplab repl` runs
// them; the lesson browser, which needs a terminal, says so instead.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCli } from '../support/run-cli.js';

describe('tcplab without a terminal', () => {
  test('reads commands from stdin as the REPL does, and exits 0 when every check holds', () => {
    const result = runCli(['--net', 'sim', '--seed', '1'], { input: 'sr1 tcp flags=S seq=1000\nexpect flags=SA ack=1001\n' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^> sr1 tcp flags=S seq=1000$/m);
    assert.match(result.stdout, /ok: expect: #2 matches flags=SA ack=1001/);
  });

  test('--pack asks for a terminal, and says how to play a lesson without one', () => {
    const result = runCli(['--pack', 'lessons'], { input: '' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^tcplab home: the lesson browser needs a terminal; without one, tcplab lesson FILE --answers ANSWERS plays a lesson\n/);
    assert.equal(result.stdout, '');
  });
});
