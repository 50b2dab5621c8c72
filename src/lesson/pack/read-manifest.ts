// Finds and reads a pack's manifest in a folder: tcplab-pack.json, or the "tcplab" key of
// package.json. Every mistake is reported at its line and column in the file it is in.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineIndex, type LessonError, type Position } from '../format/lesson-error.js';
import { describeReadError } from '../format/parse-lesson.js';
import { schemaErrors, type DocumentLocator } from '../format/schema-errors.js';
import { JsonSyntaxError, parseJsonDocument, type JsonDocument } from './json-source.js';
import { PACK_MANIFEST_FILE, PACKAGE_JSON_KEY, PackageJsonPackSchema, PackageJsonSchema, PackManifestSchema, type PackManifest } from './manifest.js';

export interface ManifestRead {
  manifest: PackManifest | null;
  /** The file the manifest was read from (the folder when there is none), for messages. */
  file: string;
  /** Where the i-th lesson path is written, for messages about that lesson. */
  lessonAt(index: number): Position;
  /** Where the pack's language is written. */
  languageAt: Position;
  errors: LessonError[];
}

interface JsonRead extends ManifestRead {
  doc: JsonDocument | null;
  locator: DocumentLocator;
}

const TOP: Position = { line: 1, column: 1 };

export async function readManifest(dir: string): Promise<ManifestRead> {
  const packFile = join(dir, PACK_MANIFEST_FILE);
  const packageFile = join(dir, 'package.json');
  const packText = await readText(packFile);
  const packageText = await readText(packageFile);
  for (const [file, read] of [[packFile, packText], [packageFile, packageText]] as const) {
    if (read !== null && 'error' in read) return { ...nowhere(file), errors: [{ file, message: `cannot read it: ${read.error}` }] };
  }

  if (packText !== null && 'text' in packText) {
    const read = readJson(packFile, packText.text, []);
    if (packageText !== null && 'text' in packageText) {
      const pkg = readJson(packageFile, packageText.text, []);
      if (pkg.doc !== null && isObject(pkg.doc.value) && PACKAGE_JSON_KEY in pkg.doc.value) {
        const at = pkg.locator.keyAt([PACKAGE_JSON_KEY]) ?? TOP;
        read.errors.push({ file: packageFile, ...at, message: `this folder also has ${PACK_MANIFEST_FILE}: keep the manifest in one place` });
      }
    }
    if (read.doc === null) return read;
    const parsed = PackManifestSchema.safeParse(read.doc.value, { reportInput: true });
    if (!parsed.success) {
      read.errors.push(...schemaErrors(packFile, parsed.error.issues, read.locator, () => Object.keys(PackManifestSchema.shape)));
      return read;
    }
    return { ...read, manifest: read.errors.length === 0 ? parsed.data : null };
  }

  if (packageText === null || !('text' in packageText)) {
    return {
      ...nowhere(dir),
      errors: [{ file: dir, message: `not a pack: no ${PACK_MANIFEST_FILE}, and no package.json with a "${PACKAGE_JSON_KEY}" key (tcplab pack new NAME makes a pack)` }],
    };
  }
  const read = readJson(packageFile, packageText.text, [PACKAGE_JSON_KEY]);
  if (read.doc === null) return read;
  if (!isObject(read.doc.value) || !(PACKAGE_JSON_KEY in read.doc.value)) {
    read.errors.push({ file: packageFile, message: `not a pack: package.json has no "${PACKAGE_JSON_KEY}" key, and there is no ${PACK_MANIFEST_FILE}` });
    return read;
  }
  const parsed = PackageJsonSchema.safeParse(read.doc.value, { reportInput: true });
  if (!parsed.success) {
    const keysAt = (path: readonly PropertyKey[]) => (path[0] === PACKAGE_JSON_KEY ? Object.keys(PackageJsonPackSchema.shape) : []);
    read.errors.push(...schemaErrors(packageFile, parsed.error.issues, read.locator, keysAt));
    return read;
  }
  const { name, version, description, author } = parsed.data;
  const manifest: PackManifest = { name, version, ...parsed.data[PACKAGE_JSON_KEY] };
  if (description !== undefined) manifest.description = description;
  if (author !== undefined) manifest.author = author;
  return { ...read, manifest };
}

/** `prefix` is where the pack's fields sit in the document: [] for tcplab-pack.json, ['tcplab'] in package.json. */
function readJson(file: string, raw: string, prefix: readonly PropertyKey[]): JsonRead {
  const index = new LineIndex(raw.replace(/^\uFEFF/, ''));
  const at = (offset: number | null): Position | null => (offset === null ? null : index.positionOf(offset));
  try {
    const doc = parseJsonDocument(index.text);
    const locator: DocumentLocator = { valueAt: (path) => at(doc.valueOffset(path)), keyAt: (path) => at(doc.keyOffset(path)), whole: TOP };
    return {
      manifest: null,
      file,
      doc,
      locator,
      lessonAt: (i) => locator.valueAt([...prefix, 'lessons', i]) ?? TOP,
      languageAt: locator.valueAt([...prefix, 'language']) ?? TOP,
      errors: [],
    };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const errors = [{ file, ...index.positionOf(error.offset), message: `not valid JSON: ${error.message}` }];
    return { ...nowhere(file), doc: null, locator: { valueAt: () => null, keyAt: () => null, whole: TOP }, errors };
  }
}

function nowhere(file: string): ManifestRead {
  return { manifest: null, file, lessonAt: () => TOP, languageAt: TOP, errors: [] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readText(path: string): Promise<{ text: string } | { error: string } | null> {
  try {
    return { text: await readFile(path, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { error: describeReadError(error) };
  }
}
