// The packs a learner added with `tcplab pack add`, in the order added:
// $XDG_CONFIG_HOME/tcplab/packs.json (~/.config/tcplab/packs.json by default). It is
// configuration, not state: the learner chose these packs, and may copy the file elsewhere.
//
// Every change is a read-modify-write under a lock file, written atomically (atomic-write.ts),
// so two `pack add` at once both land and a kill never leaves half a file. A file that is not
// such a list is moved aside as packs.json.corrupt-<time> with a warning, and the list starts
// empty; it never stops tcplab.

import { mkdir, readFile, realpath, rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { removeAbandonedTempFiles, writeFileAtomically } from '../atomic-write.js';
import { describeReadError } from '../format/parse-lesson.js';
import { LockTimeoutError, withFileLock, type LockOptions } from '../progress/lock.js';
import { tcplabConfigDir } from '../../session/user-dirs.js';

export const ADDED_PACKS_FILE = 'packs.json';
export const ADDED_PACKS_VERSION = 1;

export const AddedPackSchema = z.strictObject({
  /** The pack's folder, absolute, as it was given (a node_modules path stays one, so an upgrade keeps it). */
  dir: z.string().refine(isAbsolute, { error: 'must be an absolute path' }),
  /** The pack's name when it was added, to remove it by. */
  name: z.string().min(1),
  addedAt: z.string().datetime({ offset: true }),
});

export type AddedPack = z.infer<typeof AddedPackSchema>;

export const AddedPacksFileSchema = z.strictObject({
  version: z.literal(ADDED_PACKS_VERSION),
  packs: z.array(AddedPackSchema),
});

/** The list could not be changed (or read to change it): the message says which file and why. */
export class AddedPacksError extends Error {
  override name = 'AddedPacksError';
}

export interface AddedPacksOptions extends LockOptions {
  /** The list's file; packs.json in the config folder unless set. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Told of a list that was set aside or could not be read, in a sentence for the learner. */
  onWarning?: (message: string) => void;
}

/** $XDG_CONFIG_HOME/tcplab, or ~/.config/tcplab; a relative XDG_CONFIG_HOME is ignored, as the spec says. */
export function configDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return tcplabConfigDir(env, home);
}

type ListRead = { kind: 'ok'; packs: AddedPack[] } | { kind: 'missing' } | { kind: 'corrupt'; reason: string } | { kind: 'unreadable'; reason: string };

export class AddedPacks {
  readonly path: string;
  private readonly warn: (message: string) => void;
  private readonly lockOptions: LockOptions;

  constructor(options: AddedPacksOptions = {}) {
    this.path = options.path ?? join(configDir(options.env, options.home), ADDED_PACKS_FILE);
    this.warn = options.onWarning ?? (() => {});
    this.lockOptions = { ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.staleMs !== undefined ? { staleMs: options.staleMs } : {}) };
  }

  /** The added packs, in the order added; none when there is no list, or it had to be set aside. */
  async list(): Promise<AddedPack[]> {
    const read = await this.read();
    if (read.kind === 'ok') return read.packs;
    if (read.kind === 'missing') return [];
    if (read.kind === 'unreadable') {
      this.warn(`the list of added packs in ${this.path} could not be read (${read.reason}); it was left as it is`);
      return [];
    }
    // Set aside under the lock, so that a `pack add` writing meanwhile is not the one moved.
    return this.update(() => undefined).catch((error: unknown) => {
      this.warn(error instanceof Error ? error.message : String(error));
      return [];
    });
  }

  /**
   * Adds the pack in `dir` (made absolute) at the end of the list. A folder already listed
   * (the same once symbolic links are followed) keeps its place; its name is brought up to date.
   */
  async add(dir: string, name: string): Promise<{ added: boolean; pack: AddedPack }> {
    const absolute = resolve(dir);
    const real = await canonical(absolute);
    let result: { added: boolean; pack: AddedPack } | undefined;
    await this.update(async (packs) => {
      for (const pack of packs) {
        if ((await canonical(pack.dir)) !== real) continue;
        pack.name = name;
        result = { added: false, pack };
        return;
      }
      const pack: AddedPack = { dir: absolute, name, addedAt: new Date().toISOString() };
      packs.push(pack);
      result = { added: true, pack };
    });
    if (result === undefined) throw new AddedPacksError(`${absolute} was not added`);
    return result;
  }

  /** Forgets every added pack `which` picks; resolves to those forgotten. */
  async remove(which: (pack: AddedPack) => boolean | Promise<boolean>): Promise<AddedPack[]> {
    const removed: AddedPack[] = [];
    await this.update(async (packs) => {
      const kept: AddedPack[] = [];
      for (const pack of packs) (await which(pack) ? removed : kept).push(pack);
      packs.splice(0, packs.length, ...kept);
    });
    return removed;
  }

  /** Applies `change` to the list on disk as it is now, and saves it. */
  private async update(change: (packs: AddedPack[]) => void | Promise<void>): Promise<AddedPack[]> {
    try {
      await mkdir(dirname(this.path), { recursive: true });
    } catch (error) {
      throw new AddedPacksError(`the list of added packs cannot be saved in ${dirname(this.path)}: ${describeReadError(error)}`);
    }
    try {
      return await withFileLock(`${this.path}.lock`, async () => {
        const read = await this.read();
        if (read.kind === 'unreadable') throw new AddedPacksError(`the list of added packs cannot be changed: ${this.path} cannot be read (${read.reason})`);
        if (read.kind === 'corrupt') await this.setAside(read.reason);
        const packs = read.kind === 'ok' ? read.packs : [];
        const before = JSON.stringify(packs);
        await change(packs);
        // Nothing to save: a remove that matched nothing leaves no file behind.
        if (JSON.stringify(packs) === before) return packs;
        const checked = AddedPacksFileSchema.parse({ version: ADDED_PACKS_VERSION, packs });
        await writeFileAtomically(this.path, `${JSON.stringify(checked, null, 2)}\n`);
        await removeAbandonedTempFiles(this.path);
        return checked.packs;
      }, this.lockOptions);
    } catch (error) {
      if (error instanceof AddedPacksError) throw error;
      if (error instanceof LockTimeoutError) throw new AddedPacksError(`the list of added packs was not changed: ${error.message}`);
      throw new AddedPacksError(`the list of added packs was not saved in ${this.path}: ${describeReadError(error)}`);
    }
  }

  private async read(): Promise<ListRead> {
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
    const parsed = AddedPacksFileSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
      return { kind: 'corrupt', reason: `not a list of tcplab packs${where}: ${issue?.message ?? 'invalid'}` };
    }
    return { kind: 'ok', packs: parsed.data.packs };
  }

  private async setAside(reason: string): Promise<void> {
    const aside = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.path, aside);
    this.warn(`the list of added packs in ${this.path} could not be read (${reason}); it is kept as ${aside}, and the list starts empty: add your packs again with tcplab pack add`);
  }
}

/** The folder with symbolic links followed; as given when it is gone. */
export async function canonical(dir: string): Promise<string> {
  return realpath(dir).catch(() => resolve(dir));
}
