import type { ChildProcess } from 'node:child_process';
import type { LabHostOptions, PortRange } from './lab-protocol.js';
import { labSpawnPlan, needsUserNamespace, spawnLabHost } from './namespace.js';

// The lab host's process, apart from the LabNetwork that speaks to it. Starting it needs only
// this module and namespace.ts, not the zod schemas of the protocol, which take a tenth of a
// second to load: `tcplab repl` starts the host first and loads the rest while it sets its
// namespace up. What the process does before anyone listens (a spawn error, an early exit,
// its stderr) is kept here, so a LabNetwork that attaches later still hears it.

export const DEFAULT_LEARNER_PORTS: PortRange = { first: 40000, last: 40999 };
/** The firewall lets the learner's packets through by this SO_MARK; any value no one else uses. */
export const DEFAULT_MARK = 0x7c1ab;

/** How much of the host's stderr is kept for messages: the end, where the reason is. */
const STDERR_KEPT = 4096;

export interface LabHostExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class LabHostProcess {
  private stderrTail = '';
  private spawnError: Error | null = null;
  private exit: LabHostExit | null = null;
  private readonly exitListeners: Array<(exit: LabHostExit) => void> = [];

  constructor(
    readonly child: ChildProcess,
    /** What the host was started with; LabNetwork checks them before it starts a host itself. */
    readonly options: LabHostOptions,
  ) {
    watchOnExit(child);
    const stderr = child.stderr!;
    stderr.on('data', (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_KEPT)));
    child.once('error', (error) => (this.spawnError = error));
    // The end is told once stderr has been read to its end too, since the reason is there;
    // the process may exit before its last words have been read.
    const stderrDone = new Promise<void>((resolve) => {
      if (stderr.readableEnded || stderr.destroyed) resolve();
      else stderr.once('close', () => resolve());
    });
    child.once('exit', (code, signal) => {
      void stderrDone.then(() => {
        this.exit = { code, signal };
        for (const listener of this.exitListeners.splice(0)) listener(this.exit);
      });
    });
  }

  /** The end of what the host wrote to stderr so far. */
  get stderr(): string {
    return this.stderrTail;
  }

  /** Called once if the process could not be started, at once if that has already happened. */
  onSpawnError(listener: (error: Error) => void): void {
    if (this.spawnError !== null) listener(this.spawnError);
    else this.child.once('error', listener);
  }

  /** Called once when the process has ended and its stderr been read, at once if it already has. */
  onExit(listener: (exit: LabHostExit) => void): void {
    if (this.exit !== null) listener(this.exit);
    else this.exitListeners.push(listener);
  }
}

/**
 * Starts a lab host with these options (the defaults when none are given). Nothing is
 * checked here: LabNetwork.start checks options it is given before it starts a host.
 */
export function startLabHost(options: Partial<LabHostOptions> = {}): LabHostProcess {
  const full: LabHostOptions = {
    ports: options.ports ?? DEFAULT_LEARNER_PORTS,
    mark: options.mark ?? DEFAULT_MARK,
    userNamespace: options.userNamespace ?? needsUserNamespace(),
    firewall: options.firewall ?? 'auto',
  };
  return new LabHostProcess(spawnLabHost(labSpawnPlan(full)), full);
}

/** Hosts still running when this process exits are killed on the way out, however it exits. */
const liveHosts = new Set<ChildProcess>();
let exitHookInstalled = false;
function watchOnExit(child: ChildProcess): void {
  liveHosts.add(child);
  child.once('exit', () => liveHosts.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const host of liveHosts) host.kill('SIGKILL');
  });
}
