import { parseAddress, type AddressValue } from './address.js';
import { parseDataLiteral, type DataLiteral } from './data-literal.js';
import { checkIfConstant, parseExpression, type Expression } from './expression.js';
import {
  NUMERIC_FIELD_RULES,
  SEGMENT_FIELDS,
  SEGMENT_FIELD_NAMES,
  isNumericField,
  type NumericFieldName,
  type SegmentFieldName,
} from './fields.js';
import { parseFlags, type FlagsValue } from './flags.js';
import { checkIpv4Only, checkSameVersion, type VersionedField } from './ip-version.js';
import { Scanner, isSpace, lexLine, type FieldToken } from './lexer.js';
import { parseOptions, type OptionSpec } from './options.js';
import { didYouMean } from './suggest.js';
import { SegmentSyntaxError, type Span } from './syntax-error.js';

/** A field as written: its parsed value and where its name and value sit in the line. */
export interface FieldSpec<T> {
  value: T;
  nameSpan: Span;
  valueSpan: Span;
}

export type SegmentFields = {
  src?: FieldSpec<AddressValue>;
  dst?: FieldSpec<AddressValue>;
  flags?: FieldSpec<FlagsValue>;
  opts?: FieldSpec<OptionSpec[]>;
  data?: FieldSpec<DataLiteral>;
} & { [name in NumericFieldName]?: FieldSpec<Expression> };

/** A parsed `tcp ...` line: only the fields that were written; the rest come from a context. */
export interface SegmentSpec {
  text: string;
  fields: SegmentFields;
  /** Fixed by a literal address; null when it waits on a variable or the defaults. */
  version: 4 | 6 | null;
}

const KEYWORD = 'tcp';

/** Parse one `tcp field=value ...` line. Throws SegmentSyntaxError, never anything else. */
export function parseSegment(text: string): SegmentSpec {
  const line = lexLine(text);
  if (line.head === null) {
    const column = (text.length - text.trimStart().length) + 1;
    const got = text.trim() === '' ? 'end of line' : `'${text.trim().split(/\s/)[0]}'`;
    throw new SegmentSyntaxError(`expected '${KEYWORD}', got ${got}`, { column, length: 1 }, `e.g. ${KEYWORD} flags=S`);
  }
  if (line.head.text.toLowerCase() !== KEYWORD) {
    const hint = didYouMean(line.head.text, [KEYWORD]) ?? `a segment starts with '${KEYWORD}', e.g. ${KEYWORD} flags=S`;
    throw new SegmentSyntaxError(`expected '${KEYWORD}', got '${line.head.text}'`, line.head.span, hint);
  }
  return parseSegmentFields(text, line.fields);
}

/**
 * The fields of a segment, for a caller that lexed the line itself (a command with its own
 * head word). Columns refer to `text`.
 */
export function parseSegmentFields(text: string, tokens: readonly FieldToken[]): SegmentSpec {
  const fields: SegmentFields = {};
  const seen = new Map<SegmentFieldName, Span>();

  for (const token of tokens) {
    const name = checkFieldName(text, token);
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new SegmentSyntaxError(`duplicate field '${name}'`, token.nameSpan, `it is already set at column ${earlier.column}`);
    }
    seen.set(name, token.nameSpan);
    if (token.value === '') {
      const example = SEGMENT_FIELDS.find((field) => field.name === name)?.example ?? `${name}=...`;
      throw new SegmentSyntaxError(`missing value for '${name}'`, { column: token.valueSpan.column, length: 1 }, `e.g. ${example}`);
    }
    assignField(fields, name, text, token);
  }

  const version = checkVersions(fields);
  return { text, fields, version };
}

function checkFieldName(text: string, token: FieldToken): SegmentFieldName {
  if (token.name === '') {
    throw new SegmentSyntaxError("expected a field name before '='", token.equals ?? token.nameSpan, 'e.g. flags=S');
  }
  const name = SEGMENT_FIELD_NAMES.find((field) => field === token.name);
  if (name === undefined) {
    const hint = didYouMean(token.name, SEGMENT_FIELD_NAMES) ?? `fields are ${SEGMENT_FIELD_NAMES.join(' ')}`;
    throw new SegmentSyntaxError(`unknown field '${token.name}'`, token.nameSpan, hint);
  }
  if (token.equals === null) {
    const after = token.nameSpan.column - 1 + token.nameSpan.length;
    let next = after;
    while (next < text.length && isSpace(text[next] ?? '')) next += 1;
    const hint = text[next] === '=' && next > after ? `write ${name}=value with no spaces around '='` : `write ${name}=value`;
    throw new SegmentSyntaxError(`missing '=' after '${name}'`, { column: after + 1, length: 1 }, hint);
  }
  return name;
}

function assignField(fields: SegmentFields, name: SegmentFieldName, text: string, token: FieldToken): void {
  const scanner = Scanner.over(text, token.valueSpan);
  const spans = { nameSpan: token.nameSpan, valueSpan: token.valueSpan };
  const finish = (hint: string): void => {
    if (!scanner.atEnd()) {
      scanner.fail(`unexpected ${scanner.describeNext()} in the value of ${name}`, scanner.here(scanner.rest().length), hint);
    }
  };

  if (isNumericField(name)) {
    const value = parseExpression(scanner);
    finish("values combine with '+' and '-'");
    checkIfConstant(value, NUMERIC_FIELD_RULES[name]);
    fields[name] = { value, ...spans };
    return;
  }
  switch (name) {
    case 'src':
    case 'dst': {
      const value = parseAddress(scanner);
      finish(value.kind === 'variable' ? 'an address variable stands alone, with no arithmetic' : 'e.g. 10.0.0.1 or fe80::1');
      fields[name] = { value, ...spans };
      return;
    }
    case 'flags':
      fields.flags = { value: parseFlags(scanner), ...spans };
      finish('a flags variable stands alone, with no arithmetic');
      return;
    case 'opts':
      fields.opts = { value: parseOptions(scanner), ...spans };
      return;
    case 'data':
      fields.data = { value: parseDataLiteral(scanner), ...spans };
      finish('put the whole payload in one quoted string, or one 0x hex run');
      return;
  }
}

function literalVersion(name: 'src' | 'dst', field: FieldSpec<AddressValue> | undefined): VersionedField | null {
  if (field === undefined || field.value.kind !== 'address') return null;
  return { name, version: field.value.version, span: field.value.span };
}

/** Literal addresses fix the IP version now, so mixed versions and IPv4-only fields fail early. */
function checkVersions(fields: SegmentFields): 4 | 6 | null {
  const src = literalVersion('src', fields.src);
  const dst = literalVersion('dst', fields.dst);
  checkSameVersion(src, dst);
  const decided = src ?? dst;
  if (decided === null) return null;
  if (decided.version === 6) {
    checkIpv4Only(
      [
        fields.id ? { name: 'id', span: fields.id.nameSpan } : null,
        fields.df ? { name: 'df', span: fields.df.nameSpan } : null,
      ],
      `of ${decided.name} at column ${decided.span.column}`,
    );
  }
  return decided.version;
}
