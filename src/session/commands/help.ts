import { CommandError, type SessionCommand } from '../command.js';
import { SESSION_VARIABLES } from '../variables.js';
import { atMost, wordsOf } from './arguments.js';
import { findCommand, SESSION_COMMANDS } from './registry.js';
import { didYouMean } from '../../lang/suggest.js';

export const helpCommand: SessionCommand = {
  name: 'help',
  description: 'every command with an example, or one command in full',
  usage: 'help [COMMAND]',
  example: 'help recv',
  arguments: ['command-name'],
  async run(args, session) {
    const words = wordsOf(args, this.usage);
    atMost(args, words, 1, this.usage);
    const topic = words[0];
    if (topic === undefined) {
      session.append({ kind: 'text', topic: 'help', title: 'commands', text: overview() });
      return 'ok';
    }
    const command = findCommand(topic);
    if (command === undefined) {
      const hint = didYouMean(topic, SESSION_COMMANDS.map((c) => c.name)) ?? 'type help for the list';
      throw new CommandError(`no command '${topic}'; ${hint}`, args.tokens[0]!.nameSpan);
    }
    const lines = [`${command.usage}`, `  ${command.description}`, ...(command.details ?? []).map((line) => `  ${line}`), '', `  e.g. ${command.example}`];
    session.append({ kind: 'text', topic: 'help', title: command.name, text: lines.join('\n') });
    return 'ok';
  },
};

function overview(): string {
  const width = Math.max(...SESSION_COMMANDS.map((command) => command.usage.length));
  const lines = SESSION_COMMANDS.flatMap((command) => [`  ${command.usage.padEnd(width)}  ${command.description}`, `  ${' '.repeat(width)}  e.g. ${command.example}`]);
  const variables = SESSION_VARIABLES.map((variable) => variable.name).join(' ');
  return [
    ...lines,
    '',
    `Variables: ${variables}, with fields such as .seq .ack .len .win .flags .sport .dport`,
    'and $server.port $me.addr. Lines starting with # are comments. help COMMAND says more.',
  ].join('\n');
}
