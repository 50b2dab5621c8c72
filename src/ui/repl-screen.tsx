/** Mounts the REPL screen with Ink; imported only once the REPL knows it has a terminal. */
import { mountScreen, type MountedScreen, type ScreenStreams } from './mount-screen.js';
import { ReplApp } from './repl-app.js';
import type { ReplController } from './repl-controller.js';

export type { MountedScreen, ScreenStreams } from './mount-screen.js';

export function mountReplScreen(controller: ReplController, streams: ScreenStreams, options: { relative?: boolean } = {}): MountedScreen {
  return mountScreen(<ReplApp controller={controller} relative={options.relative ?? false} />, streams);
}
