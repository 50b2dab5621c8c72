import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import { UsageError, UserFacingError, type CliIo } from '../../src/cli/command.js';
import { makePackCommand, packCommand } from '../../src/cli/commands/pack.js';
import { fixturePath } from '../support/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'tcplab-pack-command-'));
/** Validation without playing solutions: the static checks alone (test/cli/lesson-pack-validate.test.ts plays them). */
const staticPack = makePackCommand();
after(() => rmSync(scratch, { recursive: true, force: true }));

async function run(args: string[], command = packCommand): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const io: CliIo = { stdout, stderr, stdin: new PassThrough() };
  const status = await command.action(args, io);
  return { status, stdout: out.join(''), stderr: err.join('') };
}

describe('tcplab pack schema', () => {
  test('prints the front-matter schema by default, and the manifest and parsed-lesson schemas by name', async () => {
    const lesson = await run(['schema']);
    assert.equal(lesson.status, 0);
    assert.equal(JSON.parse(lesson.stdout).title, 'tcplab lesson front-matter');
    assert.equal(JSON.parse((await run(['schema', 'pack'])).stdout).title, 'tcplab pack manifest');
    assert.equal(JSON.parse((await run(['schema', 'parsed'])).stdout).title, 'tcplab parsed lesson');
  });

  test('an unknown schema is a usage error with a suggestion', async () => {
    await assert.rejects(run(['schema', 'pak']), new UsageError("no schema 'pak'; did you mean 'pack'?"));
  });
});

describe('tcplab pack validate', () => {
  test('a clean lesson and a clean pack: exit 0, one line, and no pretence that solutions ran', async () => {
    const result = await run(['validate', fixturePath('lessons', 'handshake.md'), fixturePath('lessons', 'packs', 'basics')], staticPack);
    assert.deepEqual(result, { status: 0, stdout: '3 lessons in tcp-basics: no mistakes; solutions were not run (static checks only)\n', stderr: '' });
  });

  test('mistakes: exit 1, one file:line:column: message line each, then a count', async () => {
    const result = await run(['validate', fixturePath('lessons', 'broken', 'wrong-type.md'), fixturePath('lessons', 'broken', 'unknown-cell.md')]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 6);
    assert.equal(lines[0], `${fixturePath('lessons', 'broken', 'wrong-type.md')}:2:5: 'id' must be text, got the number 7; put it in quotes to make it text`);
    assert.equal(lines[4], `${fixturePath('lessons', 'broken', 'unknown-cell.md')}:12:11: unknown cell 'tcplab chek'; did you mean 'check'?`);
    assert.equal(lines[5], '5 mistakes in 2 files');
  });

  test('--json: ok, the errors with their places, and the lessons as parsed', async () => {
    const clean = await run(['validate', '--json', fixturePath('lessons', 'handshake.md')]);
    const report = JSON.parse(clean.stdout);
    assert.equal(clean.status, 0);
    assert.equal(report.ok, true);
    assert.equal(report.lessons[0].meta.id, 'three-way-handshake');
    const broken = await run(['validate', '--json', fixturePath('lessons', 'broken', 'missing-field.md')]);
    assert.equal(broken.status, 1);
    assert.deepEqual(JSON.parse(broken.stdout).errors, [{ file: fixturePath('lessons', 'broken', 'missing-field.md'), line: 1, column: 1, message: "missing field 'summary'" }]);
  });

  test('solution runners, when given, run and are reported', async () => {
    const command = makePackCommand({ solutionRunners: async () => [{ network: 'sim', run: async () => [] }] });
    const result = await run(['validate', fixturePath('lessons', 'handshake.md')], command);
    assert.deepEqual(result, { status: 0, stdout: '1 lesson: no mistakes; every solution passes on sim\n', stderr: '' });
  });

  test('no path is a usage error', async () => {
    await assert.rejects(run(['validate']), UsageError);
  });
});

describe('tcplab pack new', () => {
  test('makes a pack that the next command validates', async () => {
    const dir = join(scratch, 'made');
    const made = await run(['new', 'tcp-basics', '--dir', dir, '--language', 'zh-CN', '--author', 'Ada']);
    assert.equal(made.status, 0);
    assert.match(made.stdout, /^made the pack tcp-basics in .*made\/\n {2}package\.json\n {2}README\.md\n {2}lessons\/01-three-way-handshake\.md\nNext: edit the lesson, then tcplab pack validate .*made\n$/);
    const checked = await run(['validate', dir], staticPack);
    assert.equal(checked.stdout, '1 lesson in tcp-basics: no mistakes; solutions were not run (static checks only)\n');
  });

  test('says when the example lesson needs translating', async () => {
    const made = await run(['new', 'tcp-de', '--dir', join(scratch, 'de'), '--language', 'de']);
    assert.match(made.stdout, /The example lesson is in English: translate it into the pack's language\./);
  });

  test("refusals are one line: an occupied folder, a missing name, an unknown subcommand", async () => {
    await assert.rejects(run(['new', 'x', '--dir', fixturePath('lessons')]), new UserFacingError(`${fixturePath('lessons')} already exists and is not empty; nothing was written`));
    await assert.rejects(run(['new']), new UsageError('what is the pack called? e.g. tcplab pack new tcp-basics'));
    await assert.rejects(run(['valdate', '.']), new UsageError("unknown pack command 'valdate'; did you mean 'validate'?"));
    await assert.rejects(run([]), new UsageError('which one? add, list, remove, validate, new, schema'));
  });
});
