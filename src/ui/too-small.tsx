import { Text } from 'ink';
import { truncateWidth } from '../session/text-width.js';

/** Below this, the status bar, the log and the prompt cannot all be drawn legibly. */
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;

export function isTooSmall(columns: number, rows: number): boolean {
  return columns < MIN_COLUMNS || rows < MIN_ROWS;
}

/** One line instead of a broken layout; cut to fit, since even that may be too wide. */
export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  // Short enough to be read whole at 39 columns, the widest terminal that gets it.
  const message = `Terminal too small: ${columns}x${rows}, needs ${MIN_COLUMNS}x${MIN_ROWS}`;
  return <Text color="yellow">{truncateWidth(message, Math.max(1, columns - 1))}</Text>;
}
