// `tcplab pack new NAME`: a pack folder ready to edit, validate and publish with npm: a
// package.json whose "tcplab" key is the manifest, a README, and one example lesson.

import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeReadError } from '../format/parse-lesson.js';
import { LanguageTagSchema } from '../format/schema.js';
import { EXAMPLE_LESSON_FILE, exampleLesson, hasExampleTranslation } from './example-lesson.js';
import { PACK_NAME_PATTERN, PACKAGE_JSON_KEY } from './manifest.js';

export interface ScaffoldOptions {
  /** The npm package name, e.g. tcp-basics or @school/tcp-basics. */
  name: string;
  /** Where to create it; the name's last part in the current folder when left out. */
  dir?: string;
  /** BCP 47; en when left out. */
  language?: string;
  author?: string;
}

export interface Scaffolded {
  dir: string;
  /** Paths written, relative to dir. */
  files: string[];
  /** False when the example lesson is in English because there is no translation for the pack's language. */
  translated: boolean;
}

/** A reason the pack cannot be made, for a one-line message. */
export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

export async function scaffoldPack(options: ScaffoldOptions): Promise<Scaffolded> {
  const { name } = options;
  if (!PACK_NAME_PATTERN.test(name) || name.length > 214) {
    throw new ScaffoldError(`'${name}' is not an npm package name: use lowercase letters, digits, - . _ ~, optionally @scope/`);
  }
  const language = options.language ?? 'en';
  const tag = LanguageTagSchema.safeParse(language);
  if (!tag.success) throw new ScaffoldError(`'${language}' is not a language tag such as en or zh-CN${canonicalHint(tag.error.issues)}`);
  const dir = options.dir ?? name.split('/').pop() ?? name;
  await ensureEmpty(dir);

  const files: Record<string, string> = {
    'package.json': `${JSON.stringify(packageJson(name, language, options.author), null, 2)}\n`,
    'README.md': readme(name, language),
    [EXAMPLE_LESSON_FILE]: exampleLesson(language),
  };
  for (const [path, text] of Object.entries(files)) {
    const target = join(dir, path);
    try {
      await mkdir(join(target, '..'), { recursive: true });
      await writeFile(target, text, { flag: 'wx' });
    } catch (error) {
      throw new ScaffoldError(`cannot write ${target}: ${describeReadError(error)}`);
    }
  }
  return { dir, files: Object.keys(files), translated: hasExampleTranslation(language) };
}

function packageJson(name: string, language: string, author: string | undefined): Record<string, unknown> {
  const chinese = language.toLowerCase().startsWith('zh');
  return {
    name,
    version: '0.1.0',
    description: chinese ? 'tcplab 课程包：亲手构造 TCP 报文段。' : 'A tcplab lesson pack: TCP, one hand-built segment at a time.',
    ...(author === undefined ? {} : { author }),
    keywords: ['tcplab', 'tcplab-pack', 'tcp'],
    files: ['lessons/', 'README.md'],
    [PACKAGE_JSON_KEY]: { language, lessons: [EXAMPLE_LESSON_FILE] },
  };
}

function readme(name: string, language: string): string {
  if (language.toLowerCase().startsWith('zh')) {
    return `# ${name}

一个 tcplab 课程包。每一课都是 \`lessons/\` 里的一个 Markdown 文件；
\`package.json\` 里的 \`"tcplab"\` 一项写明课程包的语言和课程顺序。

- 检查所有课程：\`tcplab pack validate .\`
- 课程文件的格式：见 tcplab 的 docs/lesson-format.zh-CN.md
- 发布：在 package.json 里加上 license，然后 \`npm publish\`
`;
  }
  return `# ${name}

A tcplab lesson pack. Each lesson is a Markdown file in \`lessons/\`; the \`"tcplab"\` key
of \`package.json\` gives the pack's language and the order of its lessons.

- Check every lesson: \`tcplab pack validate .\`
- The lesson format: docs/lesson-format.md in tcplab
- Publish: add a license to package.json, then \`npm publish\`
`;
}

function canonicalHint(issues: ReadonlyArray<{ message: string; code: string }>): string {
  const custom = issues.find((issue) => issue.code === 'custom');
  return custom === undefined ? '' : `; ${custom.message}`;
}

async function ensureEmpty(dir: string): Promise<void> {
  let entries: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new ScaffoldError(`${dir} exists and is not a folder`);
    entries = await readdir(dir);
  } catch (error) {
    if (error instanceof ScaffoldError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    // Not there (or under a file): writing will say what is wrong, if anything.
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw new ScaffoldError(`cannot use ${dir}: ${describeReadError(error)}`);
  }
  if (entries.length > 0) throw new ScaffoldError(`${dir} already exists and is not empty; nothing was written`);
}
