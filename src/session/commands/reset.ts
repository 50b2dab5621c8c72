import { formatEndpoint } from '../../server/app-event.js';
import type { SessionCommand } from '../command.js';
import { atMost, wordsOf } from './arguments.js';

export const resetCommand: SessionCommand = {
  name: 'reset',
  description: 'forget the connection and take a new learner port',
  usage: 'reset',
  example: 'reset',
  details: [
    'Nothing is sent: the peer still holds whatever state it had. $rx and $tx start afresh;',
    'the log and $pkt[N] keep every packet so far.',
  ],
  arguments: [],
  async run(args, session) {
    atMost(args, wordsOf(args, this.usage), 0, this.usage);
    const me = session.reset();
    session.append({ kind: 'note', text: `a fresh start: you are now ${formatEndpoint(me)}` });
    return 'ok';
  },
};
