import type { CliCommand } from './command.js';
import { decodeCommand } from './commands/decode.js';
import { doctorCommand } from './commands/doctor.js';
import { encodeCommand } from './commands/encode.js';
import { labServeCommand } from './commands/lab-serve.js';
import { lessonCommand } from './commands/lesson.js';
import { packCommand } from './commands/pack.js';
import { replCommand } from './commands/repl.js';

/** Every command, in the order `tcplab help` lists them. */
export const commands: CliCommand[] = [replCommand, lessonCommand, decodeCommand, encodeCommand, packCommand, labServeCommand, doctorCommand];
