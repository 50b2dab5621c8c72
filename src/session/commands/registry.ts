import type { SessionCommand } from '../command.js';
import { connectCommand } from './connect.js';
import { expectCommand } from './expect.js';
import { followCommand } from './follow.js';
import { helpCommand } from './help.js';
import { ladderCommand } from './ladder.js';
import { lsCommand } from './ls.js';
import { pcapCommand } from './pcap.js';
import { quitCommand } from './quit.js';
import { recvCommand } from './recv.js';
import { resetCommand } from './reset.js';
import { sendCommand } from './send.js';
import { serverCommand } from './server.js';
import { hexCommand, showCommand } from './show.js';
import { sr1Command } from './sr1.js';

/** Every command, in the order help lists them. */
export const SESSION_COMMANDS: readonly SessionCommand[] = [
  sendCommand,
  sr1Command,
  recvCommand,
  expectCommand,
  showCommand,
  hexCommand,
  lsCommand,
  ladderCommand,
  followCommand,
  serverCommand,
  connectCommand,
  resetCommand,
  pcapCommand,
  helpCommand,
  quitCommand,
];

/** Other words for a command that learners type by habit. */
const ALIASES: Record<string, string> = { exit: 'quit', '?': 'help' };

export const COMMAND_NAMES: readonly string[] = SESSION_COMMANDS.map((command) => command.name);

export function findCommand(name: string): SessionCommand | undefined {
  const wanted = name.toLowerCase();
  const real = ALIASES[wanted] ?? wanted;
  return SESSION_COMMANDS.find((command) => command.name === real);
}
