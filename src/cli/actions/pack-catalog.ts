// `tcplab pack add|list|remove`: the learner's own list of packs, beside the bundled course.
// A pack is added only when it has no mistakes (the static checks: nothing is sent anywhere),
// so what the lesson browser shows can be opened; removing one forgets the folder, never the
// progress, which is kept by the pack's name.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from '../args.js';
import { UsageError, UserFacingError, type CliIo } from '../command.js';
import { formatLessonError } from '../../lesson/format/lesson-error.js';
import { AddedPacks, AddedPacksError, canonical, type AddedPack } from '../../lesson/pack/added-packs.js';
import { loadCatalog, type CatalogEntry } from '../../lesson/pack/catalog.js';
import { findInstalledPackage, isPackageName } from '../../lesson/pack/installed-package.js';
import { loadPack } from '../../lesson/pack/load-pack.js';
import { readManifest } from '../../lesson/pack/read-manifest.js';
import { ProgressError, ProgressStore } from '../../lesson/progress/store.js';

const warnTo = (io: CliIo) => (message: string) => io.stderr.write(`warning: ${message}\n`);
const lessonCount = (n: number) => (n === 1 ? '1 lesson' : `${n} lessons`);
const mistakeCount = (n: number) => (n === 1 ? '1 mistake' : `${n} mistakes`);

export async function addPack(args: string[], io: CliIo): Promise<number> {
  const { positional } = parseArgs(args, {});
  const [target, extra] = positional;
  if (target === undefined) throw new UsageError('which pack? a pack folder or an installed npm package, e.g. tcplab pack add ./tcp-basics');
  if (extra !== undefined) throw new UsageError(`pack add takes one pack (got ${positional.join(' ')})`);
  const onWarning = warnTo(io);
  const dir = await packFolder(target);

  const load = await loadPack(dir);
  if (!load.ok) {
    for (const error of load.errors) io.stderr.write(`${formatLessonError(error)}\n`);
    io.stderr.write(`${target} was not added: ${mistakeCount(load.errors.length)}; mend ${load.errors.length === 1 ? 'it' : 'them'}, then tcplab pack add ${target} again\n`);
    return 1;
  }
  const { manifest, lessons } = load.pack;
  const real = await canonical(dir);
  for (const entry of await loadCatalog({ onWarning })) {
    const same = (await canonical(entry.dir)) === real;
    if (same && entry.origin === 'bundled') {
      io.stdout.write(`${manifest.name} is bundled with tcplab, in ${entry.dir}; tcplab shows it already\n`);
      return 0;
    }
    if (!same && entry.name === manifest.name && entry.origin !== 'flag') {
      // A pack that moved is the usual case: the old folder is the one to forget.
      const remedy = entry.origin === 'added' ? `; if it is the same pack moved, tcplab pack remove ${entry.dir} first` : '';
      throw new UserFacingError(
        `${target} was not added: the name '${manifest.name}' is already used by ${entry.dir}; progress is kept by pack name, so a pack needs a name of its own${remedy}`,
      );
    }
  }
  const { added, pack } = await changeList(() => new AddedPacks({ onWarning }).add(dir, manifest.name));
  const what = manifest.title !== undefined && manifest.title !== manifest.name ? `${manifest.name} ("${manifest.title}", ${lessonCount(lessons.length)})` : `${manifest.name} (${lessonCount(lessons.length)})`;
  io.stdout.write(added ? `added ${what} from ${pack.dir}; tcplab now shows it\n` : `${what} is already added, from ${pack.dir}; tcplab shows it\n`);
  return 0;
}

export async function listPacks(args: string[], io: CliIo): Promise<number> {
  const { positional } = parseArgs(args, {});
  if (positional.length > 0) throw new UsageError(`pack list takes no arguments (got ${positional.join(' ')})`);
  const onWarning = warnTo(io);
  const entries = await loadCatalog({ onWarning });
  if (entries.length === 0) {
    io.stdout.write('no packs: tcplab pack add DIR adds one\n');
    return 0;
  }
  const width = Math.max(...entries.map((entry) => entry.origin.length));
  const indent = ' '.repeat(width + 2);
  for (const entry of entries) {
    io.stdout.write(`${entry.origin.padEnd(width)}  ${heading(entry)}\n`);
    io.stdout.write(`${indent}${await state(entry, onWarning)}\n`);
    io.stdout.write(`${indent}${entry.dir}\n`);
  }
  return 0;
}

export async function removePack(args: string[], io: CliIo): Promise<number> {
  const { positional } = parseArgs(args, {});
  const [target, extra] = positional;
  if (target === undefined) throw new UsageError('which pack? its name or its folder, as tcplab pack list shows them');
  if (extra !== undefined) throw new UsageError(`pack remove takes one pack (got ${positional.join(' ')})`);
  const onWarning = warnTo(io);
  const asFolder = await canonical(resolve(target));
  const isTarget = async (pack: AddedPack) =>
    pack.name === target || (await canonical(pack.dir)) === asFolder || (await readManifest(pack.dir)).manifest?.name === target;

  const removed = await changeList(() => new AddedPacks({ onWarning }).remove(isTarget));
  if (removed.length === 0) {
    let bundled: CatalogEntry | undefined;
    for (const entry of await loadCatalog({ onWarning })) {
      if (entry.origin === 'bundled' && (entry.name === target || (await canonical(entry.dir)) === asFolder)) bundled ??= entry;
    }
    if (bundled !== undefined) {
      throw new UserFacingError(`${target} is bundled with tcplab (${bundled.dir}), so it cannot be removed: it is the course tcplab comes with`);
    }
    throw new UserFacingError(`no added pack is called ${target} or is in that folder; tcplab pack list shows your packs`);
  }
  for (const pack of removed) {
    const progress = progressPath(pack.name);
    const kept =
      progress !== null && existsSync(progress)
        ? `your progress in it is kept in ${progress}, for when you add it again`
        : 'it had no progress to keep';
    io.stdout.write(`removed ${pack.name} (${pack.dir}) from your packs; ${kept}\n`);
  }
  return 0;
}

/**
 * The folder `target` names: a pack folder when there is one by that name, else an npm
 * package installed under the current folder (or a parent), else a global one.
 */
async function packFolder(target: string): Promise<string> {
  const asFolder = resolve(target);
  const info = await stat(asFolder).catch(() => null);
  if (info?.isDirectory()) return asFolder;
  if (info !== null) throw new UserFacingError(`${target} is a file; a pack is a folder (or an installed npm package)`);
  if (!isPackageName(target)) throw new UserFacingError(`there is no folder ${asFolder}`);
  const search = await findInstalledPackage(target, process.cwd(), npmGlobalRoot);
  if (search.found) return search.dir;
  throw new UserFacingError(
    `there is no folder ${target} here, and no npm package ${target} is installed (looked in ${search.searched.join(', ')}); npm install ${target} first, or give the pack's folder`,
  );
}

/** npm's global node_modules, or null when npm is not there to say. */
function npmGlobalRoot(): Promise<string | null> {
  return new Promise((done) => {
    execFile('npm', ['root', '-g'], { timeout: 15_000, encoding: 'utf8' }, (error, stdout) => {
      const root = stdout.trim();
      done(error === null && root !== '' ? root : null);
    });
  });
}

async function changeList<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof AddedPacksError) throw new UserFacingError(error.message);
    throw error;
  }
}

function heading(entry: CatalogEntry): string {
  const about = [entry.name !== entry.title ? entry.name : null, entry.language].filter((part) => part !== null);
  return about.length === 0 ? entry.title : `${entry.title} (${about.join(', ')})`;
}

/** "11 lessons, 3/11 passed", or the first mistake of a pack that cannot be opened. */
async function state(entry: CatalogEntry, onWarning: (message: string) => void): Promise<string> {
  if (!entry.load.ok) {
    const [first] = entry.load.errors;
    const more = entry.load.errors.length > 1 ? ` (and ${mistakeCount(entry.load.errors.length - 1)} more)` : '';
    return `cannot be opened: ${first === undefined ? 'it cannot be read' : formatLessonError(first)}${more}`;
  }
  const { manifest, lessons } = entry.load.pack;
  const progress = await new ProgressStore(manifest.name, { onWarning }).load();
  const passed = lessons.filter((lesson) => Object.hasOwn(progress.lessons, lesson.meta.id) && progress.lessons[lesson.meta.id]?.passed === true).length;
  return `${lessonCount(lessons.length)}, ${passed}/${lessons.length} passed`;
}

function progressPath(name: string): string | null {
  try {
    return new ProgressStore(name).path;
  } catch (error) {
    if (error instanceof ProgressError) return null;
    throw error;
  }
}
