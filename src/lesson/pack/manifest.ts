// A pack's manifest: its name, version, language, author and lesson order. It lives in
// tcplab-pack.json, or under the "tcplab" key of package.json, so an npm package is a pack
// with no second file to keep in step.

import { posix } from 'node:path';
import { z } from 'zod';
import { LanguageTagSchema } from '../format/schema.js';

export const PACK_MANIFEST_FILE = 'tcplab-pack.json';
export const PACKAGE_JSON_KEY = 'tcplab';

/** npm's rules for a package name, so the pack can be published under the name it has. */
export const PACK_NAME_PATTERN = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** Semantic Versioning 2.0.0, as npm requires. */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A relative path inside the pack, with forward slashes, to a Markdown file. */
export const LESSON_PATH_PATTERN = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[^\\:]+\.md$/;

const PackNameSchema = z
  .string()
  .max(214, { error: 'must be at most 214 characters, as npm requires' })
  .regex(PACK_NAME_PATTERN, { error: 'must be an npm package name: lowercase letters, digits, - . _ ~, optionally @scope/' })
  .describe('The npm package name of the pack, e.g. tcp-basics or @school/tcp-basics.');

const VersionSchema = z
  .string()
  .regex(SEMVER_PATTERN, { error: 'must be a version such as 1.0.0 (Semantic Versioning)' })
  .describe('The version, as npm reads it: 1.0.0, 1.1.0-beta.1.');

const AuthorSchema = z
  .union([
    z.string().min(1),
    z.strictObject({ name: z.string().min(1), email: z.string().optional(), url: z.string().optional() }),
  ])
  .describe('Who wrote the pack: "Name <email> (url)", or { "name", "email", "url" } as npm takes it.');

const LessonsSchema = z
  .array(
    z.string().regex(LESSON_PATH_PATTERN, { error: 'must be a path inside the pack to a .md file, written with /, e.g. lessons/01-handshake.md' }),
  )
  .min(1, { error: 'list at least one lesson' })
  .superRefine((paths, ctx) => {
    const normal = paths.map((path) => posix.normalize(path));
    normal.forEach((path, i) => {
      const first = normal.indexOf(path);
      if (first !== i) ctx.addIssue({ code: 'custom', path: [i], message: `'${paths[i]}' is already listed as lesson ${first + 1}` });
    });
  })
  .describe('The lesson files in the order the course takes them, relative to the pack folder.');

const packFields = {
  language: LanguageTagSchema.describe('The language of every lesson in the pack, a BCP 47 tag: en, zh-CN.'),
  title: z.string().min(1).optional().describe('The name shown in the lesson browser; the package name when left out.'),
  lessons: LessonsSchema,
};

export const PackManifestSchema = z
  .strictObject({
    name: PackNameSchema,
    version: VersionSchema,
    ...packFields,
    description: z.string().optional().describe('One or two sentences on what the pack teaches.'),
    author: AuthorSchema.optional(),
  })
  .meta({ title: 'tcplab pack manifest', description: `A tcplab pack's ${PACK_MANIFEST_FILE}: its name, version, language and lesson order.` });

export type PackManifest = z.output<typeof PackManifestSchema>;

/** The "tcplab" key of a package.json: name, version, description and author are the package's own. */
export const PackageJsonPackSchema = z.strictObject(packFields);

export const PackageJsonSchema = z.looseObject({
  name: PackNameSchema,
  version: VersionSchema,
  description: z.string().optional(),
  author: AuthorSchema.optional(),
  [PACKAGE_JSON_KEY]: PackageJsonPackSchema,
});

/** JSON Schema for tcplab-pack.json, for an editor. */
export function packManifestJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(PackManifestSchema, { io: 'input', target: 'draft-2020-12' }), $schema: 'https://json-schema.org/draft/2020-12/schema' };
}
