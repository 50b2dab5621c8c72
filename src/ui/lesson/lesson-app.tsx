import { Box, Static, Text } from 'ink';
import { useCallback, useSyncExternalStore } from 'react';
import { Prompt, PROMPT_SIGN } from '../prompt.js';
import { useRawInput, useTerminalSize } from '../terminal-hooks.js';
import { truncateWidth } from '../../session/text-width.js';
import { THEME } from '../theme.js';
import { isTooSmall, TooSmall } from '../too-small.js';
import type { LessonController, LessonItem } from './lesson-controller.js';
import { LessonKeyHelp } from './lesson-key-help.js';
import { LessonStatusLine } from './lesson-status.js';
import { TranscriptItem } from './transcript-item.js';

/**
 * The lesson view: the transcript above (append-only, drawn once per entry), then the status
 * line, the cell and the keys. The controller holds every piece of state; this only draws it.
 */
export function LessonApp({ controller }: { controller: LessonController }) {
  const view = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const { columns, rows } = useTerminalSize(useCallback(() => controller.redraw(), [controller]));
  useRawInput(useCallback((data: string) => controller.input(data), [controller]));
  const { strings } = controller;
  const context = { width: columns - 1, file: controller.lessonFile, language: controller.language };

  if (isTooSmall(columns, rows)) return <TooSmall columns={columns} rows={rows} />;
  const bar = { edit: strings.editBar, command: strings.commandBar, passed: strings.passedBar, run: strings.runBar }[view.bar];
  return (
    <Box flexDirection="column" width={columns}>
      <Static key={view.epoch} items={view.items as LessonItem[]}>
        {(item) => (
          <Box key={item.key} width={columns - 1}>
            <TranscriptItem item={item} context={context} />
          </Box>
        )}
      </Static>
      {!view.exiting && (
        <Box flexDirection="column" marginTop={1}>
          {view.helpVisible && <LessonKeyHelp strings={strings} width={columns} />}
          <LessonStatusLine status={view.status} strings={strings} width={columns} busy={view.busy} />
          {view.sends && view.mode === 'edit' && <Prompt editor={view.editor} width={columns} error={view.error} completions={[]} />}
          {view.sends && view.mode === 'command' && <Text color={THEME.note}>{truncateWidth(`${PROMPT_SIGN}${view.editor.text}`, columns - 1)}</Text>}
          <Text color={THEME.key}>{truncateWidth(bar, columns - 1)}</Text>
        </Box>
      )}
    </Box>
  );
}
