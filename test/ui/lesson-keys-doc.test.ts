// The lesson view's keys, as docs/lesson-view.md lists them, are the ones the view knows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LESSON_KEYS } from '../../src/ui/lesson/lesson-keys.js';
import { LESSON_STRING_TABLES } from '../../src/ui/lesson/lesson-strings.js';
import { HOME_STRING_TABLES } from '../../src/ui/home/home-strings.js';
import { projectRoot } from '../support/project-root.js';

const doc = readFileSync(join(projectRoot(), 'docs', 'lesson-view.md'), 'utf8');
const lessonSection = doc.slice(doc.indexOf('## The lesson view'), doc.indexOf('## Progress'));

test('docs/lesson-view.md lists every key of the lesson view, and no other one-letter key', () => {
  for (const key of LESSON_KEYS) for (const letter of key.keys) assert.ok(lessonSection.includes(`| \`${letter}\``) || lessonSection.includes(`\`${letter}\` |`) || lessonSection.includes(`, \`${letter}\``), `the doc does not list ${letter}`);
  for (const row of lessonSection.matchAll(/^\| `([^`]+)`(?:, `([^`]+)`)? \|/gm)) {
    for (const letter of [row[1], row[2]].filter((k): k is string => k !== undefined)) {
      assert.ok(LESSON_KEYS.some((key) => key.keys.includes(letter)), `the doc lists ${letter}, which the view does not know`);
    }
  }
});

test('every translation of the two screens\' words is complete', () => {
  for (const tables of [LESSON_STRING_TABLES, HOME_STRING_TABLES]) {
    const [english, ...others] = Object.values(tables);
    for (const other of others) {
      assert.deepEqual(Object.keys(other).sort(), Object.keys(english!).sort());
      for (const [name, value] of Object.entries(other)) {
        if (typeof value === 'string') assert.notEqual(value, (english as unknown as Record<string, unknown>)[name], `${name} is not translated`);
      }
    }
  }
});
