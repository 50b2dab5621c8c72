import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { formatLessonError, type LessonError } from '../../src/lesson/format/lesson-error.js';
import { loadPack } from '../../src/lesson/pack/load-pack.js';
import { validatePath, type SolutionRunner } from '../../src/lesson/pack/validate-path.js';
import { fixturePath } from '../support/run-cli.js';

const HANDSHAKE = readFileSync(fixturePath('lessons', 'handshake.md'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'tcplab-pack-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let packs = 0;
/** A pack folder with these files; paths in messages are relative to it. */
function makePack(files: Record<string, string>): string {
  const dir = join(scratch, `pack-${(packs += 1)}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const relativeTo = (dir: string) => (error: LessonError) => formatLessonError({ ...error, file: error.file.replace(`${dir}/`, '') });

async function packErrors(files: Record<string, string>): Promise<string[]> {
  const dir = makePack(files);
  const loaded = await loadPack(dir);
  assert.ok(!loaded.ok, 'the pack loaded');
  return loaded.errors.map(relativeTo(dir));
}

const manifest = (fields: Record<string, unknown>) => JSON.stringify({ name: 'p', version: '1.0.0', language: 'en', lessons: ['a.md'], ...fields }, null, 2);
const lesson = (id: string, language = 'en') => HANDSHAKE.replace('id: three-way-handshake', `id: ${id}`).replace('language: en', `language: ${language}`);

describe('loading a pack', () => {
  test('tcplab-pack.json: the manifest, and every lesson parsed, in its order', async () => {
    const loaded = await loadPack(fixturePath('lessons', 'packs', 'basics'));
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.map(formatLessonError).join('\n'));
    const { pack } = loaded;
    assert.deepEqual(pack.manifest, {
      name: 'tcp-basics',
      version: '1.0.0',
      language: 'en',
      title: 'TCP basics',
      description: 'Open connections by hand, from both ends.',
      author: { name: 'Ada Lovelace', email: 'ada@example.org' },
      lessons: ['lessons/01-handshake.md', 'lessons/02-be-the-server.md'],
    });
    assert.equal(pack.manifestFile, fixturePath('lessons', 'packs', 'basics', 'tcplab-pack.json'));
    assert.deepEqual(
      pack.lessons.map((item) => item.meta.id),
      ['three-way-handshake', 'be-the-server'],
    );
  });

  test('package.json: name, version, description and author are the package\'s own; "tcplab" holds the rest', async () => {
    const loaded = await loadPack(fixturePath('lessons', 'packs', 'npm-basics'));
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.map(formatLessonError).join('\n'));
    assert.deepEqual(loaded.pack.manifest, {
      name: '@school/tcp-basics',
      version: '2.1.0-beta.1',
      language: 'en',
      lessons: ['./lessons/01-handshake.md'],
      description: 'The handshake, as an npm package.',
      author: 'Ada Lovelace <ada@example.org>',
    });
    assert.equal(loaded.pack.lessons[0]?.meta.id, 'three-way-handshake');
  });
});

describe('pack mistakes, at their file, line and column', () => {
  test('a folder that is not a pack', async () => {
    const dir = makePack({ 'README.md': '# hi' });
    const loaded = await loadPack(dir);
    assert.deepEqual(!loaded.ok && loaded.errors.map(formatLessonError), [
      `${dir}: not a pack: no tcplab-pack.json, and no package.json with a "tcplab" key (tcplab pack new NAME makes a pack)`,
    ]);
    assert.deepEqual(await packErrors({ 'package.json': '{"name": "x", "version": "1.0.0"}' }), [
      'package.json: not a pack: package.json has no "tcplab" key, and there is no tcplab-pack.json',
    ]);
  });

  test('JSON that does not parse', async () => {
    assert.deepEqual(await packErrors({ 'tcplab-pack.json': '{\n  "name": "p",\n  "lessons": ["a.md",]\n}' }), [
      "tcplab-pack.json:3:22: not valid JSON: expected a value, got ']'; JSON allows no comma before ']'",
    ]);
  });

  test('fields that are unknown, missing, or not what npm and BCP 47 allow', async () => {
    const text = '{\n  "name": "My Pack",\n  "version": "1.0",\n  "language": "en_US",\n  "lesons": [],\n  "lessons": ["../a.md", "a.md", "./a.md"]\n}';
    assert.deepEqual(await packErrors({ 'tcplab-pack.json': text }), [
      "tcplab-pack.json:2:11: 'name' must be an npm package name: lowercase letters, digits, - . _ ~, optionally @scope/, got 'My Pack'",
      "tcplab-pack.json:3:14: 'version' must be a version such as 1.0.0 (Semantic Versioning), got '1.0'",
      "tcplab-pack.json:4:15: 'language' must be a language tag such as en or zh-CN, got 'en_US'",
      "tcplab-pack.json:5:3: unknown field 'lesons'; did you mean 'lessons'?",
      "tcplab-pack.json:6:15: 'lessons[0]' must be a path inside the pack to a .md file, written with /, e.g. lessons/01-handshake.md, got '../a.md'",
      "tcplab-pack.json:6:34: 'lessons[2]': './a.md' is already listed as lesson 2",
    ]);
    assert.deepEqual(await packErrors({ 'tcplab-pack.json': '{"name": "p", "version": "1.0.0", "lessons": []}' }), [
      "tcplab-pack.json:1:1: missing field 'language'",
      "tcplab-pack.json:1:46: 'lessons': list at least one lesson",
    ]);
  });

  test('package.json: a wrong field in "tcplab", and pack fields that belong to the package itself', async () => {
    const text = JSON.stringify({ name: 'p', version: '1.0.0', tcplab: { name: 'q', language: 'en', lessons: ['a.md'] } }, null, 2);
    assert.deepEqual(await packErrors({ 'package.json': text, 'a.md': lesson('a') }), [
      "package.json:5:5: unknown field 'name' in 'tcplab'; the fields are language title lessons",
    ]);
  });

  test('both tcplab-pack.json and a "tcplab" key in package.json', async () => {
    const pkg = JSON.stringify({ name: 'p', version: '1.0.0', tcplab: { language: 'en', lessons: ['a.md'] } }, null, 2);
    assert.deepEqual(await packErrors({ 'tcplab-pack.json': manifest({}), 'package.json': pkg, 'a.md': lesson('a') }), [
      'package.json:4:3: this folder also has tcplab-pack.json: keep the manifest in one place',
    ]);
  });

  test('a listed lesson that is not there, at its place in the manifest', async () => {
    assert.deepEqual(await packErrors({ 'tcplab-pack.json': manifest({ lessons: ['a.md', 'lessons/b.md'] }), 'a.md': lesson('a') }), [
      'tcplab-pack.json:7:5: no such lesson file: lessons/b.md',
    ]);
  });

  test("a lesson in another language than its pack, and two lessons with one id", async () => {
    const dir = makePack({ 'tcplab-pack.json': manifest({ lessons: ['a.md', 'b.md', 'c.md'] }), 'a.md': lesson('same'), 'b.md': lesson('other', 'zh-CN'), 'c.md': lesson('same') });
    const loaded = await loadPack(dir);
    assert.deepEqual(!loaded.ok && loaded.errors.map(relativeTo(dir)), [
      `b.md:5:11: this lesson is in 'zh-CN' but its pack is in 'en' (${dir}/tcplab-pack.json:4:15)`,
      `c.md:2:5: the id 'same' is already used by ${dir}/a.md; every lesson in a pack needs its own`,
    ]);
  });

  test("every lesson's own errors, each with its file", async () => {
    const broken = lesson('b').replace('tcp flags=S seq=1000\n```\n\n```tcplab check', 'tcp flags=S seq=1000\n```\n\n```tcplab chek');
    assert.deepEqual(await packErrors({ 'tcplab-pack.json': manifest({ lessons: ['a.md', 'b.md'] }), 'a.md': lesson('a').replace('title: The', 'titel: The'), 'b.md': broken }), [
      "a.md:1:1: missing field 'title'",
      "a.md:3:1: unknown field 'titel'; did you mean 'title'?",
      "b.md:24:11: unknown cell 'tcplab chek'; did you mean 'check'?",
    ]);
  });
});

describe('validating a path', () => {
  test('a lesson file, a pack folder, or a pack by its manifest file', async () => {
    const file = await validatePath(fixturePath('lessons', 'handshake.md'));
    assert.equal(file.kind, 'lesson');
    assert.equal(file.lessons.length, 1);
    assert.deepEqual(file.errors, []);
    for (const path of [fixturePath('lessons', 'packs', 'basics'), fixturePath('lessons', 'packs', 'basics', 'tcplab-pack.json')]) {
      const report = await validatePath(path);
      assert.equal(report.kind, 'pack');
      assert.equal(report.pack?.manifest.name, 'tcp-basics');
      assert.deepEqual(report.errors, []);
    }
  });

  test('a path that is not there', async () => {
    const report = await validatePath(join(scratch, 'nowhere'));
    assert.deepEqual(report.errors.map(formatLessonError), [`${join(scratch, 'nowhere')}: no such file`]);
  });

  test("solution runners run each lesson on the networks it lists, and their errors join the report, sorted", async () => {
    const calls: string[] = [];
    const runner = (network: 'lab' | 'sim'): SolutionRunner => ({
      network,
      async run(item) {
        calls.push(`${network} ${item.meta.id}`);
        const step = item.steps[0]!;
        return network === 'sim' && step.action.kind === 'send' ? [{ file: item.file, ...step.action.at, message: `on sim: the solution of step ${step.number} got no reply` }] : [];
      },
    });
    const report = await validatePath(fixturePath('lessons', 'packs', 'basics'), { runners: [runner('lab'), runner('sim')] });
    assert.deepEqual(calls, ['lab three-way-handshake', 'sim three-way-handshake', 'sim be-the-server']);
    assert.deepEqual(
      report.solutionRuns.map((run) => [run.file.split('/').pop(), run.network]),
      [
        ['01-handshake.md', 'lab'],
        ['01-handshake.md', 'sim'],
        ['02-be-the-server.md', 'sim'],
      ],
    );
    assert.deepEqual(report.errors.map((error) => `${error.file.split('/').pop()}:${error.line}: ${error.message}`), [
      '01-handshake.md:20: on sim: the solution of step 1 got no reply',
    ]);
  });
});
