import { Box, Text } from 'ink';
import { LogLine } from '../packet-log-line.js';
import { Prose } from '../prose/index.js';
import { THEME } from '../theme.js';
import { HintView, SolutionView, VerdictView } from '../verdict/index.js';
import type { LessonItem } from './lesson-controller.js';
import { lessonStrings } from './lesson-strings.js';

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
        <Box marginTop={1}>
          <Text>
            <Text color={THEME.promptSign}>{'› '}</Text>
            <Text bold>{item.text}</Text>
            {item.by === 'solution' && <Text color={THEME.note}>{`  (${lessonStrings(context.language).playedBySolution})`}</Text>}
          </Text>
        </Box>
      );
    case 'entry':
      return <LogLine entry={item.entry} previous={item.previous} />;
    case 'verdict':
      return <VerdictView verdict={item.verdict} file={context.file} language={context.language} width={width} />;
    case 'hint':
      return <HintView hint={item.hint} index={item.index} total={item.total} language={context.language} width={width} />;
    case 'solution':
      return <SolutionView solution={item.solution} language={context.language} width={width} />;
    case 'note':
      return <Text color={item.tone === 'pass' ? THEME.pass : item.tone === 'warn' ? THEME.timeout : THEME.note}>{item.text}</Text>;
  }
}
