// Verdicts in the lesson's language: real verdicts, played on sim, told in English exactly
// as `tcplab lesson` has always printed them, and in Chinese for a zh-CN lesson, with every
// fixed phrase of the table translated.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseLesson } from '../../src/lesson/format/parse-lesson.js';
import type { Lesson } from '../../src/lesson/format/schema.js';
import { LessonRun } from '../../src/lesson/runner/lesson-run.js';
import { renderVerdictText } from '../../src/lesson/runner/render-verdict.js';
import type { StepVerdict } from '../../src/lesson/runner/verdict.js';
import { translateIsnNote, verdictLanguage, verdictStrings, type VerdictStrings } from '../../src/lesson/runner/verdict-strings.js';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { projectRoot } from '../support/project-root.js';

const FENCE = '```';

function courseLesson(path: string): Lesson {
  const parsed = parseLesson(readFileSync(join(projectRoot(), path), 'utf8'), path);
  assert.ok(parsed.ok, path);
  return parsed.lesson;
}

function synLesson(server: string, cells: string, language = 'en'): Lesson {
  const parsed = parseLesson(
    `---\nid: one-syn\ntitle: One SYN\nsummary: A SYN.\nlanguage: ${language}\nserver: ${server}\n---\n\n## Step 1: SYN\n\n${FENCE}tcplab send\ntcp flags=S seq=1000\n${FENCE}\n\n${cells}\n\n${FENCE}tcplab solution\ntcp flags=S seq=1000\n${FENCE}\n`,
    'one.md',
  );
  assert.ok(parsed.ok);
  return parsed.lesson;
}

/** The verdicts of a learner who gets the handshake wrong, then right, then goes back. */
async function handshakeVerdicts(path: string) {
  const network = createSimNetwork({ seed: 7 });
  const run = await LessonRun.open(courseLesson(path), network);
  const wrongSeq = await run.submit('tcp flags=S seq=999');
  const unreadable = await run.submit('tcp flags=S sq=1000');
  const synPassed = await run.submit('tcp flags=S seq=1000');
  await run.next();
  const isn = run.session.currentRx()!.packet.tcp!.seq;
  const wrongAck = await run.submit('tcp flags=A seq=1001 ack=$rx.seq');
  const solved = await run.playSolution();
  await run.back();
  const again = await run.submit('tcp flags=S seq=1000');
  await run.close();
  await network.close();
  return { isn, wrongSeq, unreadable, synPassed, wrongAck, solved, again };
}

/** One failing verdict per kind of expectation: a reply, a silence, an app event, a socket state. */
async function expectationVerdicts(language = 'en') {
  const verdicts: StepVerdict[] = [];
  for (const [server, cells] of [
    ['refuse', `${FENCE}tcplab expect\nrecv flags=SA ack=$tx.seq+1 -- The server should accept the connection.\n${FENCE}`],
    ['echo', `${FENCE}tcplab silence 1s\nfail: The server answered your SYN.\n${FENCE}`],
    ['echo', `${FENCE}tcplab events\napp accepted timeout=0.3 -- The handshake is not complete yet.\n${FENCE}`],
    ['echo', `${FENCE}tcplab events\nstate ESTABLISHED timeout=0.3\n${FENCE}`],
  ] as const) {
    const network = createSimNetwork({ seed: 7 });
    const run = await LessonRun.open(synLesson(server, cells, language), network);
    verdicts.push(await run.submit());
    await run.close();
    await network.close();
  }
  return verdicts;
}

const hex = (n: number) => `0x${n.toString(16)}`;
const LADDER_1 = [
  '    learner                                      server',
  '    127.0.0.1:40000                         127.0.0.1:7',
  '    |------------------- S seq=0 -------------------->|  SYN-RECV',
  '    |<---------------- SA seq=0 ack=1 ----------------|',
];

describe('verdict language', () => {
  it('reads Simplified Chinese tags as zh-CN and every other tag as English', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-Hans', 'zh-Hans-CN', 'ZH-cn', 'zh_CN']) assert.equal(verdictLanguage(tag), 'zh-CN', tag);
    for (const tag of ['en', 'en-GB', 'zh-TW', 'zh-Hant', 'fr', '', undefined]) assert.equal(verdictLanguage(tag), 'en', String(tag));
  });

  it('has every phrase in Chinese: no key left as the English one', () => {
    const en = verdictStrings('en');
    const zh = verdictStrings('zh-CN');
    const sample = (value: VerdictStrings[keyof VerdictStrings]): string => {
      if (typeof value === 'string') return value;
      return (value as (...args: unknown[]) => string)(2, 3, '4');
    };
    for (const key of Object.keys(en) as (keyof VerdictStrings)[]) {
      const english = key === 'isnDistance' ? en.isnDistance('their', '+', '1') : sample(en[key]);
      const chinese = key === 'isnDistance' ? zh.isnDistance('their', '+', '1') : sample(zh[key]);
      assert.notEqual(chinese, english, `${key} is not translated`);
      if (key !== 'language') assert.match(chinese, /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/u, `${key} reads in Chinese: ${chinese}`);
    }
    assert.equal(zh.passed(true) !== zh.passed(false), true);
    assert.equal(zh.failedChecks(1), '未通过：发送前有 1 项检查不满足，报文段没有发出');
  });

  it('tells an ISN distance in the language, and leaves any other note alone', () => {
    assert.equal(translateIsnNote('their ISN + 1', verdictStrings('zh-CN')), '对方的 ISN + 1');
    assert.equal(translateIsnNote('your ISN - 3', verdictStrings('zh-CN')), '你的 ISN - 3');
    assert.equal(translateIsnNote('your ISN + 1', verdictStrings('en')), 'your ISN + 1');
    assert.equal(translateIsnNote('something else', verdictStrings('zh-CN')), 'something else');
  });
});

describe('verdicts in English, as they have always read', () => {
  it('a failed check, unreadable text, a pass with its ladder, a solution and a fresh start', async () => {
    const v = await handshakeVerdicts('lessons/02-three-way-handshake.md');
    const file = 'lessons/02-three-way-handshake.md';
    for (const language of [undefined, 'en', 'fr']) {
      const text = (verdict: StepVerdict, extra = {}) => renderVerdictText(verdict, { file, ...(language !== undefined ? { language } : {}), ...extra });
      assert.equal(
        text(v.wrongSeq),
        [
          '  try 1: tcp flags=S seq=999',
          '  FAILED before sending: 1 check does not hold, so nothing was sent',
          `    check seq=1000 (${file}:46:1)`,
          '      Take 1000 as your ISN in this lesson: the numbers that follow are easier to check.',
          '      seq  expected 1000 (0x3e8)',
          '           actual   999 (0x3e7)',
          '      expected  tcp seq=1000 flags=S',
          '                127.0.0.1.40000 > 127.0.0.1.7: Flags [S], seq 1000, win 64240, length 0',
          '      yours     tcp seq=999 flags=S',
          '                127.0.0.1.40000 > 127.0.0.1.7: Flags [S], seq 999, win 64240, length 0',
        ].join('\n'),
      );
      assert.equal(
        text(v.unreadable),
        ['  try: tcp flags=S sq=1000', '  FAILED: the segment cannot be built as written, so nothing was sent', "    error: unknown field 'sq' at column 13; did you mean 'seq'?", '      tcp flags=S sq=1000', '                  ^^'].join('\n'),
      );
      assert.equal(
        text(v.synPassed, { source: 'answers.md:3' }),
        [
          '  try 2: tcp flags=S seq=1000   (answers.md:3)',
          '  PASSED',
          '    The kernel answered with SYN-ACK: its own ISN in seq, and 1001 in ack.',
          "    The server's kernel keeps your request in SYN-RECV. Its program knows nothing yet: accept() returns only a completed connection.",
          '  the exchange so far:',
          ...LADDER_1,
        ].join('\n'),
      );
      const { isn } = v;
      assert.equal(
        text(v.wrongAck),
        [
          '  try 1: tcp flags=A seq=1001 ack=$rx.seq',
          '  FAILED before sending: 1 check does not hold, so nothing was sent',
          `    check ack=$rx.seq+1 (${file}:99:1)`,
          "      Acknowledge the server's ISN plus one, $rx.seq+1: its SYN used one number too. With ack=$rx.seq the kernel would answer with RST.",
          `      ack  expected ${isn + 1} (${hex(isn + 1)})  = their ISN + 1`,
          `           actual   ${isn} (${hex(isn)})  = their ISN + 0`,
          `      expected  tcp seq=1001 ack=${isn + 1} flags=A`,
          `                127.0.0.1.40000 > 127.0.0.1.7: Flags [.], ack ${isn + 1}, win 64240, length 0`,
          `      yours     tcp seq=1001 ack=${isn} flags=A`,
          `                127.0.0.1.40000 > 127.0.0.1.7: Flags [.], ack ${isn}, win 64240, length 0`,
        ].join('\n'),
      );
      assert.equal(
        text(v.solved, { ladder: false }),
        [
          '  the solution: tcp flags=A seq=1001 ack=$rx.seq+1',
          '  PASSED (by its solution)',
          "    The server's accept() returned: for its program, the connection exists from now on.",
          "    The server's socket is ESTABLISHED.",
          '    Nothing came back: TCP never acknowledges a segment that carries neither data, SYN nor FIN.',
        ].join('\n'),
      );
      assert.equal(
        text(v.again),
        [
          '  (a fresh start on port 40001)',
          '  try 3: tcp flags=S seq=1000',
          '  PASSED',
          '    The kernel answered with SYN-ACK: its own ISN in seq, and 1001 in ack.',
          "    The server's kernel keeps your request in SYN-RECV. Its program knows nothing yet: accept() returns only a completed connection.",
          '  the exchange so far:',
          ...LADDER_1.map((line) => line.replace('40000', '40001')),
        ].join('\n'),
      );
    }
  });

  it('a reply, a silence, an app event and a state that did not hold, each after the segment as sent', async () => {
    const [reply, silence, app, state] = await expectationVerdicts();
    const sent = (verdict: StepVerdict) => ['    your segment, as sent:', `      ${verdict.segment!.segment}`, `      ${verdict.segment!.line}`];
    const head = ['  try 1: tcp flags=S seq=1000', '  FAILED: what followed was not what the lesson expects'];
    const r = reply!.feedback[0]!;
    assert.ok(r.kind === 'reply');
    assert.equal(
      renderVerdictText(reply!, { file: 'one.md' }),
      [
        ...head,
        '    recv flags=SA ack=$tx.seq+1 (one.md:16:1)',
        '      The server should accept the connection.',
        `      ${r.summary}`,
        '      flags  expected SA',
        '             actual   RA',
        `      expected  ${r.expected!.segment}`,
        `                ${r.expected!.line}`,
        `      actual    ${r.actual!.segment}`,
        `                ${r.actual!.line}`,
        ...sent(reply!),
      ].join('\n'),
    );
    const s = silence!.feedback[0]!;
    assert.ok(s.kind === 'silence');
    assert.equal(
      renderVerdictText(silence!, { file: 'one.md' }),
      [...head, '    silence (one.md:15:1)', '      The server answered your SYN.', `      ${s.summary}`, `      came      ${s.packet.segment}`, `                ${s.packet.line}`, ...sent(silence!)].join('\n'),
    );
    const a = app!.feedback[0]!;
    assert.ok(a.kind === 'app');
    assert.equal(renderVerdictText(app!, { file: 'one.md' }), [...head, '    app accepted timeout=0.3 (one.md:16:1)', '      The handshake is not complete yet.', `      ${a.summary}`, ...sent(app!)].join('\n'));
    const t = state!.feedback[0]!;
    assert.ok(t.kind === 'state');
    assert.equal(renderVerdictText(state!, { file: 'one.md' }), [...head, '    state ESTABLISHED timeout=0.3 (one.md:16:1)', `      ${t.summary}`, ...sent(state!)].join('\n'));
  });

  it('an error the learner did not cause, and a step that failed without sending', () => {
    const verdict: StepVerdict = { step: 2, attempt: 0, text: null, by: 'lesson', passed: false, sent: false, segment: null, feedback: [{ kind: 'error', message: 'the connection could not be rebuilt', at: { line: 9, column: 1 } }], successes: [], notes: [], restarts: [], ladder: '' };
    assert.equal(renderVerdictText(verdict, { file: 'x.md' }), '  FAILED: what followed was not what the lesson expects\n    error: the connection could not be rebuilt (x.md:9:1)');
    assert.equal(renderVerdictText({ ...verdict, by: 'learner' }, { file: 'x.md' }), '  FAILED\n    error: the connection could not be rebuilt (x.md:9:1)');
  });
});

describe('verdicts in Chinese, for a zh-CN lesson', () => {
  it('tells the same facts with every fixed phrase in Chinese, the columns still aligned', async () => {
    const v = await handshakeVerdicts('lessons/zh-CN/02-three-way-handshake.md');
    const file = 'lessons/zh-CN/02-three-way-handshake.md';
    const text = (verdict: StepVerdict, extra = {}) => renderVerdictText(verdict, { file, language: 'zh-CN', ...extra });
    const { isn } = v;
    assert.equal(
      text(v.wrongAck),
      [
        '  第 1 次尝试：tcp flags=A seq=1001 ack=$rx.seq',
        '  未通过：发送前有 1 项检查不满足，报文段没有发出',
        `    检查 ack=$rx.seq+1 (${file}:${(v.wrongAck.feedback[0] as { at: { line: number } }).at.line}:1)`,
        `      ${(v.wrongAck.feedback[0] as { sentence: string }).sentence}`,
        `      ack  期望 ${isn + 1} (${hex(isn + 1)})  = 对方的 ISN + 1`,
        `           实际 ${isn} (${hex(isn)})  = 对方的 ISN + 0`,
        `      期望  tcp seq=1001 ack=${isn + 1} flags=A`,
        `            127.0.0.1.40000 > 127.0.0.1.7: Flags [.], ack ${isn + 1}, win 64240, length 0`,
        `      你的  tcp seq=1001 ack=${isn} flags=A`,
        `            127.0.0.1.40000 > 127.0.0.1.7: Flags [.], ack ${isn}, win 64240, length 0`,
      ].join('\n'),
    );
    assert.match(text(v.unreadable), /^ {2}尝试：tcp flags=S sq=1000\n {2}未通过：按你写的内容构造不出报文段，什么也没有发出\n {4}错误：unknown field 'sq'/);
    assert.match(text(v.synPassed), /^ {2}第 2 次尝试：tcp flags=S seq=1000\n {2}通过\n {4}内核回了 SYN-ACK/);
    assert.match(text(v.synPassed), /\n {2}到目前为止的报文往来：\n/);
    assert.match(text(v.solved), /^ {2}参考答案：tcp flags=A seq=1001 ack=\$rx\.seq\+1\n {2}通过（由参考答案完成）\n/);
    for (const verdict of [v.wrongSeq, v.unreadable, v.synPassed, v.wrongAck, v.solved, v.again]) {
      assert.doesNotMatch(text(verdict), /PASSED|FAILED|\btry\b|\bcheck |expected|actual|yours|the exchange|the solution|error:/);
    }
  });

  it('tells a failed expectation in Chinese, and the segment as sent', async () => {
    const [reply, silence] = await expectationVerdicts('zh-CN');
    const replyText = renderVerdictText(reply!, { file: 'one.md', language: 'zh-CN' });
    assert.match(replyText, /^ {2}第 1 次尝试：tcp flags=S seq=1000\n {2}未通过：接下来发生的情况与课程的预期不符\n/);
    assert.match(replyText, /\n {6}flags {2}期望 SA\n {13}实际 RA\n {6}期望 {2}tcp ack=1001 flags=SA win=0\n {12}127\.0\.0\.1\.\d+ > /);
    assert.match(replyText, /\n {6}实际 {2}tcp ack=1001 flags=RA/);
    assert.match(replyText, /\n {4}你实际发出的报文段：\n {6}tcp seq=1000 flags=S\n/);
    assert.match(renderVerdictText(silence!, { file: 'one.md', language: 'zh-CN' }), /\n {4}静默 \(one\.md:15:1\)\n[^\n]*\n[^\n]*\n {6}收到 {2}tcp seq=\d+ ack=1001 flags=SA/);
  });
});
