/** Toned lines drawn as laid out: each already fits `width`, so Ink never wraps one again. */
import { Box, Text } from 'ink';
import { toneLook, type ToneLine } from './tone.js';

export function ToneLines({ lines, width }: { lines: readonly ToneLine[]; width: number }) {
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length === 0
            ? ' '
            : line.map((span, j) => (
                <Text key={j} {...toneLook(span.style)}>
                  {span.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}
