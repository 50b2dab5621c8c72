import { Box, Text } from 'ink';
import { renderVerdictText } from '../../lesson/runner/render-verdict.js';
import { LogLine } from '../packet-log-line.js';
import { Prose } from '../prose/index.js';
import { THEME } from '../theme.js';
import type { LessonItem } from './lesson-controller.js';

export interface TranscriptContext {
  width: number;
  /** The lesson file, for file:line:column places in feedback. */
  file: string;
  language: string;
}

/** One entry of the lesson's transcript, drawn once. */
export function TranscriptItem({ item, context }: { item: LessonItem; context: TranscriptContext }) {
  const { width } = context;
  switch (item.kind) {
    case 'title':
      return (
        <Box flexDirection="column" width={width}>
          <Text color={THEME.note}>{item.pack}</Text>
          <Text bold>{item.title}</Text>
          <Text color={THEME.note}>{item.summary}</Text>
        </Box>
      );
    case 'prose':
      return <Prose markdown={item.markdown} width={width} />;
    case 'step':
      return (
        <Box marginTop={1}>
          <Text bold color={THEME.key}>{`■ ${item.text}`}</Text>
        </Box>
      );
    case 'try':
      return (
        <Text>
          <Text color={THEME.promptSign}>{'› '}</Text>
          <Text bold>{item.text}</Text>
        </Text>
      );
    case 'entry':
      return <LogLine entry={item.entry} previous={item.previous} />;
    case 'verdict':
      return <Text color={item.verdict.passed ? THEME.pass : THEME.fail}>{renderVerdictText(item.verdict, { file: context.file })}</Text>;
    case 'hint':
      return <Text color={THEME.note}>{`hint ${item.index}/${item.total}: ${item.hint.markdown}`}</Text>;
    case 'solution':
      return <Text>{`solution: ${item.solution.text}${item.solution.resolved !== null ? `  (${item.solution.resolved})` : ''}`}</Text>;
    case 'note':
      return <Text color={item.tone === 'pass' ? THEME.pass : item.tone === 'warn' ? THEME.timeout : THEME.note}>{item.text}</Text>;
  }
}
