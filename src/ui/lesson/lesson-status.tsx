import { Text } from 'ink';
import { padWidth, textWidth } from '../../session/text-width.js';
import type { LessonStatus } from './lesson-controller.js';
import type { LessonStrings } from './lesson-strings.js';

/**
 * The lesson's status line: the network, the step and how it stands, the learner's and the
 * server's ends, and the server socket's state. What does not fit goes, addresses first.
 */
export function lessonStatusText(status: LessonStatus, strings: LessonStrings, width: number, busy: boolean): string {
  const step = `${strings.statusStep(status.step, status.total)}: ${strings.stepStatus[status.stepStatus]}`;
  const tries = status.tries > 0 ? ` (${strings.tries(status.tries)})` : '';
  const role = status.peerRole === 'client' ? strings.statusClient : strings.statusServer;
  const server = `${role}: ${status.serverState ?? '-'}`;
  const working = busy ? `  ${strings.busy}` : '';
  const variants = [
    ` ${status.network} │ ${step}${tries} │ ${strings.statusYou} ${status.me} ${status.peerRole === 'client' ? '←' : '→'} ${status.peer} │ ${server}${working} `,
    ` ${status.network} │ ${step}${tries} │ ${server}${working} `,
    ` ${status.network} │ ${step} │ ${server} `,
    ` ${strings.statusStep(status.step, status.total)} `,
  ];
  const fitting = variants.find((text) => textWidth(text) <= width) ?? variants[variants.length - 1]!;
  return padWidth(fitting, width);
}

export function LessonStatusLine({ status, strings, width, busy }: { status: LessonStatus; strings: LessonStrings; width: number; busy: boolean }) {
  return <Text inverse>{lessonStatusText(status, strings, width, busy)}</Text>;
}
