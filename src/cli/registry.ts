import type { CliCommand } from './command.js';
import { decodeCommand } from './commands/decode.js';
import { encodeCommand } from './commands/encode.js';

/** Every command, in the order `tcplab help` lists them. */
export const commands: CliCommand[] = [decodeCommand, encodeCommand];
