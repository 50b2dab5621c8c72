import { renderFollow } from '../follow.js';
import { CommandError, type SessionCommand } from '../command.js';
import { widthOf } from './arguments.js';

export const FOLLOW_FORMS = ['auto', 'text', 'hex'] as const;

export const followCommand: SessionCommand = {
  name: 'follow',
  description: 'the bytes each way, put back in order, as the applications read them',
  usage: 'follow [auto|text|hex] [width=COLUMNS]',
  example: 'follow',
  details: [
    'Your current connection\'s stream both ways: retransmitted bytes counted once, gaps named.',
    'Bytes show as text or as a hex dump, whichever each block mostly is, unless you choose.',
  ],
  arguments: ['follow-form'],
  async run(args, session) {
    let as: (typeof FOLLOW_FORMS)[number] = 'auto';
    let width = session.width;
    for (const token of args.tokens) {
      const form = FOLLOW_FORMS.find((f) => f === token.name);
      if (token.name === 'width' && token.equals !== null) width = widthOf(token);
      else if (token.equals === null && form !== undefined) as = form;
      else throw new CommandError(`unexpected '${token.equals === null ? token.name : `${token.name}=`}'; usage: ${this.usage}`, token.nameSpan);
    }
    const text = renderFollow(session.events, { learnerPort: session.me.port, width, as });
    session.append({ kind: 'text', topic: 'follow', title: `the stream of ${session.me.addr}:${session.me.port}`, text });
    return 'ok';
  },
};
