import type { FieldToken } from '../../lang/lexer.js';
import { readServerBehaviour, type BehaviourProblem } from '../../lang/server-behaviour.js';
import type { SegmentSyntaxError } from '../../lang/syntax-error.js';
import { formatEndpoint } from '../../server/app-event.js';
import type { ServerBehaviourName, ServerBehaviourSpec } from '../../server/behaviour.js';
import { behaviourSynopsis, SERVER_BEHAVIOUR_NAMES, SERVER_BEHAVIOUR_SYNTAX } from '../../server/behaviour-syntax.js';
import { CommandError, type SessionCommand } from '../command.js';
import { atMost } from './arguments.js';

export const BEHAVIOUR_NAMES: readonly ServerBehaviourName[] = SERVER_BEHAVIOUR_NAMES;

/** How each behaviour is written after `server`, for help and completion. */
export const BEHAVIOUR_SYNTAX = Object.fromEntries(SERVER_BEHAVIOUR_SYNTAX.map((syntax) => [syntax.name, behaviourSynopsis(syntax)])) as Record<
  ServerBehaviourName,
  string
>;

export const serverCommand: SessionCommand = {
  name: 'server',
  description: 'switch what the bundled server does (echo, discard, banner, close-after=N, ...)',
  usage: 'server [BEHAVIOUR]',
  example: 'server close-after=5',
  details: [
    'Behaviours: ' + BEHAVIOUR_NAMES.map((name) => BEHAVIOUR_SYNTAX[name]).join(', ') + '.',
    'Each listens on a port of its own, which becomes $server.port and the default dport.',
    'With no behaviour, it says which one is in use.',
  ],
  arguments: ['behaviour'],
  async run(args, session) {
    atMost(args, args.tokens.map((token) => token.name), 1, this.usage);
    const token = args.tokens[0];
    if (token === undefined) {
      session.append({ kind: 'note', text: `the server is ${describe(session.serverBehaviour)} on ${formatEndpoint(session.server)}` });
      return 'ok';
    }
    const spec = behaviourOf(args.line, token);
    const port = await session.useServer(spec);
    session.append({ kind: 'note', text: `the server is now ${describe(spec)} on port ${port} ($server.port)` });
    return 'ok';
  },
};

function behaviourOf(line: string, token: FieldToken): ServerBehaviourSpec {
  const reading = readServerBehaviour(line, token);
  if (reading.ok) return reading.spec;
  throw inReplWords(reading.problem);
}

/** What a number after '=' means, said where it is missing or not a number. */
const SETTING_MEANING: Partial<Record<ServerBehaviourName, string>> = {
  'close-after': 'needs a byte count, e.g. close-after=5',
  'slow-reader': 'takes bytes per second, e.g. slow-reader=100 (0 reads nothing)',
};

function inReplWords(problem: BehaviourProblem): CommandError | SegmentSyntaxError {
  const { word } = problem;
  const value = word.value === '' ? { column: word.valueSpan.column, length: 1 } : word.valueSpan;
  switch (problem.kind) {
    case 'no-name':
      return new CommandError(`expected a behaviour before '='; ${problem.hint}`, word.equals ?? word.nameSpan);
    case 'unknown':
      return new CommandError(`unknown behaviour '${word.name}'; ${problem.hint}`, word.nameSpan);
    case 'needs-value':
    case 'not-a-number': {
      const name = problem.syntax.name;
      const meaning = SETTING_MEANING[name] ?? `takes a whole number, e.g. ${problem.setting.example}`;
      return new CommandError(`${name} ${meaning}`, problem.kind === 'needs-value' ? word.nameSpan : value);
    }
    case 'too-large':
      return new CommandError(`${problem.syntax.name}=${word.value} is too large`, value);
    case 'takes-no-value':
      return new CommandError(`${problem.syntax.name} takes no value; write just ${problem.syntax.name}`, word.equals ?? word.nameSpan);
    case 'bad-text':
      return problem.error;
  }
}

function describe(spec: ServerBehaviourSpec): string {
  switch (spec.name) {
    case 'banner':
      return `banner ${JSON.stringify(spec.text)}`;
    case 'close-after':
      return `close-after=${spec.bytes}`;
    case 'slow-reader':
      return `slow-reader=${spec.bytesPerSecond}`;
    default:
      return spec.name;
  }
}
