import { Box, Text } from 'ink';
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { useRawInput, useTerminalSize } from '../terminal-hooks.js';
import { padWidth, truncateWidth } from '../../session/text-width.js';
import { THEME } from '../theme.js';
import { isTooSmall, TooSmall } from '../too-small.js';
import type { HomeController } from './home-controller.js';
import { rowLine, visibleRows, type RowLine } from './home-rows.js';

/** Lines around the list: title, network, a blank, a rule, the summary (2), the hint, a message, the keys, a spare. */
const FRAME_ROWS = 10;

const TONE_COLOUR: Record<RowLine['tone'], string | undefined> = {
  pack: undefined,
  lesson: undefined,
  passed: THEME.pass,
  started: THEME.timeout,
  problem: THEME.error,
  repl: THEME.key,
};

/** The home screen: the lesson browser and the way to the REPL. It fits the terminal; nothing scrolls away. */
export function HomeApp({ controller }: { controller: HomeController }) {
  const view = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const { columns, rows } = useTerminalSize(useCallback(() => undefined, []));
  useRawInput(useCallback((data: string) => controller.input(data), [controller]));
  const listHeight = Math.max(3, rows - FRAME_ROWS - (view.helpVisible ? controller.strings.keys.length + 1 : 0));
  useEffect(() => {
    controller.pageRows = Math.max(1, listHeight - 2);
  }, [controller, listHeight]);

  if (isTooSmall(columns, rows)) return <TooSmall columns={columns} rows={rows} />;
  const { strings } = controller;
  const width = columns - 1;
  const window = visibleRows(view.rows, view.selected, listHeight);
  const chosen = view.rows[view.selected];
  const lesson = chosen?.kind === 'lesson' ? view.packs[chosen.pack]!.lessons[chosen.lesson]! : null;
  const summary = chosen?.kind === 'repl' ? strings.replSummary : lesson !== null ? `${lesson.title} (${strings.steps(lesson.steps)}): ${lesson.summary}` : '';
  const hint = lesson === null ? '' : lesson.passed ? strings.passedLesson : lesson.resumeStep !== null ? strings.resumeHere : strings.startHere;
  const networkColour = view.network.state === 'failed' ? THEME.error : THEME.note;

  return (
    <Box flexDirection="column" width={columns}>
      <Text bold>{truncateWidth(strings.title, width)}</Text>
      <Text color={networkColour}>{truncateWidth(view.network.text, width)}</Text>
      <Text> </Text>
      {view.packs.length === 0 && <Text color={THEME.timeout}>{truncateWidth(strings.noPacks, width)}</Text>}
      {window.above > 0 && <Text color={THEME.note}>{strings.moreAbove(window.above)}</Text>}
      {view.rows.slice(window.first, window.last + 1).map((_, i) => {
        const line = rowLine(view, window.first + i, strings, width);
        return (
          <Text key={window.first + i} bold={line.tone === 'pack'} color={TONE_COLOUR[line.tone]} inverse={line.selected}>
            {line.selected ? padWidth(line.text, width) : line.text}
          </Text>
        );
      })}
      {window.below > 0 && <Text color={THEME.note}>{strings.moreBelow(window.below)}</Text>}
      <Text color={THEME.note}>{'─'.repeat(Math.max(1, width))}</Text>
      <Box height={2} width={width} overflow="hidden">
        <Text wrap="wrap">{summary}</Text>
      </Box>
      <Text color={THEME.note}>{truncateWidth(hint, width)}</Text>
      {view.message !== null && <Text color={THEME.timeout} wrap="wrap">{view.message}</Text>}
      {view.helpVisible && (
        <Box flexDirection="column">
          <Text bold>{strings.keysTitle}</Text>
          {strings.keys.map(([keys, does]) => (
            <Text key={keys}>
              <Text color={THEME.key}>{`  ${padWidth(keys, 12)}`}</Text>
              {truncateWidth(does, Math.max(1, width - 14))}
            </Text>
          ))}
        </Box>
      )}
      <Text color={THEME.key}>{truncateWidth(strings.keyBar, width)}</Text>
    </Box>
  );
}
