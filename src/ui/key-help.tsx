import { Box, Text } from 'ink';
import { KEY_HELP_ROWS } from './key-bindings.js';
import { padWidth, textWidth, truncateWidth } from '../session/text-width.js';
import { THEME } from './theme.js';

/**
 * The keys, as `?` shows them above the prompt, in at most `maxRows` rows: on a short
 * terminal the list is cut with a pointer to the full one.
 */
export function KeyHelp({ width, maxRows }: { width: number; maxRows: number }) {
  const keysWidth = Math.min(Math.max(...KEY_HELP_ROWS.map((row) => textWidth(row.keys))), Math.floor(width / 2));
  const budget = Math.max(2, maxRows) - 1;
  const cut = KEY_HELP_ROWS.length > budget;
  const rows = cut ? KEY_HELP_ROWS.slice(0, budget - 1) : KEY_HELP_ROWS;
  return (
    <Box flexDirection="column">
      <Text bold>{truncateWidth('Keys (? or Esc to hide):', width - 1)}</Text>
      {rows.map((row) => (
        <Text key={row.keys}>
          <Text color={THEME.key}>{`  ${padWidth(row.keys, keysWidth)}  `}</Text>
          {truncateWidth(row.does, Math.max(1, width - keysWidth - 5))}
        </Text>
      ))}
      {cut && <Text color={THEME.note}>{truncateWidth(`  … ${KEY_HELP_ROWS.length - rows.length} more: enlarge the terminal, or read docs/keys.md`, width - 1)}</Text>}
    </Box>
  );
}
