// Runs every compiled *.test.js under dist/test with node's own test runner. Listing the
// files ourselves keeps helper modules in test/ from being run as tests, and a compiled test
// whose source was deleted or renamed (tsc never removes what it emitted) from running stale.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

/** The test's source: dist/test/x/y.test.js comes from test/x/y.test.ts or .tsx. */
function hasSource(file) {
  const base = file.replace(/^dist[\\/]/, '').replace(/\.js$/, '');
  return existsSync(`${base}.ts`) || existsSync(`${base}.tsx`);
}

const filter = process.argv[2];
const files = findTests('dist/test')
  .filter(hasSource)
  .filter((file) => !filter || file.includes(filter))
  .sort();
if (files.length === 0) {
  console.error('no test files found under dist/test');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--enable-source-maps', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
