// The packs a learner added: where the list is kept, what adding twice and removing do, that
// two processes adding at once both land, and what a damaged list becomes.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { AddedPacks, AddedPacksError, configDir } from '../../../src/lesson/pack/added-packs.js';

const scratch = mkdtempSync(join(tmpdir(), 'tcplab-added-packs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let folders = 0;
const fresh = () => {
  const dir = join(scratch, `case-${folders++}`);
  mkdirSync(dir);
  return dir;
};

describe('where the list of added packs is kept', () => {
  test('$XDG_CONFIG_HOME/tcplab, or ~/.config/tcplab; a relative XDG_CONFIG_HOME is ignored', () => {
    assert.equal(configDir({ XDG_CONFIG_HOME: '/srv/config' }, '/home/ada'), '/srv/config/tcplab');
    assert.equal(configDir({}, '/home/ada'), '/home/ada/.config/tcplab');
    assert.equal(configDir({ XDG_CONFIG_HOME: 'config' }, '/home/ada'), '/home/ada/.config/tcplab');
    assert.equal(new AddedPacks({ env: { XDG_CONFIG_HOME: '/srv/config' } }).path, '/srv/config/tcplab/packs.json');
  });
});

describe('adding and removing', () => {
  test('packs are kept in the order added, with their absolute folder, name and when', async () => {
    const home = fresh();
    const list = new AddedPacks({ home });
    assert.deepEqual(await list.list(), []);
    const first = await list.add(join(home, 'one'), 'one');
    await list.add(join(home, 'two'), 'two');
    assert.equal(first.added, true);
    const saved = JSON.parse(readFileSync(join(home, '.config', 'tcplab', 'packs.json'), 'utf8'));
    assert.equal(saved.version, 1);
    assert.deepEqual(saved.packs.map((pack: { dir: string; name: string }) => [pack.dir, pack.name]), [[join(home, 'one'), 'one'], [join(home, 'two'), 'two']]);
    assert.ok(!Number.isNaN(Date.parse(saved.packs[0].addedAt)));
    assert.deepEqual(await list.list(), saved.packs);
  });

  test('the same folder again, by another path, keeps its place and its date; its name is brought up to date', async () => {
    const home = fresh();
    const pack = join(home, 'pack');
    mkdirSync(pack);
    symlinkSync(pack, join(home, 'link'));
    const list = new AddedPacks({ home });
    const first = await list.add(pack, 'old-name');
    await list.add(join(home, 'other'), 'other');
    const again = await list.add(join(home, 'link'), 'new-name');
    assert.equal(again.added, false);
    assert.deepEqual(again.pack, { ...first.pack, name: 'new-name' });
    assert.deepEqual((await list.list()).map((entry) => entry.name), ['new-name', 'other']);
  });

  test('remove forgets the packs picked and keeps the others; removing nothing writes nothing', async () => {
    const home = fresh();
    const list = new AddedPacks({ home });
    assert.deepEqual(await list.remove(() => true), []);
    assert.equal(existsSync(list.path), false, 'no list written for a remove that did nothing');
    for (const name of ['a', 'b', 'c']) await list.add(join(home, name), name);
    const removed = await list.remove((pack) => pack.name === 'b');
    assert.deepEqual(removed.map((pack) => pack.name), ['b']);
    assert.deepEqual((await list.list()).map((pack) => pack.name), ['a', 'c']);
  });

  test('many adds at once all land: each change is made under the lock to the list as it is', async () => {
    const home = fresh();
    const names = Array.from({ length: 12 }, (_, i) => `pack-${i}`);
    await Promise.all(names.map((name) => new AddedPacks({ home }).add(join(home, name), name)));
    assert.deepEqual((await new AddedPacks({ home }).list()).map((pack) => pack.name).sort(), names.sort());
    assert.deepEqual(readdirSync(join(home, '.config', 'tcplab')), ['packs.json']);
  });
});

describe('a damaged list', () => {
  for (const [what, text, reason] of [
    ['not JSON', '{"version": 1, "packs": [', /not JSON: /],
    ['a relative folder', '{"version":1,"packs":[{"dir":"packs/one","name":"one","addedAt":"2025-01-01T00:00:00Z"}]}', /not a list of tcplab packs at packs\.0\.dir: must be an absolute path/],
    ['an unknown version', '{"version":9,"packs":[]}', /not a list of tcplab packs at version: /],
  ] as const) {
    test(`${what}: set aside with a warning naming both files, and the list starts empty`, async () => {
      const home = fresh();
      const warnings: string[] = [];
      const list = new AddedPacks({ home, onWarning: (message) => warnings.push(message) });
      mkdirSync(join(home, '.config', 'tcplab'), { recursive: true });
      writeFileSync(list.path, text);
      assert.deepEqual(await list.list(), []);
      assert.equal(warnings.length, 1);
      const aside = readdirSync(join(home, '.config', 'tcplab')).filter((name) => name.startsWith('packs.json.corrupt-'));
      assert.equal(aside.length, 1);
      assert.equal(readFileSync(join(home, '.config', 'tcplab', aside[0]!), 'utf8'), text);
      assert.match(warnings[0]!, reason);
      assert.ok(warnings[0]!.startsWith(`the list of added packs in ${list.path} could not be read (`), warnings[0]);
      assert.ok(warnings[0]!.endsWith(`it is kept as ${join(home, '.config', 'tcplab', aside[0]!)}, and the list starts empty: add your packs again with tcplab pack add`), warnings[0]);
      await list.add(join(home, 'again'), 'again');
      assert.deepEqual((await list.list()).map((pack) => pack.name), ['again']);
    });
  }

  test('a list that cannot be saved is one error naming the folder, not a crash', async () => {
    const home = fresh();
    writeFileSync(join(home, '.config'), 'a file where the folder should be');
    const list = new AddedPacks({ home });
    await assert.rejects(list.add(join(home, 'pack'), 'pack'), (error: Error) => {
      assert.ok(error instanceof AddedPacksError);
      assert.match(error.message, new RegExp(`^the list of added packs cannot be saved in ${join(home, '.config', 'tcplab')}: `));
      return true;
    });
  });
});
