import type { CliCommand } from './command.js';
import { decodeCommand } from './commands/decode.js';
import { doctorCommand } from './commands/doctor.js';
import { encodeCommand } from './commands/encode.js';
import { homeCommand } from './commands/home.js';
import { labServeCommand } from './commands/lab-serve.js';
import { lessonCommand } from './commands/lesson.js';
import { packCommand } from './commands/pack.js';
import { replCommand } from './commands/repl.js';

/**
 * Every command, in the order `tcplab help` lists them. A command module holds only its
 * name, description and usage, and imports what it does (src/cli/actions/) when it runs:
 * `tcplab repl` never loads the lesson validator, and `tcplab help` loads nothing at all.
 */
export const commands: CliCommand[] = [homeCommand, replCommand, lessonCommand, decodeCommand, encodeCommand, packCommand, labServeCommand, doctorCommand];
