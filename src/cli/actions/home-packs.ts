// The packs the home screen lists, with the learner's progress in each: the catalog (bundled,
// added and --pack packs) read with the progress store, turned into the browser's rows.
import { relative } from 'node:path';
import { formatLessonError } from '../../lesson/format/lesson-error.js';
import type { Lesson } from '../../lesson/format/schema.js';
import { loadCatalog, type CatalogEntry } from '../../lesson/pack/catalog.js';
import { resumePoint } from '../../lesson/progress/resume-point.js';
import { ProgressStore } from '../../lesson/progress/store.js';
import type { PackProgress } from '../../lesson/progress/schema.js';
import type { HomeLesson, HomePack } from '../../ui/home/home-controller.js';

/** A pack as listed, with what opening its lessons needs. */
export interface ListedPack {
  home: HomePack;
  /** The progress store's name for the pack; null for a pack that cannot be opened. */
  name: string | null;
  lessons: Map<string, Lesson>;
}

export async function listPacks(flagDirs: readonly string[], onWarning: (message: string) => void): Promise<ListedPack[]> {
  const entries = await loadCatalog({ flagDirs: [...flagDirs], onWarning });
  return Promise.all(entries.map((entry) => listed(entry, onWarning)));
}

async function listed(entry: CatalogEntry, onWarning: (message: string) => void): Promise<ListedPack> {
  if (!entry.load.ok) {
    const [first] = entry.load.errors;
    return {
      home: {
        dir: entry.dir,
        title: entry.title,
        language: entry.language,
        lessons: [],
        // Within the pack's folder, which the row names, the file alone says where.
        problem: { count: entry.load.errors.length, first: first !== undefined ? formatLessonError({ ...first, file: inPack(entry.dir, first.file) }) : 'it cannot be read' },
        current: null,
        updatedAt: null,
      },
      name: null,
      lessons: new Map(),
    };
  }
  const { pack } = entry.load;
  const progress = await new ProgressStore(pack.manifest.name, { onWarning }).load();
  return {
    home: {
      dir: entry.dir,
      title: entry.title,
      language: pack.manifest.language,
      lessons: pack.lessons.map((lesson) => homeLesson(lesson, progress)),
      problem: null,
      current: progress.current,
      updatedAt: progress.current !== null ? progress.updatedAt : null,
    },
    name: pack.manifest.name,
    lessons: new Map(pack.lessons.map((lesson) => [lesson.meta.id, lesson])),
  };
}

function homeLesson(lesson: Lesson, progress: PackProgress): HomeLesson {
  const saved = Object.hasOwn(progress.lessons, lesson.meta.id) ? progress.lessons[lesson.meta.id] : undefined;
  const passed = saved?.passed ?? false;
  const position = saved?.position ?? null;
  return {
    id: lesson.meta.id,
    title: lesson.meta.title,
    summary: lesson.meta.summary,
    networks: lesson.meta.networks,
    steps: lesson.steps.length,
    passed,
    resumeStep: passed || position === null ? null : resumePoint(position, lesson.steps.length).step,
  };
}

function inPack(dir: string, file: string): string {
  const near = relative(dir, file);
  return near !== '' && !near.startsWith('..') ? near : file;
}
