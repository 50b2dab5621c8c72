/**
 * The prompt's history across runs: one line a command in $XDG_STATE_HOME/tcplab/history
 * (~/.local/state/tcplab/history by default). Writes go to a temporary file that is then
 * renamed over the old one, so a crash or a full disk mid-write leaves the old history
 * whole. Two REPLs open at once each add their own lines to what is on disk at the time.
 * A history that cannot be read or written costs the learner their history, never the
 * session: every failure becomes a note.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { tcplabStateDir } from '../session/user-dirs.js';

/** How many lines are kept; older ones fall off the front. */
export const HISTORY_LIMIT = 1000;
/** A longer line is not a command anyone typed; it is dropped on load. */
const MAX_LINE_LENGTH = 4096;

export function historyPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return join(tcplabStateDir(env, home), 'history');
}

/**
 * The lines of a history file. Damage is tolerated line by line: bytes that are not UTF-8,
 * control characters and overlong lines are dropped, the rest kept.
 */
export function parseHistory(bytes: Uint8Array): string[] {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.split(/\r?\n/).filter((line) => line.trim() !== '' && line.length <= MAX_LINE_LENGTH && !/[\u0000-\u001f\u007f\ufffd]/.test(line));
}

export function formatHistory(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Keeps the newest `limit` lines, without a line repeating the one before it. */
export function trimHistory(lines: readonly string[], limit = HISTORY_LIMIT): string[] {
  const kept: string[] = [];
  for (const line of lines) if (kept[kept.length - 1] !== line) kept.push(line);
  return kept.slice(Math.max(0, kept.length - limit));
}

export type HistoryNote = (message: string) => void;

export class HistoryStore {
  readonly path: string;
  private lines: string[] = [];
  /** Lines entered in this run, written after whatever is on disk when saving. */
  private added: string[] = [];
  private readonly note: HistoryNote;
  private readonly limit: number;
  private warned = false;
  private saving: Promise<void> = Promise.resolve();

  constructor(options: { path?: string; note?: HistoryNote; limit?: number } = {}) {
    this.path = options.path ?? historyPath();
    this.note = options.note ?? (() => {});
    this.limit = options.limit ?? HISTORY_LIMIT;
  }

  /** Every line, oldest first. */
  get entries(): readonly string[] {
    return this.lines;
  }

  async load(): Promise<readonly string[]> {
    const disk = await this.readDisk();
    this.lines = trimHistory([...disk, ...this.added], this.limit);
    return this.lines;
  }

  /** Adds a line (blank lines and repeats of the last one are not kept) and saves. */
  add(line: string): Promise<void> {
    if (line.trim() === '' || /[\u0000-\u001f\u007f]/.test(line) || line.length > MAX_LINE_LENGTH) return this.saving;
    if (this.lines[this.lines.length - 1] !== line) this.lines = trimHistory([...this.lines, line], this.limit);
    this.added.push(line);
    return this.save();
  }

  /** Writes the history; saves run one after another, never interleaved. */
  save(): Promise<void> {
    this.saving = this.saving.then(() => this.writeNow());
    return this.saving;
  }

  private async writeNow(): Promise<void> {
    const pending = this.added.length;
    const merged = trimHistory([...(await this.readDisk()), ...this.added], this.limit);
    try {
      await writeAtomically(this.path, formatHistory(merged));
      // The file holds these lines now; a line added while writing waits for the next save.
      this.added = this.added.slice(pending);
    } catch (error) {
      this.warn(`history not saved to ${this.path}: ${(error as Error).message}`);
    }
  }

  private async readDisk(): Promise<string[]> {
    try {
      return parseHistory(await readFile(this.path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`history not read from ${this.path}: ${(error as Error).message}`);
      return [];
    }
  }

  private warn(message: string): void {
    // One note is enough: the same failure would repeat after every command.
    if (this.warned) return;
    this.warned = true;
    this.note(message);
  }
}

/** Writes `text` to a temporary file beside `path`, then renames it over `path`. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { mode: 0o600 });
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}
