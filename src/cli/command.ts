/** A command line verb: a plain object the dispatcher and `tcplab help` both read. */
export interface CliCommand {
  name: string;
  /** One line, shown in `tcplab help`. */
  description: string;
  /** Synopsis lines, e.g. "tcplab decode FILE [--json] [--hex]". */
  usage: string[];
  /**
   * Resolves to the process exit status. It imports the code that does the work (a module
   * under src/cli/actions/) when called, so listing the commands costs nothing.
   */
  action(args: string[], io: CliIo): Promise<number>;
}

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

/** A mistake in how the command was called: printed as one line with the usage, never a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure the user can act on (a missing file, an unreadable capture): printed as one line. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}
