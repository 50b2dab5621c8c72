import { formatEndpoint } from '../../server/app-event.js';
import type { SessionCommand } from '../command.js';
import { atMost, wordsOf } from './arguments.js';

export const connectCommand: SessionCommand = {
  name: 'connect',
  description: 'learner as server: the bundled client connects to your port',
  usage: 'connect',
  example: 'connect',
  details: [
    'Your side listens and the bundled client sends a SYN to $me.port. Receive it (recv flags=S)',
    'and answer with a SYN-ACK: its dport defaults to the client\'s port, which is $peer.port.',
  ],
  arguments: [],
  async run(args, session) {
    atMost(args, wordsOf(args, this.usage), 0, this.usage);
    session.append({ kind: 'note', text: `the bundled client connects to you at ${formatEndpoint(session.me)}` });
    await session.connect();
    return 'ok';
  },
};
