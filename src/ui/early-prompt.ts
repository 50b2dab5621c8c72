/**
 * The status bar and the prompt drawn with plain escape codes while Ink and React load (and,
 * often, while the network starts: the status bar then says so): the learner can start
 * typing at once. Keys go to the same controller the Ink screen uses, so nothing typed is
 * lost at the hand-over; the Ink screen then draws in the same place, after this has erased
 * its two lines.
 */
import { layoutPromptRow, PROMPT_SIGN } from './prompt-layout.js';
import type { ReplController } from './repl-controller.js';
import { statusText } from './status-text.js';
import { textWidth } from '../session/text-width.js';

const ERASE_TO_END = '\u001b[J';
const UP = '\u001b[1A';
const REVERSE = '\u001b[7m';
const RESET = '\u001b[0m';
// The cursor is drawn as a reverse-video cell, as on the Ink screen; the terminal's own would be a second one.
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';

export class EarlyPrompt {
  private drawn = false;
  private stopped = false;
  private readonly unsubscribe: () => void;
  private readonly onReadable = () => {
    let chunk: string | Buffer | null;
    while ((chunk = this.stdin.read() as string | Buffer | null) !== null) this.controller.input(chunk.toString());
  };

  constructor(
    private readonly controller: ReplController,
    private readonly stdin: NodeJS.ReadStream,
    private readonly stdout: NodeJS.WriteStream,
  ) {
    this.unsubscribe = controller.subscribe(() => this.draw());
    // Read as Ink does ('readable', not 'data'): the stream stays in paused mode, and what
    // arrives after the hand-over waits for Ink's reader instead of flowing past it.
    stdin.setEncoding('utf8');
    stdin.on('readable', this.onReadable);
    this.draw();
  }

  /** Stops reading keys and erases what it drew, leaving the cursor where the screen begins. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe();
    this.stdin.off('readable', this.onReadable);
    if (this.drawn) this.stdout.write(`\r${UP}${ERASE_TO_END}${SHOW_CURSOR}`);
  }

  private draw(): void {
    const view = this.controller.getSnapshot();
    if (this.stopped || view.exiting) return;
    const columns = this.stdout.columns || 80;
    const row = layoutPromptRow(view.editor.text, view.editor.cursor, columns - textWidth(PROMPT_SIGN) - 1);
    // The first time, the line may hold keys the terminal echoed before raw mode was on.
    const redraw = this.drawn ? `\r${UP}${ERASE_TO_END}` : `\r${ERASE_TO_END}${HIDE_CURSOR}`;
    const status = `${REVERSE}${statusText(view.status, columns)}${RESET}`;
    const prompt = `${PROMPT_SIGN}${row.before}${REVERSE}${row.atCursor}${RESET}${row.after}`;
    this.stdout.write(`${redraw}${status}\n${prompt}`);
    this.drawn = true;
  }
}
