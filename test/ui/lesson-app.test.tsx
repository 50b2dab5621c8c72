// The lesson view as drawn, in the lesson's language: lesson 2 of the Chinese course on the
// simulator, rendered by Ink into a terminal the test owns.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readLessonFile } from '../../src/lesson/format/parse-lesson.js';
import { LessonRun } from '../../src/lesson/runner/lesson-run.js';
import type { Network } from '../../src/net/network.js';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { LessonApp } from '../../src/ui/lesson/lesson-app.js';
import { LessonController } from '../../src/ui/lesson/lesson-controller.js';
import { textWidth } from '../../src/session/text-width.js';
import { projectRoot } from '../support/project-root.js';
import { renderInk, settle } from './ink-harness.js';

let network: Network;
before(() => {
  network = createSimNetwork({ seed: 3 });
});
after(async () => {
  await network.close();
});

async function waitFor(frame: () => string, pattern: RegExp, ms = 5000): Promise<string> {
  const deadline = Date.now() + ms;
  while (!pattern.test(frame())) {
    if (Date.now() > deadline) assert.fail(`no ${pattern} in:\n${frame()}`);
    await settle(10);
  }
  return frame();
}

test('a Chinese lesson gets the view\'s own words in Chinese: the step heading, the status line, the keys', async () => {
  const read = await readLessonFile(join(projectRoot(), 'lessons', 'zh-CN', '02-three-way-handshake.md'));
  assert.ok(read.ok);
  const run = await LessonRun.open(read.lesson, network);
  const controller = new LessonController({ run, packTitle: '亲手写 TCP', onLeave: () => undefined });
  const screen = await renderInk(<LessonApp controller={controller} />, { columns: 80, rows: 30 });
  try {
    let frame = await waitFor(screen.lastFrame, /第 1 步（共 2 步）/);
    assert.match(frame, /Enter 发送 · Tab 补全 · Esc 课程按键/);
    assert.match(frame, /sim │ 第 1\/2 步: 未开始/);
    assert.match(frame, /^tcplab> tcp flags=S seq=0/m);
    for (const line of frame.split('\n')) assert.ok(textWidth(line) <= 80, `too wide: ${line}`);

    await screen.type('\u0015tcp flags=S seq=1000\r');
    frame = await waitFor(screen.lastFrame, /第 1\/2 步: 已通过/);
    assert.match(frame, /Enter\/n 下一步 · r 再做一次/);

    await screen.type('?');
    frame = await waitFor(screen.lastFrame, /课程按键（\? 或 Esc 隐藏）/);
    assert.match(frame, /h +显示下一条提示/);
    for (const line of frame.split('\n')) assert.ok(textWidth(line) <= 80, `too wide: ${line}`);
  } finally {
    screen.unmount();
    controller.dispose();
    await run.close();
  }
});

test('a terminal too small for the view says so instead of a broken layout', async () => {
  const read = await readLessonFile(join(projectRoot(), 'lessons', '02-three-way-handshake.md'));
  assert.ok(read.ok);
  const run = await LessonRun.open(read.lesson, network);
  const controller = new LessonController({ run, packTitle: 'TCP by hand', onLeave: () => undefined });
  const screen = await renderInk(<LessonApp controller={controller} />, { columns: 30, rows: 8 });
  try {
    assert.match(screen.lastFrame(), /Terminal too small: 30x8/);
  } finally {
    screen.unmount();
    controller.dispose();
    await run.close();
  }
});
