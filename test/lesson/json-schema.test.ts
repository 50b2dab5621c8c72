import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseLesson } from '../../src/lesson/format/parse-lesson.js';
import { lessonJsonSchema, parsedLessonJsonSchema } from '../../src/lesson/format/schema.js';
import { exampleLesson } from '../../src/lesson/pack/example-lesson.js';
import { packManifestJsonSchema } from '../../src/lesson/pack/manifest.js';
import { fixturePath } from '../support/run-cli.js';

// The keywords of JSON Schema draft 2020-12 (core, applicator, validation, meta-data and
// format vocabularies): an editor ignores anything else, so a schema using it says less than it seems.
const KEYWORDS = new Set([
  '$schema', '$id', '$ref', '$defs', '$comment', '$anchor', '$dynamicRef', '$dynamicAnchor', '$vocabulary',
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas', 'prefixItems', 'items', 'contains',
  'properties', 'patternProperties', 'additionalProperties', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties',
  'type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength',
  'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains', 'maxProperties', 'minProperties', 'required',
  'dependentRequired', 'title', 'description', 'default', 'deprecated', 'readOnly', 'writeOnly', 'examples', 'format',
]);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_VALUES = new Set(['not', 'if', 'then', 'else', 'items', 'contains', 'additionalProperties', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties']);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/** Problems that make `schema` not a draft 2020-12 schema, each with its JSON pointer. */
function schemaProblems(schema: unknown, pointer = ''): string[] {
  if (typeof schema === 'boolean') return [];
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [`${pointer}: a schema is an object or a boolean`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    const at = `${pointer}/${key}`;
    if (!KEYWORDS.has(key)) problems.push(`${at}: not a draft 2020-12 keyword`);
    if (SCHEMA_MAPS.has(key)) for (const [name, sub] of Object.entries(value as object)) problems.push(...schemaProblems(sub, `${at}/${name}`));
    if (SCHEMA_LISTS.has(key)) (value as unknown[]).forEach((sub, i) => problems.push(...schemaProblems(sub, `${at}/${i}`)));
    if (SCHEMA_VALUES.has(key)) problems.push(...schemaProblems(value, at));
    if (key === 'type' && ![value].flat().every((type) => TYPES.has(type as string))) problems.push(`${at}: unknown type ${String(value)}`);
    if (key === 'pattern') {
      try {
        new RegExp(value as string, 'u');
      } catch {
        problems.push(`${at}: not a regular expression`);
      }
    }
    if (key === 'required' && !(Array.isArray(value) && value.every((name) => typeof name === 'string'))) problems.push(`${at}: a list of names`);
  }
  return problems;
}

function frontMatterOf(lessonText: string): unknown {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(lessonText);
  assert.ok(match, 'no front-matter');
  return parseYaml(match[1] ?? '');
}

describe('the JSON Schema for the front-matter', () => {
  const schema = lessonJsonSchema();
  const validator = z.fromJSONSchema(JSON.parse(JSON.stringify(schema)));

  test('is draft 2020-12, using only its keywords', () => {
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.deepEqual(schemaProblems(schema), []);
    assert.deepEqual(schema.required, ['id', 'title', 'summary', 'language']);
    assert.equal(schema.additionalProperties, false);
  });

  test("accepts the new pack's example lesson, in English and in Chinese, and the fixtures", () => {
    for (const text of [exampleLesson('en'), exampleLesson('zh-CN'), readFileSync(fixturePath('lessons', 'handshake.md'), 'utf8'), readFileSync(fixturePath('lessons', 'be-the-server.md'), 'utf8')]) {
      const result = validator.safeParse(frontMatterOf(text));
      assert.ok(result.success, JSON.stringify(result.error?.issues));
    }
  });

  const valid = { id: 'a', title: 'T', summary: 'S', language: 'en' };
  const invalid: Array<[string, Record<string, unknown>]> = [
    ['a missing title', { id: 'a', summary: 'S', language: 'en' }],
    ['an unknown field', { ...valid, solutonAfter: 3 }],
    ['an id with capitals', { ...valid, id: 'Handshake' }],
    ['networks as text', { ...valid, networks: 'lab' }],
    ['an unknown network', { ...valid, networks: ['lab', 'ws'] }],
    ['an unknown role', { ...valid, role: 'observer' }],
    ['a misspelt server behaviour', { ...valid, server: 'close-afer=5' }],
    ['close-after without its count', { ...valid, server: 'close-after' }],
    ['solutionAfter as text', { ...valid, solutionAfter: '3' }],
    ['solutionAfter of 0', { ...valid, solutionAfter: 0 }],
    ['a language that is no tag', { ...valid, language: 'english' }],
  ];
  for (const [what, value] of invalid) {
    test(`rejects ${what}`, () => {
      assert.equal(validator.safeParse(value).success, false);
    });
  }

  test('accepts every server behaviour form the parser accepts', () => {
    for (const server of ['echo', 'banner', 'banner="hi\\r\\n"', 'close-after=5', 'slow-reader', 'slow-reader=10', 'refuse', 'length-prefixed']) {
      assert.ok(validator.safeParse({ ...valid, server }).success, server);
    }
  });
});

describe('the JSON Schema for tcplab-pack.json', () => {
  const schema = packManifestJsonSchema();
  const validator = z.fromJSONSchema(JSON.parse(JSON.stringify(schema)));

  test('is draft 2020-12, using only its keywords', () => {
    assert.deepEqual(schemaProblems(schema), []);
    assert.deepEqual(schema.required, ['name', 'version', 'language', 'lessons']);
  });

  test('accepts a real manifest and rejects broken ones', () => {
    const manifest = JSON.parse(readFileSync(fixturePath('lessons', 'packs', 'basics', 'tcplab-pack.json'), 'utf8')) as Record<string, unknown>;
    assert.ok(validator.safeParse(manifest).success);
    for (const broken of [{ ...manifest, version: '1' }, { ...manifest, name: 'Caps' }, { ...manifest, lessons: [] }, { ...manifest, lessons: ['../x.md'] }, { ...manifest, extra: 1 }]) {
      assert.equal(validator.safeParse(broken).success, false, JSON.stringify(broken));
    }
  });
});

describe('the JSON Schema for a parsed lesson', () => {
  test('is draft 2020-12 and accepts lessons as the parser writes them', () => {
    const schema = parsedLessonJsonSchema();
    assert.deepEqual(schemaProblems(schema), []);
    const validator = z.fromJSONSchema(JSON.parse(JSON.stringify(schema)));
    for (const name of ['handshake.md', 'be-the-server.md']) {
      const parsed = parseLesson(readFileSync(fixturePath('lessons', name), 'utf8'), name);
      assert.ok(parsed.ok);
      const result = validator.safeParse(JSON.parse(JSON.stringify(parsed.lesson)));
      assert.ok(result.success, JSON.stringify(result.error?.issues));
    }
  });
});
