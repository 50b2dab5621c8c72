/** Mounts the home screen with Ink; imported only once tcplab knows it has a terminal. */
import { render } from 'ink';
import type { MountedScreen, ScreenStreams } from '../repl-screen.js';
import { HomeApp } from './home-app.js';
import type { HomeController } from './home-controller.js';

export function mountHomeScreen(controller: HomeController, streams: ScreenStreams): MountedScreen {
  const instance = render(<HomeApp controller={controller} />, { stdin: streams.stdin, stdout: streams.stdout, stderr: streams.stderr, exitOnCtrlC: false });
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
