import { parseMatcher } from '../../lang/matcher.js';
import { allMatch, matchPacket, resolveMatcher } from '../../lang/matcher-match.js';
import { reportPass, reportTimeout } from '../check-report.js';
import type { SessionCommand } from '../command.js';
import { takeTimeout } from './arguments.js';

const DEFAULT_TIMEOUT_SECONDS = 1;

export const recvCommand: SessionCommand = {
  name: 'recv',
  description: 'wait for the next packet from the peer that matches the given fields',
  usage: 'recv [timeout=SECONDS] [field=value ...]',
  example: 'recv flags=PA timeout=3',
  details: [
    `It waits up to timeout seconds (${DEFAULT_TIMEOUT_SECONDS} unless given) and takes the oldest packet from the peer`,
    'that matches and that no earlier sr1 or recv returned, even one that came before it ran.',
    'Packets that do not match stay in the log and can still be received later. Values are',
    'written as for expect. Nothing matching in time is a failure, which ends a script.',
  ],
  arguments: ['matcher', 'timeout'],
  async run(args, session) {
    const { timeoutMs } = takeTimeout(args.tokens, DEFAULT_TIMEOUT_SECONDS);
    const parsed = parseMatcher(args.line, args.tokens, { extras: ['timeout'] });
    // Variables are read once, now: every arrival is tested against the same values.
    const matcher = resolveMatcher(parsed, session.resolve);
    const asked = matcher.fields.length > 0 ? matcher : null;
    const found = await session.receive((record) => asked === null || allMatch(matchPacket(asked, record.packet)), timeoutMs);
    if (found === null) {
      reportTimeout(session, 'recv', asked, timeoutMs);
      return 'timeout';
    }
    reportPass(session, 'recv', found, asked);
    return 'ok';
  },
};
