// `tcplab pack add|list|remove` through the compiled bin/tcplab, as a learner runs them, with
// their own config and state folders: a pack made with `tcplab pack new`, published as an npm
// tarball, installed with npm (locally and globally, offline) and added by its name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ProgressStore } from '../../src/lesson/progress/store.js';
import { projectRoot } from '../support/project-root.js';

const scratch = mkdtempSync(join(tmpdir(), 'tcplab-pack-catalog-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const config = join(scratch, 'config');
const state = join(scratch, 'state');
const learner = join(scratch, 'learner');
const npmPrefix = join(scratch, 'npm-global');
mkdirSync(learner);
writeFileSync(join(learner, 'package.json'), '{ "name": "learner", "version": "1.0.0", "private": true }\n');

const env: NodeJS.ProcessEnv = {
  ...process.env,
  XDG_CONFIG_HOME: config,
  XDG_STATE_HOME: state,
  LC_ALL: '',
  LC_MESSAGES: '',
  LANG: 'C.UTF-8',
  // npm's cache and global folder inside the test, so nothing outside it is read or changed.
  npm_config_cache: join(scratch, 'npm-cache'),
  npm_config_prefix: npmPrefix,
  npm_config_update_notifier: 'false',
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function tcplab(args: string[], cwd = scratch): Run {
  const result = spawnSync(process.execPath, [join(projectRoot(), 'bin', 'tcplab'), ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function npm(args: string[], cwd: string): string {
  const result = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, `npm ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** A pack made by `tcplab pack new`, published as a tarball by `npm pack`. */
function publishedPack(name: string, dir: string): string {
  assert.equal(tcplab(['pack', 'new', name, '--dir', dir]).status, 0);
  const tarball = npm(['pack', '--pack-destination', scratch], join(scratch, dir)).trim().split('\n').at(-1)!;
  return join(scratch, tarball);
}

const bundledEn = join(projectRoot(), 'lessons');
const bundledZh = join(projectRoot(), 'lessons', 'zh-CN');
const BUNDLED_LIST = [
  'bundled  TCP by hand (tcplab-course, en)',
  '         11 lessons, 0/11 passed',
  `         ${bundledEn}`,
  'bundled  亲手写 TCP (tcplab-course-zh-cn, zh-CN)',
  '         4 lessons, 0/4 passed',
  `         ${bundledZh}`,
];

describe('tcplab pack add, list and remove', () => {
  test('before anything is added, list shows the bundled course', () => {
    const run = tcplab(['pack', 'list']);
    assert.deepEqual(run, { status: 0, stdout: `${BUNDLED_LIST.join('\n')}\n`, stderr: '' });
  });

  test('a pack published to npm and installed into a project is added by its name from that project', async () => {
    const tarball = publishedPack('@school/tcp-basics', 'school-pack');
    npm(['install', '--offline', '--no-audit', '--no-fund', tarball], learner);
    const installed = join(learner, 'node_modules', '@school', 'tcp-basics');

    const added = tcplab(['pack', 'add', '@school/tcp-basics'], join(learner, 'node_modules'));
    assert.deepEqual(added, { status: 0, stdout: `added @school/tcp-basics (1 lesson) from ${installed}; tcplab now shows it\n`, stderr: '' });
    const again = tcplab(['pack', 'add', '@school/tcp-basics'], learner);
    assert.deepEqual(again, { status: 0, stdout: `@school/tcp-basics (1 lesson) is already added, from ${installed}; tcplab shows it\n`, stderr: '' });

    await new ProgressStore('@school/tcp-basics', { env }).saveRun(
      { lesson: 'three-way-handshake', step: 3, steps: [1, 2, 3].map((number) => ({ number, status: 'passed', tries: 1, failedTries: 0, hintsShown: 0, solutionShown: false, answer: null })) },
      true,
    );
    const list = tcplab(['pack', 'list']);
    assert.equal(list.stderr, '');
    assert.equal(list.stdout, `${[...BUNDLED_LIST, 'added    @school/tcp-basics (en)', '         1 lesson, 1/1 passed', `         ${installed}`].join('\n')}\n`);
  });

  test('a pack installed globally with npm install -g is found through npm root -g', () => {
    const tarball = publishedPack('tcp-closing', 'closing-pack');
    npm(['install', '-g', '--offline', '--no-audit', '--no-fund', tarball], scratch);
    const installed = join(npmPrefix, 'lib', 'node_modules', 'tcp-closing');
    assert.deepEqual(tcplab(['pack', 'add', 'tcp-closing'], learner), { status: 0, stdout: `added tcp-closing (1 lesson) from ${installed}; tcplab now shows it\n`, stderr: '' });
    assert.equal(tcplab(['pack', 'remove', 'tcp-closing']).status, 0);
  });

  test('a pack folder is added by its path; one that breaks later is listed with its first mistake', () => {
    assert.equal(tcplab(['pack', 'new', 'tcp-folder', '--dir', 'folder-pack']).status, 0);
    const dir = join(scratch, 'folder-pack');
    assert.deepEqual(tcplab(['pack', 'add', './folder-pack']), { status: 0, stdout: `added tcp-folder (1 lesson) from ${dir}; tcplab now shows it\n`, stderr: '' });
    const lesson = join(dir, 'lessons', '01-three-way-handshake.md');
    writeFileSync(lesson, readFileSync(lesson, 'utf8').replace('networks: [lab, sim]', 'networks: [lab, wifi]'));
    const lines = tcplab(['pack', 'list']).stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(-3), ['added    tcp-folder (en)', `         cannot be opened: ${lesson}:6:17: 'networks[1]' must be one of lab, sim, got 'wifi'`, `         ${dir}`]);
  });

  test('a pack with mistakes is refused, each mistake at file:line:column', () => {
    assert.equal(tcplab(['pack', 'new', 'tcp-broken', '--dir', 'broken-pack']).status, 0);
    const lesson = join(scratch, 'broken-pack', 'lessons', '01-three-way-handshake.md');
    writeFileSync(lesson, readFileSync(lesson, 'utf8').replace('server: echo', 'server: echoo').replace('```tcplab check\nflags=S', '```tcplab chek\nflags=S'));
    const run = tcplab(['pack', 'add', 'broken-pack']);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    const lines = run.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, new RegExp(`^${lesson}:7:9: .*echoo`));
    assert.match(lines[1]!, new RegExp(`^${lesson}:\\d+:11: unknown cell 'tcplab chek'; did you mean 'check'\\?$`));
    assert.equal(lines[2], 'broken-pack was not added: 2 mistakes; mend them, then tcplab pack add broken-pack again');
    assert.doesNotMatch(tcplab(['pack', 'list']).stdout, /tcp-broken/);
  });

  test('a pack whose name is already taken is refused: progress is kept by name', () => {
    assert.equal(tcplab(['pack', 'new', 'tcplab-course', '--dir', 'impostor']).status, 0);
    const run = tcplab(['pack', 'add', 'impostor']);
    assert.deepEqual(run, {
      status: 1,
      stdout: '',
      stderr: `tcplab pack: impostor was not added: the name 'tcplab-course' is already used by ${bundledEn}; progress is kept by pack name, so a pack needs a name of its own\n`,
    });
    // The same pack moved to another folder: the old one is to be removed first.
    assert.equal(tcplab(['pack', 'new', 'tcp-folder', '--dir', 'moved-pack']).status, 0);
    assert.equal(
      tcplab(['pack', 'add', 'moved-pack']).stderr,
      `tcplab pack: moved-pack was not added: the name 'tcp-folder' is already used by ${join(scratch, 'folder-pack')}; progress is kept by pack name, so a pack needs a name of its own; if it is the same pack moved, tcplab pack remove ${join(scratch, 'folder-pack')} first\n`,
    );
    assert.deepEqual(tcplab(['pack', 'add', bundledZh]), { status: 0, stdout: `tcplab-course-zh-cn is bundled with tcplab, in ${bundledZh}; tcplab shows it already\n`, stderr: '' });
  });

  test('a name that is neither a folder nor an installed package says where it looked', () => {
    const run = tcplab(['pack', 'add', 'tcp-nowhere'], learner);
    assert.equal(run.status, 1);
    assert.match(run.stderr, new RegExp(`^tcplab pack: there is no folder tcp-nowhere here, and no npm package tcp-nowhere is installed \\(looked in ${join(learner, 'node_modules')}, ${join(scratch, 'node_modules')}, .*, ${join(npmPrefix, 'lib', 'node_modules')}\\); npm install tcp-nowhere first, or give the pack's folder\n$`));
    assert.equal(tcplab(['pack', 'add', './nowhere']).stderr, `tcplab pack: there is no folder ${join(scratch, 'nowhere')}\n`);
    assert.equal(tcplab(['pack', 'add']).status, 2);
  });

  test('remove forgets an added pack by name or folder and keeps its progress; bundled packs stay', () => {
    const installed = join(learner, 'node_modules', '@school', 'tcp-basics');
    const progress = join(state, 'tcplab', 'progress', '@school+tcp-basics.json');
    const byName = tcplab(['pack', 'remove', '@school/tcp-basics']);
    assert.deepEqual(byName, {
      status: 0,
      stdout: `removed @school/tcp-basics (${installed}) from your packs; your progress in it is kept in ${progress}, for when you add it again\n`,
      stderr: '',
    });
    assert.ok(existsSync(progress));
    assert.deepEqual(tcplab(['pack', 'remove', 'folder-pack']), { status: 0, stdout: `removed tcp-folder (${join(scratch, 'folder-pack')}) from your packs; it had no progress to keep\n`, stderr: '' });
    assert.deepEqual(tcplab(['pack', 'list']).stdout, `${BUNDLED_LIST.join('\n')}\n`);

    assert.deepEqual(tcplab(['pack', 'remove', 'tcplab-course']), {
      status: 1,
      stdout: '',
      stderr: `tcplab pack: tcplab-course is bundled with tcplab (${bundledEn}), so it cannot be removed: it is the course tcplab comes with\n`,
    });
    assert.equal(tcplab(['pack', 'remove', 'tcp-basics']).stderr, 'tcplab pack: no added pack is called tcp-basics or is in that folder; tcplab pack list shows your packs\n');
    // Added again, the progress is there again.
    tcplab(['pack', 'add', '@school/tcp-basics'], learner);
    assert.match(tcplab(['pack', 'list']).stdout, /\nadded {4}@school\/tcp-basics \(en\)\n {9}1 lesson, 1\/1 passed\n/);
  });

  test('a damaged list of packs is set aside with a warning, and list goes on', () => {
    const file = join(config, 'tcplab', 'packs.json');
    writeFileSync(file, '{"version": 1, "packs": [}');
    const run = tcplab(['pack', 'list']);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, `${BUNDLED_LIST.join('\n')}\n`);
    const aside = readdirSync(join(config, 'tcplab')).find((name) => name.startsWith('packs.json.corrupt-'));
    assert.ok(aside !== undefined);
    assert.match(run.stderr, new RegExp(`^warning: the list of added packs in ${file} could not be read \\(not JSON: .*\\); it is kept as ${join(config, 'tcplab', aside)}, and the list starts empty: add your packs again with tcplab pack add\n$`));
  });
});
