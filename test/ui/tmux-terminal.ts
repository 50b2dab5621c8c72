// A real terminal for end-to-end tests: a tmux server of the test's own (its own socket, so
// nothing else running tmux is touched), one window of a chosen size running one command.
// Keys go in with send-keys; what a person would see comes out with capture-pane.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
let counter = 0;

export interface TerminalOptions {
  columns?: number;
  rows?: number;
  env?: Record<string, string>;
  cwd?: string;
}

export class TmuxTerminal {
  readonly socket = `tcplab-test-${process.pid}-${++counter}`;
  readonly session = `tcplab-${process.pid}-${counter}`;

  private tmux(...args: string[]) {
    // -u: the client speaks UTF-8, so wide characters come back from capture-pane as written.
    return run('tmux', ['-u', '-L', this.socket, ...args], { env: { ...process.env, LANG: 'C.UTF-8' } });
  }

  /**
   * Starts `command` (argv) in a new window, under a shell that prints its exit status when it
   * ends: tmux's own record of a dead pane's status is not reliable.
   */
  async start(command: readonly string[], options: TerminalOptions = {}): Promise<void> {
    const env = Object.entries(options.env ?? {}).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
    await this.tmux(
      'new-session', '-d', '-s', this.session,
      '-x', String(options.columns ?? 80), '-y', String(options.rows ?? 24),
      ...(options.cwd !== undefined ? ['-c', options.cwd] : []),
      ...env,
      `${shellLine(command)}; echo "[exited $?]"; exec sleep 3600`,
    );
  }

  /** Named keys, as tmux writes them: Enter, C-c, Left, Escape. */
  async keys(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', this.session, ...keys);
  }

  /** Text typed as it is, not read as key names. */
  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', this.session, '-l', text);
  }

  async screen(): Promise<string> {
    const { stdout } = await this.tmux('capture-pane', '-p', '-t', this.session);
    return stdout;
  }

  /** Whether the terminal shows its cursor (a program may hide it while it draws its own). */
  async cursorVisible(): Promise<boolean> {
    const { stdout } = await this.tmux('display-message', '-p', '-t', this.session, '#{cursor_flag}');
    return stdout.trim() === '1';
  }

  async resize(columns: number, rows: number): Promise<void> {
    await this.tmux('resize-window', '-t', this.session, '-x', String(columns), '-y', String(rows));
  }

  /** The command's process: the one child of the pane's shell. */
  async pid(): Promise<number> {
    const { stdout } = await this.tmux('list-panes', '-t', this.session, '-F', '#{pane_pid}');
    const shell = Number(stdout.trim());
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const [child] = childrenOf(shell);
      if (child !== undefined) return child;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the command did not start');
  }

  /** Polls the screen until `test` holds; fails with the screen as it last was. */
  async waitFor(test: RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const check = typeof test === 'function' ? test : (screen: string) => test.test(screen);
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.screen();
      if (check(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(test)}; the screen was:\n${screen}`);
  }

  /**
   * Like waitFor, but the screen must also stay the same for `quietMs`: a resize or a redraw
   * passes through screens that are right for a moment and then change.
   */
  async waitForSettled(test: RegExp | ((screen: string) => boolean), timeoutMs = 10_000, quietMs = 300): Promise<string> {
    const check = typeof test === 'function' ? test : (screen: string) => test.test(screen);
    const deadline = Date.now() + timeoutMs;
    let screen = await this.waitFor(check, timeoutMs);
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      const again = await this.screen();
      if (again === screen && check(again)) return again;
      screen = again;
    }
    throw new Error(`the screen did not settle within ${timeoutMs} ms; it was:\n${screen}`);
  }

  /** Waits for the command to end; its exit status. */
  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const screen = await this.waitFor(/\[exited \d+\]/, timeoutMs);
    return Number(/\[exited (\d+)\]/.exec(screen)![1]);
  }

  /** Ends the tmux server and whatever still runs in it. */
  async close(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined);
  }
}

/** The processes whose parent is `pid`, read from /proc. */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The fields after the command name, which may itself hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return children;
}

/** Every process under `pid`. */
export function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of childrenOf(queue.shift()!)) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** An argv as one shell line for tmux, each word single-quoted. */
function shellLine(argv: readonly string[]): string {
  return argv.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
}

export async function tmuxAvailable(): Promise<boolean> {
  try {
    await run('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
}
