// A session on a seeded sim network, with what it says collected as the text a learner reads.
// Not a test itself (test/run.mjs runs only *.test.js).
import { createSimNetwork, type SimNetwork } from '../../src/net/sim/index.js';
import type { CommandOutcome } from '../../src/session/session.js';
import { Session, type SessionOptions } from '../../src/session/session.js';
import { renderEntryText } from '../../src/session/render-text.js';
import type { LogEntry } from '../../src/session/log-entry.js';

export interface SimSession {
  session: Session;
  network: SimNetwork;
  /** Runs lines in order, stopping at none; returns each outcome. */
  run(...lines: string[]): Promise<CommandOutcome[]>;
  /** Runs one line and returns its outcome. */
  one(line: string): Promise<CommandOutcome>;
  /** The text of these entries, one rendering per entry, joined by newlines. */
  text(entries: readonly LogEntry[]): string;
  close(): Promise<void>;
}

export async function simSession(seed = 7, options: SessionOptions = {}): Promise<SimSession> {
  const network = createSimNetwork({ seed });
  const session = await Session.open(network, options);
  return {
    session,
    network,
    async run(...lines) {
      const outcomes: CommandOutcome[] = [];
      for (const line of lines) outcomes.push(await session.execute(line));
      return outcomes;
    },
    one: (line) => session.execute(line),
    text: (entries) => entries.map((entry) => renderEntryText(entry)).join('\n'),
    async close() {
      session.close();
      await network.close();
    },
  };
}

/** The handshake as a learner types it, ISN 1000, leaving $rx at the SYN-ACK. */
export const HANDSHAKE = ['sr1 tcp flags=S seq=1000 opts=mss:1460', 'send tcp flags=A seq=1001 ack=$rx.seq+1'];
