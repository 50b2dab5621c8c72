// A pack folder to a Pack: its manifest and every lesson it lists, parsed, in order. Errors
// from the manifest and from every lesson are collected together, each with its file.

import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { formatPlace, sortLessonErrors, type LessonError } from '../format/lesson-error.js';
import { readLessonFile } from '../format/parse-lesson.js';
import type { Lesson } from '../format/schema.js';
import type { PackManifest } from './manifest.js';
import { readManifest } from './read-manifest.js';

export interface Pack {
  /** The folder, as given. */
  dir: string;
  /** The file the manifest came from: tcplab-pack.json or package.json. */
  manifestFile: string;
  manifest: PackManifest;
  /** In the manifest's order. */
  lessons: Lesson[];
}

export type PackLoad = { ok: true; pack: Pack } | { ok: false; errors: LessonError[]; lessons: Lesson[] };

export async function loadPack(dir: string): Promise<PackLoad> {
  const read = await readManifest(dir);
  const { manifest } = read;
  if (manifest === null) return { ok: false, errors: sortLessonErrors(read.errors), lessons: [] };
  const errors = [...read.errors];
  const lessons: Lesson[] = [];
  const ids = new Map<string, Lesson>();

  for (const [i, path] of manifest.lessons.entries()) {
    const file = join(dir, path);
    if (!(await exists(file))) {
      errors.push({ file: read.file, ...read.lessonAt(i), message: `no such lesson file: ${path}` });
      continue;
    }
    const parsed = await readLessonFile(file);
    if (!parsed.ok) {
      errors.push(...parsed.errors);
      continue;
    }
    const { lesson } = parsed;
    lessons.push(lesson);
    const { meta, metaAt } = lesson;
    if (meta.language !== manifest.language) {
      const where = formatPlace({ file: read.file, ...read.languageAt });
      errors.push({ file, ...metaAt.language, message: `this lesson is in '${meta.language}' but its pack is in '${manifest.language}' (${where})` });
    }
    const earlier = ids.get(meta.id);
    if (earlier !== undefined) {
      errors.push({ file, ...metaAt.id, message: `the id '${meta.id}' is already used by ${earlier.file}; every lesson in a pack needs its own` });
    } else {
      ids.set(meta.id, lesson);
    }
  }
  if (errors.length > 0) return { ok: false, errors: sortLessonErrors(errors), lessons };
  return { ok: true, pack: { dir, manifestFile: read.file, manifest, lessons } };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
