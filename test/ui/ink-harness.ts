// Renders an Ink tree to streams the test owns: a stdout that keeps every frame Ink writes,
// and a stdin the test types into, both claiming to be a TTY of a chosen size.
import { PassThrough, Writable } from 'node:stream';
import type { ReactNode } from 'react';
import { stripAnsi } from '../../src/session/text-width.js';

export class FrameStdout extends Writable {
  isTTY = true;
  columns: number;
  rows: number;
  readonly writes: string[] = [];

  constructor(columns = 80, rows = 24) {
    super();
    this.columns = columns;
    this.rows = rows;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.writes.push(chunk.toString());
    done();
  }

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }

  /** What the last frame shows, without colours (in debug mode each write is a whole frame). */
  lastFrame(): string {
    return stripAnsi(this.writes[this.writes.length - 1] ?? '');
  }
}

export class KeyStdin extends PassThrough {
  isTTY = true;
  isRaw = false;
  setRawMode(mode: boolean): this {
    this.isRaw = mode;
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

export interface Rendered {
  stdout: FrameStdout;
  stdin: KeyStdin;
  lastFrame(): string;
  /** Types raw input and waits for Ink to draw what it caused. */
  type(input: string): Promise<void>;
  unmount(): void;
}

/** A turn of the event loop, for stdin's data and React's updates to come through. */
export const settle = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

export async function renderInk(node: ReactNode, size: { columns?: number; rows?: number } = {}): Promise<Rendered> {
  const { render } = await import('ink');
  const stdout = new FrameStdout(size.columns, size.rows);
  const stdin = new KeyStdin();
  const stderr = new FrameStdout(size.columns, size.rows);
  const instance = render(node, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await settle();
  return {
    stdout,
    stdin,
    lastFrame: () => stdout.lastFrame(),
    async type(input: string) {
      stdin.write(input);
      await settle();
    },
    unmount: () => instance.unmount(),
  };
}
