import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writePcapng } from '../../wire/capture.js';
import { CommandError, type SessionCommand } from '../command.js';
import { missingAt } from './arguments.js';

export const PCAP_ACTIONS = ['save'] as const;

export const pcapCommand: SessionCommand = {
  name: 'pcap',
  description: 'save the whole session as a pcapng file, for Wireshark or tcpdump -r',
  usage: 'pcap save FILE',
  example: 'pcap save handshake.pcapng',
  details: ['Every packet of the session, both ways, with its time. A FILE with spaces goes in double quotes.'],
  arguments: ['pcap-action', 'file'],
  async run(args, session) {
    const action = args.tokens[0];
    if (action === undefined || action.equals !== null || action.name !== 'save') {
      const span = action?.nameSpan ?? missingAt(args.line, args.head.span.column + args.head.span.length);
      throw new CommandError(`expected 'save'; usage: ${this.usage}`, span);
    }
    const after = action.nameSpan.column - 1 + action.nameSpan.length;
    const path = unquote(args.line.slice(after).trim());
    if (path === '') throw new CommandError(`which file? usage: ${this.usage}`, missingAt(args.line, after + 1));
    const packets = session.packets.map((record) => ({ timestampMs: session.wallClock(record.t), ip: record.packet.bytes }));
    const bytes = writePcapng(packets, { application: 'tcplab' });
    try {
      await writeFile(path, bytes);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new CommandError(`could not write ${path}: ${reason}`);
    }
    const count = packets.length;
    session.append({ kind: 'note', text: `wrote ${count} packet${count === 1 ? '' : 's'} to ${resolve(path)}` });
    return 'ok';
  },
};

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}
