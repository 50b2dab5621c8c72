// The catalog: every pack a learner has, in the order the lesson browser shows them; the
// learner's language first among the bundled ones; each folder once; a pack that cannot be
// opened still listed with what is wrong; a second pack of one name refused at its name.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { formatLessonError } from '../../../src/lesson/format/lesson-error.js';
import { AddedPacks } from '../../../src/lesson/pack/added-packs.js';
import { loadCatalog, type CatalogEntry } from '../../../src/lesson/pack/catalog.js';
import { languageRank, userLanguage } from '../../../src/lesson/pack/locale.js';
import { scaffoldPack } from '../../../src/lesson/pack/scaffold.js';

const scratch = mkdtempSync(join(tmpdir(), 'tcplab-catalog-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A bundled folder as tcplab ships one: an English pack at the top, others in subfolders. */
const bundled = join(scratch, 'bundled');
await scaffoldPack({ name: 'course', dir: bundled, language: 'en' });
await scaffoldPack({ name: 'course-fr', dir: join(bundled, 'fr'), language: 'fr' });
await scaffoldPack({ name: 'course-zh-cn', dir: join(bundled, 'zh-CN'), language: 'zh-CN' });
const mine = join(scratch, 'mine');
await scaffoldPack({ name: 'mine', dir: mine });
const theirs = join(scratch, 'theirs');
await scaffoldPack({ name: 'theirs', dir: theirs, language: 'zh-TW' });

let homes = 0;
async function homeWith(...added: [string, string][]): Promise<string> {
  const home = join(scratch, `home-${homes++}`);
  for (const [dir, name] of added) await new AddedPacks({ home }).add(dir, name);
  return home;
}

const summary = (entries: CatalogEntry[]) => entries.map((entry) => `${entry.origin} ${entry.name ?? `(${entry.title})`}`);

describe('the order of the catalog', () => {
  test('--pack folders first, then the bundled packs (English first by default), then the added ones in the order added', async () => {
    const home = await homeWith([theirs, 'theirs'], [mine, 'mine']);
    const entries = await loadCatalog({ home, env: {}, bundledRoot: bundled, flagDirs: [relative(process.cwd(), join(scratch, 'flagged'))] });
    assert.deepEqual(summary(entries), ['flag (flagged)', 'bundled course', 'bundled course-fr', 'bundled course-zh-cn', 'added theirs', 'added mine']);
    assert.equal(entries[0]!.dir, join(scratch, 'flagged'), 'a relative --pack folder is made absolute');
    assert.ok(entries.slice(1).every((entry) => entry.load.ok));
  });

  for (const [variables, first] of [
    [{ LANG: 'zh_CN.UTF-8' }, 'course-zh-cn'],
    [{ LANG: 'fr_FR.UTF-8' }, 'course-fr'],
    [{ LANG: 'en_GB.UTF-8', LC_MESSAGES: 'fr_CA.UTF-8' }, 'course-fr'],
    [{ LANG: 'fr_FR.UTF-8', LC_MESSAGES: 'fr_FR.UTF-8', LC_ALL: 'zh_TW.UTF-8' }, 'course-zh-cn'],
    [{ LANG: 'de_DE.UTF-8' }, 'course'],
    [{ LANG: 'C.UTF-8' }, 'course'],
  ] as const) {
    test(`with ${JSON.stringify(variables)} the bundled ${first} comes first, the others keep their order`, async () => {
      const entries = await loadCatalog({ home: await homeWith(), env: variables, bundledRoot: bundled });
      const names = entries.map((entry) => entry.name);
      assert.equal(names[0], first);
      assert.deepEqual(names.filter((name) => name !== first), ['course', 'course-fr', 'course-zh-cn'].filter((name) => name !== first));
    });
  }

  test('the locale read as a language tag, and how well a pack suits it', () => {
    assert.equal(userLanguage({ LANG: 'zh_CN.UTF-8' }), 'zh-CN');
    assert.equal(userLanguage({ LANG: 'sr_RS@latin' }), 'sr-RS');
    assert.equal(userLanguage({ LANG: 'en_US.UTF-8', LC_ALL: '' }), 'en-US');
    assert.equal(userLanguage({ LANG: 'POSIX' }), null);
    assert.equal(userLanguage({}), null);
    assert.deepEqual(['zh-CN', 'zh-TW', 'en', 'fr', null].map((tag) => languageRank(tag, 'zh-CN')), [0, 1, 2, 3, 3]);
  });
});

describe('each folder once', () => {
  test('a folder given as --pack, bundled and added, by other paths, is listed once, where it first comes', async () => {
    symlinkSync(mine, join(scratch, 'mine-link'));
    const home = await homeWith([join(bundled, 'fr'), 'course-fr'], [join(scratch, 'mine-link'), 'mine'], [theirs, 'theirs']);
    const entries = await loadCatalog({ home, env: {}, bundledRoot: bundled, flagDirs: [mine, join(bundled, 'fr', '.')] });
    assert.deepEqual(summary(entries), ['flag mine', 'flag course-fr', 'bundled course', 'bundled course-zh-cn', 'added theirs']);
  });
});

describe('packs that cannot be opened are listed with what is wrong', () => {
  test('a folder that is gone, a folder that is no pack, and a pack with a broken lesson', async () => {
    const gone = join(scratch, 'gone');
    const notPack = join(scratch, 'not-a-pack');
    mkdirSync(notPack);
    const broken = join(scratch, 'broken');
    await scaffoldPack({ name: 'broken', dir: broken });
    writeFileSync(join(broken, 'lessons', '01-three-way-handshake.md'), '---\nid: 7\n---\n# nothing\n');
    const home = await homeWith([gone, 'gone-pack'], [notPack, 'was-a-pack'], [broken, 'broken']);
    const entries = await loadCatalog({ home, env: {}, bundledRoot: join(scratch, 'no-bundled-packs'), flagDirs: [join(scratch, 'typo')] });
    assert.deepEqual(
      entries.map((entry) => [entry.origin, entry.title, entry.name, entry.language, entry.load.ok ? 'ok' : formatLessonError(entry.load.errors[0]!)]),
      [
        ['flag', 'typo', null, null, `${join(scratch, 'typo')}: there is no such folder`],
        ['added', 'gone-pack', null, null, `${gone}: the folder is gone; tcplab pack remove ${gone} forgets it`],
        ['added', 'was-a-pack', null, null, `${notPack}: not a pack: no tcplab-pack.json, and no package.json with a "tcplab" key (tcplab pack new NAME makes a pack)`],
        ['added', 'broken', 'broken', 'en', `${join(broken, 'lessons', '01-three-way-handshake.md')}:1:1: missing field 'title'`],
      ],
    );
  });

  test('a second pack of a name already listed gets a mistake at its name, saying whose it is', async () => {
    const twin = join(scratch, 'twin');
    await scaffoldPack({ name: 'course-fr', dir: twin, language: 'fr' });
    const entries = await loadCatalog({ home: await homeWith([twin, 'course-fr']), env: {}, bundledRoot: bundled });
    const last = entries.at(-1)!;
    assert.equal(last.dir, twin);
    assert.equal(last.name, 'course-fr');
    assert.ok(!last.load.ok);
    assert.deepEqual(last.load.errors.map(formatLessonError), [
      `${join(twin, 'package.json')}:2:11: the name 'course-fr' is already used by ${join(bundled, 'fr')}; progress is kept by pack name, so this pack needs a name of its own`,
    ]);
    assert.equal(last.load.lessons.length, 1, 'its lessons are still there to show');
    assert.ok(entries.find((entry) => entry.dir === join(bundled, 'fr'))!.load.ok, 'the first of the name is untouched');
  });
});

describe('the real bundled course', () => {
  test('by default the catalog lists lessons/ and lessons/zh-CN from tcplab itself, Chinese first for a Chinese locale', async () => {
    const entries = await loadCatalog({ home: await homeWith(), env: { LANG: 'zh_CN.UTF-8' } });
    assert.deepEqual(entries.map((entry) => [entry.origin, entry.name, entry.title, entry.load.ok && entry.load.pack.lessons.length]), [
      ['bundled', 'tcplab-course-zh-cn', '亲手写 TCP', 4],
      ['bundled', 'tcplab-course', 'TCP by hand', 11],
    ]);
  });
});
