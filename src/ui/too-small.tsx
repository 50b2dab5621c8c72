import { Text } from 'ink';
import { truncateWidth } from './text-width.js';

/** Below this, the status bar, the log and the prompt cannot all be drawn legibly. */
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;

export function isTooSmall(columns: number, rows: number): boolean {
  return columns < MIN_COLUMNS || rows < MIN_ROWS;
}

/** One line instead of a broken layout; cut to fit, since even that may be too wide. */
export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  const message = `Terminal too small (${columns}x${rows}): tcplab needs ${MIN_COLUMNS}x${MIN_ROWS}. Enlarge it to go on.`;
  return <Text color="yellow">{truncateWidth(message, Math.max(1, columns - 1))}</Text>;
}
