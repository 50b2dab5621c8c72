import { reportPass, reportTimeout } from '../check-report.js';
import { CommandError, type SessionCommand } from '../command.js';
import { segmentOf, takeTimeout } from './arguments.js';

const DEFAULT_TIMEOUT_SECONDS = 2;

export const sr1Command: SessionCommand = {
  name: 'sr1',
  description: 'send one segment, then show the first packet that comes back from the peer',
  usage: 'sr1 tcp field=value ... [timeout=SECONDS]',
  example: 'sr1 tcp flags=S seq=1000 timeout=2',
  details: [
    `It waits up to timeout seconds (${DEFAULT_TIMEOUT_SECONDS} unless given) and takes the oldest packet from the peer`,
    'that no earlier sr1 or recv returned, even one that came before it ran. That packet',
    'becomes $rx. Nothing coming back is a failure, which ends a script.',
  ],
  arguments: ['segment', 'timeout'],
  async run(args, session) {
    const { timeoutMs, rest } = takeTimeout(args.tokens, DEFAULT_TIMEOUT_SECONDS);
    const packet = session.build(segmentOf(args, rest));
    const sent = await session.send(packet);
    if (!sent.ok) throw new CommandError(`the segment was not sent: ${sent.reason}`);
    const reply = await session.receive(() => true, timeoutMs);
    if (reply === null) {
      reportTimeout(session, 'sr1', null, timeoutMs);
      return 'timeout';
    }
    reportPass(session, 'sr1', reply, null, sent.record?.index ?? null);
    return 'ok';
  },
};
