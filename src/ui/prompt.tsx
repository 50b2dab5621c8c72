import { Box, Text } from 'ink';
import type { EditorState } from './line-editor.js';
import { caretLine, layoutPromptRow, PROMPT_SIGN, type PromptError } from './prompt-layout.js';
import { textWidth, truncateWidth } from '../session/text-width.js';
import { THEME } from './theme.js';

export { PROMPT_SIGN, type PromptError } from './prompt-layout.js';

export interface PromptProps {
  editor: EditorState;
  width: number;
  error: PromptError | null;
  /** Candidates Tab found, when it found more than one. */
  completions: readonly string[];
}

export function Prompt({ editor, width, error, completions }: PromptProps) {
  const signWidth = textWidth(PROMPT_SIGN);
  const row = layoutPromptRow(editor.text, editor.cursor, width - signWidth - 1);
  // A caret only means something while the line is the one that failed.
  const caret =
    error !== null && error.column !== undefined && error.input === editor.text ? caretLine(error.input, error.column, error.length) : null;
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={THEME.promptSign} bold>
          {PROMPT_SIGN}
        </Text>
        {row.before}
        <Text inverse>{row.atCursor}</Text>
        {row.after}
      </Text>
      {caret !== null && row.before === editor.text.slice(0, editor.cursor) && (
        <Text color={THEME.error}>{truncateWidth(' '.repeat(signWidth) + caret, width - 1)}</Text>
      )}
      {error !== null && (
        <Text color={THEME.error} wrap="wrap">
          {`✗ ${error.message}`}
        </Text>
      )}
      {completions.length > 0 && <CompletionList items={completions} width={width} />}
    </Box>
  );
}

/** At most three rows of candidates, in columns, with a count of the rest. */
function CompletionList({ items, width }: { items: readonly string[]; width: number }) {
  const cell = Math.min(Math.max(...items.map(textWidth)) + 2, width);
  const perRow = Math.max(1, Math.floor((width - 1) / cell));
  const shown = items.slice(0, perRow * 3);
  const rows: string[] = [];
  for (let i = 0; i < shown.length; i += perRow) {
    rows.push(
      shown
        .slice(i, i + perRow)
        .map((item) => item + ' '.repeat(Math.max(0, cell - textWidth(item))))
        .join('')
        .trimEnd(),
    );
  }
  const rest = items.length - shown.length;
  return (
    <Box flexDirection="column">
      {rows.map((text, i) => (
        <Text key={i} color={THEME.note}>
          {truncateWidth(text, width - 1)}
        </Text>
      ))}
      {rest > 0 && <Text color={THEME.note}>{`… and ${rest} more`}</Text>}
    </Box>
  );
}
