// `tcplab pack`: the learner's own list of packs (add a pack folder or an installed npm
// package, list every pack with its progress, remove an added one), and for instructors the
// lesson format's schema, validation of lesson files and packs, and a new pack to start from.
// `tcplab --pack DIR`, a pack for one run, is read by the home screen; the pack catalog serves
// both. What each subcommand does is in ../actions/pack.ts, loaded only when `tcplab pack` runs.

import type { CliCommand } from '../command.js';
import type { LessonNetwork } from '../../lesson/format/schema.js';
import type { SolutionRunner } from '../../lesson/pack/validate-path.js';

/** Runners for validate, with the networks left out and why ("the lab: it cannot run here: ..."). */
export interface SolutionRunnerSet {
  runners: SolutionRunner[];
  skipped: string[];
  close(): Promise<void>;
}

export interface PackCommandOptions {
  /**
   * What plays each lesson's solutions during validate, on every network or only the one
   * `--net` names; none means static checks only.
   */
  solutionRunners?: (only: LessonNetwork | null) => Promise<SolutionRunner[] | SolutionRunnerSet>;
}

export function makePackCommand(options: PackCommandOptions = {}): CliCommand {
  return {
    name: 'pack',
    description: 'lesson packs: add, list and remove your packs; check lesson files and packs, start a new pack',
    usage: [
      'tcplab pack add DIR|PACKAGE            add a pack folder, or an npm package installed here or globally, once it',
      '                                        has no mistakes; tcplab then shows it',
      'tcplab pack list                       every pack tcplab shows: where it is from, its lessons, your progress',
      'tcplab pack remove NAME|DIR            forget an added pack (your progress in it is kept)',
      'tcplab pack validate PATH...           check lesson files or pack folders, and play every lesson\'s solutions on sim',
      '                                        and (where it can run) the lab; exit 1 with file:line:column: message per mistake',
      'tcplab pack validate --net sim PATH... play the solutions on one network only (sim or lab)',
      'tcplab pack validate --json PATH...    the same as one JSON object: ok, errors, and the lessons as parsed',
      'tcplab pack new NAME [--language TAG] [--author TEXT] [--dir DIR]',
      '                                        make a pack folder with a package.json, a README and an example lesson',
      'tcplab pack schema [lesson|pack|parsed] JSON Schema for a lesson\'s front-matter (default), tcplab-pack.json,',
      '                                        or a lesson as tcplab parses it',
    ],
    action: async (args, io) => (await import('../actions/pack.js')).packAction(args, io, options),
  };
}

/** `tcplab pack`, playing solutions on sim and, where it can run, the lab. */
export const packCommand = makePackCommand({
  solutionRunners: async (only) => (await import('../../lesson/runner/solution-runner.js')).lessonSolutionRunners(only),
});
