// The lesson view's verdicts for a zh-CN lesson played with wrong answers: what came (or did
// not) and the fresh starts told in Chinese at every width, the packets and segments as they
// are; and the same play in an English lesson told as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StepVerdict } from '../../src/lesson/runner/verdict.js';
import { englishLeft, playWrongAnswers, verdictsOf, type WrongAnswers } from '../lesson/wrong-answers.js';

process.env.FORCE_COLOR = '1';
const { layoutVerdict } = await import('../../src/ui/verdict/verdict-lines.js');
const { VerdictView } = await import('../../src/ui/verdict/verdict-view.js');
const { textWidth } = await import('../../src/session/text-width.js');
const { renderInk } = await import('./ink-harness.js');

const WIDTHS = [40, 60, 80, 120];
/** Spans drawn in a side's colour are segments and packet lines: they stay as they are. */
const PACKET_TONES = new Set(['learner', 'learnerLine', 'server', 'serverLine']);

const zh = await playWrongAnswers('lessons/zh-CN');
const en = await playWrongAnswers('lessons');

function lessonOf(play: WrongAnswers, verdict: StepVerdict) {
  return [play.synDropped, play.synAgain, play.neverAccepted, play.silenceBroken].includes(verdict) ? play.handshake : play.close;
}

function laidOut(play: WrongAnswers, verdict: StepVerdict, width: number, withPackets = true): string[] {
  const lesson = lessonOf(play, verdict);
  return layoutVerdict(verdict, { file: lesson.file, language: lesson.meta.language, width }).map((line) =>
    line
      .filter((span) => withPackets || !PACKET_TONES.has(span.style))
      .map((span) => span.text)
      .join(''),
  );
}

describe('the lesson view: a zh-CN lesson played with wrong answers', () => {
  it('leaves no English sentence in a verdict, and fits every width', () => {
    for (const verdict of verdictsOf(zh)) {
      // Wide enough that no place or segment is wrapped in two: wrapping moves words, it does not change them.
      const words = laidOut(zh, verdict, 200, false).join('\n');
      assert.deepEqual(englishLeft(words), [], laidOut(zh, verdict, 200).join('\n'));
      for (const width of WIDTHS) for (const line of laidOut(zh, verdict, width)) assert.ok(textWidth(line) <= width, `wider than ${width}: ${line}`);
    }
  });

  it('leads with the lesson\'s sentence, then what happened, in Chinese', () => {
    const lines = laidOut(zh, zh.stuckInLastAck, 120);
    assert.deepEqual(lines.slice(0, 4), [
      '✗ 未通过：接下来发生的情况与课程的预期不符',
      '  服务器的 FIN 被确认之后，它的套接字应当消失。',
      '    state CLOSED (lessons/zh-CN/04-four-way-close.md:120:1)',
      '    服务器上与你相连的套接字处于 LAST-ACK 状态，而不是 CLOSED（等了 1 秒）',
    ]);
    assert.equal(laidOut(zh, zh.lastAck, 120).at(-1), `  （在端口 ${zh.ports.lastAck} 上重新开始，前面的第 1 至 3 步已重新执行，其中第 3 步用的是参考答案，因为你的答案里写的是旧连接的数值）`);
  });

  it('draws it so', async () => {
    const rendered = await renderInk(<VerdictView verdict={zh.neverAccepted} file={zh.handshake.file} language="zh-CN" width={80} />, { columns: 80, rows: 60 });
    const frame = rendered.lastFrame();
    rendered.unmount();
    assert.match(frame, /\n {4}1 秒内没有等到服务器程序的 'accepted' 事件，它什么事件也没有\n/);
    assert.doesNotMatch(frame, /saw no|within/);
  });
});

describe('the lesson view: the same play in an English lesson', () => {
  it('tells what happened and the fresh starts as before', () => {
    assert.deepEqual(laidOut(en, en.stuckInLastAck, 120).slice(0, 4), [
      '✗ FAILED: what followed was not what the lesson expects',
      "  The server's socket should be gone once its FIN is acknowledged.",
      '    state CLOSED (lessons/04-four-way-close.md:121:1)',
      "    the server's socket facing you is LAST-ACK, not CLOSED (waited 1 s)",
    ]);
    assert.equal(laidOut(en, en.lastAck, 200).at(-1), `  (a fresh start on port ${en.ports.lastAck}, with steps 1-3 played again (step 3 by its solution: your answer named numbers of the old connection))`);
  });
});
