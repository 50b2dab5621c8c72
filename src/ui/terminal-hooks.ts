/**
 * The two things every tcplab screen needs from the terminal: its size (with a full redraw
 * once a resize settles) and its raw input, read as it came.
 */
import { useStdin, useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** How long a resize must settle before the screen is drawn again: a drag sends dozens. */
const RESIZE_SETTLE_MS = 60;

/** The terminal's size; `redraw` runs once a resize settles, so nothing is left half-wrapped. */
export function useTerminalSize(redraw: () => void): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const onResize = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        setSize(read());
        redraw();
      }, RESIZE_SETTLE_MS);
    };
    stdout.on('resize', onResize);
    return () => {
      clearTimeout(timer);
      stdout.off('resize', onResize);
    };
    // `read` reads stdout only; `redraw` is the controller's, stable for its life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, redraw]);
  return size;
}

/**
 * Reads the terminal's input as it came, not through Ink's key parser: that one reads a
 * chunk such as "tcp\r" as a single key and cannot tell Backspace from Delete.
 */
export function useRawInput(input: (data: string) => void): void {
  const { setRawMode, internal_eventEmitter: events } = useStdin();
  useEffect(() => {
    setRawMode(true);
    events.on('input', input);
    return () => {
      events.off('input', input);
      setRawMode(false);
    };
  }, [input, setRawMode, events]);
}
