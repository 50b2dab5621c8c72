// Matchers: `field=value ...` lists that say what a received packet must look like, for
// `expect` and `recv`. They read the segment language's values and add four of their own:
// `*` for anything, `a..b` for a range, `-` for "no options at all", and `!wscale` for
// "no such option", since what a peer leaves out of its SYN-ACK says as much as what it puts in.

import { parseAddress, type AddressValue } from './address.js';
import { parseDataLiteral, type DataLiteral } from './data-literal.js';
import { NUMERIC_FIELD_RULES, SEGMENT_FIELDS, type NumericFieldName } from './fields.js';
import { parseFlags, type FlagsValue } from './flags.js';
import { Scanner, isSpace, lexLine, type FieldToken } from './lexer.js';
import { parseNumberPattern, type NumberPattern } from './matcher-number.js';
import { parseOptionPatterns, type OptionPattern } from './matcher-options.js';
import { didYouMean } from './suggest.js';
import { SegmentSyntaxError, type Span } from './syntax-error.js';

export type MatcherFieldName = NumericFieldName | 'len' | 'src' | 'dst' | 'flags' | 'opts' | 'data';

export type MatcherNumericField = NumericFieldName | 'len';

export interface MatcherFieldInfo {
  name: MatcherFieldName;
  description: string;
  example: string;
}

/** Every field a matcher may test, in the order feedback lists them; for help and completion. */
export const MATCHER_FIELDS: ReadonlyArray<MatcherFieldInfo> = [
  ...SEGMENT_FIELDS.filter((field) => field.name !== 'opts' && field.name !== 'data' && field.name !== 'flags').map(
    (field): MatcherFieldInfo => ({ name: field.name, description: field.description, example: matcherExample(field.name, field.example) }),
  ),
  { name: 'flags', description: 'exactly these flags: flags=SA is SYN and ACK and nothing else', example: 'flags=SA' },
  { name: 'opts', description: 'options that must be present (others may be too), !name for one that must not; - for none', example: 'opts=mss:*,!wscale' },
  { name: 'len', description: 'payload length in bytes', example: 'len=5' },
  { name: 'data', description: 'the payload, exactly', example: 'data="hello"' },
];

function matcherExample(name: string, example: string): string {
  if (name === 'seq') return 'seq=$rx[-2].seq+1';
  if (name === 'ack') return 'ack=$tx.seq+1';
  if (name === 'win') return 'win=1000..65535';
  return example;
}

export const MATCHER_FIELD_NAMES: readonly MatcherFieldName[] = MATCHER_FIELDS.map((field) => field.name);

const LEN_RULE = { label: 'len', max: 0xffff, wrap: false } as const;

export function numericRuleOf(name: MatcherNumericField) {
  return name === 'len' ? LEN_RULE : NUMERIC_FIELD_RULES[name];
}

export type FieldPattern =
  | { field: MatcherNumericField; kind: 'number'; pattern: NumberPattern }
  | { field: 'src' | 'dst'; kind: 'address'; value: AddressValue }
  | { field: 'flags'; kind: 'flags'; value: FlagsValue }
  | { field: 'opts'; kind: 'options'; options: OptionPattern[] }
  | { field: 'opts'; kind: 'no-options' }
  | { field: 'data'; kind: 'data'; value: DataLiteral }
  /** `*`: present in the line for readability, matches anything. */
  | { field: Exclude<MatcherFieldName, MatcherNumericField>; kind: 'any' };

/** One `field=value` of a matcher, with where it was written. */
export type FieldMatcher = FieldPattern & {
  /** The value as written. */
  text: string;
  nameSpan: Span;
  valueSpan: Span;
};

export interface Matcher {
  text: string;
  fields: FieldMatcher[];
  /**
   * Items the caller accepts besides fields (`timeout=` for recv), by name, unparsed: the
   * caller reads their values, and a misspelt one is still caught here.
   */
  extras: Map<string, FieldToken>;
}

export interface MatcherOptions {
  /** Names the caller handles itself, such as 'timeout'. */
  extras?: readonly string[];
}

/** Parse `expect field=value ...` (any head word) or a bare `field=value ...` list. */
export function parseMatcherLine(text: string, options: MatcherOptions = {}): Matcher {
  return parseMatcher(text, lexLine(text).fields, options);
}

/**
 * A matcher from a line the caller lexed (its head word is the caller's). Columns refer to
 * `text`. Throws SegmentSyntaxError, never anything else.
 */
export function parseMatcher(text: string, tokens: readonly FieldToken[], options: MatcherOptions = {}): Matcher {
  const extras = new Map<string, FieldToken>();
  const allowed = [...MATCHER_FIELD_NAMES, ...(options.extras ?? [])];
  const seen = new Map<string, Span>();
  const fields: FieldMatcher[] = [];

  for (const token of tokens) {
    const name = checkName(text, token, allowed);
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new SegmentSyntaxError(`duplicate field '${name}'`, token.nameSpan, `it is already given at column ${earlier.column}`);
    }
    seen.set(name, token.nameSpan);
    if (token.value === '') {
      const example = MATCHER_FIELDS.find((field) => field.name === name)?.example ?? `${name}=...`;
      throw new SegmentSyntaxError(`missing value for '${name}'`, { column: token.valueSpan.column, length: 1 }, `e.g. ${example}`);
    }
    if (!MATCHER_FIELD_NAMES.includes(name as MatcherFieldName)) {
      extras.set(name, token);
      continue;
    }
    const pattern = parseFieldPattern(text, name as MatcherFieldName, token);
    fields.push({ ...pattern, text: token.value, nameSpan: token.nameSpan, valueSpan: token.valueSpan });
  }
  return { text, fields, extras };
}

function checkName(text: string, token: FieldToken, allowed: readonly string[]): string {
  if (token.name === '') {
    throw new SegmentSyntaxError("expected a field name before '='", token.equals ?? token.nameSpan, 'e.g. flags=SA');
  }
  if (token.equals === null) {
    const known = allowed.includes(token.name);
    if (!known) {
      const hint = didYouMean(token.name, allowed) ?? `write field=value, e.g. flags=SA; fields are ${allowed.join(' ')}`;
      throw new SegmentSyntaxError(`expected field=value, got '${token.name}'`, token.nameSpan, hint);
    }
    const after = token.nameSpan.column - 1 + token.nameSpan.length;
    let next = after;
    while (next < text.length && isSpace(text[next] ?? '')) next += 1;
    const hint = text[next] === '=' && next > after ? `write ${token.name}=value with no spaces around '='` : `write ${token.name}=value`;
    throw new SegmentSyntaxError(`missing '=' after '${token.name}'`, { column: after + 1, length: 1 }, hint);
  }
  if (!allowed.includes(token.name)) {
    const hint = didYouMean(token.name, allowed) ?? `fields are ${allowed.join(' ')}`;
    throw new SegmentSyntaxError(`unknown field '${token.name}'`, token.nameSpan, hint);
  }
  return token.name;
}

function parseFieldPattern(text: string, name: MatcherFieldName, token: FieldToken): FieldPattern {
  const scanner = Scanner.over(text, token.valueSpan);
  const finish = (hint: string): void => {
    if (!scanner.atEnd()) {
      scanner.fail(`unexpected ${scanner.describeNext()} in the value of ${name}`, scanner.here(scanner.rest().length), hint);
    }
  };

  if (name !== 'src' && name !== 'dst' && name !== 'flags' && name !== 'opts' && name !== 'data') {
    const pattern = parseNumberPattern(scanner, numericRuleOf(name));
    finish("a value is a number, an expression with '+' and '-', a range a..b, or *");
    return { field: name, kind: 'number', pattern };
  }
  if (token.value === '*') return { field: name, kind: 'any' };
  switch (name) {
    case 'src':
    case 'dst': {
      const value = parseAddress(scanner);
      finish(value.kind === 'variable' ? 'an address variable stands alone, with no arithmetic' : 'e.g. 10.0.0.1 or fe80::1');
      return { field: name, kind: 'address', value };
    }
    case 'flags': {
      const value = parseFlags(scanner);
      finish('a flags variable stands alone, with no arithmetic');
      return { field: 'flags', kind: 'flags', value };
    }
    case 'opts':
      if (token.value === '-') return { field: 'opts', kind: 'no-options' };
      return { field: 'opts', kind: 'options', options: parseOptionPatterns(scanner) };
    case 'data': {
      const value = parseDataLiteral(scanner);
      finish('put the whole payload in one quoted string, or one 0x hex run');
      return { field: 'data', kind: 'data', value };
    }
  }
}
