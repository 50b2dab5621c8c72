// runRepl with a session whose network is still starting: the prompt at once, the lines typed
// meanwhile run after the network's note, and a network that cannot start gives the terminal back.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { Session } from '../../src/session/session.js';
import type { OpenedSession } from '../../src/ui/repl-session.js';
import { runRepl } from '../../src/ui/run-repl.js';
import { stripAnsi } from '../../src/session/text-width.js';
import { FrameStdout, KeyStdin, settle } from './ink-harness.js';

const SHOW_CURSOR = '\u001b[?25h';
const state = mkdtempSync(join(tmpdir(), 'tcplab-run-repl-'));
after(() => rmSync(state, { recursive: true, force: true }));

function terminal() {
  const stdin = new KeyStdin();
  const stdout = new FrameStdout(80, 24);
  const stderr = new FrameStdout(80, 24);
  const streams = { stdin, stdout, stderr } as unknown as { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream };
  return { stdin, stdout, streams, shown: () => stripAnsi(stdout.writes.join('')), frame: () => inkFrame(stdout) };
}

/** What the last frame drew below the log: the status bar and prompt, or nothing. */
function inkFrame(stdout: FrameStdout): string {
  // Ink erases the frame before (ending at column 1, ESC [G) and draws the next in one write.
  const write = stdout.writes.findLast((chunk) => stripAnsi(chunk) !== '') ?? '';
  const erased = write.lastIndexOf('\u001b[G');
  return stripAnsi(erased === -1 ? write : write.slice(erased + 3));
}

/** A promise the test settles, for the network's start. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function waitFor(test: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await settle(10);
  }
}

describe('runRepl while the network starts', () => {
  it('draws the prompt at once, and runs what was typed after the note naming the network', async () => {
    const { stdin, streams, shown, frame } = terminal();
    const ready = deferred<OpenedSession>();
    const leaving = runRepl({ session: { starting: 'lab', ready: ready.promise }, streams, historyPath: join(state, 'history-1') });
    await waitFor(() => /tcplab> /.test(shown()), 'the prompt');
    assert.match(shown(), / lab starting…/);
    assert.equal(stdin.isRaw, true, 'keys come one at a time from the start');
    stdin.write('ls ip\r');
    stdin.write('he');
    await settle(50);
    assert.doesNotMatch(shown(), /› ls ip/, 'nothing runs before the network is up');

    const network = createSimNetwork({ seed: 5 });
    const session = await Session.open(network);
    try {
      ready.resolve({ session, note: 'network: sim, as asked (seed 5)' });
      await waitFor(() => /don't-fragment/.test(shown()), 'ls ip to run');
      const text = shown();
      const note = text.indexOf('network: sim, as asked (seed 5)');
      const greeting = text.indexOf('help lists the commands');
      const command = text.indexOf('› ls ip');
      assert.ok(note >= 0 && note < greeting && greeting < command, text);
      await waitFor(() => /tcplab> he/.test(frame()), 'the line being typed, kept');
      stdin.write('\u0015\u0004');
      assert.equal(await leaving, 'end-of-input');
      assert.equal(stdin.isRaw, false);
    } finally {
      session.close();
      await network.close();
    }
  });

  it('gives the terminal back and rejects with the reason when the network cannot start before the screen is up', async () => {
    const { stdin, stdout, streams } = terminal();
    const ready = deferred<OpenedSession>();
    const leaving = runRepl({ session: { starting: 'lab', ready: ready.promise }, streams, historyPath: join(state, 'history-2') });
    await waitFor(() => stdout.writes.length > 0, 'the prompt');
    stdin.write('sr1 tcp flags=S\r');
    ready.reject(new Error('the lab could not start (firewall): nft failed'));
    await assert.rejects(leaving, /the lab could not start \(firewall\): nft failed/);
    assert.equal(stdin.isRaw, false);
    const last = stdout.writes.lastIndexOf(stdout.writes.findLast((write) => write.includes('tcplab>'))!);
    assert.ok(stdout.writes.slice(last + 1).some((write) => write.includes(SHOW_CURSOR)), 'the cursor is back');
  });

  it('takes the screen down again when the network fails after it is up', async () => {
    const { stdin, streams, frame } = terminal();
    // Ink loaded once already, so the screen is surely up before the network gives up.
    await import('../../src/ui/repl-screen.js');
    const ready = deferred<OpenedSession>();
    // Launched: the network needs nothing more of this process, so the screen loads meanwhile.
    const leaving = runRepl({ session: { starting: 'ws', ready: ready.promise, launched: Promise.resolve() }, streams, historyPath: join(state, 'history-3') });
    stdin.write('ls');
    await waitFor(() => /^ ws starting… +│ \? keys\ntcplab> ls/.test(frame()), 'the screen, drawn by Ink');
    ready.reject(new Error('cannot reach the lab daemon at 127.0.0.1:7799: socket hang up'));
    await assert.rejects(leaving, /socket hang up/);
    assert.equal(stdin.isRaw, false);
    assert.equal(frame().trim(), '', 'the status bar and prompt are gone');
  });
});
