// The runner's own sentences in the lesson's language: what came (or did not) after a segment
// went out, and the fresh starts, told in Chinese for a zh-CN lesson with nothing left in
// English but segment text, packets, places and protocol words; told in English exactly as
// before for an English one; and kept in English, beside their facts, in the verdict's data.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLesson } from '../../src/lesson/format/parse-lesson.js';
import type { Lesson } from '../../src/lesson/format/schema.js';
import { LessonRun } from '../../src/lesson/runner/lesson-run.js';
import { gradeStrings } from '../../src/lesson/runner/grade-strings.js';
import { renderVerdictText } from '../../src/lesson/runner/render-verdict.js';
import { runnerStrings, tellMessage, type RunnerStrings } from '../../src/lesson/runner/runner-strings.js';
import type { CheckFeedback, ErrorFacts, ErrorFeedback, Feedback, StepVerdict } from '../../src/lesson/runner/verdict.js';
import type { CheckEntry } from '../../src/session/log-entry.js';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { englishLeft, playWrongAnswers, verdictsOf, type WrongAnswers } from './wrong-answers.js';

const FENCE = '```';

const zh = await playWrongAnswers('lessons/zh-CN');
const en = await playWrongAnswers('lessons');

/** The verdict as `tcplab lesson` prints it, in the lesson's language. */
function told(play: WrongAnswers, verdict: StepVerdict): string {
  const lesson = [play.synDropped, play.synAgain, play.neverAccepted, play.silenceBroken].includes(verdict) ? play.handshake : play.close;
  return renderVerdictText(verdict, { file: lesson.file, language: lesson.meta.language });
}

function only<K extends Feedback['kind']>(verdict: StepVerdict, kind: K): Extract<Feedback, { kind: K }> {
  assert.equal(verdict.feedback.length, 1, JSON.stringify(verdict.feedback));
  const feedback = verdict.feedback[0]!;
  assert.equal(feedback.kind, kind);
  return feedback as Extract<Feedback, { kind: K }>;
}

describe('a zh-CN lesson played with wrong answers', () => {
  it('failed the way the play means to: a time-out, a missing event, a broken silence, a wrong state, fresh starts', () => {
    assert.equal(only(zh.synDropped, 'reply').outcome, 'timeout');
    only(zh.neverAccepted, 'app');
    only(zh.silenceBroken, 'silence');
    only(zh.finDropped, 'reply');
    assert.equal(only(zh.stuckInLastAck, 'state').actual, 'LAST-ACK');
    for (const verdict of [zh.synAgain, zh.finPassed, zh.lastAck]) assert.equal(verdict.passed, true, told(zh, verdict));
    assert.deepEqual(
      verdictsOf(zh).map((verdict) => verdict.restarts.length),
      [0, 1, 0, 1, 0, 1, 0, 1],
    );
  });

  it('leaves no English sentence in any verdict', () => {
    for (const verdict of verdictsOf(zh)) {
      const text = told(zh, verdict);
      assert.deepEqual(englishLeft(text), [], text);
    }
  });

  it('tells what came, or did not, in Chinese', () => {
    const lines = (verdict: StepVerdict) => told(zh, verdict).split('\n');
    assert.ok(lines(zh.synDropped).includes('      1 秒内没有收到对方发来的符合 flags=SA ack=1001 的报文'), told(zh, zh.synDropped));
    assert.ok(lines(zh.finDropped).includes('      1 秒内没有收到对方发来的符合 flags=FA ack=1002 的报文'), told(zh, zh.finDropped));
    assert.ok(lines(zh.neverAccepted).includes("      1 秒内没有等到服务器程序的 'accepted' 事件，它什么事件也没有"), told(zh, zh.neverAccepted));
    const silence = only(zh.silenceBroken, 'silence');
    assert.ok(lines(zh.silenceBroken).includes(`      1 秒内本不该有任何报文，对方却发来了 #${silence.index}`), told(zh, zh.silenceBroken));
    assert.ok(lines(zh.stuckInLastAck).includes('      服务器上与你相连的套接字处于 LAST-ACK 状态，而不是 CLOSED（等了 1 秒）'), told(zh, zh.stuckInLastAck));
  });

  it('tells each fresh start in Chinese, and which steps were played again and how', () => {
    const first = (verdict: StepVerdict) => told(zh, verdict).split('\n')[0];
    assert.equal(first(zh.synAgain), `  （在端口 ${zh.ports.synAgain} 上重新开始）`);
    assert.equal(first(zh.silenceBroken), `  （在端口 ${zh.ports.silenceBroken} 上重新开始，前面的第 1 步已重新执行）`);
    assert.equal(first(zh.finPassed), `  （在端口 ${zh.ports.finPassed} 上重新开始，前面的第 1 至 2 步已重新执行）`);
    assert.equal(first(zh.lastAck), `  （在端口 ${zh.ports.lastAck} 上重新开始，前面的第 1 至 3 步已重新执行，其中第 3 步用的是参考答案，因为你的答案里写的是旧连接的数值）`);
  });

  it("writes its notes in the session's log in Chinese", () => {
    assert.ok(zh.logNotes.includes(`课程：在端口 ${zh.ports.synAgain} 上重新开始`), zh.logNotes.join('\n'));
    assert.ok(zh.logNotes.includes(`重新开始：你现在是 127.0.0.1:${zh.ports.synAgain}`), zh.logNotes.join('\n'));
    assert.ok(zh.logNotes.includes(`课程：从端口 ${zh.ports.synAgain} 复位这条连接，让对方内核忘掉它`), zh.logNotes.join('\n'));
    for (const note of zh.logNotes) assert.deepEqual(englishLeft(note), [], note);
    assert.ok(en.logNotes.includes(`lesson: a fresh start on port ${en.ports.synAgain}`), en.logNotes.join('\n'));
    assert.ok(en.logNotes.includes(`a fresh start: you are now 127.0.0.1:${en.ports.synAgain}`), en.logNotes.join('\n'));
    assert.ok(en.logNotes.includes(`lesson: resetting the connection from port ${en.ports.synAgain}, so the peer's kernel forgets it`), en.logNotes.join('\n'));
  });

  it("heads the ladder with the two sides' names in Chinese", () => {
    assert.match(told(zh, zh.synAgain), /\n {4}你 +服务器\n {4}127\.0\.0\.1:\d+ +127\.0\.0\.1:7\n/);
  });

  it("keeps the verdict's data in English, with the facts beside it, for a grader", () => {
    const reply = only(zh.synDropped, 'reply');
    assert.equal(reply.summary, 'nothing from the peer matched flags=SA ack=1001 within 1 s');
    assert.deepEqual(reply.facts, { kind: 'no-match', command: 'recv', matcher: 'flags=SA ack=1001', timeoutMs: 1000, closest: null });
    const app = only(zh.neverAccepted, 'app');
    assert.equal(app.summary, "the server's program saw no 'accepted' within 1 s; it saw nothing");
    assert.equal(app.bundled, 'server');
    assert.deepEqual(app.facts, { kind: 'event-missing', event: 'accepted', timeoutMs: 1000, seen: [], error: null });
    const state = only(zh.stuckInLastAck, 'state');
    assert.equal(state.summary, "the server's socket facing you is LAST-ACK, not CLOSED (waited 1 s)");
    assert.deepEqual({ expected: state.expected, actual: state.actual, timeoutMs: state.timeoutMs, bundled: state.bundled }, { expected: 'CLOSED', actual: 'LAST-ACK', timeoutMs: 1000, bundled: 'server' });
    const silence = only(zh.silenceBroken, 'silence');
    assert.equal(silence.summary, `#${silence.index} came from the peer, where nothing should have within 1 s`);
    assert.equal(silence.silenceMs, 1000);
    assert.deepEqual(zh.lastAck.notes, [`a fresh start on port ${zh.ports.lastAck}, with steps 1-3 played again (step 3 by its solution: your answer named numbers of the old connection)`]);
    assert.deepEqual(zh.lastAck.restarts, [{ port: zh.ports.lastAck, replayed: 3, bySolution: [3], staleAnswers: true }]);
  });
});

describe('the same wrong answers in an English lesson, told as before', () => {
  it('says what came, or did not, word for word', () => {
    assert.equal(only(en.synDropped, 'reply').summary, 'nothing from the peer matched flags=SA ack=1001 within 1 s');
    assert.equal(only(en.neverAccepted, 'app').summary, "the server's program saw no 'accepted' within 1 s; it saw nothing");
    const silence = only(en.silenceBroken, 'silence');
    assert.equal(silence.summary, `#${silence.index} came from the peer, where nothing should have within 1 s`);
    const text = told(en, en.stuckInLastAck);
    assert.equal(
      text.split('\n').slice(0, 5).join('\n'),
      [
        '  try 1: tcp flags=A seq=1002 ack=$rx.seq+1 chksum=1',
        '  FAILED: what followed was not what the lesson expects',
        '    state CLOSED (lessons/04-four-way-close.md:121:1)',
        "      The server's socket should be gone once its FIN is acknowledged.",
        "      the server's socket facing you is LAST-ACK, not CLOSED (waited 1 s)",
      ].join('\n'),
    );
  });

  it('notes each fresh start word for word, with the ladder headed in English', () => {
    const first = (verdict: StepVerdict) => told(en, verdict).split('\n')[0];
    assert.equal(first(en.synAgain), `  (a fresh start on port ${en.ports.synAgain})`);
    assert.equal(first(en.silenceBroken), `  (a fresh start on port ${en.ports.silenceBroken}, with step 1 played again)`);
    assert.equal(first(en.finPassed), `  (a fresh start on port ${en.ports.finPassed}, with steps 1-2 played again)`);
    assert.equal(first(en.lastAck), `  (a fresh start on port ${en.ports.lastAck}, with steps 1-3 played again (step 3 by its solution: your answer named numbers of the old connection))`);
    assert.match(told(en, en.synAgain), /\n {4}learner +server\n/);
  });
});

/** A one-step lesson on the echo server: the learner's SYN, then `cells`. */
function synLesson(language: string, cells: string): Lesson {
  const parsed = parseLesson(
    `---\nid: one-syn\ntitle: One SYN\nsummary: A SYN.\nlanguage: ${language}\nserver: echo\n---\n\n## Step 1: SYN\n\n${FENCE}tcplab send\ntcp flags=S seq=1000\n${FENCE}\n\n${cells}\n\n${FENCE}tcplab solution\ntcp flags=S seq=1000\n${FENCE}\n`,
    'one.md',
  );
  assert.ok(parsed.ok);
  return parsed.lesson;
}

/** The handshake played by the lesson, then the learner's data, and what the program should read. */
function dataLesson(language: string): Lesson {
  const parsed = parseLesson(
    [
      `---\nid: data\ntitle: Data\nsummary: Data.\nlanguage: ${language}\nserver: discard\n---\n`,
      `## Open\n\n${FENCE}tcplab run\nsend tcp flags=S seq=1000\n${FENCE}\n\n${FENCE}tcplab expect\nrecv flags=SA\n${FENCE}\n`,
      `${FENCE}tcplab run\nsend tcp flags=A seq=1001 ack=$rx.seq+1\n${FENCE}\n`,
      `## Hello\n\n${FENCE}tcplab send\ntcp flags=PA seq=1001 ack=$rx.seq+1 data="hello"\n${FENCE}\n\n${FENCE}tcplab events\napp received data="hello" timeout=0.3\n${FENCE}\n\n${FENCE}tcplab solution\ntcp flags=PA seq=1001 ack=$rx.seq+1 data="hello"\n${FENCE}\n`,
    ].join('\n'),
    'data.md',
  );
  assert.ok(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.errors));
  return parsed.lesson;
}

async function firstFeedback(lesson: Lesson, tries: string[], steps = 0): Promise<{ feedback: Feedback[]; checks: CheckEntry[] }> {
  const network = createSimNetwork({ seed: 3 });
  const run = await LessonRun.open(lesson, network);
  try {
    for (let i = 0; i < steps; i++) assert.equal(await run.next(), true);
    const feedback: Feedback[] = [];
    for (const text of tries) feedback.push(...(await run.submit(text)).feedback);
    return { feedback, checks: run.session.log.filter((entry): entry is CheckEntry => entry.kind === 'check' && entry.outcome !== 'pass') };
  } finally {
    await run.close();
    await network.close();
  }
}

describe('every kind of summary, in both languages', () => {
  it("a reply's summary in English is the session's own check summary", async () => {
    const { feedback, checks } = await firstFeedback(synLesson('en', `${FENCE}tcplab expect\nexpect flags=R\n${FENCE}`), ['tcp flags=S seq=1000 chksum=1', 'tcp flags=S seq=1000']);
    const nothingYet = feedback[0]!;
    const mismatch = feedback[1]!;
    assert.ok(nothingYet.kind === 'reply' && mismatch.kind === 'reply');
    assert.deepEqual(nothingYet.facts, { kind: 'nothing-yet' });
    assert.equal(mismatch.facts.kind, 'mismatch');
    assert.deepEqual([nothingYet.summary, mismatch.summary], checks.map((check) => check.summary));
    assert.match(mismatch.summary, /^#\d+ does not match: 1 of 1 field differs$/);

    const timedOut = await firstFeedback(synLesson('en', `${FENCE}tcplab expect\nrecv flags=R timeout=0.2\n${FENCE}`), ['tcp flags=S seq=1000']);
    const reply = timedOut.feedback[0]!;
    assert.ok(reply.kind === 'reply' && reply.facts.kind === 'no-match');
    assert.equal(reply.summary, timedOut.checks[0]!.summary);
    assert.match(reply.summary, /^nothing from the peer matched flags=R within 0\.2 s; the closest was #\d+$/);
  });

  it('tells the same replies in Chinese', async () => {
    const { feedback } = await firstFeedback(synLesson('zh-CN', `${FENCE}tcplab expect\nexpect flags=R\n${FENCE}`), ['tcp flags=S seq=1000 chksum=1', 'tcp flags=S seq=1000']);
    const r = runnerStrings('zh-CN');
    const [nothingYet, mismatch] = feedback as [Extract<Feedback, { kind: 'reply' }>, Extract<Feedback, { kind: 'reply' }>];
    assert.equal(r.reply(nothingYet.facts), '对方还没有发来任何报文，所以没有 $rx 可以检查');
    assert.match(r.reply(mismatch.facts), /^#\d+ 不符合：所查的 1 个字段中有 1 个不同$/);
    const timedOut = await firstFeedback(synLesson('zh-CN', `${FENCE}tcplab expect\nrecv flags=R timeout=0.2\n${FENCE}`), ['tcp flags=S seq=1000']);
    const reply = timedOut.feedback[0] as Extract<Feedback, { kind: 'reply' }>;
    assert.match(r.reply(reply.facts), /^0\.2 秒内没有收到对方发来的符合 flags=R 的报文；最接近的是 #\d+$/);
  });

  it('what the program read, or did not', async () => {
    for (const language of ['en', 'zh-CN']) {
      const { feedback } = await firstFeedback(dataLesson(language), ['tcp flags=PA seq=1001 ack=$rx.seq+1 data="hi"', 'tcp flags=PA seq=1001 ack=$rx.seq+1 data="hello" chksum=1'], 2);
      const [other, nothing] = feedback as [Extract<Feedback, { kind: 'app' }>, Extract<Feedback, { kind: 'app' }>];
      assert.deepEqual(other.facts, { kind: 'read-other', read: { text: '"hi"', bytes: 2 }, wanted: { text: '"hello"', bytes: 5 } });
      assert.equal(other.summary, `the server's program read "hi" (2 bytes), not "hello" (5 bytes)`);
      assert.equal(nothing.summary, "the server's program read nothing within 0.3 s");
      const r = runnerStrings(language);
      assert.equal(r.app(other.bundled, other.facts), language === 'en' ? other.summary : '服务器程序读到的是 "hi"（2 字节），而不是 "hello"（5 字节）');
      assert.equal(r.app(nothing.bundled, nothing.facts), language === 'en' ? nothing.summary : '服务器程序在 0.3 秒内什么也没有读到');
    }
  });

  it("the runner's errors: the English message as before, the Chinese with the reason as it came", () => {
    const check: CheckFeedback = { kind: 'check', matcher: 'ack=$rx.seq+1', at: { line: 9, column: 1 }, sentence: 'x', fields: [], expected: null, actual: { segment: 'tcp', line: '' } };
    const cases: Array<[ErrorFacts, string, string]> = [
      [{ kind: 'line-failed', line: 'recv flags=SA', reason: 'unknown variable $rx' }, "the lesson's line recv flags=SA could not run: unknown variable $rx", '课程中的 recv flags=SA 这一行无法执行：unknown variable $rx'],
      [{ kind: 'command-failed', line: 'connect', reason: 'no listener' }, "the lesson's command connect could not run: no listener", '课程中的命令 connect 无法执行：no listener'],
      [{ kind: 'not-sent', reason: 'rate limit' }, 'the segment was not sent: rate limit', '报文段没有发出去：rate limit'],
      [{ kind: 'check-unreadable', reason: 'bad' }, "the lesson's check cannot be read: bad", '课程中的这项检查无法读懂：bad'],
      [{ kind: 'check-unresolved', matcher: 'ack=$rx.seq+1', reason: 'nothing has come yet' }, 'the check ack=$rx.seq+1 cannot be evaluated now: nothing has come yet', '检查 ack=$rx.seq+1 现在还无法求值：nothing has come yet'],
      [{ kind: 'rebuild-failed', step: 2, by: 'solution', cause: check }, 'the connection could not be rebuilt: step 2 did not pass again with its solution: the check ack=$rx.seq+1 did not hold', '连接无法重建：用参考答案重新执行第 2 步时没有通过：检查 ack=$rx.seq+1 不满足'],
      [{ kind: 'rebuild-failed', step: 1, by: 'commands', cause: null }, 'the connection could not be rebuilt: step 1 did not pass again with its commands', '连接无法重建：用它自己的命令重新执行第 1 步时没有通过'],
      [{ kind: 'rebuild-failed', step: 3, by: 'no-solution', cause: null }, 'the connection could not be rebuilt: step 3 did not pass again with its solution: it has none', '连接无法重建：第 3 步需要用参考答案重新执行，但它没有参考答案'],
      [{ kind: 'replay-exhausted', step: 4 }, 'the steps before step 4 could not be played again', '第 4 步之前的步骤无法重新执行'],
    ];
    for (const [facts, english, chinese] of cases) {
      const feedback: ErrorFeedback = { kind: 'error', message: english, facts };
      assert.equal(tellMessage(feedback, runnerStrings('en')), english);
      assert.equal(tellMessage(feedback, runnerStrings('zh-CN')), chinese);
    }
    // An error the runner did not phrase is told as it came.
    assert.equal(tellMessage({ kind: 'error', message: 'the lab went away' }, runnerStrings('zh-CN')), 'the lab went away');
  });
});

describe('the zh-CN tables', () => {
  /** Every phrase of a runner table, each kind of facts once. */
  const runnerPhrases = (r: RunnerStrings): string[] => [
    r.seconds(1500),
    r.reply({ kind: 'no-match', command: 'recv', matcher: 'flags=SA', timeoutMs: 1000, closest: 3 }),
    r.reply({ kind: 'no-match', command: 'recv', matcher: '', timeoutMs: 1000, closest: null }),
    r.reply({ kind: 'no-match', command: 'sr1', matcher: '', timeoutMs: 1000, closest: null }),
    r.reply({ kind: 'mismatch', index: 3, differing: 2, checked: 3 }),
    r.reply({ kind: 'nothing-yet' }),
    r.app('client', { kind: 'read-nothing', timeoutMs: 1000 }),
    r.app('server', { kind: 'read-other', read: { text: '"a"', bytes: 1 }, wanted: null }),
    r.app('server', { kind: 'event-missing', event: 'closed', timeoutMs: 1000, seen: ['accepted', 'received'], error: 'ECONNRESET' }),
    r.state('client', 'ESTABLISHED', null, 1000),
    r.silence(4, 500),
    r.unbuildable('the options take 44 bytes'),
    r.checkDidNotHold('seq=1'),
    r.restart({ port: 40001, replayed: 2, bySolution: [1, 2], staleAnswers: false }),
    r.logLesson('第 1 步'),
    r.logNewEndpoint('127.0.0.1:40001'),
    r.logResetting(40001),
  ];

  it('say every phrase in Chinese, leaving in Latin letters only what stays so', () => {
    const zhPhrases = runnerPhrases(runnerStrings('zh-CN'));
    const enPhrases = runnerPhrases(runnerStrings('en'));
    zhPhrases.forEach((phrase, i) => {
      // Reasons handed up from elsewhere stay as they came.
      const ownWords = phrase.replace(/the options take 44 bytes|ECONNRESET/g, '');
      assert.deepEqual(englishLeft(ownWords), [], phrase);
      if (i > 0) assert.match(phrase, /[\u4e00-\u9fff]/u, phrase);
      assert.notEqual(phrase, enPhrases[i]);
    });
    const g = gradeStrings('zh-CN');
    const grading = [
      g.lessonLine('four-way-close', '四次挥手', 'lessons/zh-CN/04-four-way-close.md').replace('four-way-close', ''),
      g.answersLine('/tmp/a.md'),
      g.stepHeading(2, 'Step 2'),
      g.stepHeading(3, '你的 FIN'),
      g.lessonRuns(['send tcp flags=S seq=1000']),
      g.hint,
      g.noHints,
      g.noMoreHints,
      g.solution('offered', 3),
      g.solution('requested', 3),
      g.solutionPlayed,
      g.note({ kind: 'no-answer' }),
      g.note({ kind: 'tries-unused', count: 2 }),
      g.result(1, 4, false, { step: 2, outcome: 'failed' }),
      g.result(1, 4, false, { step: 2, outcome: 'not-reached' }),
      g.result(4, 4, true, null),
    ];
    for (const phrase of grading) {
      assert.deepEqual(englishLeft(phrase.replace(/\S+\.md/, '')), [], phrase);
      assert.match(phrase, /[\u4e00-\u9fff]/u, phrase);
    }
    assert.equal(g.stepHeading(2, 'Step 2'), '第 2 步');
    assert.equal(g.stepHeading(3, '第一次挥手：你的 FIN'), '第 3 步：第一次挥手：你的 FIN');
  });
});
