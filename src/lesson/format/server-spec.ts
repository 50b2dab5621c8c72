// The bundled server's behaviour as one word, the way a lesson's front-matter and a `run`
// cell's `server` line write it: `echo`, `close-after=5`, `banner="hi\r\n"`, `slow-reader=100`.
// Each behaviour has at most one setting, so `name=value` says it all.

import { formatDataLiteral, parseDataLiteral } from '../../lang/data-literal.js';
import { Scanner } from '../../lang/lexer.js';
import { didYouMean } from '../../lang/suggest.js';
import { SegmentSyntaxError } from '../../lang/syntax-error.js';
import { ServerBehaviourSpecSchema, type ServerBehaviourName, type ServerBehaviourSpec } from '../../server/behaviour.js';

interface BehaviourSyntax {
  name: ServerBehaviourName;
  /** What `=value` sets, if anything; `required` when the behaviour means nothing without it. */
  value: { key: 'bytes' | 'bytesPerSecond' | 'text'; kind: 'integer' | 'text'; required: boolean; example: string } | null;
  description: string;
}

/** Every behaviour, for messages and the lesson format's reference. */
export const SERVER_BEHAVIOUR_SYNTAX: readonly BehaviourSyntax[] = [
  { name: 'echo', value: null, description: 'sends back every byte it receives (port 7)' },
  { name: 'discard', value: null, description: 'reads and throws away (port 9)' },
  {
    name: 'banner',
    value: { key: 'text', kind: 'text', required: false, example: 'banner="220 ready\\r\\n"' },
    description: 'speaks first: a greeting as soon as it accepts (port 13)',
  },
  {
    name: 'close-after',
    value: { key: 'bytes', kind: 'integer', required: true, example: 'close-after=5' },
    description: 'echoes, then closes first (FIN) once it has received N bytes (port 7001)',
  },
  { name: 'line', value: null, description: 'answers each line ending in \\n with one line (port 7002)' },
  { name: 'length-prefixed', value: null, description: 'answers each message framed by a 2-byte length (port 7003)' },
  {
    name: 'slow-reader',
    value: { key: 'bytesPerSecond', kind: 'integer', required: false, example: 'slow-reader=100' },
    description: 'reads N bytes a second (0, the default: never), so its window fills (port 7004)',
  },
  { name: 'refuse', value: null, description: 'has no listener: the kernel answers a SYN with RST (port 7005)' },
];

const NAMES = SERVER_BEHAVIOUR_SYNTAX.map((syntax) => syntax.name);

/** A behaviour from its one-word form; errors carry the column within `text`. */
export function parseServerBehaviour(text: string): ServerBehaviourSpec {
  const equals = text.indexOf('=');
  const typed = equals === -1 ? text : text.slice(0, equals);
  const space = typed.search(/\s/);
  if (space !== -1) {
    const name = typed.slice(0, space);
    const hint = NAMES.includes(name as ServerBehaviourName) ? `write ${name}=VALUE, with no spaces` : `behaviours are ${NAMES.join(' ')}`;
    throw new SegmentSyntaxError(`unexpected space in the server behaviour '${text}'`, { column: space + 1, length: 1 }, hint);
  }
  const syntax = SERVER_BEHAVIOUR_SYNTAX.find((candidate) => candidate.name === typed.toLowerCase());
  if (syntax === undefined) {
    const problem = typed === '' ? 'expected a server behaviour' : `unknown server behaviour '${typed}'`;
    const hint = didYouMean(typed, NAMES) ?? `behaviours are ${NAMES.join(' ')}`;
    throw new SegmentSyntaxError(problem, { column: 1, length: Math.max(1, typed.length) }, hint);
  }
  const setting = syntax.value;
  if (equals === -1) {
    if (setting?.required) {
      throw new SegmentSyntaxError(`${syntax.name} needs a value`, { column: text.length + 1, length: 1 }, `e.g. ${setting.example}`);
    }
    return ServerBehaviourSpecSchema.parse({ name: syntax.name });
  }
  const valueColumn = equals + 2;
  if (setting === null) {
    throw new SegmentSyntaxError(`${syntax.name} takes no value`, { column: equals + 1, length: text.length - equals }, `write just ${syntax.name}`);
  }
  const raw = text.slice(equals + 1);
  return ServerBehaviourSpecSchema.parse({ name: syntax.name, [setting.key]: settingValue(raw, valueColumn, syntax.name, setting) });
}

function settingValue(raw: string, column: number, name: string, setting: NonNullable<BehaviourSyntax['value']>): number | string {
  const at = { column, length: Math.max(1, raw.length) };
  if (setting.kind === 'integer') {
    if (!/^\d+$/.test(raw)) throw new SegmentSyntaxError(`${name} takes a whole number, got '${raw}'`, at, `e.g. ${setting.example}`);
    const value = Number(raw);
    if (!Number.isSafeInteger(value)) throw new SegmentSyntaxError(`${name}=${raw} is too large`, at);
    return value;
  }
  // The text is written as the segment language writes data: a quoted string with escapes.
  const line = ' '.repeat(column - 1) + raw;
  const scanner = new Scanner(line, column - 1);
  const literal = parseDataLiteral(scanner);
  if (!scanner.atEnd()) scanner.fail(`unexpected ${scanner.describeNext()} after the ${name} text`, scanner.here(), 'put the whole text in one quoted string');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(literal.bytes);
  } catch {
    throw new SegmentSyntaxError(`the ${name} text is not UTF-8`, at);
  }
}

const DEFAULT_BANNER = bannerDefault();

function bannerDefault(): string {
  const spec = ServerBehaviourSpecSchema.parse({ name: 'banner' });
  return spec.name === 'banner' ? spec.text : '';
}

/** The one-word form back from a behaviour: `close-after=5`; parseServerBehaviour reads it back. */
export function formatServerBehaviour(spec: ServerBehaviourSpec): string {
  switch (spec.name) {
    case 'close-after':
      return `close-after=${spec.bytes}`;
    case 'slow-reader':
      return spec.bytesPerSecond === 0 ? 'slow-reader' : `slow-reader=${spec.bytesPerSecond}`;
    case 'banner':
      return spec.text === DEFAULT_BANNER ? 'banner' : `banner=${formatDataLiteral(new TextEncoder().encode(spec.text))}`;
    default:
      return spec.name;
  }
}
