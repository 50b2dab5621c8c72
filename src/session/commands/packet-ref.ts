import { parseVariableRef } from '../../lang/expression.js';
import { Scanner } from '../../lang/lexer.js';
import type { FieldToken } from '../../lang/lexer.js';
import { SegmentSyntaxError } from '../../lang/syntax-error.js';
import type { Direction } from '../../net/network.js';
import type { DecodedPacket } from '../../wire/packet.js';
import { CommandError } from '../command.js';
import type { PacketRecord } from '../packet-history.js';
import type { Session } from '../session.js';

/** A packet a command was pointed at: `3`, `#3`, `$rx`, `$tx[-2]`, `$pkt[3]`; the latest by default. */
export interface PacketTarget {
  packet: DecodedPacket;
  dir: Direction;
  /** Null for a packet sent that the network has not reported (yet). */
  record: PacketRecord | null;
}

const REF_HINT = 'name a packet as 3, #3, $rx, $tx, $rx[-2] or $pkt[3]';

export function packetTarget(session: Session, line: string, token: FieldToken | undefined): PacketTarget {
  if (token === undefined) {
    const latest = session.packets[session.packets.length - 1];
    if (latest === undefined) throw new CommandError('there are no packets yet: send one first');
    return { packet: latest.packet, dir: latest.dir, record: latest };
  }
  if (token.equals !== null) throw new CommandError(`expected a packet, got '${token.name}=...'; ${REF_HINT}`, token.nameSpan);
  const number = /^#?(\d+)$/.exec(token.name);
  if (number !== null) return numbered(session, Number(number[1]), token);
  if (!token.name.startsWith('$')) throw new CommandError(`expected a packet, got '${token.name}'; ${REF_HINT}`, token.nameSpan);

  const scanner = Scanner.over(line, token.nameSpan);
  const ref = parseVariableRef(scanner);
  if (!scanner.atEnd()) throw new SegmentSyntaxError(`unexpected '${scanner.peek()}' after ${ref.text}`, scanner.here(scanner.rest().length), REF_HINT);
  if (ref.field !== null) throw new SegmentSyntaxError(`${ref.text} is a field, not a packet`, ref.span, `write ${ref.text.slice(0, ref.text.lastIndexOf('.'))}`);
  switch (ref.name) {
    case 'pkt':
      if (ref.index === null) throw new SegmentSyntaxError('$pkt needs a packet number', ref.span, 'e.g. $pkt[3]');
      return numbered(session, ref.index, token);
    case 'rx': {
      const record = ref.index === null ? session.currentRx() : session.rxAt(ref.index);
      if (record === undefined) {
        const why = session.rxAt(0) === undefined ? 'nothing has come from the peer yet' : 'there are fewer packets from the peer';
        throw new SegmentSyntaxError(`${ref.text} is not there: ${why}`, ref.span);
      }
      return { packet: record.packet, dir: record.dir, record };
    }
    case 'tx': {
      const sent = session.sentAt(ref.index);
      if (sent === undefined) {
        const why = session.sentAt(null) === undefined ? 'you have sent nothing yet' : 'you have sent fewer packets';
        throw new SegmentSyntaxError(`${ref.text} is not there: ${why}`, ref.span);
      }
      return { packet: sent.packet, dir: 'out', record: sent.record };
    }
    default:
      throw new SegmentSyntaxError(`$${ref.name} is not a packet`, ref.span, REF_HINT);
  }
}

function numbered(session: Session, n: number, token: FieldToken): PacketTarget {
  if (n === 0) throw new CommandError('packets are numbered from 1', token.nameSpan);
  const record = n < 0 ? session.packets[session.packets.length + n] : session.packets[n - 1];
  if (record === undefined) {
    throw new CommandError(`there is no packet ${n}: the session has ${session.packets.length} so far`, token.nameSpan);
  }
  return { packet: record.packet, dir: record.dir, record };
}

/** "#3 in, 0.012 s", or what a packet without a number is. */
export function targetTitle(session: Session, target: PacketTarget): string {
  if (target.record === null) return '$tx, as built (the network has not reported it)';
  return `#${target.record.index} ${target.dir}, ${(session.elapsed(target.record.t) / 1000).toFixed(3)} s`;
}
