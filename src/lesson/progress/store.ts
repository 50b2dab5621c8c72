// Progress on disk, one file per pack: $XDG_STATE_HOME/tcplab/progress/<pack>.json
// (~/.local/state/tcplab/progress/<pack>.json by default).
//
// Every change is a read-modify-write under a lock file (lock.ts): the change is applied to
// what is on disk at that moment, so two windows each add what they did and neither loses
// the other's. The new content is written as atomic-write.ts writes: a temporary file in the
// same folder, flushed to the disk and renamed over the old file, so a crash or a kill at any
// moment leaves either the old file or the new one, whole. A file that cannot
// be read as progress is moved aside as <pack>.json.corrupt-<time>, with a warning saying so,
// and progress starts afresh; it never stops tcplab.

import { mkdir, readFile, rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { removeAbandonedTempFiles, writeFileAtomically } from '../atomic-write.js';
import { describeReadError } from '../format/parse-lesson.js';
import { LESSON_ID_PATTERN } from '../format/schema.js';
import type { LessonPosition } from '../runner/position.js';
import { withFileLock, LockTimeoutError, type LockOptions } from './lock.js';
import { emptyProgress, mergePositions, PackProgressSchema, type LessonProgress, type PackProgress } from './schema.js';
import { tcplabStateDir } from '../../session/user-dirs.js';

/** Progress could not be saved (or read for saving): the message says which file and why. */
export class ProgressError extends Error {
  override name = 'ProgressError';
}

export interface ProgressStoreOptions extends LockOptions {
  /** The folder the progress files go in; from XDG_STATE_HOME (or the home folder) unless set. */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Told of a progress file that was set aside, in a sentence for the learner. */
  onWarning?: (message: string) => void;
}

/** $XDG_STATE_HOME/tcplab/progress, or ~/.local/state/tcplab/progress; a relative XDG_STATE_HOME is ignored, as the spec says. */
export function progressDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return join(tcplabStateDir(env, home), 'progress');
}

/** A pack's file name: its npm name with a scope's '/' as '+' ("@school/tcp" -> "@school+tcp.json"). */
export function progressFileName(pack: string): string {
  const safe = pack.replace(/\//g, '+').replace(/[^A-Za-z0-9@+._~-]/g, '_');
  if (safe === '' || safe === '.' || safe === '..') throw new ProgressError(`'${pack}' cannot name a progress file`);
  return `${safe}.json`;
}

export class ProgressStore {
  readonly path: string;
  private readonly warn: (message: string) => void;
  private readonly lockOptions: LockOptions;

  constructor(
    readonly pack: string,
    options: ProgressStoreOptions = {},
  ) {
    this.path = join(options.dir ?? progressDir(options.env, options.home), progressFileName(pack));
    this.warn = options.onWarning ?? (() => {});
    this.lockOptions = { ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.staleMs !== undefined ? { staleMs: options.staleMs } : {}) };
  }

  /** What is saved; empty progress when there is none yet, or when the file had to be set aside. */
  async load(): Promise<PackProgress> {
    const read = await this.read();
    if (read.kind === 'ok') return read.progress;
    if (read.kind === 'missing') return emptyProgress(this.pack);
    if (read.kind === 'unreadable') {
      this.warn(`your progress in ${this.path} could not be read (${read.reason}); it was left as it is`);
      return emptyProgress(this.pack);
    }
    // Set aside under the lock, so that a window writing meanwhile is not the one moved.
    return this.update(() => undefined).catch((error: unknown) => {
      this.warn(error instanceof Error ? error.message : String(error));
      return emptyProgress(this.pack);
    });
  }

  /** Applies `change` to the progress on disk as it is now, and saves it; resolves to what was saved. */
  async update(change: (progress: PackProgress) => void): Promise<PackProgress> {
    try {
      await mkdir(dirname(this.path), { recursive: true });
    } catch (error) {
      throw new ProgressError(`progress cannot be saved in ${dirname(this.path)}: ${describeReadError(error)}`);
    }
    try {
      return await withFileLock(`${this.path}.lock`, async () => {
        const read = await this.read();
        if (read.kind === 'unreadable') throw new ProgressError(`progress cannot be saved: ${this.path} cannot be read (${read.reason})`);
        if (read.kind === 'corrupt') await this.setAside(read.reason);
        const progress = read.kind === 'ok' ? read.progress : emptyProgress(this.pack);
        change(progress);
        progress.updatedAt = new Date().toISOString();
        const checked = PackProgressSchema.parse(progress);
        await writeFileAtomically(this.path, `${JSON.stringify(checked, null, 2)}\n`);
        await removeAbandonedTempFiles(this.path);
        return checked;
      }, this.lockOptions);
    } catch (error) {
      if (error instanceof ProgressError) throw error;
      if (error instanceof LockTimeoutError) throw new ProgressError(`progress was not saved: ${error.message}`);
      throw new ProgressError(`progress was not saved in ${this.path}: ${describeReadError(error)}`);
    }
  }

  /**
   * A lesson run's position, merged with what is saved (nothing passed is ever un-passed);
   * the lesson becomes the pack's current one. `passed` marks the whole lesson passed.
   */
  saveRun(position: LessonPosition, passed = false): Promise<PackProgress> {
    return this.update((progress) => {
      const now = new Date().toISOString();
      const saved: LessonProgress = progress.lessons[position.lesson] ?? { passed: false, passedAt: null, position: null, updatedAt: now };
      const merged = mergePositions(saved.position, position);
      const everyStep = merged.steps.length > 0 && merged.steps.every((step) => step.status === 'passed');
      const nowPassed = saved.passed || passed || everyStep;
      progress.lessons[position.lesson] = {
        passed: nowPassed,
        passedAt: saved.passedAt ?? (nowPassed ? now : null),
        position: merged,
        updatedAt: now,
      };
      progress.current = position.lesson;
    });
  }

  /** Where to resume a lesson, if it was started. */
  static resumeFrom(progress: PackProgress, lesson: string): LessonPosition | null {
    return Object.hasOwn(progress.lessons, lesson) ? (progress.lessons[lesson]?.position ?? null) : null;
  }

  private async read(): Promise<{ kind: 'ok'; progress: PackProgress } | { kind: 'missing' } | { kind: 'corrupt'; reason: string } | { kind: 'unreadable'; reason: string }> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      return { kind: 'unreadable', reason: describeReadError(error) };
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return { kind: 'corrupt', reason: `not JSON: ${(error as Error).message}` };
    }
    // zod drops a key named __proto__ without a word; a file holding one is not tcplab's.
    const lessons = (data as { lessons?: unknown } | null)?.lessons;
    const oddKey = typeof lessons === 'object' && lessons !== null ? Object.keys(lessons).find((key) => !LESSON_ID_PATTERN.test(key)) : undefined;
    if (oddKey !== undefined) return { kind: 'corrupt', reason: `not tcplab progress at lessons: ${JSON.stringify(oddKey)} is not a lesson id` };
    const parsed = PackProgressSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
      return { kind: 'corrupt', reason: `not tcplab progress${where}: ${issue?.message ?? 'invalid'}` };
    }
    if (parsed.data.pack !== this.pack) return { kind: 'corrupt', reason: `it is the progress of pack '${parsed.data.pack}', not '${this.pack}'` };
    return { kind: 'ok', progress: parsed.data };
  }

  private async setAside(reason: string): Promise<void> {
    const aside = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.path, aside);
    this.warn(`your progress in ${this.path} could not be read (${reason}); it is kept as ${aside}, and progress in ${this.pack} starts afresh`);
  }
}
