// `tcplab` on a terminal: the home screen (the lesson browser and the REPL). The network
// starts first, and the packs are read while Ink loads; packs and progress are read afresh
// each time the learner comes back. Without a terminal, bare `tcplab` is the REPL reading
// commands as a script. Modules load when a path needs them, so the screen comes sooner.
import { parseArgs } from '../args.js';
import { UsageError, type CliIo } from '../command.js';
import { networkChoice } from '../network-flags.js';
import { beginNetwork } from '../open-repl-session.js';
import type { ScreenStreams } from '../../ui/mount-screen.js';
import { canUseTerminalUi } from '../../ui/terminal.js';
import type { ListedPack } from './home-packs.js';

export async function homeAction(args: string[], io: CliIo): Promise<number> {
  const { positional, flags, lists } = parseArgs(args, { values: ['net', 'seed', 'token-file'], switches: ['ipv6'], repeatable: ['pack'] });
  const packDirs = lists.get('pack') ?? [];
  if (!canUseTerminalUi(io)) {
    if (packDirs.length > 0) {
      throw new UsageError('the lesson browser needs a terminal; without one, tcplab lesson FILE --answers ANSWERS plays a lesson');
    }
    // Commands on stdin: the REPL reads them as a script, as `tcplab repl` does.
    return (await import('./repl.js')).replAction(args, io);
  }
  if (positional.length > 0) throw new UsageError(`unexpected '${positional[0]}'`);
  const choice = networkChoice(flags);
  const family = flags.has('ipv6') ? 6 : 4;

  const { selecting } = await beginNetwork(choice);
  // A network that fails is told on the home screen; this keeps its rejection from going unheard meanwhile.
  selecting.catch(() => undefined);
  const warnings: string[] = [];
  let listed: ListedPack[] = [];
  const homePacks = import('./home-packs.js');
  const homeLesson = import('./home-lesson.js');
  const sessions = Promise.all([import('../../session/session.js'), import('../../session/learner-ports.js')]);
  const { runHome } = await import('../../ui/run-home.js');
  try {
    await runHome(
      {
        network: selecting.then(({ network, note }) => ({ kind: network.info.kind, note })),
        warnings: () => warnings.splice(0),
        packs: async () => {
          const { listPacks } = await homePacks;
          listed = await listPacks(packDirs, (message) => warnings.push(message));
          return listed.map((pack) => pack.home);
        },
        openLesson: async (home, lessonId, width) => {
          const pack = listed.find((candidate) => candidate.home === home);
          const lesson = pack?.lessons.get(lessonId);
          if (pack === undefined || pack.name === null || lesson === undefined) throw new Error(`the lesson '${lessonId}' is no longer in ${home.dir}`);
          const { network } = await selecting;
          const { openLesson } = await homeLesson;
          return openLesson(network, pack.name, home.title, lesson, width, family);
        },
        openRepl: async () => {
          const { network, note } = await selecting;
          const [{ Session }, { releasePort, takePort }] = await sessions;
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

