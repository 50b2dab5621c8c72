// Progress on disk: where it goes, how two tcplab processes writing at once both keep what
// they did, what a kill in the middle of a write leaves, and what a damaged file becomes.
// The writers are real processes: this file runs itself as a child (TCPLAB_PROGRESS_CHILD).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { hostExecArgv } from '../../src/net/lab/namespace.js';
import { PackProgressSchema, mergeStepRecords } from '../../src/lesson/progress/schema.js';
import { ProgressError, ProgressStore, progressDir, progressFileName } from '../../src/lesson/progress/store.js';
import type { LessonPosition, StepRecord } from '../../src/lesson/runner/position.js';

const child = process.env.TCPLAB_PROGRESS_CHILD;

function step(number: number, status: StepRecord['status'], tries = 1, answer: string | null = null): StepRecord {
  return { number, status, tries, failedTries: status === 'passed' ? tries - 1 : tries, hintsShown: 0, solutionShown: false, answer };
}

function position(lesson: string, at: number, steps: StepRecord[]): LessonPosition {
  return { lesson, step: at, steps };
}

if (child !== undefined) {
  // A writer: `saves` runs, each a lesson of its own passed plus a step of the shared lesson; or forever, until killed.
  const { dir, name, saves } = JSON.parse(child) as { dir: string; name: string; saves: number };
  const store = new ProgressStore('tcp-basics', { dir });
  for (let i = 0; saves < 0 || i < saves; i++) {
    await store.saveRun(position(`${name}-${i % 1000}`, 1, [step(1, 'passed', 1, 'tcp flags=S seq=1')]), true);
    await store.saveRun(position('shared', 1, [step(i + 1, 'passed', 1, `${name} ${i}`)]));
  }
  process.exit(0);
}

const scratch = mkdtempSync(join(tmpdir(), 'tcplab-progress-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let folders = 0;
const freshDir = () => join(scratch, `state-${folders++}`);

function startWriter(dir: string, name: string, saves: number) {
  const proc = spawn(process.execPath, [...hostExecArgv(), fileURLToPath(import.meta.url)], {
    env: { ...process.env, TCPLAB_PROGRESS_CHILD: JSON.stringify({ dir, name, saves }) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { proc, exited };
}

describe('where progress goes', () => {
  test('$XDG_STATE_HOME/tcplab/progress, or ~/.local/state/tcplab/progress; a relative XDG_STATE_HOME is ignored', () => {
    assert.equal(progressDir({ XDG_STATE_HOME: '/srv/state' }, '/home/ada'), '/srv/state/tcplab/progress');
    assert.equal(progressDir({}, '/home/ada'), '/home/ada/.local/state/tcplab/progress');
    assert.equal(progressDir({ XDG_STATE_HOME: 'state' }, '/home/ada'), '/home/ada/.local/state/tcplab/progress');
    const store = new ProgressStore('@school/tcp-basics', { env: { XDG_STATE_HOME: '/srv/state' } });
    assert.equal(store.path, '/srv/state/tcplab/progress/@school+tcp-basics.json');
    assert.equal(progressFileName('tcp-basics'), 'tcp-basics.json');
    assert.throws(() => progressFileName('..'), ProgressError);
  });
});

describe('saving progress', () => {
  test('a run is saved and read back; the file is whole JSON, and no temporary file is left', async () => {
    const dir = freshDir();
    const store = new ProgressStore('tcp-basics', { dir });
    assert.deepEqual((await store.load()).lessons, {});
    await store.saveRun(position('three-way-handshake', 2, [step(1, 'passed', 2, 'tcp flags=S seq=1000'), step(2, 'failed', 1)]));
    const loaded = await new ProgressStore('tcp-basics', { dir }).load();
    assert.equal(loaded.current, 'three-way-handshake');
    const lesson = loaded.lessons['three-way-handshake']!;
    assert.equal(lesson.passed, false);
    assert.equal(lesson.position?.step, 2);
    assert.deepEqual(lesson.position?.steps[0], step(1, 'passed', 2, 'tcp flags=S seq=1000'));
    assert.deepEqual(ProgressStore.resumeFrom(loaded, 'three-way-handshake'), lesson.position);
    assert.equal(ProgressStore.resumeFrom(loaded, 'closing'), null);
    assert.deepEqual(readdirSync(dir), ['tcp-basics.json']);
    assert.ok(PackProgressSchema.safeParse(JSON.parse(readFileSync(store.path, 'utf8'))).success);
  });

  test('nothing earned is lost: a later run with less done keeps the passes, the best status and the largest counts', async () => {
    const dir = freshDir();
    const store = new ProgressStore('tcp-basics', { dir });
    await store.saveRun(position('handshake', 3, [step(1, 'passed', 1, 'tcp flags=S seq=7'), step(2, 'passed', 3, 'mine'), step(3, 'passed', 1, 'x')]));
    assert.equal((await store.load()).lessons.handshake?.passed, true);
    const saved = await store.saveRun(position('handshake', 1, [step(1, 'failed', 2), step(2, 'pending', 0)]));
    const lesson = saved.lessons.handshake!;
    assert.equal(lesson.passed, true);
    assert.equal(lesson.position?.step, 1, 'the newest run says where to resume');
    assert.deepEqual(lesson.position?.steps.map((s) => [s.number, s.status, s.tries, s.answer]), [
      [1, 'passed', 2, 'tcp flags=S seq=7'],
      [2, 'passed', 3, 'mine'],
      [3, 'passed', 1, 'x'],
    ]);
    assert.deepEqual(mergeStepRecords(step(1, 'solved', 1, 'sol'), step(1, 'passed', 4, 'own')), step(1, 'passed', 4, 'own'));
  });

  test('two processes saving at once: every lesson each one passed is there, and every step of the lesson both wrote', async () => {
    const dir = freshDir();
    const saves = 40;
    const writers = [startWriter(dir, 'alpha', saves), startWriter(dir, 'beta', saves)];
    const results = await Promise.all(writers.map((writer) => writer.exited));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const progress = await new ProgressStore('tcp-basics', { dir }).load();
    for (const name of ['alpha', 'beta']) {
      for (let i = 0; i < saves; i++) assert.equal(progress.lessons[`${name}-${i}`]?.passed, true, `${name}-${i}`);
    }
    const shared = progress.lessons.shared!.position!.steps;
    assert.deepEqual(shared.map((s) => s.number), Array.from({ length: saves }, (_, i) => i + 1));
    assert.ok(shared.every((s) => s.status === 'passed' && /^(alpha|beta) \d+$/.test(s.answer ?? '')));
    assert.deepEqual(readdirSync(dir), ['tcp-basics.json'], 'no lock and no temporary file is left');
  });

  test('a reader never sees a half-written file while another process writes', async () => {
    const dir = freshDir();
    const store = new ProgressStore('tcp-basics', { dir });
    await store.saveRun(position('start', 1, [step(1, 'pending', 0)]));
    const writer = startWriter(dir, 'gamma', 60);
    let reads = 0;
    let running = true;
    void writer.exited.then(() => (running = false));
    while (running) {
      const text = readFileSync(store.path, 'utf8');
      assert.ok(PackProgressSchema.safeParse(JSON.parse(text)).success, text);
      reads += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal((await writer.exited).code, 0);
    assert.ok(reads > 10, `only ${reads} reads`);
  });

  test('a writer killed at any moment leaves a whole file, and its lock and temporary file do not stop the next one', async () => {
    const dir = freshDir();
    const store = new ProgressStore('tcp-basics', { dir });
    await store.saveRun(position('before', 1, [step(1, 'passed', 1, 'a')]), true);
    for (const delay of [30, 90, 170]) {
      const writer = startWriter(dir, `killed${delay}`, -1);
      // Once it has saved something, let it write for a while, then kill it wherever it is.
      while (!readFileSync(store.path, 'utf8').includes(`killed${delay}-`)) await new Promise((resolve) => setTimeout(resolve, 2));
      await new Promise((resolve) => setTimeout(resolve, delay));
      writer.proc.kill('SIGKILL');
      assert.equal((await writer.exited).signal, 'SIGKILL');
      const text = readFileSync(store.path, 'utf8');
      assert.ok(PackProgressSchema.safeParse(JSON.parse(text)).success);
      const saved = await store.saveRun(position(`after${delay}`, 1, [step(1, 'passed', 1, 'b')]), true);
      assert.equal(saved.lessons.before?.passed, true);
      assert.equal(saved.lessons[`after${delay}`]?.passed, true);
      assert.ok(Object.keys(saved.lessons).some((id) => id.startsWith(`killed${delay}-`)), 'what it saved before it died is kept');
      assert.deepEqual(readdirSync(dir), ['tcp-basics.json']);
    }
  });

  test('a lock left by a process that is gone is taken over; one held by a live process makes a clear error', async () => {
    const dir = freshDir();
    const store = new ProgressStore('tcp-basics', { dir, timeoutMs: 200 });
    await store.saveRun(position('one', 1, [step(1, 'passed', 1, 'a')]), true);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${store.path}.lock`, `${gone.stdout} ${Date.now()} abc\n`);
    assert.equal((await store.saveRun(position('two', 1, [step(1, 'passed', 1, 'b')]), true)).lessons.two?.passed, true);
    // Half-made: created, never written, by a process that died at once.
    writeFileSync(`${store.path}.lock`, '');
    utimesSync(`${store.path}.lock`, new Date(Date.now() - 5000), new Date(Date.now() - 5000));
    assert.equal((await store.saveRun(position('three', 1, [step(1, 'passed', 1, 'c')]), true)).lessons.three?.passed, true);
    writeFileSync(`${store.path}.lock`, `${process.pid} ${Date.now()} live\n`);
    await assert.rejects(store.saveRun(position('four', 1, [])), (error: Error) => {
      assert.ok(error instanceof ProgressError);
      assert.equal(error.message, `progress was not saved: ${store.path}.lock is held by process ${process.pid}; if no tcplab is running, remove it`);
      return true;
    });
    rmSync(`${store.path}.lock`);
  });
});

describe('a damaged progress file', () => {
  for (const [what, content] of [
    ['not JSON', '{"version": 1, "pack": "tcp-basics", "less'],
    ['JSON that is not progress', '{"version": 1, "pack": "tcp-basics", "current": null, "lessons": {"x": {"passed": "yes"}}, "updatedAt": "2024-01-01T00:00:00Z"}'],
    ['a lesson named __proto__', '{"version": 1, "pack": "tcp-basics", "current": null, "lessons": {"__proto__": {"passed": true, "passedAt": null, "position": null, "updatedAt": "2024-01-01T00:00:00Z"}}, "updatedAt": "2024-01-01T00:00:00Z"}'],
    ['bytes that are not text', '\u0000\u00ff\u0001garbage'],
  ] as const) {
    test(`${what}: kept aside as .corrupt-<time>, with a warning, and progress starts afresh`, async () => {
      const dir = freshDir();
      const warnings: string[] = [];
      const store = new ProgressStore('tcp-basics', { dir, onWarning: (message) => warnings.push(message) });
      await store.saveRun(position('first', 1, []));
      writeFileSync(store.path, content);
      const loaded = await store.load();
      assert.deepEqual(loaded.lessons, {});
      assert.equal(Object.getPrototypeOf(loaded.lessons), Object.prototype);
      const aside = readdirSync(dir).filter((name) => name.startsWith('tcp-basics.json.corrupt-'));
      assert.equal(aside.length, 1);
      assert.match(aside[0]!, /^tcp-basics\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
      assert.equal(readFileSync(join(dir, aside[0]!), 'utf8'), content);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, new RegExp(`^your progress in ${store.path.replace(/[.+]/g, '\\$&')} could not be read \\(.+\\); it is kept as .+corrupt-.+, and progress in tcp-basics starts afresh$`));
      const saved = await store.saveRun(position('second', 1, [step(1, 'passed', 1, 'x')]), true);
      assert.equal(saved.lessons.second?.passed, true);
    });
  }

  test('the progress of another pack under this name is set aside too', async () => {
    const dir = freshDir();
    const warnings: string[] = [];
    await new ProgressStore('other', { dir }).saveRun(position('x', 1, []));
    writeFileSync(join(dir, 'tcp-basics.json'), readFileSync(join(dir, 'other.json')));
    const store = new ProgressStore('tcp-basics', { dir, onWarning: (message) => warnings.push(message) });
    await store.load();
    assert.match(warnings[0] ?? '', /it is the progress of pack 'other', not 'tcp-basics'/);
  });
});
