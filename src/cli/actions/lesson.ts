// `tcplab lesson FILE --answers ANSWERS`: a lesson played without a learner at the keyboard,
// for grading and tests. Each step's tries come from the answers file (docs/lesson-answers.md);
// each verdict is printed with its feedback, as a learner would read it.
//
// Exit status: 0 when the answers pass every step; 1 when a step is not passed; 2 when there
// is no verdict at all: a mistake in how it is called, a lesson or answers file with mistakes
// (each as file:line:column: message), or a network that cannot run.

import { dirname, resolve } from 'node:path';
import { parseArgs } from '../args.js';
import { UsageError, UserFacingError, type CliIo } from '../command.js';
import { networkChoice } from '../network-flags.js';
import { readInput } from '../read-input.js';
import { NetworkUnavailableError, selectNetwork, type NetworkKind } from '../../net/select.js';
import { formatLessonError, formatPlace } from '../../lesson/format/lesson-error.js';
import { readLessonFile } from '../../lesson/format/parse-lesson.js';
import type { Lesson } from '../../lesson/format/schema.js';
import { parseAnswers } from '../../lesson/runner/answers.js';
import { gradeLesson, type GradeEvent, type GradeReport } from '../../lesson/runner/grade.js';
import { gradeStrings } from '../../lesson/runner/grade-strings.js';
import { renderVerdictText } from '../../lesson/runner/render-verdict.js';
import { verdictStrings } from '../../lesson/runner/verdict-strings.js';
import { textWidth } from '../../session/text-width.js';
import { readManifest } from '../../lesson/pack/read-manifest.js';
import type { Network } from '../../net/network.js';
import type { ScreenStreams } from '../../ui/mount-screen.js';
import { canUseTerminalUi } from '../../ui/terminal.js';
import { openLesson } from './home-lesson.js';

const NO_VERDICT = 2;

export async function lessonAction(args: string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args, { values: ['answers', 'net', 'seed', 'token-file'], switches: ['json'] });
  const [file, extra] = positional;
  if (file === undefined) throw new UsageError('which lesson? e.g. tcplab lesson lessons/01-handshake.md --answers answers.md');
  if (extra !== undefined) throw new UsageError(`one lesson at a time (got ${positional.join(' ')})`);
  const { kind, options: networkOptions } = networkChoice(flags);
  const json = flags.has('json');

  const answersFlag = flags.get('answers');
  if (answersFlag === true) throw new UsageError('--answers needs a file (- for stdin)');
  // No answers, at a terminal: the learner takes the lesson in the lesson view.
  const interactive = answersFlag === undefined && canUseTerminalUi(io);
  if (answersFlag === undefined && !interactive && (io.stdin as NodeJS.ReadStream).isTTY === true) {
    io.stderr.write(
      `tcplab lesson: to take ${file} step by step, run it in a terminal (tcplab lesson ${file});\n` +
        `to play it with answers written in a file, run: tcplab lesson ${file} --answers ANSWERS\n` +
        'The answers file holds your segments under "## step N" headings: see docs/lesson-answers.md.\n',
    );
    return NO_VERDICT;
  }

  const parsed = await readLessonFile(file);
  if (!parsed.ok) {
    for (const error of parsed.errors) io.stderr.write(`${formatLessonError(error)}\n`);
    io.stderr.write(`the lesson has ${parsed.errors.length === 1 ? '1 mistake' : `${parsed.errors.length} mistakes`}: fix it first (tcplab pack validate ${file})\n`);
    return NO_VERDICT;
  }
  const lesson = parsed.lesson;

  const answersName = typeof answersFlag === 'string' && answersFlag !== '-' ? answersFlag : 'stdin';
  const answers = interactive ? null : await readAnswers(answersFlag, answersName, lesson, io);
  if (answers === undefined) return NO_VERDICT;

  const chosen = chooseNetwork(lesson, kind);
  if (!chosen.ok) {
    io.stderr.write(`tcplab lesson: ${chosen.reason}\n`);
    return NO_VERDICT;
  }
  let selected;
  try {
    selected = await selectNetwork(chosen.kind, networkOptions);
  } catch (error) {
    if (!(error instanceof NetworkUnavailableError)) throw error;
    io.stderr.write(`tcplab lesson: ${error.message}\n`);
    return NO_VERDICT;
  }
  const { network, note } = selected;
  if (!lesson.meta.networks.includes(network.info.kind === 'sim' ? 'sim' : 'lab')) {
    await network.close();
    io.stderr.write(`tcplab lesson: ${note}, but ${file} runs on ${lesson.meta.networks.join(' and ')} only\n`);
    return NO_VERDICT;
  }

  if (interactive) {
    try {
      await takeLesson(lesson, network, io, flags.has('ipv6') ? 6 : 4);
    } finally {
      await network.close();
    }
    return 0;
  }

  const events: GradeEvent[] = [];
  const printer = json ? null : textPrinter(io, lesson, answersName);
  const g = gradeStrings(lesson.meta.language);
  if (printer !== null) io.stdout.write(`${g.lessonLine(lesson.meta.id, lesson.meta.title, file)}\n${note}\n${g.answersLine(answersName)}\n`);
  let report: GradeReport;
  try {
    const width = (io.stdout as NodeJS.WriteStream).isTTY === true ? Math.max(40, (io.stdout as NodeJS.WriteStream).columns ?? 80) - 4 : 76;
    report = await gradeLesson(lesson, network, answers!.steps, {
      width,
      onEvent: (event) => {
        if (json) events.push(event);
        else printer?.(event);
      },
    });
  } finally {
    await network.close();
  }

  if (json) {
    io.stdout.write(`${JSON.stringify({ ...report, network: network.info.kind, note, answers: answersName, events })}\n`);
  } else {
    const passed = report.steps.filter((step) => step.outcome === 'passed').length;
    const firstMiss = report.steps.find((step): step is typeof step & { outcome: 'failed' | 'not-reached' } => step.outcome !== 'passed');
    io.stdout.write(`\n${g.result(passed, report.steps.length, report.passed, firstMiss === undefined ? null : { step: firstMiss.step, outcome: firstMiss.outcome })}\n`);
  }
  return report.passed ? 0 : 1;
}

function textPrinter(io: CliIo, lesson: Lesson, answersName: string): (event: GradeEvent) => void {
  const write = (text: string) => io.stdout.write(`${text}\n`);
  const g = gradeStrings(lesson.meta.language);
  const s = verdictStrings(lesson.meta.language);
  const hint = `  ${g.hint}${s.colon}`;
  return (event) => {
    switch (event.kind) {
      case 'step': {
        const step = lesson.steps[event.step - 1]!;
        write(`\n${g.stepHeading(event.step, event.title)}`);
        if (step.action.kind === 'run') write(`  ${g.lessonRuns(step.action.commands.map((command) => command.line.text))}`);
        break;
      }
      case 'verdict':
        write(renderVerdictText(event.verdict, { file: lesson.file, language: lesson.meta.language, ...(event.at !== undefined ? { source: formatPlace({ file: answersName, line: event.at.line }) } : {}) }));
        if (event.verdict.by === 'solution' && event.verdict.passed) write(`  ${s.aside(g.solutionPlayed)}`);
        break;
      case 'hint':
        // The hint's later lines under its first, past the label.
        if (event.hint !== null) write(`${hint}${event.hint.markdown.split('\n').join(`\n${' '.repeat(textWidth(hint))}`)}`);
        else write(`${hint}${lesson.steps[event.step - 1]!.hints.length === 0 ? g.noHints : g.noMoreHints}`);
        break;
      case 'solution': {
        write(`  ${g.solution(event.reason, lesson.meta.solutionAfter)}${s.colon}${event.solution.text}`);
        if (event.solution.resolved !== null && event.solution.resolved !== event.solution.text) write(`    ${s.withThisConnection}${s.colon}${event.solution.resolved}`);
        break;
      }
      case 'note':
        write(`  ${s.aside(g.note(event.note))}`);
        break;
    }
  };
}

/** The network to ask for: --net if the lesson lists it; else the only one it lists; else either (undefined). */
function chooseNetwork(lesson: Lesson, asked: NetworkKind | undefined): { ok: true; kind: NetworkKind | undefined } | { ok: false; reason: string } {
  const listed = lesson.meta.networks;
  if (asked !== undefined) return listed.includes(asked) ? { ok: true, kind: asked } : { ok: false, reason: `${lesson.file} runs on ${listed.join(' and ')} only, not ${asked}` };
  return { ok: true, kind: listed.length === 1 ? listed[0] : undefined };
}



/** The lesson in the lesson view, with progress kept under its pack (or with other single lessons). */
async function takeLesson(lesson: Lesson, network: Network, io: CliIo, family: 4 | 6): Promise<void> {
  const pack = await packOf(lesson.file);
  const columns = (io.stdout as NodeJS.WriteStream).columns ?? 80;
  const opened = await openLesson(network, pack.name, pack.title, lesson, Math.max(40, columns - 4), family);
  const { runLessonScreen } = await import('../../ui/run-home.js');
  await runLessonScreen(opened, io as unknown as ScreenStreams);
}

/** The pack whose manifest lists the file, or the shelf of lessons opened on their own. */
async function packOf(file: string): Promise<{ name: string; title: string }> {
  const dir = dirname(resolve(file));
  const read = await readManifest(dir).catch(() => null);
  const manifest = read?.manifest ?? null;
  if (manifest !== null && manifest.lessons.some((path) => resolve(dir, path) === resolve(file))) return { name: manifest.name, title: manifest.title ?? manifest.name };
  return { name: SINGLE_LESSONS, title: dir };
}

/** Where progress in lessons outside any pack is kept. */
const SINGLE_LESSONS = 'tcplab-single-lessons';

/** The answers file read and parsed; undefined (with the mistakes written) when it cannot be used. */
async function readAnswers(answersFlag: string | undefined, answersName: string, lesson: Lesson, io: CliIo) {
  let answersText: string;
  try {
    answersText = Buffer.from(await readInput(answersFlag ?? '-', io.stdin)).toString('utf8');
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    io.stderr.write(`tcplab lesson: ${error.message}\n`);
    return undefined;
  }
  const answers = parseAnswers(answersText, answersName, lesson);
  if (!answers.ok) {
    for (const error of answers.errors) io.stderr.write(`${formatLessonError(error)}\n`);
    io.stderr.write(`the answers have ${answers.errors.length === 1 ? '1 mistake' : `${answers.errors.length} mistakes`}: see docs/lesson-answers.md\n`);
    return undefined;
  }
  return answers;
}
