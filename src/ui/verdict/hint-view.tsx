/**
 * A hint the learner asked for: "hint 2 of 3" in the lesson's language, then the hint's
 * Markdown drawn by <Prose>, indented under its label.
 */
import { Box, Text } from 'ink';
import type { Hint } from '../../lesson/format/schema.js';
import { verdictStrings } from '../../lesson/runner/verdict-strings.js';
import { Prose } from '../prose/prose.js';
import { THEME } from '../theme.js';
import { truncateWidth } from '../../session/text-width.js';

export interface HintViewProps {
  hint: Hint;
  /** Which hint this is, from 1, and how many the step has. */
  index: number;
  total: number;
  language?: string;
  width: number;
}

const INDENT = 2;

export function HintView({ hint, index, total, language, width }: HintViewProps) {
  const label = verdictStrings(language).hint(index, total);
  return (
    <Box flexDirection="column" width={width}>
      <Text color={THEME.key} bold wrap="truncate-end">
        {truncateWidth(label, width)}
      </Text>
      <Box marginLeft={INDENT}>
        <Prose markdown={hint.markdown} width={Math.max(1, width - INDENT)} />
      </Box>
    </Box>
  );
}
