// The lesson runner on sim and on the lab: the same lessons, the same tries, the same
// verdicts. Where the lab cannot start its tests are skipped with the reason, except in CI.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parseLesson } from '../../src/lesson/format/parse-lesson.js';
import { formatLessonError } from '../../src/lesson/format/lesson-error.js';
import type { Lesson } from '../../src/lesson/format/schema.js';
import { exampleLesson } from '../../src/lesson/pack/example-lesson.js';
import { LessonRun, type LessonRunState } from '../../src/lesson/runner/lesson-run.js';
import { renderVerdictText } from '../../src/lesson/runner/render-verdict.js';
import type { CheckFeedback, ReplyFeedback, StepVerdict } from '../../src/lesson/runner/verdict.js';
import { createLabNetwork } from '../../src/net/lab/lab-network.js';
import type { Network } from '../../src/net/network.js';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { fixturePath } from '../support/run-cli.js';
import { whyNoLab } from '../support/lab-availability.js';

const noLab = await whyNoLab();

const FENCE = '```';

function lessonOf(text: string, file = 'test.md'): Lesson {
  const parsed = parseLesson(text, file);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.map(formatLessonError).join('\n'));
  return parsed.lesson;
}

const example = lessonOf(exampleLesson('en'), 'example.md');
const handshake = lessonOf(readFileSync(fixturePath('lessons', 'handshake.md'), 'utf8'), 'handshake.md');
const beTheServer = lessonOf(readFileSync(fixturePath('lessons', 'be-the-server.md'), 'utf8'), 'be-the-server.md');

/** A one-step lesson: the learner sends a SYN, and `cells` say what must follow. */
function synLesson(server: string, cells: string): Lesson {
  return lessonOf(`---
id: one-syn
title: One SYN
summary: A SYN, and what follows it.
language: en
server: ${server}
---

## Step 1: SYN

${FENCE}tcplab send
tcp flags=S seq=1000
${FENCE}

${cells}

${FENCE}tcplab solution
tcp flags=S seq=1000
${FENCE}
`);
}

const EXAMPLE_ANSWERS = ['tcp flags=S seq=1000', 'tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1', 'tcp flags=PA seq=$tx.seq ack=$rx.seq+1 data="hello"'];

function sentCount(run: LessonRun): number {
  return run.session.packets.filter((record) => record.dir === 'out').length;
}

function runnerSuite(name: string, network: () => Network): void {
  const runs: LessonRun[] = [];
  const open = async (lesson: Lesson, options = {}) => {
    const run = await LessonRun.open(lesson, network(), options);
    runs.push(run);
    return run;
  };
  after(async () => {
    for (const run of runs) await run.close();
  });

  test(`${name}: right answers pass every step, with the lesson's sentences and the ladder`, async () => {
    const run = await open(example);
    const verdicts: StepVerdict[] = [];
    for (const [i, answer] of EXAMPLE_ANSWERS.entries()) {
      const verdict = await run.submit(answer);
      assert.equal(verdict.passed, true, renderVerdictText(verdict, { file: 'example.md' }));
      verdicts.push(verdict);
      if (i < EXAMPLE_ANSWERS.length - 1) assert.equal(await run.next(), true);
    }
    assert.deepEqual(verdicts[0]!.successes, [
      'The kernel answered with its own SYN and ISN, and acknowledged yours plus one: a SYN takes up one sequence number, as if it were a byte.',
    ]);
    assert.deepEqual(verdicts[1]!.successes, [
      "The server's accept() returned: the connection is open on its side too.",
      'Nothing came back: TCP does not acknowledge an ACK that carries no data.',
    ]);
    assert.deepEqual(verdicts[2]!.successes, ['The echo server wrote hello back, and its kernel acknowledged your five bytes.']);
    // The ladder so far: after step 1 the SYN and the SYN-ACK; at the end, the data both ways.
    assert.match(verdicts[0]!.ladder, /\|-+ S seq=0 -+>\|/);
    assert.match(verdicts[0]!.ladder, /\|<-+ SA seq=0 ack=1 -+\|/);
    assert.doesNotMatch(verdicts[0]!.ladder, /PA/);
    assert.match(verdicts[2]!.ladder, /\|-+ PA seq=1 ack=1 len=5 -+>\|/);
    assert.match(verdicts[2]!.ladder, /\|<-+ PA seq=1 ack=6 len=5 -+\|/);
    assert.equal(verdicts.every((verdict) => verdict.sent && verdict.attempt === 1 && verdict.notes.length === 0), true);
    const state = run.state;
    assert.equal(state.passed, true);
    assert.equal(state.complete, true);
    assert.deepEqual(state.steps.map((step) => [step.status, step.tries, step.answer]), EXAMPLE_ANSWERS.map((answer) => ['passed', 1, answer]));
    assert.equal(await run.next(), false, 'there is no step after the last');
  });

  test(`${name}: a wrong ACK is caught before sending, with the lesson's sentence, the field in decimal and hex, and both segments`, async () => {
    const run = await open(example);
    const synAck = (await run.submit('tcp flags=S seq=1000')).passed;
    assert.equal(synAck, true);
    await run.next();
    const theirIsn = run.session.currentRx()!.packet.tcp!.seq;
    const before = sentCount(run);
    const verdict = await run.submit(`tcp flags=A seq=1001 ack=${theirIsn}`);
    assert.equal(verdict.passed, false);
    assert.equal(verdict.sent, false);
    assert.equal(sentCount(run), before, 'nothing left');
    assert.equal(verdict.feedback.length, 1);
    const check = verdict.feedback[0] as CheckFeedback;
    assert.equal(check.kind, 'check');
    assert.equal(check.matcher, 'ack=$rx.seq+1');
    assert.equal(check.sentence, "Acknowledge the server's SYN: its ISN plus one.");
    assert.deepEqual(check.at, { line: 62, column: 1 });
    const expected = (theirIsn + 1) % 2 ** 32;
    assert.deepEqual(check.fields.map((field) => [field.field, field.expected, field.actual, field.expectedNote, field.actualNote]), [
      ['ack', `${expected} (0x${expected.toString(16)})`, `${theirIsn} (0x${theirIsn.toString(16)})`, 'their ISN + 1', 'their ISN + 0'],
    ]);
    assert.equal(check.expected?.segment, `tcp seq=1001 ack=${expected} flags=A`);
    assert.equal(check.actual.segment, `tcp seq=1001 ack=${theirIsn} flags=A`);
    assert.match(check.actual.line, new RegExp(`> 127\\.0\\.0\\.1\\.7: Flags \\[\\.\\], ack ${theirIsn}, `));
    const text = renderVerdictText(verdict, { file: 'example.md' });
    assert.match(text, /FAILED before sending: 1 check does not hold, so nothing was sent/);
    assert.match(text, /check ack=\$rx\.seq\+1 \(example\.md:62:1\)\n {6}Acknowledge the server's SYN: its ISN plus one\./);
    assert.equal(run.state.steps[1]!.status, 'failed');
    assert.equal(run.state.steps[1]!.failedTries, 1);
    // The next try is on the same connection: nothing had been sent.
    const right = await run.submit('tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1');
    assert.equal(right.passed, true);
    assert.deepEqual(right.notes, []);
    assert.equal(right.attempt, 2);
  });

  test(`${name}: a reply that is not the one expected fails with the lesson's sentence and both packets`, async () => {
    const lesson = synLesson('refuse', `${FENCE}tcplab expect\nrecv flags=SA ack=$tx.seq+1 -- The server should accept the connection.\n${FENCE}`);
    const run = await open(lesson);
    const verdict = await run.submit();
    assert.equal(verdict.passed, false);
    assert.equal(verdict.sent, true);
    const reply = verdict.feedback[0] as ReplyFeedback;
    assert.equal(reply.kind, 'reply');
    assert.equal(reply.outcome, 'timeout');
    assert.equal(reply.sentence, 'The server should accept the connection.');
    assert.match(reply.summary, /^nothing from the peer matched flags=SA ack=1001 within 1 s; the closest was #\d+$/);
    assert.deepEqual(reply.fields.map((field) => [field.field, field.expected, field.actual]), [['flags', 'SA', 'RA']]);
    assert.match(reply.expected!.line, /Flags \[S\.\], seq 0, ack 1001, win 0, length 0/);
    assert.match(reply.actual!.line, /Flags \[R\.\], seq 0, ack 1001, win 0, length 0/);
    assert.match(renderVerdictText(verdict, { file: 'test.md' }), /recv flags=SA ack=\$tx\.seq\+1 \(test\.md:\d+:1\)\n {6}The server should accept the connection\./);
  });

  test(`${name}: silence: kept when nothing comes, broken by a reply, with the packet that came`, async () => {
    const kept = await open(handshake);
    assert.equal((await kept.submit('tcp flags=S seq=1000')).passed, true);
    await kept.next();
    const ack = await kept.submit('tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1');
    assert.equal(ack.passed, true);
    assert.deepEqual(ack.successes, ['Nothing came back: a bare ACK is not acknowledged.']);

    const broken = await open(synLesson('echo', `${FENCE}tcplab silence 1s\nfail: The server answered your SYN.\n${FENCE}`));
    const verdict = await broken.submit();
    assert.equal(verdict.passed, false);
    const silence = verdict.feedback[0]!;
    assert.equal(silence.kind, 'silence');
    assert.ok(silence.kind === 'silence');
    assert.equal(silence.sentence, 'The server answered your SYN.');
    assert.match(silence.summary, /^#\d+ came from the peer, where nothing should have within 1 s$/);
    assert.match(silence.packet.line, /127\.0\.0\.1\.7 > 127\.0\.0\.1\.\d+: Flags \[S\.\], seq \d+, ack 1001/);
  });

  test(`${name}: events: what the server's program did not see, and its socket's state`, async () => {
    const app = await open(synLesson('echo', `${FENCE}tcplab events\napp accepted timeout=0.3 -- The handshake is not complete yet.\n${FENCE}`));
    const notAccepted = await app.submit();
    assert.deepEqual(
      notAccepted.feedback.map((feedback) => (feedback.kind === 'app' ? [feedback.sentence, feedback.summary] : feedback.kind)),
      [["The handshake is not complete yet.", "the server's program saw no 'accepted' within 0.3 s; it saw nothing"]],
    );
    const state = await open(synLesson('echo', `${FENCE}tcplab events\nstate ESTABLISHED timeout=0.3\n${FENCE}`));
    const halfOpen = (await state.submit()).feedback[0]!;
    assert.ok(halfOpen.kind === 'state');
    assert.equal(halfOpen.sentence, null);
    assert.equal(halfOpen.expected, 'ESTABLISHED');
    assert.match(halfOpen.summary, /^the server's socket facing you is (NEW-)?SYN-RECV, not ESTABLISHED \(waited 0\.3 s\)$/);
  });

  test(`${name}: hints come one at a time; the solution is offered after the lesson's number of failed tries`, async () => {
    const hinted = await open(example);
    assert.deepEqual(hinted.shownHints(), []);
    assert.equal(hinted.hint()?.markdown, 'A SYN segment has only the **S** flag: `flags=S`.');
    assert.equal(hinted.state.steps[0]!.hintsShown, 1);
    assert.equal(hinted.hint()?.markdown, 'Pick any sequence number, for example `seq=1000`.');
    assert.equal(hinted.hint(), null);
    assert.equal(hinted.shownHints().length, 2);

    // handshake.md sets solutionAfter: 2.
    const run = await open(handshake);
    const offered = () => run.state.steps[0]!.solutionOffered;
    assert.equal((await run.submit('tcp flags=SA seq=1000')).passed, false);
    assert.equal(offered(), false);
    // A try that cannot be read does not count.
    const unread = await run.submit('tcp flgs=S');
    assert.equal(unread.attempt, 0);
    assert.deepEqual(unread.feedback, [{ kind: 'input', message: "unknown field 'flgs' at column 5; did you mean 'flags'?", text: 'tcp flgs=S', column: 5, length: 4 }]);
    assert.equal(offered(), false);
    assert.equal((await run.submit('tcp flags=S seq=1000 dport=9')).passed, false);
    assert.equal(offered(), true);
    assert.equal(run.state.steps[0]!.solutionShown, false);
    const solution = run.solution();
    assert.deepEqual(solution, { text: 'tcp flags=S seq=1000', at: { line: 46, column: 1 }, resolved: 'tcp seq=1000 flags=S' });
    assert.equal(run.state.steps[0]!.solutionShown, true);
    assert.deepEqual([run.state.steps[0]!.tries, run.state.steps[0]!.failedTries], [2, 2]);
  });

  test(`${name}: a try after one that was sent and failed starts afresh; reset replays the learner's own answers`, async () => {
    const retried = await open(handshake);
    // The checks hold, but a SYN with a bad checksum gets no answer.
    const dropped = await retried.submit('tcp flags=S seq=1000 chksum=1');
    assert.equal(dropped.passed, false);
    assert.equal(dropped.sent, true);
    const firstPort = retried.session.me.port;
    const again = await retried.submit('tcp flags=S seq=1000');
    assert.equal(again.passed, true, renderVerdictText(again, { file: 'handshake.md' }));
    assert.deepEqual(again.notes, [`a fresh start on port ${retried.session.me.port}`]);
    assert.notEqual(retried.session.me.port, firstPort);
    // The abandoned connection's packets are not in the ladder of the new one.
    assert.doesNotMatch(again.ladder, new RegExp(`:${firstPort}\\b`));

    const run = await open(example);
    assert.equal((await run.submit('tcp flags=S seq=5000')).passed, true);
    await run.next();
    assert.equal((await run.submit('tcp flags=A seq=5001 ack=$rx.seq+1')).passed, true);
    await run.next();
    assert.equal(await run.resetStep(), null);
    // The learner's own ISN 5000 was replayed: a literal seq=5001 is still right.
    const verdict = await run.submit('tcp flags=PA seq=5001 ack=$rx.seq+1 data="hello"');
    assert.equal(verdict.passed, true, renderVerdictText(verdict, { file: 'example.md' }));
    assert.deepEqual(verdict.notes, [`a fresh start on port ${run.session.me.port}, with steps 1-2 played again`]);
  });

  test(`${name}: back, then a try: the connection starts afresh; an answer with the old connection's numbers is replayed by its solution`, async () => {
    const run = await open(example);
    assert.equal((await run.submit('tcp flags=S seq=5000')).passed, true);
    await run.next();
    const literal = `tcp flags=A seq=5001 ack=${(run.session.currentRx()!.packet.tcp!.seq + 1) % 2 ** 32}`;
    assert.equal((await run.submit(literal)).passed, true);
    await run.next();
    assert.equal(await run.back(), true);
    assert.equal(await run.back(), true);
    assert.equal(await run.back(), false);
    assert.equal(run.state.current, 1);
    assert.equal(await run.next(), true);
    // Going back and forth changed nothing on the network: step 2 is tried again only now.
    const redo = await run.submit('tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1');
    assert.equal(redo.passed, true, renderVerdictText(redo, { file: 'example.md' }));
    assert.deepEqual(redo.notes, [`a fresh start on port ${run.session.me.port}, with step 1 played again`]);
    // Make step 2's passing answer the literal one again, then start step 3 afresh.
    const currentIsn = run.session.sentAt(-2)!.packet.tcp!.seq;
    assert.equal(currentIsn, 5000);
    await run.resetStep();
    const literalAgain = `tcp flags=A seq=5001 ack=${(run.session.currentRx()!.packet.tcp!.seq + 1) % 2 ** 32}`;
    assert.equal((await run.submit(literalAgain)).passed, true);
    await run.next();
    assert.equal(await run.resetStep(), null);
    const verdict = await run.submit('tcp flags=PA seq=$tx.seq ack=$rx.seq+1 data="hello"');
    assert.equal(verdict.passed, true, renderVerdictText(verdict, { file: 'example.md' }));
    assert.deepEqual(verdict.notes, [
      `a fresh start on port ${run.session.me.port}, with steps 1-2 played again (step 2 by its solution: your answer named numbers of the old connection)`,
    ]);
    assert.equal(run.state.steps[1]!.status, 'passed', 'a step passed stays passed');
  });
}

describe('the lesson runner on sim', () => {
  let seed = 100;
  runnerSuite('sim', () => createSimNetwork({ seed: seed++ }));

  test('the learner plays the server: the run step connects at once, the learner answers the SYN', async () => {
    const network = createSimNetwork({ seed: 5 });
    const run = await LessonRun.open(beTheServer, network);
    try {
      const first = run.state.steps[0]!;
      assert.equal(first.kind, 'run');
      assert.equal(first.status, 'passed');
      assert.deepEqual(first.verdict?.successes, ["The client's kernel chose its ISN and sent a SYN to you."]);
      assert.equal(await run.next(), true);
      const verdict = await run.submit('tcp flags=SA seq=5000 ack=$rx.seq+1');
      assert.equal(verdict.passed, true, renderVerdictText(verdict, { file: 'be-the-server.md' }));
      assert.match(verdict.ladder, /learner +client/);
      assert.equal(await run.next(), true);
      // The last step is a run step: played on arrival.
      assert.equal(run.state.steps[2]!.status, 'passed');
      assert.equal(run.state.passed, true);
    } finally {
      await run.close();
      await network.close();
    }
  });

  test('observable: busy while a try runs, and every change told to subscribers', async () => {
    const network = createSimNetwork({ seed: 9 });
    const run = await LessonRun.open(example, network);
    const seen: LessonRunState[] = [];
    const stop = run.subscribe((state) => seen.push(state));
    try {
      run.setDraft('tcp flags=S seq=7');
      await run.submit();
      assert.deepEqual(
        seen.map((state) => [state.busy, state.steps[0]!.draft, state.steps[0]!.status]),
        [
          [false, 'tcp flags=S seq=7', 'pending'],
          [true, 'tcp flags=S seq=7', 'pending'],
          [false, 'tcp flags=S seq=7', 'passed'],
        ],
      );
      assert.equal(run.state.steps[1]!.draft, 'tcp flags=A', 'a step starts from its template');
    } finally {
      stop();
      await run.close();
      await network.close();
    }
  });

  test('a position saved and resumed: the learner is back at the step, the connection rebuilt from their answers', async () => {
    const first = createSimNetwork({ seed: 21 });
    const run = await LessonRun.open(example, first);
    await run.submit('tcp flags=S seq=4242');
    await run.next();
    await run.submit('tcp flags=A seq=$tx.seq+2 ack=$rx.seq+1');
    await run.submit('tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1');
    await run.next();
    const saved = JSON.parse(JSON.stringify(run.position()));
    await run.close();
    await first.close();
    assert.equal(saved.step, 3);
    assert.deepEqual(saved.steps[1], { number: 2, status: 'passed', tries: 2, failedTries: 1, hintsShown: 0, solutionShown: false, answer: 'tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1' });

    const second = createSimNetwork({ seed: 22 });
    const resumed = await LessonRun.open(example, second, { resume: saved });
    try {
      assert.equal(resumed.state.current, 3);
      assert.equal(resumed.state.steps[1]!.tries, 2);
      const verdict = await resumed.submit('tcp flags=PA seq=4243 ack=$rx.seq+1 data="hello"');
      assert.equal(verdict.passed, true, renderVerdictText(verdict, { file: 'example.md' }));
      assert.deepEqual(verdict.notes, ['a fresh start on port 40001, with steps 1-2 played again']);
      assert.equal(resumed.state.passed, true);
    } finally {
      await resumed.close();
      await second.close();
    }
  });

  test('the same seed gives the same verdicts', async () => {
    const play = async () => {
      const network = createSimNetwork({ seed: 77 });
      const run = await LessonRun.open(example, network);
      const texts: string[] = [];
      texts.push(renderVerdictText(await run.submit('tcp flags=S seq=1'), { file: 'x' }));
      await run.next();
      texts.push(renderVerdictText(await run.submit('tcp flags=A seq=2 ack=5'), { file: 'x' }));
      await run.close();
      await network.close();
      return texts;
    };
    assert.deepEqual(await play(), await play());
  });
});

describe('the lesson runner on the lab', { skip: noLab }, () => {
  let lab: Network;
  before(async () => (lab = await createLabNetwork()));
  after(() => lab?.close());
  runnerSuite('lab', () => lab);
});
