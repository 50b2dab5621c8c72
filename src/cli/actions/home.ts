// `tcplab` on a terminal: the home screen (the lesson browser and the REPL). The network
// starts while the screen draws; packs and progress are read afresh each time the learner
// comes back to it. Without a terminal, bare `tcplab` is the REPL reading commands as a script.
import { relative } from 'node:path';
import { parseArgs } from '../args.js';
import { UsageError, type CliIo } from '../command.js';
import { networkChoice } from '../network-flags.js';
import { replAction } from './repl.js';
import { selectNetwork } from '../../net/select.js';
import type { Network } from '../../net/network.js';
import { resumePoint } from '../../lesson/progress/resume-point.js';
import { ProgressStore } from '../../lesson/progress/store.js';
import { LessonRun } from '../../lesson/runner/lesson-run.js';
import { releasePort, takePort } from '../../session/learner-ports.js';
import { Session } from '../../session/session.js';
import type { ScreenStreams } from '../../ui/mount-screen.js';
import { canUseTerminalUi } from '../../ui/terminal.js';
import { listPacks, type ListedPack } from './home-packs.js';

export async function homeAction(args: string[], io: CliIo): Promise<number> {
  const { positional, flags, lists } = parseArgs(args, { values: ['net', 'seed', 'token-file'], switches: ['ipv6'], repeatable: ['pack'] });
  const packDirs = lists.get('pack') ?? [];
  if (!canUseTerminalUi(io)) {
    if (packDirs.length > 0) {
      throw new UsageError('the lesson browser needs a terminal; without one, tcplab lesson FILE --answers ANSWERS plays a lesson');
    }
    // Commands on stdin: the REPL reads them as a script, as `tcplab repl` does.
    return replAction(args, io);
  }
  if (positional.length > 0) throw new UsageError(`unexpected '${positional[0]}'`);
  const { kind, options } = networkChoice(flags);
  const family = flags.has('ipv6') ? 6 : 4;

  const selecting = selectNetwork(kind, options);
  // A network that fails is told on the home screen; this keeps its rejection from going unheard meanwhile.
  selecting.catch(() => undefined);
  const warnings: string[] = [];
  let listed: ListedPack[] = [];
  const { runHome } = await import('../../ui/run-home.js');
  try {
    await runHome(
      {
        network: selecting.then(({ network, note }) => ({ kind: network.info.kind, note })),
        warnings: () => warnings.splice(0),
        packs: async () => {
          listed = await listPacks(packDirs, (message) => warnings.push(message));
          return listed.map((pack) => pack.home);
        },
        openLesson: async (home, lessonId, width) => {
          const pack = listed.find((candidate) => candidate.home === home);
          const lesson = pack?.lessons.get(lessonId);
          if (pack === undefined || pack.name === null || lesson === undefined) throw new Error(`the lesson '${lessonId}' is no longer in ${home.dir}`);
          const { network } = await selecting;
          return openLesson(network, pack.name, home.title, lesson, width, family);
        },
        openRepl: async () => {
          const { network, note } = await selecting;
          // A REPL opened again must not meet the half-open connections the last one left.
          const port = takePort(network);
          const session = await Session.open(network, { family, port }).catch((error: unknown) => {
            releasePort(network, port);
            throw error;
          });
          return {
            session,
            note,
            close: () => {
              session.close();
              releasePort(network, port);
            },
          };
        },
      },
      io as unknown as ScreenStreams,
    );
  } finally {
    await selecting.then(({ network }) => network.close()).catch(() => undefined);
  }
  return 0;
}

/** A run of `lesson`, resumed where the learner left it unless it was passed (then afresh, to do again). */
export async function openLesson(network: Network, packName: string, packTitle: string, lesson: LessonRun['lesson'], width: number, family: 4 | 6) {
  const store = new ProgressStore(packName);
  const progress = await store.load();
  const saved = Object.hasOwn(progress.lessons, lesson.meta.id) ? progress.lessons[lesson.meta.id] : undefined;
  const position = saved !== undefined && !saved.passed ? ProgressStore.resumeFrom(progress, lesson.meta.id) : null;
  const resume = position !== null ? resumePoint(position, lesson.steps.length) : null;
  const run = await LessonRun.open(lesson, network, { width, family, ...(resume !== null ? { resume } : {}) });
  return {
    run,
    packTitle,
    file: displayPath(lesson.file),
    resumed: resume !== null,
    progress: { save: (position: ReturnType<LessonRun['position']>, passed: boolean) => store.saveRun(position, passed) },
  };
}

/** A lesson file as feedback names it: from the current folder when it is below it, else as read. */
function displayPath(file: string): string {
  const near = relative(process.cwd(), file);
  return near !== '' && !near.startsWith('..') ? near : file;
}
