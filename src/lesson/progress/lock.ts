// A lock file beside the progress file, so two tcplab windows never read-modify-write it at
// the same time: created with O_EXCL (one process wins), holding the owner's pid and when it
// was taken, removed when the work is done. A lock left by a process that died (a kill, a
// crash) is recognised by its pid being gone, or by its age, and taken over.

import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';

export interface LockOptions {
  /** How long to wait for another holder before giving up; 10 s unless set. */
  timeoutMs?: number;
  /** A lock older than this is stale whoever holds it (held locks last milliseconds); 30 s unless set. */
  staleMs?: number;
}

/** The lock could not be had in time: another process holds it and is alive. */
export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
}

export async function withFileLock<T>(path: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const token = `${process.pid} ${Date.now()} ${randomBytes(6).toString('hex')}\n`;
  await acquire(path, token, options);
  try {
    return await work();
  } finally {
    await release(path, token);
  }
}

async function acquire(path: string, token: string, options: LockOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const staleMs = options.staleMs ?? 30_000;
  let pause = 2;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(token);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readFile(path, 'utf8').catch(() => null);
    if (holder !== null && (await isStale(path, holder, staleMs))) {
      await takeOver(path, holder);
      continue;
    }
    if (Date.now() > deadline) {
      throw new LockTimeoutError(`${path} is held by process ${holder?.split(' ')[0] ?? '?'}; if no tcplab is running, remove it`);
    }
    await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
    pause = Math.min(pause * 2, 50);
  }
}

/** Writing a token takes microseconds: a lock still without one after this was left half-made. */
const HALF_MADE_MS = 1000;

async function isStale(path: string, holder: string, staleMs: number): Promise<boolean> {
  const [pidText, takenText] = holder.trim().split(' ');
  const pid = Number(pidText);
  const taken = Number(takenText);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isFinite(taken)) {
    // The holder died between creating the lock and writing to it, or is writing right now.
    const made = await stat(path).then((info) => info.mtimeMs, () => Date.now());
    return Date.now() - made > HALF_MADE_MS;
  }
  if (Date.now() - taken > staleMs) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Moves the stale lock aside under a name of our own. Another waiter may have taken it over
 * and locked it afresh between our reading and our rename: then what we moved is their live
 * lock, and it is put back.
 */
async function takeOver(path: string, judged: string): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, 'utf8').catch(() => judged);
  if (moved !== judged) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

async function release(path: string, token: string): Promise<void> {
  const holder = await readFile(path, 'utf8').catch(() => null);
  if (holder === token) await unlink(path).catch(() => undefined);
}
