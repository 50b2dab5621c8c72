/**
 * The part of a Session the terminal UI reads. Session satisfies it as it is; naming it
 * here keeps the UI from reaching into anything else of the session's.
 */
import type { Endpoint, NetworkInfo, TcpState } from '../net/network.js';
import type { CommandStatus } from '../session/command.js';
import type { ConnectionView } from '../session/connection.js';
import type { LogEntry } from '../session/log-entry.js';

export interface ReplSession {
  readonly network: { readonly info: NetworkInfo };
  readonly log: readonly LogEntry[];
  subscribe(listener: (entry: LogEntry) => void): () => void;
  execute(line: string): Promise<{ status: CommandStatus; entries: LogEntry[] }>;
  readonly me: Endpoint;
  readonly server: Endpoint;
  readonly connection: ConnectionView;
  readonly bundledState: TcpState | null;
}

/** A session whose network is up, with a line for the log saying which network it is and why. */
export interface OpenedSession {
  session: ReplSession;
  note?: string;
}

/**
 * A session whose network is still starting (the lab takes a quarter of a second): the
 * prompt is drawn and takes lines meanwhile, and they run once it is ready.
 */
export interface StartingSession {
  /** The network being started, as the status bar names it: "lab", "sim", "ws". */
  readonly starting: string;
  /** Settles once: with the session, or with why its network could not start. */
  readonly ready: Promise<OpenedSession>;
  /**
   * Settles once this process has done its part of the start (the network's code is loaded
   * and the lab host is on its way, in a process of its own). The screen's own loading waits
   * for it rather than compete with it for the processor; without it, it waits for `ready`.
   */
  readonly launched?: Promise<void>;
}

export function isStartingSession(source: ReplSession | StartingSession): source is StartingSession {
  return 'starting' in source && 'ready' in source;
}
