/**
 * Mounts the REPL screen with Ink. This module is what pulls in Ink and React, so it is
 * imported only once the REPL knows it has a terminal.
 */
import { render } from 'ink';
import { ReplApp } from './repl-app.js';
import type { ReplController } from './repl-controller.js';

export interface MountedScreen {
  /** Draws the last frame and lets go of the terminal. */
  unmount(): Promise<void>;
  /** Forgets what Ink drew, before the screen is cleared under it. */
  forget(): void;
}

export interface ScreenStreams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export function mountReplScreen(controller: ReplController, streams: ScreenStreams, options: { relative?: boolean } = {}): MountedScreen {
  const instance = render(<ReplApp controller={controller} relative={options.relative ?? false} />, {
    stdin: streams.stdin,
    stdout: streams.stdout,
    stderr: streams.stderr,
    // Ctrl-C is the prompt's: it clears the line first, and quits only on an empty one.
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
