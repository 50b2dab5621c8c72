// tcplab as a learner meets it: the real binary (bin/tcplab, run from dist/, so build first:
// npm test does) in a real terminal driven key by key through tmux. The home screen, lesson 2
// of the bundled course on the default network (the lab wherever it runs), progress kept
// across runs.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../support/project-root.js';
import { runCli } from '../support/run-cli.js';
import { TmuxTerminal, tmuxAvailable } from './tmux-terminal.js';

const root = projectRoot();
const binary = join(root, 'bin', 'tcplab');

const noTmux = (await tmuxAvailable()) ? false : 'tmux is not installed';
const notBuilt = existsSync(join(root, 'dist', 'src', 'cli', 'main.js')) ? false : 'the CLI is not built (npm test builds it)';
const skip = noTmux || notBuilt;

let stateHome: string;
let configHome: string;
before(() => {
  stateHome = mkdtempSync(join(tmpdir(), 'tcplab-home-state-'));
  configHome = mkdtempSync(join(tmpdir(), 'tcplab-home-config-'));
});
after(() => {
  rmSync(stateHome, { recursive: true, force: true });
  rmSync(configHome, { recursive: true, force: true });
});

const HOME = /TCP by hand +· +\d+\/11 passed/;

/** Starts bare `tcplab` in a fresh terminal and waits for the home screen; always ends the terminal. */
async function withTcplab(args: readonly string[], body: (term: TmuxTerminal) => Promise<void>, env: Record<string, string> = {}): Promise<void> {
  const term = new TmuxTerminal();
  try {
    await term.start([process.execPath, binary, ...args], {
      columns: 80,
      rows: 24,
      cwd: root,
      env: { XDG_STATE_HOME: stateHome, XDG_CONFIG_HOME: configHome, TERM: 'xterm-256color', LANG: 'C.UTF-8', ...env },
    });
    await term.waitFor(HOME, 20_000);
    await body(term);
  } finally {
    await term.close();
  }
}

const selectedLine = (screen: string) => screen.split('\n').find((line) => line.startsWith('› ')) ?? '';

describe('tcplab in a terminal: the home screen and a lesson', { skip }, () => {
  it('starts lesson 2, passes the SYN, leaves, and on the next run resumes at the ACK and passes the lesson', async () => {
    await withTcplab([], async (term) => {
      let screen = await term.waitForSettled(/network: (lab|sim)/, 20_000);
      assert.match(selectedLine(screen), /1\. Anatomy of a segment/);
      await term.keys('Down');
      screen = await term.waitFor((s) => /2\. The three-way handshake/.test(selectedLine(s)));
      assert.match(screen, /Enter starts it\./);
      await term.keys('Enter');
      screen = await term.waitForSettled(/Step 1 of 2: SYN/, 20_000);
      assert.match(screen, /^tcplab> tcp flags=S seq=0/m, 'the template is in the cell');
      assert.match(screen, /step 1\/2: new/);

      // The template's seq is wrong on purpose: the check explains it, nothing is sent.
      await term.keys('Enter');
      screen = await term.waitForSettled(/Take 1000 as your ISN/);
      assert.match(screen, /step 1\/2: not passed yet \(1 try\)/);

      await term.keys('C-u');
      await term.type('tcp flags=S seq=1000');
      await term.keys('Enter');
      screen = await term.waitForSettled(/step 1\/2: passed/, 15_000);
      // The lesson's notes on what just happened follow the verdict.
      assert.match(screen, /Read the SYN-ACK/);
      assert.match(screen, /server: SYN-RECV/);
      assert.match(screen, /Enter\/n next step/);

      // Leave mid-lesson: q back to the lessons, where lesson 2 shows where it stands; q quits.
      await term.type('q');
      screen = await term.waitForSettled(HOME, 15_000);
      assert.match(selectedLine(screen), /● +2\. The three-way handshake +step 2\/2$/);
      await term.type('q');
      assert.equal(await term.waitForExit(15_000), 0);
    });

    const saved = JSON.parse(readFileSync(join(stateHome, 'tcplab', 'progress', 'tcplab-course.json'), 'utf8'));
    assert.equal(saved.current, 'three-way-handshake');
    assert.equal(saved.lessons['three-way-handshake'].position.steps[0].status, 'passed');

    await withTcplab([], async (term) => {
      let screen = await term.waitForSettled(/Enter resumes where you left off/, 20_000);
      assert.match(selectedLine(screen), /2\. The three-way handshake/);
      await term.keys('Enter');
      screen = await term.waitForSettled(/Welcome back: you are at step 2 of 2\./, 20_000);
      assert.match(screen, /Step 2 of 2: ACK/);
      await term.keys('C-u');
      await term.type('tcp flags=A seq=1001 ack=$rx.seq+1');
      await term.keys('Enter');
      screen = await term.waitForSettled(/Lesson passed/, 20_000);
      assert.match(screen, /accept\(\) returned/);
      assert.match(screen, /server: ESTABLISHED/);
      await term.type('q');
      screen = await term.waitForSettled(HOME, 15_000);
      assert.match(screen, /TCP by hand +· +1\/11 passed/);
      assert.match(screen, /✓ +2\. The three-way handshake +passed/);
      // The cursor has moved on to the next lesson to take.
      assert.match(selectedLine(screen), /3\. Sending data/);
      await term.keys('C-c');
      assert.equal(await term.waitForExit(15_000), 0);
    });
  });

  it('opens the REPL with r, and Ctrl-D comes back home; a second REPL gets a fresh port, not the last one\'s half-open connection', async () => {
    await withTcplab(['--net', 'sim'], async (term) => {
      for (const port of [40000, 40001]) {
        await term.waitForSettled(/network: sim/, 20_000);
        await term.type('r');
        await term.waitForSettled(/help lists the commands/, 20_000);
        await term.type('sr1 tcp flags=S seq=1000');
        await term.keys('Enter');
        const screen = await term.waitForSettled(/you: ESTABLISHED {2}server: SYN-RECV/);
        assert.match(screen, new RegExp(`127\\.0\\.0\\.1:${port} → 127\\.0\\.0\\.1:7`));
        await term.keys('C-d');
        await term.waitForSettled(HOME, 15_000);
      }
      await term.type('q');
      assert.equal(await term.waitForExit(15_000), 0);
    });
  });

  it('--pack DIR lists an instructor\'s pack first and opens its lessons; a broken one is listed with its first mistake', async () => {
    const work = mkdtempSync(join(tmpdir(), 'tcplab-home-packs-'));
    try {
      const made = runCli(['pack', 'new', 'demo-pack', '--dir', join(work, 'demo')]);
      assert.equal(made.status, 0, made.stderr);
      const broken = join(work, 'broken');
      mkdirSync(broken);
      writeFileSync(join(broken, 'tcplab-pack.json'), JSON.stringify({ name: 'broken-pack', version: '1.0.0', language: 'en', lessons: ['one.md'] }));
      writeFileSync(join(broken, 'one.md'), '---\nid: one\ntitle: One\nsummary: s\nlanguage: en\n---\n\n```tcplab sned\ntcp flags=S\n```\n');
      // A state folder of its own: progress from the other tests would put the cursor in the course.
      const fresh = join(work, 'state');
      await withTcplab(['--net', 'sim', '--pack', join(work, 'demo'), '--pack', broken], async (term) => {
        let screen = await term.waitForSettled(/network: sim/, 20_000);
        const rows = screen.split('\n');
        const demo = rows.findIndex((line) => /^demo-pack +· +0\/1 passed/.test(line));
        const course = rows.findIndex((line) => HOME.test(line));
        assert.ok(demo !== -1 && demo < course, screen);
        assert.match(rows[demo + 1]!, /^› +1\. The three-way handshake/);
        assert.match(screen, /^broken-pack/m);
        assert.match(screen, /✗ this pack has a mistake: .*one\.md:8:\d+: .*sned/);
        await term.keys('Enter');
        screen = await term.waitForSettled(/Step 1 of \d+/, 20_000);
        assert.match(screen, /sim │ step 1\/\d+: new/);
      }, { XDG_STATE_HOME: fresh });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
