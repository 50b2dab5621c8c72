import type { SessionCommand } from '../command.js';
import { atMost, wordsOf } from './arguments.js';

export const quitCommand: SessionCommand = {
  name: 'quit',
  description: 'leave tcplab',
  usage: 'quit',
  example: 'quit',
  arguments: [],
  async run(args) {
    atMost(args, wordsOf(args, this.usage), 0, this.usage);
    return 'quit';
  },
};
