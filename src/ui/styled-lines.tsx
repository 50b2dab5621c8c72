/**
 * Lines of styled spans drawn as laid out: each already fits `width`, so Ink never wraps one
 * again. What a style looks like is the caller's (prose, a verdict's tones).
 */
import { Box, Text, type TextProps } from 'ink';

export function StyledLines<S>({ lines, width, look }: { lines: ReadonlyArray<ReadonlyArray<{ text: string; style: S }>>; width: number; look: (style: S) => TextProps }) {
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length === 0
            ? ' '
            : line.map((span, j) => (
                <Text key={j} {...look(span.style)}>
                  {span.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}
