// Script mode: commands from a file or a pipe, run in order, each echoed, everything the
// session says printed as text. The first failed expect, recv or sr1 time-out, or command
// that could not run ends the script with status 1; 0 means every command held.

import type { CommandStatus } from './command.js';
import { renderEntryText, type TextRenderOptions } from './render-text.js';
import type { Session } from './session.js';

export interface ScriptOptions extends TextRenderOptions {
  /** Where the text goes, one entry at a time. */
  write(text: string): void;
  /** Where the script came from, for the closing line ("examples/x.tcplab"). */
  name?: string;
}

export interface ScriptResult {
  exitCode: 0 | 1;
  /** The line that ended the script early, and why; null when it ran to the end (or quit). */
  stoppedAt: { line: number; text: string; status: Exclude<CommandStatus, 'ok' | 'quit'> } | null;
  /** Commands run (comments and blank lines not counted). */
  commands: number;
}

const STOPPED_BECAUSE: Record<Exclude<CommandStatus, 'ok' | 'quit'>, string> = {
  failed: 'an expect did not hold',
  timeout: 'nothing matching came in time',
  error: 'the command could not run',
};

export async function runScript(session: Session, lines: Iterable<string> | AsyncIterable<string>, options: ScriptOptions): Promise<ScriptResult> {
  const print = session.subscribe((entry) => options.write(`${renderEntryText(entry, options)}\n`));
  const where = options.name ?? 'script';
  let number = 0;
  let commands = 0;
  try {
    for await (const raw of lines) {
      number += 1;
      const text = raw.replace(/\r$/, '');
      const trimmed = text.trim();
      if (trimmed !== '' && !trimmed.startsWith('#')) commands += 1;
      const { status } = await session.execute(text);
      if (status === 'quit') break;
      if (status !== 'ok') {
        options.write(`${where}:${number}: stopped: ${STOPPED_BECAUSE[status]}\n`);
        return { exitCode: 1, stoppedAt: { line: number, text, status }, commands };
      }
    }
  } finally {
    print();
  }
  options.write(`${where}: ok: ${commands} command${commands === 1 ? '' : 's'}, every check held\n`);
  return { exitCode: 0, stoppedAt: null, commands };
}

/** A file's text as script lines. */
export function scriptLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
