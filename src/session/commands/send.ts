import { CommandError, type SessionCommand } from '../command.js';
import { segmentOf } from './arguments.js';

export const sendCommand: SessionCommand = {
  name: 'send',
  description: 'send one segment',
  usage: 'send tcp field=value ...',
  example: 'send tcp flags=S seq=1000 opts=mss:1460',
  details: [
    'Fields you leave out take the session\'s values: your address and port as src and sport,',
    'the server\'s as dst and dport (the bundled client\'s after connect), and the language\'s',
    'defaults for the rest. Variables such as $rx.seq answer what came back.',
  ],
  arguments: ['segment'],
  async run(args, session) {
    const packet = session.build(segmentOf(args, args.tokens));
    const sent = await session.send(packet);
    if (!sent.ok) throw new CommandError(`the segment was not sent: ${sent.reason}`);
    return 'ok';
  },
};
