/**
 * Mounts the lesson view with Ink. This module pulls in Ink and React, so it is imported
 * only once tcplab knows it has a terminal.
 */
import { render } from 'ink';
import type { MountedScreen, ScreenStreams } from '../repl-screen.js';
import { LessonApp } from './lesson-app.js';
import type { LessonController } from './lesson-controller.js';

export function mountLessonScreen(controller: LessonController, streams: ScreenStreams): MountedScreen {
  const instance = render(<LessonApp controller={controller} />, {
    stdin: streams.stdin,
    stdout: streams.stdout,
    stderr: streams.stderr,
    // Ctrl-C is the view's: it clears the cell first, and leaves only from an empty one.
    exitOnCtrlC: false,
  });
  return {
    async unmount() {
      instance.unmount();
      await instance.waitUntilExit().catch(() => undefined);
    },
    forget() {
      instance.clear();
    },
  };
}
