// The packs that come with tcplab: lessons/ of the installed package, and each subfolder of
// it that holds a manifest (lessons/zh-CN, ...). The package is found by walking up from this
// module to the package.json named "tcplab", so the same code finds it from dist/src/ when
// installed and from src/ when run from a checkout.

import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACK_MANIFEST_FILE } from './manifest.js';

const PACKAGE_NAME = 'tcplab';

/** The folder holding tcplab's own package.json, above `from` (this module unless given). */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (isTcplabPackage(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json named "${PACKAGE_NAME}" above ${from}: tcplab's installation is incomplete`);
    dir = parent;
  }
}

/** Where the bundled course is: lessons/ in tcplab's package. */
export function bundledLessonsDir(): string {
  return join(packageRoot(), 'lessons');
}

/**
 * The bundled pack folders under `root` (lessons/ unless given): the root itself when it holds
 * a manifest, then each subfolder that does, by name. None when the folder is missing.
 */
export async function bundledPackDirs(root: string = bundledLessonsDir()): Promise<string[]> {
  const dirs = hasManifest(root) ? [root] : [];
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const subfolders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(root, name))
    .filter(hasManifest);
  return [...dirs, ...subfolders];
}

function hasManifest(dir: string): boolean {
  return existsSync(join(dir, PACK_MANIFEST_FILE)) || existsSync(join(dir, 'package.json'));
}

function isTcplabPackage(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}
