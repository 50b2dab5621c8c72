import { Box, Text } from 'ink';
import { padWidth, truncateWidth } from '../../session/text-width.js';
import { THEME } from '../theme.js';
import { LESSON_KEYS } from './lesson-keys.js';
import type { LessonStrings } from './lesson-strings.js';

/** The lesson's keys, as `?` shows them above the cell. */
export function LessonKeyHelp({ strings, width }: { strings: LessonStrings; width: number }) {
  return (
    <Box flexDirection="column">
      <Text bold wrap="wrap">
        {strings.keysTitle}
      </Text>
      {LESSON_KEYS.map((key) => (
        <Text key={key.action}>
          <Text color={THEME.key}>{`  ${padWidth(key.keys.join(' '), 4)}  `}</Text>
          {truncateWidth(key.does(strings), Math.max(1, width - 9))}
        </Text>
      ))}
    </Box>
  );
}
