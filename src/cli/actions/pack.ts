// What `tcplab pack` does (its usage is in ../commands/pack.ts): the learner's list of packs
// (add, list, remove: ./pack-catalog.ts), the lesson format's schema for editors, validation of
// lesson files and packs, and a new pack to start from.

import { relative } from 'node:path';
import { parseArgs } from '../args.js';
import { UsageError, UserFacingError, type CliIo } from '../command.js';
import { didYouMean } from '../../lang/suggest.js';
import { formatLessonError } from '../../lesson/format/lesson-error.js';
import { lessonJsonSchema, parsedLessonJsonSchema } from '../../lesson/format/schema.js';
import { packManifestJsonSchema } from '../../lesson/pack/manifest.js';
import { ScaffoldError, scaffoldPack } from '../../lesson/pack/scaffold.js';
import { validatePath, type ValidationReport } from '../../lesson/pack/validate-path.js';
import type { PackCommandOptions, SolutionRunnerSet } from '../commands/pack.js';
import { addPack, listPacks, removePack } from './pack-catalog.js';

const SCHEMAS: Record<string, () => Record<string, unknown>> = {
  lesson: lessonJsonSchema,
  pack: packManifestJsonSchema,
  parsed: parsedLessonJsonSchema,
};

const SUBCOMMANDS = ['add', 'list', 'remove', 'validate', 'new', 'schema'];

export async function packAction(args: string[], io: CliIo, options: PackCommandOptions): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add':
      return addPack(rest, io);
    case 'list':
      return listPacks(rest, io);
    case 'remove':
      return removePack(rest, io);
    case 'schema':
      return schema(rest, io);
    case 'validate':
      return validate(rest, io, options);
    case 'new':
      return create(rest, io);
    case undefined:
      throw new UsageError(`which one? ${SUBCOMMANDS.join(', ')}`);
    default:
      throw new UsageError(`unknown pack command '${sub}'; ${didYouMean(sub, SUBCOMMANDS) ?? `pack takes ${SUBCOMMANDS.join(', ')}`}`);
  }
}

function schema(args: string[], io: CliIo): number {
  const { positional } = parseArgs(args, {});
  if (positional.length > 1) throw new UsageError('pack schema takes one of lesson, pack, parsed');
  const which = positional[0] ?? 'lesson';
  const make = SCHEMAS[which];
  if (make === undefined) {
    throw new UsageError(`no schema '${which}'; ${didYouMean(which, Object.keys(SCHEMAS)) ?? `the schemas are ${Object.keys(SCHEMAS).join(', ')}`}`);
  }
  io.stdout.write(`${JSON.stringify(make(), null, 2)}\n`);
  return 0;
}

async function validate(args: string[], io: CliIo, options: PackCommandOptions): Promise<number> {
  const { positional, flags } = parseArgs(args, { values: ['net'], switches: ['json'] });
  if (positional.length === 0) throw new UsageError('which lesson file or pack folder? e.g. tcplab pack validate my-pack/');
  const net = flags.get('net');
  if (net !== undefined && net !== 'sim' && net !== 'lab') throw new UsageError(`--net is sim or lab, not '${net === true ? '' : net}'`);
  const only = net ?? null;
  const given = (await options.solutionRunners?.(only)) ?? [];
  const set: SolutionRunnerSet = Array.isArray(given) ? { runners: given, skipped: [], close: async () => {} } : given;
  const runners = only === null ? set.runners : set.runners.filter((runner) => runner.network === only);
  if (only !== null && options.solutionRunners !== undefined && runners.length === 0) {
    await set.close();
    throw new UserFacingError(`the solutions cannot be played on ${only}: ${set.skipped.join('; ') || 'no runner for it'}`);
  }
  const reports: ValidationReport[] = [];
  try {
    for (const path of positional) reports.push(await validatePath(path, { runners }));
  } finally {
    await set.close();
  }
  const errors = reports.flatMap((report) => report.errors);
  const lessons = reports.flatMap((report) => report.lessons);
  const solutionRuns = reports.flatMap((r) => r.solutionRuns);

  if (flags.has('json')) {
    io.stdout.write(`${JSON.stringify({ ok: errors.length === 0, errors, lessons, solutionRuns, solutionsSkipped: set.skipped })}\n`);
    return errors.length === 0 ? 0 : 1;
  }
  for (const error of errors) io.stderr.write(`${formatLessonError(error)}\n`);
  const checked = lessons.length === 1 ? '1 lesson' : `${lessons.length} lessons`;
  const packs = reports.filter((report) => report.pack !== null).map((report) => report.pack?.manifest.name);
  const where = packs.length > 0 ? ` in ${packs.join(', ')}` : '';
  const played = [...new Set(solutionRuns.map((run) => run.network))].sort().reverse();
  const ran =
    runners.length === 0
      ? '; solutions were not run (static checks only)'
      : played.length === 0
        ? ''
        : `; every solution passes on ${played.map((network) => (network === 'lab' ? 'the lab' : network)).join(' and ')}`;
  if (errors.length === 0) {
    io.stdout.write(`${checked}${where}: no mistakes${ran}\n`);
    for (const skipped of set.skipped) io.stdout.write(`solutions were not played on ${skipped}\n`);
    return 0;
  }
  for (const skipped of set.skipped) io.stderr.write(`solutions were not played on ${skipped}\n`);
  const files = new Set(errors.map((error) => error.file)).size;
  io.stderr.write(`${errors.length === 1 ? '1 mistake' : `${errors.length} mistakes`} in ${files === 1 ? '1 file' : `${files} files`}\n`);
  return 1;
}

async function create(args: string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args, { values: ['language', 'author', 'dir'] });
  const [name, extra] = positional;
  if (name === undefined) throw new UsageError('what is the pack called? e.g. tcplab pack new tcp-basics');
  if (extra !== undefined) throw new UsageError(`pack new takes one name (got ${positional.join(' ')})`);
  const text = (flag: string) => {
    const value = flags.get(flag);
    return typeof value === 'string' ? value : undefined;
  };
  try {
    const made = await scaffoldPack({ name, dir: text('dir'), language: text('language'), author: text('author') });
    const shown = relative(process.cwd(), made.dir) || '.';
    io.stdout.write(`made the pack ${name} in ${shown}/\n`);
    for (const file of made.files) io.stdout.write(`  ${file}\n`);
    if (!made.translated) io.stdout.write('The example lesson is in English: translate it into the pack\'s language.\n');
    io.stdout.write(`Next: edit the lesson, then tcplab pack validate ${shown}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ScaffoldError) throw new UserFacingError(error.message);
    throw error;
  }
}
