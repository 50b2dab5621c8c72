import type { CliCommand } from '../command.js';

export const replCommand: CliCommand = {
  name: 'repl',
  description: 'build TCP segments by hand, send them and see every reply checked; or run a script of commands',
  usage: [
    'tcplab repl [--net lab|sim|ws://HOST:PORT] [--seed N] [--ipv6] [--relative]   type commands (help lists them); from a pipe, run them as a script',
    'tcplab repl --script FILE [--net lab|sim|ws://HOST:PORT] ...                  run FILE: exit 0 when every check holds, 1 at the first that does not',
    '  --net      lab: the real Linux kernel in a namespace; sim: the embedded endpoint; ws://HOST:PORT: a lab on a',
    '             host running tcplab lab serve (token from --token-file FILE or $TCPLAB_TOKEN). Default: lab where it runs, else sim',
    '  --seed N   sim only: replay the same ISNs and ports',
    '  --ipv6     lines without an address are IPv6 (::1)',
    '  --relative show sequence numbers counted from each side\'s ISN, as plain tcpdump does',
  ],
  action: async (args, io) => (await import('../actions/repl.js')).replAction(args, io),
};
