// A line in scapy's notation, `sr1(IP(dst="127.0.0.1")/TCP(dport=7, flags="S"))`, run as the
// REPL command it names, so a learner who comes from scapy can paste what they know.
import { buildScapyPacket, parseScapyNotation } from '../lang/scapy-notation.js';
import { decodePacket, encodePacket } from '../wire/packet.js';
import { renderShow } from '../wire/render/index.js';
import { reportPass, reportTimeout } from './check-report.js';
import { CommandError, type CommandStatus } from './command.js';
import type { Session } from './session.js';

/** scapy's own default for sr1 and sr is to wait without end; a learner is better served by this. */
const DEFAULT_TIMEOUT_SECONDS = 2;

export async function runScapyLine(text: string, session: Session): Promise<CommandStatus> {
  const notation = parseScapyNotation(text);
  const packet = buildScapyPacket(notation, { defaults: session.segmentDefaults(), resolve: session.resolve });
  const call = notation.call;
  if (call === null) {
    // As at scapy's prompt, a packet written alone is only built: show it, send nothing.
    const decoded = decodePacket(encodePacket(packet));
    session.append({ kind: 'text', topic: 'show', title: 'built, not sent (wrap it in send() or sr1() to send it)', text: renderShow(decoded) });
    return 'ok';
  }
  const sent = await session.send(packet);
  if (!sent.ok) throw new CommandError(`the segment was not sent: ${sent.reason}`);
  if (call.name === 'send') return 'ok';
  const timeoutMs = (call.timeout?.seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const first = await session.receive(() => true, timeoutMs);
  if (first === null) {
    reportTimeout(session, 'sr1', null, timeoutMs);
    return 'timeout';
  }
  reportPass(session, 'sr1', first, null, sent.record?.index ?? null);
  if (call.name === 'sr1') return 'ok';
  // sr: every further answer that comes within the same timeout.
  const deadline = session.network.now() + timeoutMs;
  for (;;) {
    const left = deadline - session.network.now();
    if (left <= 0) break;
    const next = await session.receive(() => true, left);
    if (next === null) break;
    reportPass(session, 'sr1', next, null, sent.record?.index ?? null);
  }
  return 'ok';
}
