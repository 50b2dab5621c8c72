// Where the bundled packs are: found from tcplab's own package.json, whether tcplab runs from
// its compiled tree (dist/src/...) or from its sources, and wherever it is installed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { bundledLessonsDir, bundledPackDirs, packageRoot } from '../../../src/lesson/pack/bundled-packs.js';
import { projectRoot } from '../../support/project-root.js';

const scratch = mkdtempSync(join(tmpdir(), 'tcplab-bundled-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('the bundled packs', () => {
  test('from this module, tcplab\'s lessons/ and lessons/zh-CN', async () => {
    assert.equal(packageRoot(), projectRoot());
    assert.equal(bundledLessonsDir(), join(projectRoot(), 'lessons'));
    assert.deepEqual(await bundledPackDirs(), [join(projectRoot(), 'lessons'), join(projectRoot(), 'lessons', 'zh-CN')]);
  });

  test('installed as a dependency: the package.json named tcplab, not a closer one or the project\'s', () => {
    const project = join(scratch, 'project');
    const installed = join(project, 'node_modules', 'tcplab');
    const module = join(installed, 'dist', 'src', 'lesson', 'pack', 'bundled-packs.js');
    mkdirSync(join(installed, 'dist', 'src', 'lesson', 'pack'), { recursive: true });
    writeFileSync(join(project, 'package.json'), '{"name":"my-course"}');
    writeFileSync(join(installed, 'package.json'), '{"name":"tcplab","version":"1.0.0"}');
    writeFileSync(join(installed, 'dist', 'package.json'), '{"type":"module"}');
    assert.equal(packageRoot(module), installed);
    assert.throws(() => packageRoot(join(project, 'src', 'x.js')), /^Error: no package\.json named "tcplab" above .*: tcplab's installation is incomplete$/);
  });

  test('subfolders without a manifest are not packs; a missing folder has none', async () => {
    const root = join(scratch, 'lessons');
    for (const sub of ['b', 'a', 'images']) mkdirSync(join(root, sub), { recursive: true });
    writeFileSync(join(root, 'b', 'tcplab-pack.json'), '{}');
    writeFileSync(join(root, 'a', 'package.json'), '{}');
    assert.deepEqual(await bundledPackDirs(root), [join(root, 'a'), join(root, 'b')]);
    assert.deepEqual(await bundledPackDirs(join(scratch, 'none')), []);
  });
});
