// A state file written atomically: a reader sees the old text or the new one, never a mix or
// an empty file, even while a writer is killed mid-write; what a killed writer leaves behind is
// cleaned up. The writer is a real process: this file runs itself as a child (TCPLAB_ATOMIC_CHILD).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { removeAbandonedTempFiles, writeFileAtomically } from '../../src/lesson/atomic-write.js';
import { hostExecArgv } from '../../src/net/lab/namespace.js';

/** A version of the file: large enough that a plain write would be seen half done. */
const version = (n: number) => `${JSON.stringify({ n, filler: 'x'.repeat(200_000 + (n % 7) * 10_000) })}\n`;
const whole = (text: string) => text.endsWith('}\n') && JSON.parse(text).filler.length >= 200_000;

const child = process.env.TCPLAB_ATOMIC_CHILD;
if (child !== undefined) {
  for (let n = 1; ; n++) await writeFileAtomically(child, version(n));
}

const scratch = mkdtempSync(join(tmpdir(), 'tcplab-atomic-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('writeFileAtomically', () => {
  test('writes the text, replaces an existing file, and leaves nothing else in the folder', async () => {
    const dir = join(scratch, 'plain');
    mkdirSync(dir);
    const path = join(dir, 'packs.json');
    await writeFileAtomically(path, 'one\n');
    assert.equal(readFileSync(path, 'utf8'), 'one\n');
    await writeFileAtomically(path, 'two\n');
    assert.equal(readFileSync(path, 'utf8'), 'two\n');
    assert.deepEqual(readdirSync(dir), ['packs.json']);
  });

  test('a write that fails leaves what was there and no temporary file', async () => {
    const dir = join(scratch, 'failing');
    // A folder where the file should be: the rename over it fails, for root too.
    const path = join(dir, 'packs.json');
    mkdirSync(join(path, 'inside'), { recursive: true });
    await assert.rejects(writeFileAtomically(path, 'new\n'), { code: 'EISDIR' });
    assert.deepEqual(readdirSync(dir), ['packs.json']);
    assert.deepEqual(readdirSync(path), ['inside']);
  });

  test('while a writer rewrites the file and is killed, every read is one whole version', async () => {
    const dir = join(scratch, 'killed');
    mkdirSync(dir);
    const path = join(dir, 'packs.json');
    await writeFileAtomically(path, version(0));
    const writer = spawn(process.execPath, [...hostExecArgv(), fileURLToPath(import.meta.url)], {
      env: { ...process.env, TCPLAB_ATOMIC_CHILD: path },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => writer.once('exit', (_code, signal) => resolve(signal)));
    const seen = new Set<number>();
    try {
      const deadline = Date.now() + 10_000;
      while (seen.size < 20 && Date.now() < deadline) {
        const text = readFileSync(path, 'utf8');
        assert.ok(whole(text), `a read saw ${text.length} characters, not a whole version`);
        seen.add(JSON.parse(text).n);
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      writer.kill('SIGKILL');
    }
    assert.ok(seen.size >= 20, `the writer wrote only ${seen.size} versions in 10 s`);
    assert.equal(await exited, 'SIGKILL');
    assert.ok(whole(readFileSync(path, 'utf8')));

    // A temporary file like the one a killed writer may leave, under a pid that is gone.
    const abandoned = join(dir, `.packs.json.${writer.pid}.0123456789ab.tmp`);
    writeFileSync(abandoned, 'half');
    const ours = join(dir, `.packs.json.${process.pid}.0123456789ab.tmp`);
    writeFileSync(ours, 'in progress');
    await removeAbandonedTempFiles(path);
    assert.deepEqual(readdirSync(dir).sort(), [`.packs.json.${process.pid}.0123456789ab.tmp`, 'packs.json']);
  });
});
