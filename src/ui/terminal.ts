/** Whether the REPL gets the Ink screen or plain lines: a question the repl command asks before loading any UI. */

export interface TerminalStreams {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * The Ink UI needs keys one at a time, which only a TTY in raw mode gives, and a TTY to draw
 * on. Anything else (a pipe, a file, output redirected) gets the plain-text REPL.
 */
export function canUseTerminalUi(streams: TerminalStreams): boolean {
  const stdin = streams.stdin as NodeJS.ReadStream;
  const stdout = streams.stdout as NodeJS.WriteStream;
  return stdin.isTTY === true && typeof stdin.setRawMode === 'function' && stdout.isTTY === true;
}
