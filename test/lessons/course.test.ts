// The course that comes with tcplab, lessons/, and its Chinese edition, lessons/zh-CN/:
// every lesson validates, each manifest lists every lesson file of its folder in course
// order, every step the learner acts in is a complete exercise, the checks catch the
// classic off-by-ones before the segment leaves, and every lesson's solutions pass on sim
// and on the lab. Where the lab cannot start its tests are skipped with the reason, except
// in CI, where they must run.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatLessonError } from '../../src/lesson/format/lesson-error.js';
import type { Lesson } from '../../src/lesson/format/schema.js';
import { loadPack, type Pack } from '../../src/lesson/pack/load-pack.js';
import { validatePath } from '../../src/lesson/pack/validate-path.js';
import { LessonRun } from '../../src/lesson/runner/lesson-run.js';
import { labSolutionRunner, simSolutionRunner, SOLUTION_SEED } from '../../src/lesson/runner/solution-runner.js';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { whyNoLab } from '../support/lab-availability.js';
import { projectRoot } from '../support/project-root.js';

const COURSE = join(projectRoot(), 'lessons');
const CHINESE = join(COURSE, 'zh-CN');

/** The course's lessons, by number and name: the order the manifest must give. */
const EXPECTED_EN = [
  'anatomy-of-a-segment',
  'three-way-handshake',
  'sending-data',
  'four-way-close',
  'playing-the-server',
  'server-closes-first',
  'reset',
  'wrong-numbers',
  'retransmission',
  'tcp-options',
  'framing',
];

async function load(dir: string): Promise<Pack> {
  const loaded = await loadPack(dir);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.map(formatLessonError).join('\n'));
  return loaded.pack;
}

const english = await load(COURSE);
const chinese = await load(CHINESE);
const packs = [english, chinese];
const everyLesson: Lesson[] = packs.flatMap((pack) => pack.lessons);

/** Lesson files in a folder, as the manifest names them: NN-name.md, the README aside. */
function lessonFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && entry.name !== 'README.md')
    .map((entry) => entry.name)
    .sort();
}

describe('the bundled course', () => {
  test('both packs validate with no mistake', async () => {
    for (const dir of [COURSE, CHINESE]) {
      const report = await validatePath(dir);
      assert.deepEqual(report.errors.map(formatLessonError), [], dir);
      assert.equal(report.kind, 'pack');
    }
    assert.equal(english.manifest.language, 'en');
    assert.equal(chinese.manifest.language, 'zh-CN');
    assert.notEqual(english.manifest.name, chinese.manifest.name);
  });

  test('each manifest lists every lesson file of its folder, numbered 1..N in course order', () => {
    for (const pack of packs) {
      assert.deepEqual([...pack.manifest.lessons].sort(), lessonFilesIn(pack.dir), `${pack.dir}: a lesson file the manifest does not list, or the other way round`);
      pack.manifest.lessons.forEach((path, i) => {
        assert.match(path, /^\d\d-[a-z0-9-]+\.md$/, path);
        assert.equal(Number(path.slice(0, 2)), i + 1, `${pack.dir}: ${path} is lesson ${i + 1} of the manifest`);
      });
    }
    assert.deepEqual(english.lessons.map((lesson) => lesson.meta.id), EXPECTED_EN);
  });

  test('the Chinese edition has at least lessons 1 to 4, each the same lesson as the English one of its number', () => {
    assert.ok(chinese.lessons.length >= 4, `only ${chinese.lessons.length} Chinese lessons`);
    chinese.lessons.forEach((lesson, i) => {
      const original = english.lessons[i]!;
      assert.equal(lesson.meta.id, original.meta.id);
      assert.equal(chinese.manifest.lessons[i], english.manifest.lessons[i]);
      assert.equal(lesson.meta.role, original.meta.role);
      assert.deepEqual(lesson.server, original.server);
      assert.deepEqual(
        lesson.steps.map((step) => [step.action.kind, step.solution?.text ?? null]),
        original.steps.map((step) => [step.action.kind, step.solution?.text ?? null]),
        `${lesson.file}: the steps and their solutions should be the English lesson's`,
      );
    });
  });

  test('every lesson runs on both networks and introduces itself', () => {
    for (const lesson of everyLesson) {
      assert.deepEqual([...lesson.meta.networks].sort(), ['lab', 'sim'], lesson.file);
      assert.match(lesson.intro, /^# \S/, `${lesson.file}: a title heading first`);
      assert.ok(lesson.intro.length > 150, `${lesson.file}: the introduction says why the lesson matters`);
    }
  });

  test('every step the learner acts in checks the segment, says what must follow, and has 2-3 hints and a solution', () => {
    for (const lesson of everyLesson) {
      for (const step of lesson.steps) {
        if (step.action.kind !== 'send') continue;
        const where = `${lesson.file} step ${step.number} (line ${step.action.at.line})`;
        assert.ok(step.checks.length > 0, `${where}: no check`);
        assert.ok(step.expectations.length > 0, `${where}: nothing must follow`);
        assert.ok(step.hints.length >= 2 && step.hints.length <= 3, `${where}: ${step.hints.length} hints`);
        assert.notEqual(step.solution, null, `${where}: no solution`);
        assert.notEqual(step.action.template, null, `${where}: no template to start from`);
        for (const check of step.checks) assert.ok(check.fail.length >= 15, `${where}: the check ${check.matcher.text} explains too little`);
      }
    }
  });
});

/**
 * The mistakes every learner makes, each with the check that must stop it before it is
 * sent: a lesson, a step, the wrong segment, and the check that catches it.
 */
const CLASSIC_MISTAKES: Array<{ lesson: string; step: number; wrong: string; caughtBy: string }> = [
  // The SYN takes a sequence number: forgetting it on either side of the handshake.
  { lesson: '02-three-way-handshake.md', step: 2, wrong: 'tcp flags=A seq=1001 ack=$rx.seq', caughtBy: 'ack=$rx.seq+1' },
  { lesson: '02-three-way-handshake.md', step: 2, wrong: 'tcp flags=A seq=1000 ack=$rx.seq+1', caughtBy: 'seq=1001' },
  { lesson: '02-three-way-handshake.md', step: 2, wrong: 'tcp flags=SA seq=1001 ack=$rx.seq+1', caughtBy: 'flags=A' },
  // Data counts its length, not one.
  { lesson: '03-sending-data.md', step: 4, wrong: 'tcp flags=A seq=1006 ack=$rx.seq+1', caughtBy: 'ack=$rx.seq+$rx.len' },
  { lesson: '03-sending-data.md', step: 4, wrong: 'tcp flags=A seq=1002 ack=$rx.seq+$rx.len', caughtBy: 'seq=1006' },
  // The FIN takes a sequence number too.
  { lesson: '04-four-way-close.md', step: 4, wrong: 'tcp flags=A seq=1002 ack=$rx.seq', caughtBy: 'ack=$rx.seq+1' },
  { lesson: '04-four-way-close.md', step: 4, wrong: 'tcp flags=A seq=1001 ack=$rx.seq+1', caughtBy: 'seq=1002' },
  { lesson: '05-playing-the-server.md', step: 2, wrong: 'tcp flags=SA seq=5000 ack=$rx.seq', caughtBy: 'ack=$rx.seq+1' },
  { lesson: '06-server-closes-first.md', step: 4, wrong: 'tcp flags=A seq=1006 ack=$rx.seq+$rx.len', caughtBy: 'ack=$rx.seq+$rx.len+1' },
  // An RST must hit the expected number exactly.
  { lesson: '07-reset.md', step: 5, wrong: 'tcp flags=R seq=2011', caughtBy: 'seq=$rx.ack' },
  // Timestamps only go forward.
  { lesson: '10-options.md', step: 4, wrong: 'tcp flags=A seq=2001 ack=$rx.seq+1 opts=nop,nop,ts:99:$rx.tsval', caughtBy: 'opts=ts:$tx.tsval+1..$tx.tsval+100000:*' },
  // A length prefix counts the message's bytes.
  { lesson: '11-framing.md', step: 9, wrong: 'tcp flags=PA seq=5001 ack=$rx.seq+1 data="\\x00\\x06hello"', caughtBy: 'data="\\x00\\x05hello"' },
];

describe('the checks stop the classic mistakes before the segment leaves (sim)', () => {
  for (const mistake of CLASSIC_MISTAKES) {
    test(`${mistake.lesson} step ${mistake.step}: ${mistake.wrong} is caught by ${mistake.caughtBy}`, async () => {
      const lesson = english.lessons.find((candidate) => candidate.file.endsWith(mistake.lesson));
      assert.ok(lesson !== undefined, mistake.lesson);
      const network = createSimNetwork({ seed: SOLUTION_SEED });
      const run = await LessonRun.open(lesson, network);
      try {
        for (let i = 0; i < mistake.step - 1; i++) {
          if (lesson.steps[i]!.action.kind === 'send') assert.ok((await run.playSolution()).passed, `step ${i + 1}'s solution`);
          assert.ok(await run.next());
        }
        const verdict = await run.submit(mistake.wrong);
        assert.equal(verdict.sent, false, 'the wrong segment was sent');
        const caught = verdict.feedback.find((feedback) => feedback.kind === 'check' && feedback.matcher === mistake.caughtBy);
        assert.ok(caught !== undefined, `no check ${mistake.caughtBy} failed: ${JSON.stringify(verdict.feedback.map((feedback) => (feedback.kind === 'check' ? feedback.matcher : feedback.kind)))}`);
        // And the step's solution still passes after the mistake: the learner can go on.
        assert.ok((await run.playSolution()).passed);
      } finally {
        await run.close();
        await network.close();
      }
    });
  }
});

describe('every lesson passes with its solutions on sim', () => {
  const runner = simSolutionRunner();
  for (const lesson of everyLesson) {
    test(lesson.file.slice(COURSE.length + 1), async () => {
      assert.deepEqual((await runner.run(lesson)).map(formatLessonError), []);
    });
  }
});

const noLab = await whyNoLab();

describe('every lesson passes with its solutions on the lab', { skip: noLab }, () => {
  let lab: ReturnType<typeof labSolutionRunner>;
  before(() => {
    lab = labSolutionRunner();
  });
  after(async () => {
    await lab.close();
  });
  for (const lesson of everyLesson) {
    test(lesson.file.slice(COURSE.length + 1), async () => {
      assert.deepEqual((await lab.runner.run(lesson)).map(formatLessonError), []);
    });
  }
});
