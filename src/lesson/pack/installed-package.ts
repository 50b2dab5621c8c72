// Where an npm package is installed, as Node itself would look for it: node_modules/<name> in
// the current folder and in each folder above it, then the global node_modules, so that a
// pack published to npm is added by its name after `npm install` or `npm install -g`.

import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PACK_NAME_PATTERN } from './manifest.js';

export type InstalledPackageSearch = { found: true; dir: string } | { found: false; searched: string[] };

/** Whether `text` can be an npm package name (tcp-basics, @school/tcp-basics). */
export function isPackageName(text: string): boolean {
  return PACK_NAME_PATTERN.test(text) && text.length <= 214;
}

/**
 * The folder of the installed package `name`: under `from` and its parents first, then under
 * the global root, asked for only when needed (finding it runs npm).
 */
export async function findInstalledPackage(name: string, from: string, globalRoot: () => Promise<string | null>): Promise<InstalledPackageSearch> {
  const searched: string[] = [];
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const modules = join(dir, 'node_modules');
    searched.push(modules);
    if (await isFolder(join(modules, name))) return { found: true, dir: join(modules, name) };
    if (dirname(dir) === dir) break;
  }
  const global = await globalRoot();
  if (global !== null) {
    searched.push(global);
    if (await isFolder(join(global, name))) return { found: true, dir: join(global, name) };
  }
  return { found: false, searched };
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then((info) => info.isDirectory(), () => false);
}
