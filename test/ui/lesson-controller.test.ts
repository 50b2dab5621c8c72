// The lesson view's state, driven by keys as a learner types them, over a real lesson run on
// the simulator: lesson 2 of the bundled course, the three-way handshake.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readLessonFile } from '../../src/lesson/format/parse-lesson.js';
import type { Lesson } from '../../src/lesson/format/schema.js';
import { LessonRun } from '../../src/lesson/runner/lesson-run.js';
import type { LessonPosition } from '../../src/lesson/runner/position.js';
import type { Network } from '../../src/net/network.js';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { LessonController, type LessonItem } from '../../src/ui/lesson/lesson-controller.js';
import { projectRoot } from '../support/project-root.js';

const ENTER = '\r';
const ESC = '\u001b';
const CTRL_U = '\u0015';

let lesson: Lesson;
let network: Network;

before(async () => {
  const read = await readLessonFile(join(projectRoot(), 'lessons', '02-three-way-handshake.md'));
  assert.ok(read.ok);
  lesson = read.lesson;
  network = createSimNetwork({ seed: 7 });
});
after(async () => {
  await network.close();
});

async function until(test: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Harness {
  controller: LessonController;
  run: LessonRun;
  saves: Array<{ position: LessonPosition; passed: boolean }>;
  left: () => boolean;
  items: (kind: LessonItem['kind']) => LessonItem[];
  type(keys: string): void;
  close(): Promise<void>;
}

async function open(options: { resume?: LessonPosition; failSaves?: boolean } = {}): Promise<Harness> {
  const run = await LessonRun.open(lesson, network, options.resume !== undefined ? { resume: options.resume } : {});
  const saves: Harness['saves'] = [];
  let left = false;
  const controller = new LessonController({
    run,
    packTitle: 'TCP by hand',
    resumed: options.resume !== undefined,
    progress: {
      save: async (position, passed) => {
        if (options.failSaves === true) throw new Error('disk full');
        saves.push({ position, passed });
      },
    },
    onLeave: () => (left = true),
  });
  return {
    controller,
    run,
    saves,
    left: () => left,
    items: (kind) => controller.getSnapshot().items.filter((item) => item.kind === kind),
    type: (keys) => controller.input(keys),
    async close() {
      controller.dispose();
      await run.close();
    },
  };
}

const verdicts = (h: Harness) => h.items('verdict').map((item) => (item.kind === 'verdict' ? item.verdict : null)!);

describe('the lesson view on lesson 2', () => {
  test('opens at step 1 with the title, the intro, the step heading and the template in the cell', async () => {
    const h = await open();
    try {
      const view = h.controller.getSnapshot();
      const title = h.items('title')[0];
      assert.ok(title?.kind === 'title' && title.title === 'The three-way handshake');
      assert.ok(h.items('prose').some((item) => item.kind === 'prose' && item.markdown.includes('three segments')));
      assert.ok(h.items('step').some((item) => item.kind === 'step' && item.text === 'Step 1 of 2: SYN'), JSON.stringify(h.items('step')));
      assert.equal(view.editor.text, 'tcp flags=S seq=0');
      assert.equal(view.mode, 'edit');
      assert.equal(view.status.step, 1);
      assert.equal(view.status.network, 'sim');
    } finally {
      await h.close();
    }
  });

  test('a wrong SYN is explained before it is sent and stays in the cell to fix; the right one passes and the keys become the lesson\'s', async () => {
    const h = await open();
    try {
      h.type(ENTER);
      await until(() => verdicts(h).length === 1, 'the first verdict');
      const first = verdicts(h)[0]!;
      assert.equal(first.passed, false);
      assert.equal(first.sent, false);
      assert.ok(first.feedback.some((f) => f.kind === 'check' && f.sentence.startsWith('Take 1000 as your ISN')));
      assert.equal(h.controller.getSnapshot().editor.text, 'tcp flags=S seq=0');
      assert.equal(h.controller.getSnapshot().mode, 'edit');

      h.type(`${CTRL_U}tcp flags=S seq=1000${ENTER}`);
      await until(() => verdicts(h).length === 2, 'the second verdict');
      assert.equal(verdicts(h)[1]!.passed, true);
      const view = h.controller.getSnapshot();
      assert.equal(view.mode, 'command');
      assert.equal(view.bar, 'passed');
      assert.equal(view.status.stepStatus, 'passed');
      // The packets the try caused are in the transcript, between the try and its verdict.
      const kinds = view.items.map((item) => (item.kind === 'entry' ? `entry:${item.entry.kind}` : item.kind));
      const lastTry = kinds.lastIndexOf('try');
      assert.ok(kinds.slice(lastTry).includes('entry:packet'), kinds.join(' '));
      await until(() => h.saves.some((save) => save.position.steps[0]?.status === 'passed'), 'progress with step 1 passed');

      // Enter after a pass goes on: step 2, its own template in the cell, back to editing.
      h.type(ENTER);
      await until(() => h.controller.getSnapshot().status.step === 2, 'step 2');
      assert.equal(h.controller.getSnapshot().editor.text, 'tcp flags=A seq=1000 ack=0');
      assert.equal(h.controller.getSnapshot().mode, 'edit');

      h.type(`${CTRL_U}tcp flags=A seq=1001 ack=$rx.seq+1${ENTER}`);
      await until(() => verdicts(h).length === 3, 'the ACK\'s verdict', 8000);
      assert.equal(verdicts(h)[2]!.passed, true, JSON.stringify(verdicts(h)[2]!.feedback));
      assert.ok(h.items('note').some((item) => item.kind === 'note' && item.text.startsWith('Lesson passed')));
      await until(() => h.saves.at(-1)?.passed === true, 'the lesson saved as passed');
    } finally {
      await h.close();
    }
  });

  test('Esc gives the lesson keys: h reveals hints one by one, s shows the solution, s again plays it', async () => {
    const h = await open();
    try {
      h.type(ESC);
      assert.equal(h.controller.getSnapshot().mode, 'command');
      h.type('h');
      h.type('h');
      const hints = h.items('hint');
      assert.equal(hints.length, 2);
      assert.ok(hints[0]?.kind === 'hint' && hints[0].index === 1 && hints[0].total === 2);
      h.type('h');
      assert.ok(h.items('note').some((item) => item.kind === 'note' && item.text.startsWith('No more hints')));
      h.type('s');
      await until(() => h.items('solution').length === 1, 'the solution');
      const solution = h.items('solution')[0];
      assert.ok(solution?.kind === 'solution' && solution.solution.text === 'tcp flags=S seq=1000');
      h.type('s');
      await until(() => verdicts(h).length === 1, 'the solution played');
      assert.equal(verdicts(h)[0]!.by, 'solution');
      assert.equal(h.controller.getSnapshot().status.stepStatus, 'solved');
    } finally {
      await h.close();
    }
  });

  test('n before a pass says to pass first; a letter that is no command goes to the cell', async () => {
    const h = await open();
    try {
      h.type(ESC);
      h.type('n');
      await until(() => h.items('note').some((item) => item.kind === 'note' && item.text.startsWith('Pass this step first')), 'the refusal');
      assert.equal(h.controller.getSnapshot().status.step, 1);
      h.type('x');
      const view = h.controller.getSnapshot();
      assert.equal(view.mode, 'edit');
      assert.equal(view.editor.text, 'tcp flags=S seq=0x');
    } finally {
      await h.close();
    }
  });

  test('q leaves and saves; a save that fails is said in the transcript, and the lesson goes on', async () => {
    const h = await open({ failSaves: true });
    try {
      h.type(ESC);
      h.type('h');
      await until(() => h.items('note').some((item) => item.kind === 'note' && item.text === 'Your progress was not saved: disk full'), 'the warning');
      h.type('q');
      await until(() => h.left(), 'leaving');
    } finally {
      await h.close();
    }
  });

  test('resumed at step 2 from saved progress: a welcome back, step 2 shown, step 1 replayed when the learner tries', async () => {
    const resume: LessonPosition = {
      lesson: 'three-way-handshake',
      step: 2,
      steps: [
        { number: 1, status: 'passed', tries: 1, failedTries: 0, hintsShown: 0, solutionShown: false, answer: 'tcp flags=S seq=1000' },
        { number: 2, status: 'pending', tries: 0, failedTries: 0, hintsShown: 0, solutionShown: false, answer: null },
      ],
    };
    const h = await open({ resume });
    try {
      assert.ok(h.items('note').some((item) => item.kind === 'note' && item.text === 'Welcome back: you are at step 2 of 2.'));
      assert.equal(h.controller.getSnapshot().status.step, 2);
      h.type(`${CTRL_U}tcp flags=A seq=1001 ack=$rx.seq+1${ENTER}`);
      await until(() => verdicts(h).length === 1, 'the verdict', 8000);
      assert.equal(verdicts(h)[0]!.passed, true, JSON.stringify(verdicts(h)[0]!.feedback));
    } finally {
      await h.close();
    }
  });
});
