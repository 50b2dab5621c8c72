import { renderLadder } from '../ladder.js';
import { CommandError, type SessionCommand } from '../command.js';
import { widthOf } from './arguments.js';

export const LADDER_STYLES = ['relative', 'absolute'] as const;

export const ladderCommand: SessionCommand = {
  name: 'ladder',
  description: 'the exchange so far as a sequence diagram',
  usage: 'ladder [relative|absolute] [width=COLUMNS]',
  example: 'ladder',
  details: [
    'One arrow per packet, your side on the left; the server\'s socket states beside it.',
    'Sequence numbers count from each side\'s SYN unless you ask for absolute ones.',
  ],
  arguments: ['ladder-style'],
  async run(args, session) {
    let relative = true;
    let width = session.width;
    for (const token of args.tokens) {
      if (token.name === 'width' && token.equals !== null) width = widthOf(token);
      else if (token.equals === null && (LADDER_STYLES as readonly string[]).includes(token.name)) relative = token.name === 'relative';
      else throw new CommandError(`unexpected '${token.equals === null ? token.name : `${token.name}=`}'; usage: ${this.usage}`, token.nameSpan);
    }
    session.append({ kind: 'text', topic: 'ladder', title: `the exchange, ${session.packets.length} packet${session.packets.length === 1 ? '' : 's'}`, text: renderLadder(session.events, { width, relative }) });
    return 'ok';
  },
};
