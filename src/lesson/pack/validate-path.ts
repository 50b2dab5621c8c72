// `tcplab pack validate PATH`: a lesson file or a whole pack, checked statically, then each
// lesson's solutions run by whatever solution runners the caller brings (one per network),
// so running solutions on sim and lab plugs in without changing how validation reports.

import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { sortLessonErrors, type LessonError } from '../format/lesson-error.js';
import { describeReadError, readLessonFile } from '../format/parse-lesson.js';
import type { Lesson, LessonNetwork } from '../format/schema.js';
import { loadPack, type Pack } from './load-pack.js';
import { PACK_MANIFEST_FILE } from './manifest.js';

/** Plays a lesson's solutions on one network and reports where they fail, as positioned errors. */
export interface SolutionRunner {
  network: LessonNetwork;
  run(lesson: Lesson): Promise<LessonError[]>;
}

export interface ValidationReport {
  kind: 'lesson' | 'pack';
  /** Present when the pack's manifest could be read and all its lessons parsed. */
  pack: Pack | null;
  /** Every lesson that parsed. */
  lessons: Lesson[];
  /** Each lesson's solutions, and where they ran. */
  solutionRuns: Array<{ file: string; network: LessonNetwork }>;
  errors: LessonError[];
}

export interface ValidateOptions {
  runners?: readonly SolutionRunner[];
}

/** A folder, or its tcplab-pack.json or package.json, is a pack; any other file is one lesson. */
export async function validatePath(path: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch (error) {
    return { kind: 'lesson', pack: null, lessons: [], solutionRuns: [], errors: [{ file: path, message: describeReadError(error) }] };
  }
  const name = basename(path);
  const report: ValidationReport =
    isFolder || name === PACK_MANIFEST_FILE || name === 'package.json'
      ? await packReport(isFolder ? path : dirname(path))
      : await lessonReport(path);
  for (const runner of options.runners ?? []) {
    for (const lesson of report.lessons) {
      if (!lesson.meta.networks.includes(runner.network)) continue;
      report.errors.push(...(await runner.run(lesson)));
      report.solutionRuns.push({ file: lesson.file, network: runner.network });
    }
  }
  report.errors = sortLessonErrors(report.errors);
  return report;
}

async function packReport(dir: string): Promise<ValidationReport> {
  const loaded = await loadPack(dir);
  if (loaded.ok) return { kind: 'pack', pack: loaded.pack, lessons: loaded.pack.lessons, solutionRuns: [], errors: [] };
  return { kind: 'pack', pack: null, lessons: loaded.lessons, solutionRuns: [], errors: loaded.errors };
}

async function lessonReport(file: string): Promise<ValidationReport> {
  const parsed = await readLessonFile(file);
  if (parsed.ok) return { kind: 'lesson', pack: null, lessons: [parsed.lesson], solutionRuns: [], errors: [] };
  return { kind: 'lesson', pack: null, lessons: [], solutionRuns: [], errors: parsed.errors };
}
