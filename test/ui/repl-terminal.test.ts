// The REPL as a person meets it: the real binary (bin/tcplab, run from dist/, so build
// first: npm test does) in a real terminal, driven key by key through tmux.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { labAvailability } from '../../src/net/lab/lab-network.js';
import { textWidth } from '../../src/session/text-width.js';
import { projectRoot } from '../support/project-root.js';
import { descendantsOf, TmuxTerminal, tmuxAvailable } from './tmux-terminal.js';

const root = projectRoot();
const binary = join(root, 'bin', 'tcplab');
const PROMPT = /^tcplab>/m;

const noTmux = (await tmuxAvailable()) ? false : 'tmux is not installed';
const notBuilt = existsSync(join(root, 'dist', 'src', 'cli', 'main.js')) ? false : 'the CLI is not built (npm test builds it)';
const skip = noTmux || notBuilt;

let stateHome: string;
before(() => {
  stateHome = mkdtempSync(join(tmpdir(), 'tcplab-e2e-state-'));
});
after(() => {
  rmSync(stateHome, { recursive: true, force: true });
});

/** Runs the REPL in a fresh terminal, waits for its prompt, and always ends the terminal. */
async function withRepl(
  args: readonly string[],
  body: (term: TmuxTerminal) => Promise<void>,
  size: { columns?: number; rows?: number; waitForPrompt?: boolean; env?: Record<string, string> } = {},
): Promise<void> {
  const term = new TmuxTerminal();
  try {
    // Through env(1): tmux gives a new session its own PATH, whatever it is asked to set.
    const env = Object.entries(size.env ?? {}).map(([name, value]) => `${name}=${value}`);
    await term.start([...(env.length > 0 ? ['env', ...env] : []), process.execPath, binary, 'repl', ...args], {
      columns: size.columns ?? 80,
      rows: size.rows ?? 24,
      cwd: root,
      env: { XDG_STATE_HOME: stateHome, TERM: 'xterm-256color', LANG: 'C.UTF-8' },
    });
    // The greeting is in the log, which only the Ink screen draws: from then on the screen is
    // Ink's, not the plain prompt drawn while it loads.
    if (size.waitForPrompt !== false) await term.waitFor((s) => PROMPT.test(s) && /help lists the commands/.test(s), 20_000);
    await body(term);
  } finally {
    await term.close();
  }
}

const lines = (screen: string) => screen.split('\n');
const count = (screen: string, pattern: RegExp) => lines(screen).filter((line) => pattern.test(line)).length;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('tcplab repl in a terminal', { skip }, () => {
  it('runs a handshake typed on sim: the SYN-ACK, the state changes, then the ACK', async () => {
    await withRepl(['--net', 'sim', '--seed', '1'], async (term) => {
      await term.type('sr1 tcp flags=S seq=1000');
      await term.keys('Enter');
      let screen = await term.waitForSettled(/your side: SYN-SENT → ESTABLISHED/);
      assert.match(screen, /^→ #1 +[\d.]+ 127\.0\.0\.1\.40000 > 127\.0\.0\.1\.7: Flags \[S\], seq 1000/m);
      assert.match(screen, /^← #2 +[\d.]+ 127\.0\.0\.1\.7 > 127\.0\.0\.1\.40000: Flags \[S\.\], seq \d+, ack/m);
      assert.match(screen, /server socket 127\.0\.0\.1:7: new → SYN-RECV/);
      assert.match(screen, /you: ESTABLISHED {2}server: SYN-RECV/);

      await term.type('send tcp flags=A seq=1001 ack=$rx.seq+1');
      await term.keys('Enter');
      screen = await term.waitForSettled(/server socket 127\.0\.0\.1:7: SYN-RECV → ESTABLISHED/);
      assert.match(screen, /^→ #3 .*Flags \[\.\], ack \d+/m);
      assert.match(screen, /you: ESTABLISHED {2}server: ESTABLISHED/);
      assert.equal(count(screen, PROMPT), 1, 'one prompt on the screen');
      assert.equal(count(screen, /│ you: /), 1, 'one status bar on the screen');
    });
  });

  it('draws the log again cleanly when the window is resized', async () => {
    await withRepl(['--net', 'sim', '--seed', '1'], async (term) => {
      await term.type('sr1 tcp flags=S seq=1000 opts=mss:1460,sackok,ts:1:0,nop,wscale:7');
      await term.keys('Enter');
      await term.waitFor(/your side: SYN-SENT → ESTABLISHED/);
      for (const [columns, rows] of [
        [56, 20],
        [100, 30],
        [80, 24],
      ] as const) {
        await term.resize(columns, rows);
        const screen = await term.waitForSettled((s) => count(s, PROMPT) === 1 && lines(s).every((line) => textWidth(line) <= columns) && /│ you: ESTABLISHED/.test(s));
        // Each log line once: nothing left over from the old width.
        assert.equal(count(screen, /^→ #1 /), 1, screen);
        assert.equal(count(screen, /^← #2 /), 1, screen);
        assert.equal(count(screen, /^› sr1 tcp/), 1, screen);
        assert.equal(count(screen, /│ you: /), 1, screen);
        // The wrapped packet text stays under itself, past the arrow column.
        const wrapped = lines(screen).filter((line) => /^ {13}\S/.test(line));
        if (columns < 100) assert.ok(wrapped.length > 0, screen);
      }
    });
  });

  it('shows a malformed line under the input with a caret at its column', async () => {
    await withRepl(['--net', 'sim'], async (term) => {
      await term.type('send tcp data="日本語" flgs=S');
      await term.keys('Enter');
      const screen = await term.waitForSettled(/unknown field 'flgs'/);
      const rows = lines(screen);
      const input = rows.findLastIndex((line) => line.startsWith('tcplab> '));
      assert.equal(rows[input], 'tcplab> send tcp data="日本語" flgs=S', 'the line is back for fixing');
      const caret = rows[input + 1]!;
      assert.equal(caret.indexOf('^^^^'), textWidth('tcplab> send tcp data="日本語" '));
      assert.match(rows[input + 2]!, /✗ unknown field 'flgs' at column \d+; did you mean 'flags'\?/);
      // The log keeps it too, the caret under the echoed command.
      assert.ok(rows.some((line) => line === '› send tcp data="日本語" flgs=S'));
    });
  });

  it('shows the keys on ? at an empty prompt and hides them on Esc', async () => {
    await withRepl(['--net', 'sim'], async (term) => {
      await term.type('?');
      let screen = await term.waitForSettled(/Keys \(\? or Esc to hide\)/);
      assert.match(screen, /Ctrl-C +clear the line; on an empty line, quit/);
      assert.match(screen, /Tab +complete/);
      await term.keys('Escape');
      screen = await term.waitForSettled((s) => !s.includes('Keys (') && PROMPT.test(s));
      assert.equal(count(screen, PROMPT), 1);
    });
  });

  it('completes with Tab', async () => {
    await withRepl(['--net', 'sim'], async (term) => {
      await term.type('sr');
      await term.keys('Tab');
      await term.type('tcp fl');
      await term.keys('Tab');
      await term.waitFor(/^tcplab> sr1 tcp flags=/m);
      await term.keys('Tab');
      await term.waitFor(/F +S +R +P +A +U +E +C/);
    });
  });

  it('keeps history across runs in XDG_STATE_HOME', async () => {
    await withRepl(['--net', 'sim'], async (term) => {
      await term.type('ls tcp');
      await term.keys('Enter');
      await term.waitFor(/^› ls tcp/m);
      await term.keys('C-d');
      assert.equal(await term.waitForExit(), 0);
    });
    assert.match(readFileSync(join(stateHome, 'tcplab', 'history'), 'utf8'), /^ls tcp$/m);
    await withRepl(['--net', 'sim'], async (term) => {
      await term.keys('Up');
      await term.waitFor(/^tcplab> ls tcp/m);
    });
  });

  it('says a terminal is too small in one line, and draws the REPL once it is large enough', async () => {
    await withRepl(
      ['--net', 'sim'],
      async (term) => {
        const small = await term.waitForSettled(/Terminal too small/, 20_000);
        assert.equal(lines(small).filter((line) => line.trim() !== '').length, 1);
        await term.resize(80, 24);
        await term.waitFor(PROMPT);
      },
      { columns: 36, rows: 8, waitForPrompt: false },
    );
  });

  it('keeps what is typed while it starts up', async () => {
    await withRepl(
      ['--net', 'sim'],
      async (term) => {
        // Typed at once, before the first prompt can be there.
        await term.type('ls ip');
        await term.keys('Enter');
        await term.type('he');
        const screen = await term.waitForSettled((s) => /^› ls ip/m.test(s) && /^tcplab> he/m.test(s), 20_000);
        assert.match(screen, /don't-fragment/);
        assert.equal(count(screen, PROMPT), 1);
        assert.equal(count(screen, /│ you: /), 1);
      },
      { waitForPrompt: false },
    );
  });

  it('says in one line why an explicit --net lab cannot start, exits 1, and gives the terminal back', async () => {
    // An unshare that always fails: the lab host cannot start, on any machine.
    const tools = mkdtempSync(join(tmpdir(), 'tcplab-no-unshare-'));
    writeFileSync(join(tools, 'unshare'), '#!/bin/sh\necho "unshare: unshare failed: Operation not permitted" >&2\nexit 1\n', { mode: 0o755 });
    try {
      await withRepl(
        ['--net', 'lab'],
        async (term) => {
          await term.type('sr1 tcp flags=S');
          await term.keys('Enter');
          assert.equal(await term.waitForExit(20_000), 1);
          const screen = await term.screen();
          const shown = lines(screen).filter((line) => line.trim() !== '' && !line.startsWith('[exited'));
          // Keys typed before raw mode was on may be echoed by the terminal itself; nothing of the REPL stays.
          const said = shown.filter((line) => line.startsWith('tcplab repl: '));
          assert.equal(said.length, 1, screen);
          assert.match(said[0]!, /^tcplab repl: the lab host ended before it was ready \(status 1\).*Operation not permitted.*\(fix: /);
          assert.doesNotMatch(screen, /tcplab> |starting…|help lists the commands/);
          assert.equal(await term.cursorVisible(), true, 'the cursor is shown again');
          // The terminal is back in line mode: it echoes what is typed.
          await term.type('typed after');
          await term.waitFor(/typed after/);
        },
        { columns: 200, waitForPrompt: false, env: { PATH: `${tools}:${process.env.PATH ?? ''}` } },
      );
    } finally {
      rmSync(tools, { recursive: true, force: true });
    }
  });

  it('exits on Ctrl-C at an empty prompt: the process is gone, with status 0', async () => {
    await withRepl(['--net', 'sim'], async (term) => {
      const pid = await term.pid();
      assert.ok(processAlive(pid));
      await term.type('send tcp');
      await term.keys('C-c');
      await term.waitFor((s) => /^tcplab> *$/m.test(s));
      assert.ok(processAlive(pid), 'the first Ctrl-C only cleared the line');
      await term.keys('C-c');
      assert.equal(await term.waitForExit(), 0);
      assert.ok(!processAlive(pid));
    });
  });
});

const labUnavailable = await (async () => {
  if (skip) return skip;
  const availability = await labAvailability();
  if (availability.ok) return false;
  const reason = `the lab cannot run here: ${availability.reason}`;
  if (process.env.CI) throw new Error(`${reason}; lab tests are never skipped in CI`);
  return reason;
})();

describe('tcplab repl on the lab, in a terminal', { skip: labUnavailable }, () => {
  it('takes a line while the lab starts, says the lab is starting, and runs the line once it is up', async () => {
    await withRepl(
      ['--net', 'lab'],
      async (term) => {
        const early = await term.waitFor(/^tcplab>/m, 20_000);
        // The prompt comes before the lab is up (unless this machine started it first).
        if (!/│ you: /.test(early)) assert.match(early, /^ lab starting…/m);
        await term.type('sr1 tcp flags=S seq=1000');
        await term.keys('Enter');
        const screen = await term.waitForSettled(/your side: SYN-SENT → ESTABLISHED/, 20_000);
        const rows = lines(screen);
        const first = rows.findIndex((line) => line.trim() !== '' && !line.startsWith('sr1 tcp'));
        assert.match(rows[first]!, /^ {2}· network: lab, as asked/, 'the note naming the network comes first');
        assert.match(screen, /^› sr1 tcp flags=S seq=1000$/m);
        assert.match(screen, /│ you: ESTABLISHED/);
        assert.equal(count(screen, PROMPT), 1);
        await term.keys('C-d');
        assert.equal(await term.waitForExit(15_000), 0);
      },
      { waitForPrompt: false },
    );
  });

  it('handshakes with the real kernel, and Ctrl-C leaves no process of the lab behind', async () => {
    await withRepl(['--net', 'lab'], async (term) => {
      await term.waitFor(/│ you: CLOSED/);
      const pid = await term.pid();
      const lab = descendantsOf(pid);
      assert.ok(lab.length > 0, 'the lab host runs under tcplab');
      await term.type('sr1 tcp flags=S seq=1000');
      await term.keys('Enter');
      await term.waitFor(/your side: SYN-SENT → ESTABLISHED/);
      await term.type('send tcp flags=A seq=1001 ack=$rx.seq+1');
      await term.keys('Enter');
      await term.waitFor(/server: ESTABLISHED/);
      await term.keys('C-c');
      assert.equal(await term.waitForExit(15_000), 0);
      for (const child of [pid, ...lab]) assert.ok(!processAlive(child), `process ${child} outlived tcplab`);
    });
  });
});
