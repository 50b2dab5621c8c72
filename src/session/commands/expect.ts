import { parseMatcher } from '../../lang/matcher.js';
import { allMatch, matchPacket, resolveMatcher } from '../../lang/matcher-match.js';
import { SegmentSyntaxError } from '../../lang/syntax-error.js';
import { reportMismatch, reportNothingToCheck, reportPass } from '../check-report.js';
import type { SessionCommand } from '../command.js';
import { missingAt } from './arguments.js';

export const expectCommand: SessionCommand = {
  name: 'expect',
  description: 'check the last received packet ($rx) field by field',
  usage: 'expect field=value ...',
  example: 'expect flags=SA ack=$tx.seq+1 opts=mss:*',
  details: [
    'A value is a number, an expression ($tx.seq+1), * (anything), a range (1000..2000),',
    'flags (flags=SA means exactly SYN and ACK), options present or absent (opts=mss:*,!wscale;',
    'opts=sack:1001-2001 for exact SACK blocks; opts=- for none), or data ("hello"). A failed',
    'expect shows, per field, expected and actual in decimal and hex, and both packets; it ends a script.',
  ],
  arguments: ['matcher'],
  async run(args, session) {
    const parsed = parseMatcher(args.line, args.tokens);
    if (parsed.fields.length === 0) {
      const at = missingAt(args.line, args.head.span.column + args.head.span.length);
      throw new SegmentSyntaxError('expect needs at least one field=value', at, 'e.g. expect flags=SA');
    }
    const matcher = resolveMatcher(parsed, session.resolve);
    const subject = session.currentRx();
    if (subject === undefined) {
      reportNothingToCheck(session, matcher);
      return 'failed';
    }
    const results = matchPacket(matcher, subject.packet);
    if (allMatch(results)) {
      reportPass(session, 'expect', subject, matcher);
      return 'ok';
    }
    reportMismatch(session, subject, matcher, results);
    return 'failed';
  },
};
