import type { CliCommand } from '../command.js';
import { DAEMON_DEFAULTS } from '../../net/ws/daemon-defaults.js';

export const labServeCommand: CliCommand = {
  name: 'lab',
  description: 'serve labs over WebSocket: each learner who connects (tcplab --net ws://HOST:PORT) gets a lab of their own on this Linux host',
  usage: [
    'tcplab lab serve --token-file FILE [--port 7777] [--host ADDR] [--cert FILE --key FILE]',
    '                 [--max-sessions N] [--idle-timeout S] [--grace S] [--rate PPS]',
    '  --token-file FILE     the tokens learners may use, one a line (# comments); SIGHUP reads it again',
    '  --port N              where to listen (7777); --host ADDR to listen on one address only',
    '  --cert/--key FILE     a PEM certificate and its key: learners then connect with wss://',
    `  --max-sessions N      learners at once (${DAEMON_DEFAULTS.maxSessions}); more are refused with a reason`,
    `  --idle-timeout S      end a session after S seconds without a request (${DAEMON_DEFAULTS.idleTimeoutMs / 1000})`,
    `  --grace S             keep a dropped learner's lab S seconds for them to resume (${DAEMON_DEFAULTS.graceMs / 1000})`,
    `  --rate PPS            packets a second per learner (${DAEMON_DEFAULTS.packetsPerSecond}, bursts of twice that)`,
    'Runs until SIGTERM or Ctrl-C, then ends every session and removes every namespace. GET /healthz reports its sessions.',
  ],
  action: async (args, io) => (await import('../actions/lab-serve.js')).labServeAction(args, io),
};
