// Reading a server behaviour written as one word (`echo`, `close-after=5`, `banner="hi\r\n"`),
// for the REPL's `server` command and a lesson's `server:` alike. What is wrong comes back as
// a problem, not a message, because each place words it for its reader; a banner's text is
// the segment language's data, so its mistakes are the language's own.

import { ServerBehaviourSpecSchema, type ServerBehaviourSpec } from '../server/behaviour.js';
import { SERVER_BEHAVIOUR_NAMES, SERVER_BEHAVIOUR_SYNTAX, type BehaviourSetting, type BehaviourSyntax } from '../server/behaviour-syntax.js';
import { formatDataLiteral, parseDataLiteral } from './data-literal.js';
import { Scanner, type FieldToken } from './lexer.js';
import { didYouMean } from './suggest.js';
import { SegmentSyntaxError } from './syntax-error.js';

/** Each problem keeps the word, so its caller can point at the name, the '=' or the value. */
export type BehaviourProblem =
  | { kind: 'no-name'; word: FieldToken; hint: string }
  | { kind: 'unknown'; word: FieldToken; hint: string }
  /** A behaviour whose setting is required, written without one. */
  | { kind: 'needs-value'; word: FieldToken; syntax: BehaviourSyntax; setting: BehaviourSetting }
  | { kind: 'takes-no-value'; word: FieldToken; syntax: BehaviourSyntax }
  | { kind: 'not-a-number'; word: FieldToken; syntax: BehaviourSyntax; setting: BehaviourSetting }
  | { kind: 'too-large'; word: FieldToken; syntax: BehaviourSyntax }
  /** A banner's text that does not read as a quoted string, or is not UTF-8. */
  | { kind: 'bad-text'; word: FieldToken; syntax: BehaviourSyntax; error: SegmentSyntaxError };

export type BehaviourReading = { ok: true; spec: ServerBehaviourSpec } | { ok: false; problem: BehaviourProblem };

/** A behaviour from one word of `line`, its columns those of `line`. */
export function readServerBehaviour(line: string, word: FieldToken): BehaviourReading {
  const fail = (problem: BehaviourProblem): BehaviourReading => ({ ok: false, problem });
  const hint = didYouMean(word.name, SERVER_BEHAVIOUR_NAMES) ?? `behaviours are ${SERVER_BEHAVIOUR_NAMES.join(' ')}`;
  if (word.name === '') return fail({ kind: 'no-name', word, hint });
  const syntax = SERVER_BEHAVIOUR_SYNTAX.find((candidate) => candidate.name === word.name.toLowerCase());
  if (syntax === undefined) return fail({ kind: 'unknown', word, hint });

  const setting = syntax.value;
  if (word.equals === null) {
    if (setting?.required) return fail({ kind: 'needs-value', word, syntax, setting });
    return { ok: true, spec: ServerBehaviourSpecSchema.parse({ name: syntax.name }) };
  }
  if (setting === null) return fail({ kind: 'takes-no-value', word, syntax });
  if (setting.kind === 'integer') {
    if (!/^\d+$/.test(word.value)) return fail({ kind: 'not-a-number', word, syntax, setting });
    const value = Number(word.value);
    if (!Number.isSafeInteger(value)) return fail({ kind: 'too-large', word, syntax });
    return { ok: true, spec: ServerBehaviourSpecSchema.parse({ name: syntax.name, [setting.key]: value }) };
  }
  try {
    return { ok: true, spec: ServerBehaviourSpecSchema.parse({ name: syntax.name, [setting.key]: textOf(line, word, syntax.name) }) };
  } catch (error) {
    if (!(error instanceof SegmentSyntaxError)) throw error;
    return fail({ kind: 'bad-text', word, syntax, error });
  }
}

/** The text is written as the segment language writes data: a quoted string with escapes. */
function textOf(line: string, word: FieldToken, name: string): string {
  const scanner = Scanner.over(line, word.valueSpan);
  const literal = parseDataLiteral(scanner);
  if (!scanner.atEnd()) scanner.fail(`unexpected ${scanner.describeNext()} after the ${name} text`, scanner.here(), 'put the whole text in one quoted string');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(literal.bytes);
  } catch {
    throw new SegmentSyntaxError(`the ${name} text is not UTF-8`, { column: word.valueSpan.column, length: Math.max(1, word.valueSpan.length) });
  }
}

/** A whole text as one word: the name up to the first '=', the value after it. */
export function behaviourWord(text: string): FieldToken {
  const equals = text.indexOf('=');
  const name = equals === -1 ? text : text.slice(0, equals);
  const value = equals === -1 ? '' : text.slice(equals + 1);
  return {
    name,
    nameSpan: { column: 1, length: name.length },
    equals: equals === -1 ? null : { column: equals + 1, length: 1 },
    value,
    valueSpan: { column: equals === -1 ? text.length + 1 : equals + 2, length: value.length },
  };
}

const DEFAULT_BANNER = bannerDefault();

function bannerDefault(): string {
  const spec = ServerBehaviourSpecSchema.parse({ name: 'banner' });
  return spec.name === 'banner' ? spec.text : '';
}

/** The one-word form back from a behaviour: `close-after=5`; readServerBehaviour reads it back. */
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
