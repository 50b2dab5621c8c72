/** Mounts the home screen with Ink; imported only once tcplab knows it has a terminal. */
import { mountScreen, type MountedScreen, type ScreenStreams } from '../mount-screen.js';
import { HomeApp } from './home-app.js';
import type { HomeController } from './home-controller.js';

export function mountHomeScreen(controller: HomeController, streams: ScreenStreams): MountedScreen {
  return mountScreen(<HomeApp controller={controller} />, streams);
}
