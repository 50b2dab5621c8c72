import { Box, Static, useStdin, useStdout } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { KeyHelp } from './key-help.js';
import { LogLine } from './packet-log-line.js';
import { Prompt } from './prompt.js';
import type { LogItem, ReplController } from './repl-controller.js';
import { StatusBar } from './status-bar.js';
import { isTooSmall, TooSmall } from './too-small.js';

/**
 * Rows the keys leave free: the status bar, the prompt, an error with its caret, and one
 * spare, so the screen never overflows (Ink then redraws it whole on every key).
 */
const HELP_MARGIN_ROWS = 6;

/** How long a resize must settle before the log is drawn again: a drag sends dozens. */
const RESIZE_SETTLE_MS = 60;

/**
 * The REPL screen: the log above (append-only, drawn once per entry), then the status bar
 * and the prompt. The controller holds every piece of state; this only draws it.
 */
export function ReplApp({ controller, relative = false }: { controller: ReplController; relative?: boolean }) {
  const view = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const { columns, rows } = useTerminalSize(controller);
  useRawInput(controller);

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

/** The terminal's size, and a full redraw once a resize settles, so nothing is left half-wrapped. */
function useTerminalSize(controller: ReplController): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const onResize = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        setSize(read());
        controller.redraw();
      }, RESIZE_SETTLE_MS);
    };
    stdout.on('resize', onResize);
    return () => {
      clearTimeout(timer);
      stdout.off('resize', onResize);
    };
  }, [stdout, controller]);
  return size;
}

/**
 * Reads the terminal's input as it came, not through Ink's key parser: that one reads a
 * chunk such as "tcp\r" as a single key and cannot tell Backspace from Delete.
 */
function useRawInput(controller: ReplController): void {
  const { setRawMode, internal_eventEmitter: events } = useStdin();
  useEffect(() => {
    setRawMode(true);
    const onInput = (data: string) => controller.input(data);
    events.on('input', onInput);
    return () => {
      events.off('input', onInput);
      setRawMode(false);
    };
  }, [controller, setRawMode, events]);
}
