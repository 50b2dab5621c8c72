import { Box, Static } from 'ink';
import { useCallback, useSyncExternalStore } from 'react';
import { KeyHelp } from './key-help.js';
import { LogLine } from './packet-log-line.js';
import { Prompt } from './prompt.js';
import type { LogItem, ReplController } from './repl-controller.js';
import { StatusBar } from './status-bar.js';
import { useRawInput, useTerminalSize } from './terminal-hooks.js';
import { isTooSmall, TooSmall } from './too-small.js';

/**
 * Rows the keys leave free: the status bar, the prompt, an error with its caret, and one
 * spare, so the screen never overflows (Ink then redraws it whole on every key).
 */
const HELP_MARGIN_ROWS = 6;

/**
 * The REPL screen: the log above (append-only, drawn once per entry), then the status bar
 * and the prompt. The controller holds every piece of state; this only draws it.
 */
export function ReplApp({ controller, relative = false }: { controller: ReplController; relative?: boolean }) {
  const view = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const { columns, rows } = useTerminalSize(useCallback(() => controller.redraw(), [controller]));
  useRawInput(useCallback((data: string) => controller.input(data), [controller]));

  if (isTooSmall(columns, rows)) return <TooSmall columns={columns} rows={rows} />;
  return (
    <Box flexDirection="column" width={columns}>
      <Static key={view.epoch} items={view.items as LogItem[]}>
        {(item) => (
          <Box key={item.key} width={columns}>
            <LogLine entry={item.entry} previous={item.previous} relative={relative} />
          </Box>
        )}
      </Static>
      {!view.exiting && (
        <Box flexDirection="column">
          {view.helpVisible && <KeyHelp width={columns} maxRows={rows - HELP_MARGIN_ROWS} />}
          <StatusBar info={view.status} width={columns} />
          <Prompt editor={view.editor} width={columns} error={view.error} completions={view.completions} />
        </Box>
      )}
    </Box>
  );
}
