// The ladder under each passed step speaks the lesson's language: lesson 04 (the four-way
// close) played on sim with its solutions, in its zh-CN translation and in English, drawn at
// 60 and 80 columns as the lesson view and `tcplab lesson` draw it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Lesson } from '../../src/lesson/format/schema.js';
import { LessonRun } from '../../src/lesson/runner/lesson-run.js';
import { renderVerdictText } from '../../src/lesson/runner/render-verdict.js';
import type { StepVerdict } from '../../src/lesson/runner/verdict.js';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { englishWordsIn, linesWiderThan, notesIn } from '../session/ladder-words.js';
import { courseLesson } from './wrong-answers.js';

/** Every step's verdict, each step passed by its solution (run steps by the lesson). */
async function playSolutions(lesson: Lesson, width: number): Promise<StepVerdict[]> {
  const network = createSimNetwork({ seed: 1 });
  const run = await LessonRun.open(lesson, network, { width });
  try {
    const verdicts: StepVerdict[] = [];
    for (const [i, step] of lesson.steps.entries()) {
      const verdict = step.action.kind === 'run' ? run.state.steps[i]!.verdict : await run.playSolution();
      assert.ok(verdict?.passed, `step ${i + 1} passes`);
      verdicts.push(verdict);
      if (i + 1 < lesson.steps.length) assert.equal(await run.next(), true);
    }
    return verdicts;
  } finally {
    await run.close();
    await network.close();
  }
}

const zh = courseLesson('lessons/zh-CN/04-four-way-close.md');
const en = courseLesson('lessons/04-four-way-close.md');

describe('lesson 04 in Chinese, played with its solutions', () => {
  for (const width of [60, 80]) {
    it(`has no English word in its ladders at ${width} columns, and every line fits`, async () => {
      const verdicts = await playSolutions(zh, width);
      const ladders = verdicts.map((verdict) => verdict.ladder).filter((ladder) => ladder !== '');
      assert.equal(ladders.length, verdicts.length, 'a ladder under every step');
      for (const ladder of ladders) {
        assert.deepEqual(englishWordsIn(ladder), [], ladder);
        assert.deepEqual(linesWiderThan(ladder, width), [], ladder);
      }
      const last = ladders.at(-1)!;
      assert.match(last.split('\n')[0]!, /^你 +服务器$/);
      const notes = notesIn(last);
      for (const note of ['接受了连接', '读到流的结尾', '套接字已关闭']) assert.ok(notes.includes(note), `no note '${note}' in\n${last}`);
      assert.ok(notes.join(' ').includes('LAST-ACK -> CLOSED'), last);
      // The server's FIN, sent again while the learner did not acknowledge it.
      assert.match(last, /\|<-+ FA seq=1 ack=2 重传 -+\|/);
    });
  }

  it('prints them so in `tcplab lesson`, in Chinese around them', async () => {
    const verdicts = await playSolutions(zh, 80);
    const text = renderVerdictText(verdicts.at(-1)!, { file: zh.file, language: zh.meta.language });
    assert.match(text, /\n {2}到目前为止的报文往来：\n {4}你 +服务器\n/);
    assert.match(text, /\n {4}\| +\| {2}读到流的结尾\n/);
  });
});

describe('lesson 04 in English, played with its solutions', () => {
  it('has its ladders in English, as before', async () => {
    const last = (await playSolutions(en, 80)).at(-1)!.ladder;
    assert.match(last.split('\n')[0]!, /^learner +server$/);
    const notes = notesIn(last);
    for (const note of ['accepted', 'peer closed', 'closed']) assert.ok(notes.includes(note), `no note '${note}' in\n${last}`);
    assert.match(last, /\|<-+ FA seq=1 ack=2 resent -+\|/);
  });
});
