import type { CliCommand } from '../command.js';

export const encodeCommand: CliCommand = {
  name: 'encode',
  description: "build a packet from the segment language and print its bytes in hex, or as JSON",
  usage: [
    "tcplab encode 'tcp flags=S seq=1000 opts=mss:1460'         the packet's bytes in hex",
    "tcplab encode --json 'tcp flags=PA data=\"hello\"'          the packet as JSON, every computed field filled",
    'Unset fields: src/dst 127.0.0.1, sport 40000, dport 7, seq 0, ack 0, no flags, win 64240, ttl 64, id 0, tos 0, df 1.',
  ],
  action: async (args, io) => (await import('../actions/encode.js')).encodeAction(args, io),
};
