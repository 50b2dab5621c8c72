import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { formatLessonError } from '../../src/lesson/format/lesson-error.js';
import { scaffoldPack, ScaffoldError } from '../../src/lesson/pack/scaffold.js';
import { validatePath } from '../../src/lesson/pack/validate-path.js';

const scratch = mkdtempSync(join(tmpdir(), 'tcplab-scaffold-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('pack new', () => {
  for (const language of ['en', 'zh-CN']) {
    test(`a ${language} pack validates as written, its example lesson in its language`, async () => {
      const dir = join(scratch, `pack-${language}`);
      const made = await scaffoldPack({ name: `tcp-basics-${language.toLowerCase()}`, dir, language, author: 'Ada <ada@example.org>' });
      assert.deepEqual(made, { dir, files: ['package.json', 'README.md', 'lessons/01-three-way-handshake.md'], translated: true });
      const report = await validatePath(dir);
      assert.deepEqual(report.errors.map(formatLessonError), []);
      assert.equal(report.kind, 'pack');
      const lesson = report.lessons[0];
      assert.equal(lesson?.meta.language, language);
      assert.deepEqual(
        lesson?.steps.map((step) => [step.checks.length > 0, step.expectations.length > 0, step.hints.length > 0, step.solution !== null]),
        [
          [true, true, true, true],
          [true, true, true, true],
          [true, true, true, true],
        ],
      );
      assert.equal(/[\u4e00-\u9fff]/.test(lesson?.meta.title ?? ''), language === 'zh-CN');
    });
  }

  test('package.json is ready for npm: name, version, files, and the manifest under "tcplab"', async () => {
    const dir = join(scratch, 'npm');
    await scaffoldPack({ name: '@school/tcp', dir });
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    assert.equal(pkg.name, '@school/tcp');
    assert.equal(pkg.version, '0.1.0');
    assert.deepEqual(pkg.files, ['lessons/', 'README.md']);
    assert.ok(pkg.keywords.includes('tcplab-pack'));
    assert.deepEqual(pkg.tcplab, { language: 'en', lessons: ['lessons/01-three-way-handshake.md'] });
    assert.equal(pkg.author, undefined);
  });

  test('the folder defaults to the last part of the name, in the current folder', async () => {
    const cwd = process.cwd();
    process.chdir(scratch);
    try {
      const made = await scaffoldPack({ name: '@school/defaults' });
      assert.equal(made.dir, 'defaults');
      assert.deepEqual((await validatePath(join(scratch, 'defaults'))).errors, []);
    } finally {
      process.chdir(cwd);
    }
  });

  test('a language with no translation gets the English example, marked as needing one', async () => {
    const dir = join(scratch, 'fr');
    const made = await scaffoldPack({ name: 'tcp-fr', dir, language: 'fr' });
    assert.equal(made.translated, false);
    const report = await validatePath(dir);
    assert.deepEqual(report.errors, []);
    assert.equal(report.lessons[0]?.meta.title, 'The three-way handshake');
  });

  test('refuses a folder with something in it, a name npm would refuse, and a language that is no tag', async () => {
    const full = join(scratch, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'notes.txt'), 'mine');
    await assert.rejects(scaffoldPack({ name: 'p', dir: full }), new ScaffoldError(`${full} already exists and is not empty; nothing was written`));
    assert.equal(readFileSync(join(full, 'notes.txt'), 'utf8'), 'mine');
    await assert.rejects(scaffoldPack({ name: 'My Pack', dir: join(scratch, 'x') }), /'My Pack' is not an npm package name/);
    await assert.rejects(scaffoldPack({ name: 'p', dir: join(scratch, 'y'), language: 'zh-cn' }), new ScaffoldError("'zh-cn' is not a language tag such as en or zh-CN; write it as 'zh-CN'"));
    const file = join(scratch, 'a-file');
    writeFileSync(file, '');
    await assert.rejects(scaffoldPack({ name: 'p', dir: file }), new ScaffoldError(`${file} exists and is not a folder`));
  });
});

test('a folder under a file is one line, not a crash', async () => {
  const file = join(scratch, 'plain-file');
  writeFileSync(file, '');
  await assert.rejects(scaffoldPack({ name: 'p', dir: join(file, 'p') }), new ScaffoldError(`cannot write ${join(file, 'p', 'package.json')}: a part of the path is not a folder`));
});

test('a folder that cannot be written to is one line, not a crash', { skip: process.getuid?.() === 0 ? 'root writes anywhere' : false }, async () => {
  const { chmodSync } = await import('node:fs');
  const locked = join(scratch, 'locked');
  mkdirSync(locked);
  chmodSync(locked, 0o500);
  try {
    await assert.rejects(scaffoldPack({ name: 'p', dir: join(locked, 'p') }), (error: unknown) => error instanceof ScaffoldError && /^cannot write .*: permission denied$/.test(error.message));
  } finally {
    chmodSync(locked, 0o700);
  }
});
