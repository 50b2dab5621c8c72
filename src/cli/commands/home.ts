import type { CliCommand } from '../command.js';

export const homeCommand: CliCommand = {
  name: 'home',
  description: 'the home screen, what bare tcplab opens: the lesson browser (packs, progress, resume) and the REPL',
  usage: [
    'tcplab [--pack DIR]... [--net lab|sim|ws://HOST:PORT] [--seed N] [--ipv6]',
    '  --pack DIR  list this pack too, for this run (tcplab pack add DIR keeps it listed)',
    '  --net       lab: the real Linux kernel in a namespace; sim: the embedded endpoint; ws://HOST:PORT: a lab served by',
    '              tcplab lab serve (token from --token-file FILE or $TCPLAB_TOKEN). Default: lab where it runs, else sim',
    '  --seed N    sim only: replay the same ISNs and ports',
    '  --ipv6      segments without an address are IPv6 (::1)',
    'Without a terminal (commands on stdin), tcplab runs them as tcplab repl does.',
  ],
  action: async (args, io) => (await import('../actions/home.js')).homeAction(args, io),
};
