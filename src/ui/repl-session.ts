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
