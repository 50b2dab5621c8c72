/**
 * `tcplab` on a terminal: the home screen, and the lesson view or the REPL it opens, one after
 * another until the learner quits. What opens a lesson or a REPL (the network, the packs,
 * progress on disk) is handed in by the caller, so the screens know nothing of sockets or
 * files. Ink and React load here, lazily.
 */
import type { LessonRunPort, ProgressSink } from './lesson/lesson-controller.js';
import type { HomeChoice, HomePack } from './home/home-controller.js';
import type { ReplSession } from './repl-session.js';
import type { ScreenStreams } from './mount-screen.js';
import type { CompletionSource } from './completion.js';
import { loadWithoutCiVariables } from './ink-loader.js';

export interface OpenedLesson {
  run: LessonRunPort & { close(): Promise<void> };
  progress: ProgressSink;
  packTitle: string;
  resumed: boolean;
  /** The lesson file as feedback names it. */
  file: string;
}

export interface HomePorts {
  /** The packs with the learner's progress, read afresh each time the home screen shows. */
  packs(): Promise<HomePack[]>;
  /** Settles when the network is up (with the sentence naming it) or could not start. */
  network: Promise<{ kind: string; note: string }>;
  openLesson(pack: HomePack, lessonId: string, width: number): Promise<OpenedLesson>;
  openRepl(): Promise<{ session: ReplSession; note: string; close(): void }>;
  /** Said once on the home screen: packs set aside, progress that could not be read. */
  warnings?: () => string[];
}

/** What the terminal shows while the home screen loads. */
const EARLY_LINE = 'tcplab …';

/** Clears the screen and its scrollback, and homes the cursor. */
const CLEAR_TERMINAL = '\u001b[2J\u001b[3J\u001b[H';

export async function runHome(ports: HomePorts, streams: ScreenStreams): Promise<void> {
  const stdin = streams.stdin;
  // Keys pressed while Ink loads wait in the terminal, and a Ctrl-C among them is a key.
  stdin.setRawMode?.(true);
  const loading = loadScreens();
  // Ink and the packs take most of a second to load: a first line says tcplab is on its way,
  // and is erased (it is one line, the cursor still on it) when the screen comes.
  let early = true;
  streams.stdout.write(`\r${EARLY_LINE}`);
  let network: { kind: string; note: string } | null = null;
  let networkError: string | null = null;
  ports.network.then(
    (ready) => (network = ready),
    (error: unknown) => (networkError = error instanceof Error ? error.message : String(error)),
  );
  let message: string | null = null;
  try {
    // The packs are read while Ink loads: each takes a few hundred milliseconds.
    let reading = ports.packs();
    for (;;) {
      const [screens, packs] = await Promise.all([loading, reading]);
      const choice = await new Promise<{ choice: HomeChoice; home: InstanceType<typeof screens.HomeController>; screen: Awaited<ReturnType<typeof screens.mountHomeScreen>> }>((resolve) => {
        const home: InstanceType<typeof screens.HomeController> = new screens.HomeController({ packs, onChoose: (chosen) => resolve({ choice: chosen, home, screen }) });
        const showNetwork = () => {
          if (network !== null) home.setNetwork({ text: home.strings.networkReady(network.note), kind: network.kind, state: 'ready' });
          else if (networkError !== null) home.setNetwork({ text: home.strings.networkFailed(networkError), kind: null, state: 'failed' });
          else home.setNetwork({ text: home.strings.networkStarting('lab'), kind: null, state: 'starting' });
        };
        showNetwork();
        ports.network.then(showNetwork, showNetwork);
        for (const warning of [...(ports.warnings?.() ?? []), ...(message !== null ? [message] : [])]) home.say(warning);
        message = null;
        if (early) streams.stdout.write('\r\u001b[K');
        early = false;
        const screen = screens.mountHomeScreen(home, streams);
      });
      const { home, screen } = choice;
      if (choice.choice.kind === 'quit') {
        await screen.unmount();
        return;
      }
      if (choice.choice.kind === 'repl') {
        await screen.unmount();
        streams.stdout.write(CLEAR_TERMINAL);
        message = await runReplFromHome(ports, streams);
        streams.stdout.write(CLEAR_TERMINAL);
        stdin.setRawMode?.(true);
        reading = ports.packs();
        continue;
      }
      const { pack, lesson } = choice.choice;
      home.say(home.strings.opening);
      let opened: OpenedLesson;
      try {
        opened = await ports.openLesson(pack, lesson.id, Math.max(40, (streams.stdout.columns || 80) - 4));
      } catch (error) {
        message = error instanceof Error ? error.message : String(error);
        await screen.unmount();
        streams.stdout.write(CLEAR_TERMINAL);
        reading = ports.packs();
        continue;
      }
      await screen.unmount();
      streams.stdout.write(CLEAR_TERMINAL);
      message = await runLesson(opened, streams, screens);
      streams.stdout.write(CLEAR_TERMINAL);
      // Read afresh: the lesson just left changed the progress marks.
      reading = ports.packs();
    }
  } finally {
    stdin.setRawMode?.(false);
    // Stop reading, or the open terminal would keep the process alive after tcplab is done.
    stdin.pause();
  }
}

/** One lesson on its own (`tcplab lesson FILE` at a terminal): the lesson view until the learner leaves it. */
export async function runLessonScreen(opened: OpenedLesson, streams: ScreenStreams): Promise<void> {
  streams.stdin.setRawMode?.(true);
  try {
    await runLesson(opened, streams, await loadScreens());
  } finally {
    streams.stdin.setRawMode?.(false);
    streams.stdin.pause();
  }
}

async function runLesson(opened: OpenedLesson, streams: ScreenStreams, screens: Screens): Promise<string | null> {
  let leave: () => void = () => {};
  const left = new Promise<void>((resolve) => (leave = resolve));
  let screen: { unmount(): Promise<void>; forget(): void } | null = null;
  const controller = new screens.LessonController({
    run: opened.run,
    packTitle: opened.packTitle,
    progress: opened.progress,
    resumed: opened.resumed,
    file: opened.file,
    complete: screens.cellCompletion,
    onLeave: () => leave(),
    clearScreen: () => {
      screen?.forget();
      streams.stdout.write(CLEAR_TERMINAL);
    },
  });
  try {
    screen = screens.mountLessonScreen(controller, streams);
    await left;
    return null;
  } finally {
    await screen?.unmount();
    controller.dispose();
    await opened.run.close().catch(() => undefined);
  }
}

async function runReplFromHome(ports: HomePorts, streams: ScreenStreams): Promise<string | null> {
  let opened;
  try {
    opened = await ports.openRepl();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  try {
    const { runRepl } = await import('./run-repl.js');
    await runRepl({ session: opened.session, streams, note: opened.note });
    return null;
  } finally {
    opened.close();
  }
}

type Screens = Awaited<ReturnType<typeof importScreens>>;

async function importScreens() {
  const [home, homeScreen, lesson, lessonScreen, completion, completionData] = await Promise.all([
    import('./home/home-controller.js'),
    import('./home/home-screen.js'),
    import('./lesson/lesson-controller.js'),
    import('./lesson/lesson-screen.js'),
    import('./completion.js'),
    import('./completion-data.js'),
  ]);
  const cellCompletion: CompletionSource = completion.completionSource(completionData.sessionCompletionData());
  return {
    HomeController: home.HomeController,
    mountHomeScreen: homeScreen.mountHomeScreen,
    LessonController: lesson.LessonController,
    mountLessonScreen: lessonScreen.mountLessonScreen,
    cellCompletion,
  };
}

let screensModule: Promise<Screens> | null = null;

/** Loads Ink, React and the screens, once. */
function loadScreens(): Promise<Screens> {
  screensModule ??= loadWithoutCiVariables(importScreens);
  return screensModule;
}
