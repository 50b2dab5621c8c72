// `npm run bench`: runs every bench/*.bench.ts module's default export one after another
// (never in parallel, so one does not steal the other's core) and prints what each measured.
// With --json it prints a single JSON line merging every result, for scripts to compare.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type BenchResult = Record<string, number | string>;

const here = dirname(fileURLToPath(import.meta.url));
const json = process.argv.includes('--json');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));

const modules = readdirSync(here)
  .filter((name) => name.endsWith('.bench.js'))
  .filter((name) => only.length === 0 || only.some((wanted) => name.startsWith(wanted)))
  .sort();

const merged: BenchResult = {};
for (const name of modules) {
  const label = name.replace(/\.bench\.js$/, '');
  const started = performance.now();
  try {
    const module = (await import(pathToFileURL(join(here, name)).href)) as { default: () => Promise<BenchResult> };
    const result = await module.default();
    Object.assign(merged, result);
    if (!json) {
      process.stdout.write(`${label} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
      for (const [key, value] of Object.entries(result)) {
        const shown = typeof value === 'number' ? formatNumber(value) : value;
        process.stdout.write(`  ${key.padEnd(28)} ${shown}\n`);
      }
    }
  } catch (error) {
    // A bench that cannot run here (no lab on this machine, say) is reported, and the rest still run.
    const message = error instanceof Error ? error.message : String(error);
    merged[`${label}Error`] = message;
    if (!json) process.stdout.write(`${label}: could not run: ${message}\n`);
  }
}
if (json) process.stdout.write(`${JSON.stringify(merged)}\n`);

function formatNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) >= 1000) return value.toLocaleString('en-US');
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}
