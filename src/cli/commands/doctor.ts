import type { CliCommand } from '../command.js';

export const doctorCommand: CliCommand = {
  name: 'doctor',
  description: 'check what the lab (the real Linux kernel in a namespace) needs, and how to fix what is missing',
  usage: [
    'tcplab doctor            one line per requirement; each failure with the command that fixes it',
    'tcplab doctor --json     the same checks as one JSON object',
  ],
  action: async (args, io) => (await import('../actions/doctor.js')).doctorAction(args, io),
};
