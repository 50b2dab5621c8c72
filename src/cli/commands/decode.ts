import type { CliCommand } from '../command.js';

export const decodeCommand: CliCommand = {
  name: 'decode',
  description: 'print the packets of a pcap/pcapng file (or a hex dump) one per line, or as JSON',
  usage: [
    'tcplab decode FILE            one tcpdump-style line per packet (FILE is pcap or pcapng; - reads stdin)',
    'tcplab decode FILE --json     one JSON object per packet per line',
    'tcplab decode FILE --hex      FILE is a hex dump (bare hex, tcpdump -x, xxd, hexdump -C); blank lines separate packets',
  ],
  action: async (args, io) => (await import('../actions/decode.js')).decodeAction(args, io),
};
