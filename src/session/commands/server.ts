import { parseDataLiteral } from '../../lang/data-literal.js';
import { Scanner } from '../../lang/lexer.js';
import { didYouMean } from '../../lang/suggest.js';
import { formatEndpoint } from '../../server/app-event.js';
import { BEHAVIOUR_PORTS, ServerBehaviourSpecSchema, type ServerBehaviourName, type ServerBehaviourSpec } from '../../server/behaviour.js';
import type { FieldToken } from '../../lang/lexer.js';
import { CommandError, type SessionCommand } from '../command.js';
import { atMost } from './arguments.js';

export const BEHAVIOUR_NAMES = Object.keys(BEHAVIOUR_PORTS) as ServerBehaviourName[];

/** How each behaviour is written after `server`, for help and completion. */
export const BEHAVIOUR_SYNTAX: Record<ServerBehaviourName, string> = {
  echo: 'echo',
  discard: 'discard',
  banner: 'banner or banner="text\\r\\n"',
  'close-after': 'close-after=BYTES',
  line: 'line',
  'length-prefixed': 'length-prefixed',
  'slow-reader': 'slow-reader or slow-reader=BYTES_PER_SECOND',
  refuse: 'refuse',
};

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
  const name = BEHAVIOUR_NAMES.find((behaviour) => behaviour === token.name.toLowerCase());
  if (name === undefined) {
    const hint = didYouMean(token.name, BEHAVIOUR_NAMES) ?? `behaviours are ${BEHAVIOUR_NAMES.join(' ')}`;
    throw new CommandError(`unknown behaviour '${token.name}'; ${hint}`, token.nameSpan);
  }
  const valueSpan = token.value === '' ? { column: token.valueSpan.column, length: 1 } : token.valueSpan;
  let input: Record<string, unknown> = { name };
  switch (name) {
    case 'banner':
      if (token.equals !== null) {
        const literal = parseDataLiteral(Scanner.over(line, token.valueSpan));
        input = { name, text: new TextDecoder().decode(literal.bytes) };
      }
      break;
    case 'close-after':
      if (token.equals === null || !/^\d+$/.test(token.value)) throw new CommandError('close-after needs a byte count, e.g. close-after=5', token.equals === null ? token.nameSpan : valueSpan);
      input = { name, bytes: Number(token.value) };
      break;
    case 'slow-reader':
      if (token.equals !== null) {
        if (!/^\d+$/.test(token.value)) throw new CommandError('slow-reader takes bytes per second, e.g. slow-reader=100 (0 reads nothing)', valueSpan);
        input = { name, bytesPerSecond: Number(token.value) };
      }
      break;
    default:
      if (token.equals !== null) throw new CommandError(`${name} takes no value; write just ${name}`, token.equals);
  }
  const parsed = ServerBehaviourSpecSchema.safeParse(input);
  if (!parsed.success) throw new CommandError(`${name}: ${parsed.error.issues[0]?.message ?? 'not a valid behaviour'}`, valueSpan);
  return parsed.data;
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
