// Writing a small state file so that a crash or a kill at any moment leaves either the old
// file or the new one, whole: the text goes to a temporary file in the same folder (a rename
// is atomic only within one file system), is flushed to the disk, and is renamed over the
// file; then the folder is flushed, which is what makes the rename itself durable.
//
// Temporary files are named .<file>.<pid>.<random>.tmp, so one left by a writer that was
// killed before its rename is recognised by its pid being gone, and removed.

import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Replaces `path` with `text`, atomically and durably. The folder must exist. */
export async function writeFileAtomically(path: string, text: string, mode = 0o644): Promise<void> {
  const folder = dirname(path);
  const temp = join(folder, `${tempPrefix(path)}${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'w', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes the temporary files that writers of `path` left when they were killed: their pid is gone. */
export async function removeAbandonedTempFiles(path: string): Promise<void> {
  const folder = dirname(path);
  const prefix = tempPrefix(path);
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await unlink(join(folder, name)).catch(() => undefined);
  }
}

function tempPrefix(path: string): string {
  return `.${basename(path)}.`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
