// Answers files: what they hold, every mistake at its place, and docs/lesson-answers.md held
// to what tcplab does with them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatLessonError } from '../../src/lesson/format/lesson-error.js';
import { parseLesson } from '../../src/lesson/format/parse-lesson.js';
import type { Lesson } from '../../src/lesson/format/schema.js';
import { scanMarkdown } from '../../src/lesson/format/markdown-cells.js';
import { exampleLesson } from '../../src/lesson/pack/example-lesson.js';
import { parseAnswers, type StepAnswers } from '../../src/lesson/runner/answers.js';
import { gradeLesson, type GradeEvent } from '../../src/lesson/runner/grade.js';
import { renderVerdictText } from '../../src/lesson/runner/render-verdict.js';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { fixturePath } from '../support/run-cli.js';
import { projectRoot } from '../support/project-root.js';

function lessonAt(text: string, file: string): Lesson {
  const parsed = parseLesson(text, file);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.map(formatLessonError).join('\n'));
  return parsed.lesson;
}

const example = lessonAt(exampleLesson('en'), 'example.md');
const beTheServer = lessonAt(readFileSync(fixturePath('lessons', 'be-the-server.md'), 'utf8'), 'be-the-server.md');

function answersOf(text: string, lesson = example): Map<number, StepAnswers> {
  const parsed = parseAnswers(text, 'alice.md', lesson);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.map(formatLessonError).join('\n'));
  return parsed.steps;
}

function mistakes(text: string, lesson = example): string[] {
  const parsed = parseAnswers(text, 'alice.md', lesson);
  assert.equal(parsed.ok, false);
  return parsed.ok ? [] : parsed.errors.map(formatLessonError);
}

describe('parseAnswers', () => {
  test('tries, hints and solution requests under step headings, each with its place', () => {
    const steps = answersOf('# Alice\n\n## step 1\ntcp flags=S seq=5000\n\n### Step 2: the ACK\nhint\n  send tcp flags=A seq=$tx.seq+1\nsolution\n```\ntcp flags=A\n```\n');
    assert.deepEqual([...steps.keys()], [1, 2]);
    assert.deepEqual(steps.get(1), { step: 1, at: { line: 3, column: 1 }, items: [{ kind: 'try', text: 'tcp flags=S seq=5000', at: { line: 4, column: 1 } }] });
    assert.deepEqual(steps.get(2)?.items, [
      { kind: 'hint', at: { line: 7, column: 1 } },
      { kind: 'try', text: 'send tcp flags=A seq=$tx.seq+1', at: { line: 8, column: 3 } },
      { kind: 'solution', at: { line: 9, column: 1 } },
      { kind: 'try', text: 'tcp flags=A', at: { line: 11, column: 1 } },
    ]);
  });

  test('a try that is not a valid segment is the learner\'s to get wrong, not a mistake in the file', () => {
    assert.deepEqual(answersOf('## step 1\ntcp flgs=S\n').get(1)?.items, [{ kind: 'try', text: 'tcp flgs=S', at: { line: 2, column: 1 } }]);
  });

  test('every mistake at its line and column', () => {
    assert.deepEqual(mistakes('tcp flags=S\n## step 9\ntcp flags=S\n## step one\n## step 1\ntpc flags=S\n## step 1\n'), [
      'alice.md:1:1: an answer belongs under a step heading: put a line such as ## step 1 above it',
      'alice.md:2:9: the lesson has no step 9: its steps are 1 to 3',
      "alice.md:4:9: expected a step number after 'step', got 'one'; e.g. ## step 2",
      "alice.md:6:1: expected a segment (tcp ...), hint or solution, got 'tpc flags=S'",
      'alice.md:7:9: step 1 already has its answers at line 5: put every try at a step under one heading',
    ]);
    assert.deepEqual(mistakes('## step 2\ntcp flags=SA\n## step 3\ntcp flags=A\n', beTheServer), [
      'alice.md:3:9: step 3 is played by the lesson itself (a run cell): it takes no answers',
    ]);
  });
});

describe('gradeLesson', () => {
  test('a step whose tries all fail is not passed, and its solution is played so the next steps are still judged', async () => {
    const network = createSimNetwork({ seed: 3 });
    const events: GradeEvent[] = [];
    try {
      const report = await gradeLesson(example, network, answersOf('## step 2\ntcp flags=A seq=$tx.seq+2 ack=$rx.seq+1\n## step 3\ntcp flags=PA seq=$tx.seq ack=$rx.seq+1 data="hello"\n'), {
        onEvent: (event) => events.push(event),
      });
      assert.equal(report.passed, false);
      assert.deepEqual(report.steps.map((step) => [step.step, step.outcome, step.tries]), [
        [1, 'failed', 0],
        [2, 'failed', 1],
        [3, 'passed', 1],
      ]);
      assert.deepEqual(
        events.map((event) => (event.kind === 'verdict' ? `${event.kind} ${event.verdict.step} ${event.verdict.by} ${event.verdict.passed}` : `${event.kind} ${event.step}`)),
        ['step 1', 'note 1', 'verdict 1 solution true', 'step 2', 'verdict 2 learner false', 'verdict 2 solution true', 'step 3', 'verdict 3 learner true'],
      );
    } finally {
      await network.close();
    }
  });

  test('the solution is shown once the failed tries reach solutionAfter; later tries after a pass are not used', async () => {
    const network = createSimNetwork({ seed: 4 });
    const events: GradeEvent[] = [];
    try {
      const wrong = 'tcp flags=SA seq=1\n'.repeat(3);
      const report = await gradeLesson(example, network, answersOf(`## step 1\nhint\nhint\nhint\n${wrong}tcp flags=S seq=1\ntcp flags=S seq=2\n`), { onEvent: (event) => events.push(event) });
      assert.equal(report.steps[0]?.outcome, 'passed');
      assert.equal(report.steps[0]?.tries, 4);
      const kinds = events.filter((event) => event.kind !== 'step').map((event) => (event.kind === 'verdict' ? `verdict ${event.verdict.attempt}` : event.kind === 'solution' ? `solution ${event.reason}` : event.kind === 'hint' ? `hint ${event.hint === null ? 'none' : 'shown'}` : event.kind));
      assert.deepEqual(kinds.slice(0, 10), ['hint shown', 'hint shown', 'hint none', 'verdict 1', 'verdict 2', 'verdict 3', 'solution offered', 'verdict 4', 'note', 'note']);
      const note = events.find((event) => event.kind === 'note' && event.step === 1);
      assert.deepEqual(note, { kind: 'note', step: 1, text: '1 later try was not needed', note: { kind: 'tries-unused', count: 1 } });
    } finally {
      await network.close();
    }
  });
});

describe('docs/lesson-answers.md', () => {
  const reference = readFileSync(join(projectRoot(), 'docs', 'lesson-answers.md'), 'utf8');
  const blocks = scanMarkdown(reference.split('\n')).blocks.flatMap((block) => (block.kind === 'fence' ? [{ info: block.fence.info, text: block.fence.body.map((line) => line.text).join('\n') }] : []));

  test("its example answers pass the example lesson that tcplab pack new writes", async () => {
    const answers = blocks.find((block) => block.info === 'markdown' && block.text.includes('## step 1'));
    assert.ok(answers);
    const network = createSimNetwork({ seed: 11 });
    try {
      const report = await gradeLesson(example, network, answersOf(answers.text));
      assert.equal(report.passed, true);
      assert.deepEqual(report.steps.map((step) => step.tries), [1, 2, 1]);
    } finally {
      await network.close();
    }
  });

  test('the mistakes it shows are the ones tcplab reports', () => {
    const shown = blocks.find((block) => block.text.startsWith('alice.md:'))!.text.split('\n');
    const file = ['# Alice', '', '## step 1', 'tcp flags=S seq=5000', '', '', '## step 9', '', '', '', '## step 2', 'tpc flags=S'].join('\n');
    assert.deepEqual(mistakes(file), shown);
  });

  test('the verdict it shows is the one tcplab prints, numbers aside', async () => {
    const shown = blocks.find((block) => block.text.startsWith('Step 2: ACK'))!.text.split('\n');
    const network = createSimNetwork({ seed: 3 });
    const printed: string[] = [];
    try {
      await gradeLesson(example, network, answersOf('## step 1\ntcp flags=S seq=5000\n## step 2\ntcp flags=A seq=$tx.seq+2 ack=$rx.seq+1\n'), {
        width: 76,
        onEvent: (event) => {
          if (event.kind === 'verdict' && event.verdict.step === 2 && event.verdict.by === 'learner') printed.push(...renderVerdictText(event.verdict, { file: 'lessons/01-three-way-handshake.md', source: 'alice.md:8:1' }).split('\n'));
        },
      });
    } finally {
      await network.close();
    }
    const numbersAside = (line: string) => line.replace(/\b\d{5,}\b/g, 'N').replace(/0x[0-9a-f]{5,}/g, '0xN');
    assert.deepEqual(printed.map(numbersAside), shown.slice(1, printed.length + 1).map(numbersAside));
  });
});
