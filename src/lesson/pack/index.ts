// Lesson packs: a folder with a manifest (tcplab-pack.json, or the "tcplab" key of an npm
// package's package.json) and its lessons; loading, validating and scaffolding them, and the
// catalog of the packs a learner has: bundled, added with tcplab pack add, or given with --pack.
export { loadPack, type Pack, type PackLoad } from './load-pack.js';
export { readManifest, type ManifestRead } from './read-manifest.js';
export {
  PACK_MANIFEST_FILE,
  PACKAGE_JSON_KEY,
  PackManifestSchema,
  PackageJsonSchema,
  packManifestJsonSchema,
  type PackManifest,
} from './manifest.js';
export { validatePath, type SolutionRunner, type ValidateOptions, type ValidationReport } from './validate-path.js';
export { scaffoldPack, ScaffoldError, type ScaffoldOptions, type Scaffolded } from './scaffold.js';
export { EXAMPLE_LESSON_FILE, exampleLesson } from './example-lesson.js';
export { loadCatalog, type CatalogEntry, type CatalogOptions } from './catalog.js';
export { AddedPacks, AddedPacksError, configDir, ADDED_PACKS_FILE, type AddedPack, type AddedPacksOptions } from './added-packs.js';
export { bundledPackDirs, bundledLessonsDir, packageRoot } from './bundled-packs.js';
export { userLanguage } from './locale.js';
