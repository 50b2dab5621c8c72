import { renderHexdump, renderShow } from '../../wire/render/index.js';
import type { SessionCommand } from '../command.js';
import { atMost, wordsOf } from './arguments.js';
import { packetTarget, targetTitle } from './packet-ref.js';

export const showCommand: SessionCommand = {
  name: 'show',
  description: 'show a packet layer by layer, field by field',
  usage: 'show [PACKET]',
  example: 'show $rx',
  details: ['PACKET is 3 (or #3), $rx, $tx, $rx[-2] or $pkt[3]; the latest packet if left out.', 'seq and ack also show their distance from the ISN, when it is known.'],
  arguments: ['packet-ref'],
  async run(args, session) {
    atMost(args, wordsOf(args, this.usage), 1, this.usage);
    const target = packetTarget(session, args.line, args.tokens[0]);
    const text = renderShow(target.packet, session.basesFor(target.dir, target.packet));
    session.append({ kind: 'text', topic: 'show', title: targetTitle(session, target), text });
    return 'ok';
  },
};

export const hexCommand: SessionCommand = {
  name: 'hex',
  description: 'show a packet as an annotated hex dump',
  usage: 'hex [PACKET]',
  example: 'hex $tx',
  details: ['PACKET as for show. Each field\'s bytes are named in the legend below the dump.'],
  arguments: ['packet-ref'],
  async run(args, session) {
    atMost(args, wordsOf(args, this.usage), 1, this.usage);
    const target = packetTarget(session, args.line, args.tokens[0]);
    const text = renderHexdump(target.packet, session.basesFor(target.dir, target.packet));
    session.append({ kind: 'text', topic: 'hex', title: targetTitle(session, target), text });
    return 'ok';
  },
};
