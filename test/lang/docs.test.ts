import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildPacket } from '../../src/lang/build.js';
import { ENCODE_DEFAULTS } from '../../src/lang/defaults.js';
import { parseSegment } from '../../src/lang/segment-parser.js';
import { SegmentSyntaxError } from '../../src/lang/syntax-error.js';

// The learner's reference quotes error messages; hold it to what the language really says.
// The test runs from test/ under tsx and from dist/test/ once compiled: find the package root.
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    assert.notEqual(parent, dir, 'no package.json above this test');
    dir = parent;
  }
  return dir;
}

const reference = readFileSync(join(packageRoot(), 'docs', 'segment-language.md'), 'utf8');

const rows = [...reference.matchAll(/^\| `(tcp [^`]*)`(?: \([^)]*\))? *\| (.*?) *\|$/gm)].map((match) => ({
  line: match[1] ?? '',
  message: (match[2] ?? '').replaceAll('\\|', '|'),
}));

test('the reference has an error table', () => {
  assert.ok(rows.length >= 10, `found ${rows.length} rows`);
});

for (const { line, message } of rows) {
  test(`the reference quotes the error for ${line}`, () => {
    let caught: unknown;
    try {
      buildPacket(parseSegment(line), { defaults: ENCODE_DEFAULTS, resolve: () => undefined });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof SegmentSyntaxError, `${line} did not fail`);
    assert.equal(caught.message, message);
  });
}
