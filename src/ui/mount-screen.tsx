/**
 * Mounts one of tcplab's screens with Ink on the given terminal. This module pulls in Ink and
 * React, so screens are imported only once tcplab knows it has a terminal.
 */
import { render } from 'ink';
import type { ReactElement } from 'react';

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

export function mountScreen(screen: ReactElement, streams: ScreenStreams): MountedScreen {
  const instance = render(screen, {
    stdin: streams.stdin,
    stdout: streams.stdout,
    stderr: streams.stderr,
    // Ctrl-C belongs to the screen: the prompt clears the line first, and quits only on an empty one.
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
