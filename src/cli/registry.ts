import type { CliCommand } from './command.js';

/** Every command, in the order `tcplab help` lists them. */
export const commands: CliCommand[] = [];
