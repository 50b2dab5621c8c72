/** Mounts the lesson view with Ink; imported only once tcplab knows it has a terminal. */
import { mountScreen, type MountedScreen, type ScreenStreams } from '../mount-screen.js';
import { LessonApp } from './lesson-app.js';
import type { LessonController } from './lesson-controller.js';

export function mountLessonScreen(controller: LessonController, streams: ScreenStreams): MountedScreen {
  return mountScreen(<LessonApp controller={controller} />, streams);
}
