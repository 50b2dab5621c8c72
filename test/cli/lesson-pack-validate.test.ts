// `tcplab pack validate` plays every lesson's solutions: on sim always, on the lab where it
// can run (never skipped in CI), or on the one network --net names. A solution that does not
// pass is a mistake at the line that did not hold.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { exampleLesson } from '../../src/lesson/pack/example-lesson.js';
import { lessonSolutionRunners } from '../../src/lesson/runner/solution-runner.js';
import { validatePath } from '../../src/lesson/pack/validate-path.js';
import { labAvailability } from '../../src/net/lab/lab-network.js';
import { fixturePath, runCli } from '../support/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'tcplab-pack-solutions-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const availability = await labAvailability();
if (!availability.ok && process.env.CI) throw new Error(`the lab cannot run here: ${availability.reason}; lab tests are never skipped in CI`);
const playedOn = availability.ok ? 'sim and the lab' : 'sim';

function lessonFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe('tcplab pack validate plays the solutions', () => {
  test('the fixtures\' solutions pass on every network their lessons list', () => {
    const { status, stdout, stderr } = runCli(['pack', 'validate', fixturePath('lessons', 'handshake.md'), fixturePath('lessons', 'packs', 'basics'), fixturePath('lessons', 'be-the-server.md')]);
    assert.equal(status, 0, stderr);
    assert.equal(stdout.split('\n')[0], `4 lessons in tcp-basics: no mistakes; every solution passes on ${playedOn}`);
    if (!availability.ok) assert.match(stdout, /\nsolutions were not played on the lab: it cannot run here: /);
  });

  test('--net sim plays them on sim only; --json says where each lesson ran', () => {
    const { status, stdout } = runCli(['pack', 'validate', '--net', 'sim', '--json', fixturePath('lessons', 'packs', 'basics')]);
    assert.equal(status, 0);
    const report = JSON.parse(stdout);
    assert.equal(report.ok, true);
    assert.deepEqual(report.solutionRuns.map((run: { file: string; network: string }) => [run.file.split('/').pop(), run.network]), [
      ['01-handshake.md', 'sim'],
      ['02-be-the-server.md', 'sim'],
    ]);
    const text = runCli(['pack', 'validate', '--net', 'sim', fixturePath('lessons', 'handshake.md')]);
    assert.equal(text.stdout, '1 lesson: no mistakes; every solution passes on sim\n');
  });

  test('a solution that does not pass: exit 1, at the line that did not hold, naming the step and the network', () => {
    // The ACK's solution forgets the +1 on the server's ISN; the echo is expected wrong.
    const text = exampleLesson('en').replace('tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1\n```', 'tcp flags=A seq=$tx.seq+1 ack=$rx.seq\n```');
    const broken = lessonFile('broken-solution.md', text);
    const { status, stdout, stderr } = runCli(['pack', 'validate', broken]);
    assert.equal(status, 1);
    assert.equal(stdout, '');
    const lines = stderr.trimEnd().split('\n');
    assert.match(lines[0]!, new RegExp(`^${broken.replace(/[.]/g, '\\.')}:62:1: on sim \\(seed 1\\), step 2's solution \\(line 81\\) does not pass: the check ack=\\$rx\\.seq\\+1 does not hold \\(ack is \\d+ \\(0x[0-9a-f]+\\), not \\d+ \\(0x[0-9a-f]+\\)\\)$`));
    if (availability.ok) assert.match(lines[1]!, /:62:1: on the lab, step 2's solution \(line 81\) does not pass: the check ack=\$rx\.seq\+1 does not hold/);
    assert.equal(lines.at(-1), `${availability.ok ? 2 : 1} ${availability.ok ? 'mistakes' : 'mistake'} in 1 file`);
  });

  test('an expectation the kernel does not meet is reported with what came instead', async () => {
    const text = exampleLesson('en').replace('recv flags=PA data="hello"', 'recv flags=PA data="HELLO"');
    const lesson = lessonFile('wrong-echo.md', text);
    const set = await lessonSolutionRunners('sim');
    try {
      const report = await validatePath(lesson, { runners: set.runners });
      assert.deepEqual(report.solutionRuns.map((run) => run.network), ['sim']);
      assert.equal(report.errors.length, 1);
      const error = report.errors[0]!;
      assert.deepEqual([error.line, error.column], [103, 1]);
      assert.match(
        error.message,
        /^on sim \(seed 1\), step 3's solution \(line 112\) does not pass: recv flags=PA data="HELLO": nothing from the peer matched flags=PA data="HELLO" within 1 s; the closest was #\d+ \(data is "hello" \(5 bytes\), not "HELLO" \(5 bytes\): 127\.0\.0\.1\.7 > 127\.0\.0\.1\.40000: Flags \[P\.\], seq \d+:\d+, ack 1006, /,
      );
    } finally {
      await set.close();
    }
  });

  test('--net takes sim or lab', () => {
    const { status, stderr } = runCli(['pack', 'validate', '--net', 'wifi', fixturePath('lessons', 'handshake.md')]);
    assert.equal(status, 2);
    assert.match(stderr, /^tcplab pack: --net is sim or lab, not 'wifi'\n/);
  });
});
