// `tcplab lesson FILE --answers ANSWERS` end to end, through the compiled bin/tcplab as a
// grader runs it: the verdicts it prints and its exit status (0 passed, 1 not, 2 no verdict).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import { lessonCommand } from '../../src/cli/commands/lesson.js';
import { exampleLesson } from '../../src/lesson/pack/example-lesson.js';

import { fixturePath, runCli } from '../support/run-cli.js';
import { whyNoLab } from '../support/lab-availability.js';

// Known before any test is registered: a describe registered after an await would run after the cleanup below.
const noLab = await whyNoLab();

const scratch = mkdtempSync(join(tmpdir(), 'tcplab-lesson-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

const lesson = file('01-three-way-handshake.md', exampleLesson('en'));
const RIGHT = file('right.md', '# Answers\n\n## step 1\ntcp flags=S seq=1000\n\n## step 2\ntcp flags=A seq=$tx.seq+1 ack=$rx.seq+1\n\n## step 3\ntcp flags=PA seq=$tx.seq ack=$rx.seq+1 data="hello"\n');
const SERVER = file('server.md', '## step 2\ntcp flags=SA seq=5000 ack=$rx.seq+1\n');
const WRONG = file('wrong.md', '## step 1\ntcp flags=S seq=1000\n## step 2\ntcp flags=A seq=$tx.seq+2 ack=$rx.seq+1\n## step 3\ntcp flags=PA seq=$tx.seq ack=$rx.seq+1 data="hello"\n');

describe('tcplab lesson on sim', () => {
  test('answers that pass every step: exit 0, each verdict with the lesson\'s sentences and the ladder', () => {
    const { status, stdout, stderr } = runCli(['lesson', lesson, '--answers', RIGHT, '--net', 'sim', '--seed', '5']);
    assert.equal(status, 0, stdout + stderr);
    assert.equal(stderr, '');
    assert.match(stdout, /^lesson three-way-handshake: The three-way handshake \(.*01-three-way-handshake\.md\)\nnetwork: sim, as asked \(seed 5\)\nanswers: .*right\.md\n/);
    assert.match(stdout, /\nStep 1: SYN\n {2}try 1: tcp flags=S seq=1000 {3}\(.*right\.md:4:1\)\n {2}PASSED\n {4}The kernel answered with its own SYN and ISN/);
    assert.match(stdout, /\n {2}the exchange so far:\n {4}learner +server\n/);
    assert.match(stdout, /\n {4}\|<-+ PA seq=1 ack=6 len=5 -+\| *\n/);
    assert.match(stdout, /\nresult: 3 of 3 steps passed: the lesson is passed\n$/);
  });

  test('a wrong ACK: exit 1, the check\'s sentence, the field in decimal and hex, both segments, and the steps after still judged', () => {
    const { status, stdout } = runCli(['lesson', lesson, '--answers', WRONG, '--net', 'sim', '--seed', '5']);
    assert.equal(status, 1, stdout);
    assert.match(stdout, /\n {2}FAILED before sending: 1 check does not hold, so nothing was sent\n {4}check seq=\$tx\.seq\+1 \(.*01-three-way-handshake\.md:61:1\)\n {6}Your SYN used one sequence number, so you continue from your ISN plus one\.\n {6}seq {2}expected 1001 \(0x3e9\) {2}= your ISN \+ 1\n {6} {3} {2}actual {3}1002 \(0x3ea\) {2}= your ISN \+ 2\n {6}expected {2}tcp seq=1001 ack=\d+ flags=A\n {16}127\.0\.0\.1\.40000 > 127\.0\.0\.1\.7: Flags \[\.\], ack \d+, win \d+, length 0\n {6}yours {5}tcp seq=1002 /);
    assert.match(stdout, /\n {2}the solution: tcp flags=A seq=\$tx\.seq\+1 ack=\$rx\.seq\+1\n {2}PASSED \(by its solution\)\n/);
    assert.match(stdout, /\nStep 3: your first bytes\n {2}try 1: .* {3}\(.*wrong\.md:6:1\)\n {2}PASSED\n/);
    assert.match(stdout, /\nresult: 2 of 3 steps passed: the lesson is not passed \(step 2 failed\)\n$/);
  });

  test('--json: one object with each step\'s outcome and every verdict', () => {
    const { status, stdout } = runCli(['lesson', lesson, '--answers', WRONG, '--net', 'sim', '--json']);
    assert.equal(status, 1);
    const report = JSON.parse(stdout);
    assert.equal(report.passed, false);
    assert.equal(report.network, 'sim');
    assert.deepEqual(report.steps.map((step: { outcome: string }) => step.outcome), ['passed', 'failed', 'passed']);
    const failed = report.events.find((event: { kind: string; verdict?: { passed: boolean } }) => event.kind === 'verdict' && event.verdict?.passed === false);
    assert.equal(failed.verdict.feedback[0].kind, 'check');
    assert.equal(failed.verdict.feedback[0].fields[0].actual, '1002 (0x3ea)');
    assert.deepEqual(failed.at, { line: 4, column: 1 });
  });

  test('answers on stdin, with --answers - or from a pipe', () => {
    const answers = '## step 1\ntcp flags=S seq=1\n';
    for (const args of [['--answers', '-'], []]) {
      const { status, stdout } = runCli(['lesson', lesson, ...args, '--net', 'sim'], { input: answers });
      assert.equal(status, 1, stdout);
      assert.match(stdout, /\nanswers: stdin\n/);
      assert.match(stdout, /try 1: tcp flags=S seq=1 {3}\(stdin:2:1\)\n {2}PASSED/);
      assert.match(stdout, /\n {2}\(no answer for this step\)\n/);
      assert.match(stdout, /result: 1 of 3 steps passed/);
    }
  });

  test('the learner playing the server: run steps are played by the lesson', () => {
    const { status, stdout } = runCli(['lesson', fixturePath('lessons', 'be-the-server.md'), '--answers', SERVER]);
    assert.equal(status, 0, stdout);
    assert.match(stdout, /\nnetwork: sim, as asked/);
    assert.match(stdout, /\nstep 1: Be the server\n {2}the lesson runs: connect\n {2}PASSED\n/);
    assert.match(stdout, /\nstep 3: Let time pass\n {2}the lesson runs: wait 2s; server echo\n {2}PASSED\n/);
  });
});

describe('tcplab lesson: no verdict, exit 2', () => {
  test('a lesson with mistakes: each at its file:line:column', () => {
    const broken = fixturePath('lessons', 'broken', 'unknown-cell.md');
    const { status, stdout, stderr } = runCli(['lesson', broken, '--answers', RIGHT]);
    assert.equal(status, 2);
    assert.equal(stdout, '');
    assert.match(stderr, new RegExp(`^${broken.replace(/[.]/g, '\\.')}:12:11: unknown cell 'tcplab chek'; did you mean 'check'\\?\n`));
    assert.match(stderr, /the lesson has \d mistakes?: fix it first \(tcplab pack validate .*\)\n$/);
  });

  test('answers with mistakes: each at its file:line:column', () => {
    const bad = file('bad.md', '## step 4\ntcp flags=S\n## step 1\nsyn please\n');
    const { status, stderr } = runCli(['lesson', lesson, '--answers', bad]);
    assert.equal(status, 2);
    assert.equal(stderr, `${bad}:1:9: the lesson has no step 4: its steps are 1 to 3\n${bad}:4:1: expected a segment (tcp ...), hint or solution, got 'syn please'\nthe answers have 2 mistakes: see docs/lesson-answers.md\n`);
  });

  test('mistakes in how it is called', () => {
    const cases: Array<[string[], RegExp]> = [
      [['lesson'], /^tcplab lesson: which lesson\? e\.g\. tcplab lesson lessons\/01-handshake\.md --answers answers\.md\nUsage:\n/],
      [['lesson', lesson, '--answers', RIGHT, '--net', 'wifi'], /^tcplab lesson: --net is lab, sim or ws:\/\/HOST:PORT \(wss:\/\/ with TLS\), not 'wifi'\n/],
      [['lesson', lesson, '--answers', RIGHT, '--net', 'lab', '--seed', '3'], /^tcplab lesson: --seed is for sim/],
      [['lesson', lesson, '--answers', join(scratch, 'nowhere.md')], /^tcplab lesson: cannot read .*nowhere\.md: no such file\n$/],
      [['lesson', fixturePath('lessons', 'be-the-server.md'), '--answers', SERVER, '--net', 'lab'], /^tcplab lesson: .*be-the-server\.md runs on sim only, not lab\n$/],
    ];
    for (const [args, stderr] of cases) {
      const result = runCli(args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, stderr);
    }
  });

  test('with keys from a terminal but output to a pipe and no --answers, it says how to take the lesson instead', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const status = await lessonCommand.action([lesson], { stdin, stdout, stderr });
    assert.equal(status, 2);
    assert.match(err, /to take .* step by step, run it in a terminal \(tcplab lesson .*\);\nto play it with answers written in a file, run: tcplab lesson .* --answers ANSWERS\n/);
  });
});

describe('tcplab lesson on the lab', { skip: noLab }, () => {
  test('the same answers pass on the real kernel, and the same mistake fails the same way', () => {
    const right = runCli(['lesson', lesson, '--answers', RIGHT, '--net', 'lab']);
    assert.equal(right.status, 0, right.stdout + right.stderr);
    assert.match(right.stdout, /\nnetwork: lab, as asked/);
    assert.match(right.stdout, /\nresult: 3 of 3 steps passed: the lesson is passed\n$/);
    const wrong = runCli(['lesson', lesson, '--answers', WRONG, '--net', 'lab']);
    assert.equal(wrong.status, 1);
    assert.match(wrong.stdout, /seq {2}expected 1001 \(0x3e9\) {2}= your ISN \+ 1\n/);
  });
});
