import type { FieldToken, WordToken } from '../lang/lexer.js';
import type { Span } from '../lang/syntax-error.js';
import type { Session } from './session.js';

/** A command line, lexed: the command's name and what follows it. Columns refer to `line`. */
export interface CommandArgs {
  line: string;
  head: WordToken;
  /** `name=value` items and bare words (a bare word has `equals: null`). */
  tokens: FieldToken[];
}

/**
 * ok: it did what was asked. failed: an expect did not hold. timeout: sr1 or recv waited in
 * vain. error: it could not run (the log says why). quit: the learner asked to leave.
 */
export type CommandStatus = 'ok' | 'failed' | 'timeout' | 'error' | 'quit';

/** What Tab completion offers for a command's arguments. */
export type ArgumentKind =
  | 'segment'
  | 'matcher'
  | 'timeout'
  | 'packet-ref'
  | 'command-name'
  | 'behaviour'
  | 'ls-topic'
  | 'pcap-action'
  | 'ladder-style'
  | 'follow-form'
  | 'file';

/** One REPL command: a plain object `help` lists and the session runs. */
export interface SessionCommand {
  name: string;
  /** One line for `help`. */
  description: string;
  /** The synopsis, e.g. "recv [timeout=SECONDS] [field=value ...]". */
  usage: string;
  /** A line that works as typed. */
  example: string;
  /** Further lines for `help NAME`. */
  details?: readonly string[];
  arguments: readonly ArgumentKind[];
  run(args: CommandArgs, session: Session): Promise<CommandStatus>;
}

/** A command's argument is wrong: the message names it, the span points at it when there is one. */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    message: string,
    readonly span?: Span,
  ) {
    super(message);
  }
}
