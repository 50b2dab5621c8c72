import { Text } from 'ink';
import { statusText, type StatusInfo } from './status-text.js';

export { statusText, type StatusInfo } from './status-text.js';

export function StatusBar({ info, width }: { info: StatusInfo; width: number }) {
  return <Text inverse>{statusText(info, width)}</Text>;
}
