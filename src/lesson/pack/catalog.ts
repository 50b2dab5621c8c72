// Every pack the learner has, in the order the lesson browser and `tcplab pack list` show them:
// the --pack folders of this run, the bundled course (the learner's language first), then the
// packs added with `tcplab pack add`, in the order added. A pack that cannot be used is still
// listed, with its mistakes, so the learner is told what is wrong rather than left to wonder
// where it went.

import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { LineIndex, sortLessonErrors, type LessonError, type Position } from '../format/lesson-error.js';
import { describeReadError } from '../format/parse-lesson.js';
import { AddedPacks, canonical } from './added-packs.js';
import { bundledPackDirs } from './bundled-packs.js';
import { parseJsonDocument } from './json-source.js';
import { loadPack, type PackLoad } from './load-pack.js';
import { languageRank, userLanguage } from './locale.js';
import { readManifest } from './read-manifest.js';

export interface CatalogEntry {
  /** flag: `tcplab --pack DIR`, for this run only. */
  origin: 'bundled' | 'added' | 'flag';
  /** Absolute. */
  dir: string;
  /** The manifest's title, else its name, else the folder's name. */
  title: string;
  /** The manifest's name, when the manifest could be read. */
  name: string | null;
  language: string | null;
  /** The pack, or its mistakes, each at file:line:column. */
  load: PackLoad;
}

export interface CatalogOptions {
  /** `--pack DIR` folders, relative to the current folder or absolute. */
  flagDirs?: string[];
  /** For the locale (LC_ALL, LC_MESSAGES, LANG) and XDG_CONFIG_HOME. */
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** The folder of the bundled packs; tcplab's own lessons/ unless set. */
  bundledRoot?: string;
  /** Told of a list of added packs that had to be set aside, in a sentence for the learner. */
  onWarning?: (message: string) => void;
}

interface Listed {
  origin: CatalogEntry['origin'];
  dir: string;
  /** The name the pack was added under, for the title of one whose folder is gone. */
  addedAs?: string;
}

export async function loadCatalog(options: CatalogOptions = {}): Promise<CatalogEntry[]> {
  const env = options.env ?? process.env;
  const added = new AddedPacks({ env, ...(options.home !== undefined ? { home: options.home } : {}), ...(options.onWarning ? { onWarning: options.onWarning } : {}) });
  const flags: Listed[] = (options.flagDirs ?? []).map((dir) => ({ origin: 'flag', dir: resolve(dir) }));
  const bundled: Listed[] = (await bundledPackDirs(options.bundledRoot)).map((dir) => ({ origin: 'bundled', dir: resolve(dir) }));
  const addedPacks: Listed[] = (await added.list()).map((pack) => ({ origin: 'added', dir: pack.dir, addedAs: pack.name }));

  const learner = userLanguage(env);
  const bundledEntries = await Promise.all(bundled.map(entryFor));
  // Array.prototype.sort is stable: packs of one rank keep their folder order.
  bundledEntries.sort((a, b) => languageRank(a.language, learner) - languageRank(b.language, learner));
  const entries = [...(await Promise.all(flags.map(entryFor))), ...bundledEntries, ...(await Promise.all(addedPacks.map(entryFor)))];

  const unique: CatalogEntry[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const real = await canonical(entry.dir);
    if (seen.has(real)) continue;
    seen.add(real);
    unique.push(entry);
  }
  return refuseSecondNames(unique);
}

async function entryFor(listed: Listed): Promise<CatalogEntry> {
  const { origin, dir } = listed;
  const fallbackTitle = listed.addedAs ?? basename(dir);
  const missing = await folderProblem(dir, origin);
  if (missing !== null) {
    return { origin, dir, title: fallbackTitle, name: null, language: null, load: { ok: false, errors: [{ file: dir, message: missing }], lessons: [] } };
  }
  const { manifest } = await readManifest(dir);
  const load = await loadPack(dir);
  return {
    origin,
    dir,
    title: manifest?.title ?? manifest?.name ?? fallbackTitle,
    name: manifest?.name ?? null,
    language: manifest?.language ?? null,
    load,
  };
}

async function folderProblem(dir: string, origin: CatalogEntry['origin']): Promise<string | null> {
  try {
    if (!(await stat(dir)).isDirectory()) return 'this is not a folder, so it cannot be a pack';
    return null;
  } catch (error) {
    const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (!gone) return `cannot read this folder: ${describeReadError(error)}`;
    return origin === 'added' ? `the folder is gone; tcplab pack remove ${dir} forgets it` : 'there is no such folder';
  }
}

/**
 * Progress is kept by pack name, so two packs of one name would share it: the later one is
 * listed with a mistake at its name instead of being opened.
 */
async function refuseSecondNames(entries: CatalogEntry[]): Promise<CatalogEntry[]> {
  const owners = new Map<string, string>();
  const result: CatalogEntry[] = [];
  for (const entry of entries) {
    if (entry.name === null) {
      result.push(entry);
      continue;
    }
    const owner = owners.get(entry.name);
    if (owner === undefined) {
      owners.set(entry.name, entry.dir);
      result.push(entry);
      continue;
    }
    const { file } = await readManifest(entry.dir);
    const error: LessonError = {
      file,
      ...(await nameAt(file)),
      message: `the name '${entry.name}' is already used by ${owner}; progress is kept by pack name, so this pack needs a name of its own`,
    };
    const lessons = entry.load.ok ? entry.load.pack.lessons : entry.load.lessons;
    const earlier = entry.load.ok ? [] : entry.load.errors;
    result.push({ ...entry, load: { ok: false, errors: sortLessonErrors([error, ...earlier]), lessons } });
  }
  return result;
}

/** Where "name" is given in a manifest file (tcplab-pack.json and package.json both keep it at the top). */
async function nameAt(file: string): Promise<Position | Record<string, never>> {
  try {
    const index = new LineIndex((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
    const offset = parseJsonDocument(index.text).valueOffset(['name']);
    return offset === null ? {} : index.positionOf(offset);
  } catch {
    return {};
  }
}
