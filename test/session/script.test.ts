// Script mode: commands in order, each echoed; exit 1 at the first failed expect, time-out or
// command that cannot run, 0 when all hold. The example scripts pass unchanged on sim and on
// the lab; where the lab cannot start its tests are skipped with the reason, except in CI.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { UsageError, UserFacingError } from '../../src/cli/command.js';
import { replCommand } from '../../src/cli/commands/repl.js';
import { createLabNetwork, type LabNetwork } from '../../src/net/lab/lab-network.js';
import { runScript, scriptLines } from '../../src/session/script-runner.js';
import { Session } from '../../src/session/session.js';
import { projectRoot } from '../support/project-root.js';
import { simSession } from './sim-session.js';
import { whyNoLab } from '../support/lab-availability.js';

const EXAMPLES = ['handshake-echo-close.tcplab', 'learner-as-server.tcplab', 'options-offered.tcplab'];
const example = (name: string) => join(projectRoot(), 'examples', name);

async function runOnSim(text: string, seed = 7): Promise<{ exitCode: number; output: string; stoppedAt: unknown }> {
  const sim = await simSession(seed);
  let output = '';
  try {
    const result = await runScript(sim.session, scriptLines(text), { write: (chunk) => (output += chunk), name: 'test.tcplab' });
    return { exitCode: result.exitCode, output, stoppedAt: result.stoppedAt };
  } finally {
    await sim.close();
  }
}

describe('runScript', () => {
  test('every check holds: 0, and a closing line says so', async () => {
    const { exitCode, output } = await runOnSim('# a comment\n\nsr1 tcp flags=S seq=1000\nexpect flags=SA ack=1001\n');
    assert.equal(exitCode, 0);
    const lines = output.trimEnd().split('\n');
    assert.equal(lines[0], '# a comment');
    assert.equal(lines[1], '> sr1 tcp flags=S seq=1000');
    assert.equal(lines[lines.length - 1], 'test.tcplab: ok: 2 commands, every check held');
  });

  test('a failed expect stops the script with 1; what follows does not run', async () => {
    const { exitCode, output, stoppedAt } = await runOnSim('sr1 tcp flags=S seq=1000\nexpect ack=999\nsend tcp flags=R seq=1001\n');
    assert.equal(exitCode, 1);
    assert.deepEqual(stoppedAt, { line: 2, text: 'expect ack=999', status: 'failed' });
    assert.match(output, /FAILED: expect: #2 does not match/);
    assert.doesNotMatch(output, /send tcp flags=R/);
    assert.match(output.trimEnd().split('\n').at(-1)!, /^test\.tcplab:2: stopped: an expect did not hold$/);
  });

  test('a recv time-out stops it with 1', async () => {
    const { exitCode, output } = await runOnSim('recv timeout=0.1\n');
    assert.equal(exitCode, 1);
    assert.match(output, /TIMEOUT: recv: nothing came from the peer within 0\.1 s/);
    assert.match(output, /test\.tcplab:1: stopped: nothing matching came in time/);
  });

  test('a line that cannot run stops it with 1', async () => {
    const { exitCode, output } = await runOnSim('send tcp flgs=S\n');
    assert.equal(exitCode, 1);
    assert.match(output, /error: unknown field 'flgs' at column 10/);
    assert.match(output, /test\.tcplab:1: stopped: the command could not run/);
  });

  test('quit ends it early with 0', async () => {
    const { exitCode, output } = await runOnSim('quit\nexpect ack=1\n');
    assert.equal(exitCode, 0);
    assert.doesNotMatch(output, /expect/);
  });

  test('Windows line endings are read as lines', async () => {
    const { exitCode } = await runOnSim('sr1 tcp flags=S seq=1000\r\nexpect ack=1001\r\n');
    assert.equal(exitCode, 0);
  });
});

describe('the example scripts on sim', () => {
  for (const name of EXAMPLES) {
    for (const seed of [1, 7, 12345]) {
      test(`${name}, seed ${seed}`, async () => {
        const { exitCode, output } = await runOnSim(readFileSync(example(name), 'utf8'), seed);
        assert.equal(exitCode, 0, output);
      });
    }
  }
});

/** Runs `tcplab repl` with its streams, as a user on a pipe would. */
async function repl(args: string[], input = ''): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  stdin.end(input);
  const status = await replCommand.action(args, { stdin, stdout, stderr });
  return { status, stdout: out, stderr: err };
}

describe('tcplab repl', () => {
  test('--script FILE on sim exits 0 when every check holds', async () => {
    const { status, stdout, stderr } = await repl(['--net', 'sim', '--seed', '3', '--script', example(EXAMPLES[0]!)]);
    assert.equal(status, 0, stdout);
    assert.match(stderr, /^network: sim, as asked \(seed 3\)\n$/);
    assert.match(stdout, /handshake-echo-close\.tcplab: ok: 10 commands, every check held\n$/);
  });

  test('commands on a pipe run as a script, and a failure exits 1', async () => {
    const { status, stdout } = await repl(['--net', 'sim'], 'sr1 tcp flags=S seq=1000\nexpect ack=5\n');
    assert.equal(status, 1);
    assert.match(stdout, /stdin:2: stopped: an expect did not hold\n$/);
  });

  test('--relative counts sequence numbers from the ISNs', async () => {
    const { stdout } = await repl(['--net', 'sim', '--relative'], 'sr1 tcp flags=S seq=1000\n');
    assert.match(stdout, /Flags \[S\.\], seq 0, ack 1, /);
  });

  test('--ipv6 makes lines without an address IPv6', async () => {
    const { status, stdout } = await repl(['--net', 'sim', '--ipv6'], 'sr1 tcp flags=S seq=1000\nexpect src=::1\n');
    assert.equal(status, 0, stdout);
  });

  test('mistakes in how it is called', async () => {
    await assert.rejects(repl(['--net', 'wifi']), new UsageError("--net is lab, sim or ws://HOST:PORT (wss:// with TLS), not 'wifi'"));
    await assert.rejects(repl(['--net', 'lab', '--seed', '1']), new UsageError('--seed is for sim: the lab runs the real kernel, which picks its own numbers'));
    await assert.rejects(repl(['--seed', 'x']), new UsageError("--seed is a whole number 0..4294967295, not 'x'"));
    await assert.rejects(repl(['script.tcplab']), new UsageError("unexpected 'script.tcplab': give a script with --script FILE"));
    await assert.rejects(repl(['--script', '/nonexistent.tcplab']), new UserFacingError('cannot read /nonexistent.tcplab: no such file'));
  });

  test('a script file with a mistake points at its line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcplab-script-'));
    const file = join(dir, 'broken.tcplab');
    writeFileSync(file, 'sr1 tcp flags=S seq=1000\nexpect ack=$rx.sqe\n');
    const { status, stdout } = await repl(['--net', 'sim', '--script', file]);
    assert.equal(status, 1);
    assert.match(stdout, /error: unknown variable field '\.sqe' at column 15; did you mean '\.seq'\?\n {4}expect ack=\$rx\.sqe\n {18}\^{4}\n/);
    assert.match(stdout, /broken\.tcplab:2: stopped: the command could not run\n$/);
  });
});

const noLab = await whyNoLab();

describe('the example scripts on the lab', { skip: noLab }, () => {
  let lab: LabNetwork;
  before(async () => (lab = await createLabNetwork()));
  after(() => lab?.close());

  EXAMPLES.forEach((name, i) => {
    test(name, async () => {
      // Each script on a port of its own, so the first one's sockets do not meet the second.
      const session = await Session.open(lab, { port: lab.info.learner.ports.first + 10 * i });
      let output = '';
      try {
        const result = await runScript(session, scriptLines(readFileSync(example(name), 'utf8')), { write: (chunk) => (output += chunk), name });
        assert.equal(result.exitCode, 0, output);
      } finally {
        session.close();
      }
    });
  });

  test('tcplab repl --net lab --script runs it too', async () => {
    const { status, stdout, stderr } = await repl(['--net', 'lab', '--script', example(EXAMPLES[1]!)]);
    assert.equal(status, 0, stdout);
    assert.match(stderr, /^network: lab, as asked/);
  });
});
