import {
  Scanner,
  isDigit,
  isHexDigit,
  isIdentifierPart,
  isIdentifierStart,
} from './lexer.js';
import { didYouMean } from './suggest.js';
import { SegmentSyntaxError, type Span } from './syntax-error.js';

/** `$name`, `$name.field`, `$name[-2].field`, `$name[3].field`: resolved by the caller. */
export interface VariableRef {
  name: string;
  /** Negative counts from the end (`$rx[-1]` is the latest); null when there is no index. */
  index: number | null;
  field: string | null;
  /** As written, for messages. */
  text: string;
  span: Span;
}

export type Expression =
  | { kind: 'number'; value: number; text: string; span: Span }
  | { kind: 'variable'; ref: VariableRef; text: string; span: Span }
  | { kind: 'binary'; op: '+' | '-'; left: Expression; right: Expression; text: string; span: Span };

/**
 * The fields a variable may name: a packet's header fields and payload length, a
 * timestamp option's two values, and an endpoint's address and port (`$server.port`).
 */
export const VARIABLE_FIELDS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'seq', description: 'sequence number' },
  { name: 'ack', description: 'acknowledgment number' },
  { name: 'len', description: 'payload length in bytes' },
  { name: 'win', description: 'window' },
  { name: 'flags', description: 'flags, as a bit mask' },
  { name: 'sport', description: 'source port' },
  { name: 'dport', description: 'destination port' },
  { name: 'urp', description: 'urgent pointer' },
  { name: 'ttl', description: 'TTL (hop limit for IPv6)' },
  { name: 'src', description: 'source address' },
  { name: 'dst', description: 'destination address' },
  { name: 'tsval', description: "timestamp option's TSval" },
  { name: 'tsecr', description: "timestamp option's TSecr" },
  { name: 'addr', description: "an endpoint's address" },
  { name: 'port', description: "an endpoint's port" },
];

const FIELD_NAMES = VARIABLE_FIELDS.map((field) => field.name);

/** The largest value a number in the language may take: every field fits in 32 bits. */
export const MAX_NUMBER = 0xffffffff;

/** Answers a variable: a number, an address string, or undefined when there is no such thing. */
export type Resolver = (ref: VariableRef) => number | string | undefined;

export interface NumberLiteral {
  value: number;
  text: string;
  span: Span;
}

/** A decimal or 0x-hex integer; the value may exceed 32 bits, for the caller to reject by name. */
export function parseInteger(scanner: Scanner): NumberLiteral {
  const start = scanner.pos;
  if (!isDigit(scanner.peek())) {
    scanner.fail(`expected a number, got ${scanner.describeNext()}`);
  }
  let value: number;
  if (scanner.peek() === '0' && (scanner.peek(1) === 'x' || scanner.peek(1) === 'X')) {
    scanner.pos += 2;
    const digits = scanner.takeWhile(isHexDigit);
    if (digits === '') scanner.fail(`expected hex digits after '0x', got ${scanner.describeNext()}`);
    value = Number.parseInt(digits, 16);
  } else {
    value = Number(scanner.takeWhile(isDigit));
  }
  const text = scanner.text.slice(start, scanner.pos);
  return { value, text, span: scanner.spanFrom(start) };
}

export function parseVariableRef(scanner: Scanner): VariableRef {
  const start = scanner.pos;
  if (!scanner.eat('$')) scanner.fail(`expected '$', got ${scanner.describeNext()}`);
  if (!isIdentifierStart(scanner.peek())) {
    scanner.fail(`expected a variable name after '$', got ${scanner.describeNext()}`, scanner.here(), 'e.g. $rx.seq');
  }
  const name = scanner.takeWhile(isIdentifierPart);

  let index: number | null = null;
  if (scanner.peek() === '[') {
    const open = scanner.pos;
    scanner.next();
    const negative = scanner.eat('-');
    if (!isDigit(scanner.peek())) {
      scanner.fail(`expected an index, got ${scanner.describeNext()}`, scanner.here(), `write $${name}[-1] for the latest or $${name}[0] for the first`);
    }
    const digits = scanner.takeWhile(isDigit);
    if (!scanner.eat(']')) {
      scanner.fail(`expected ']', got ${scanner.describeNext()}`, scanner.here(), `the '[' at column ${open + 1} is not closed`);
    }
    index = (negative ? -1 : 1) * Number(digits);
  }

  let field: string | null = null;
  // A second dot starts a range (`$rx.seq..$rx.seq+10`), which belongs to the caller.
  if (scanner.peek() === '.' && scanner.peek(1) !== '.') {
    const dot = scanner.pos;
    scanner.next();
    const typed = scanner.takeWhile(isIdentifierPart);
    const span = scanner.spanFrom(dot);
    if (typed === '') scanner.fail(`expected a field name after '.', got ${scanner.describeNext()}`, span, 'e.g. .seq');
    if (!FIELD_NAMES.includes(typed)) {
      const hint =
        didYouMean(typed, FIELD_NAMES, (s) => `'.${s}'`) ?? `fields are ${FIELD_NAMES.map((f) => `.${f}`).join(' ')}`;
      throw new SegmentSyntaxError(`unknown variable field '.${typed}'`, span, hint);
    }
    field = typed;
  }
  const span = scanner.spanFrom(start);
  return { name, index, field, text: scanner.text.slice(start, scanner.pos), span };
}

/** A number, a variable, or a parenthesised expression: an operand with no loose `-` in it. */
export function parseTerm(scanner: Scanner): Expression {
  const start = scanner.pos;
  const ch = scanner.peek();
  if (ch === '$') {
    const ref = parseVariableRef(scanner);
    return { kind: 'variable', ref, text: ref.text, span: ref.span };
  }
  if (isDigit(ch)) {
    const literal = parseInteger(scanner);
    return { kind: 'number', ...literal };
  }
  if (ch === '(') {
    scanner.next();
    const inner = parseExpression(scanner);
    if (!scanner.eat(')')) {
      scanner.fail(`expected ')', got ${scanner.describeNext()}`, scanner.here(), `the '(' at column ${start + 1} is not closed`);
    }
    return { ...inner, text: scanner.text.slice(start, scanner.pos), span: scanner.spanFrom(start) };
  }
  const word = scanner.atEnd() ? 'end of value' : `'${scanner.rest().match(/^[^+\-(),:;|]+/)?.[0] ?? ch}'`;
  scanner.fail(`expected a number or $variable, got ${word}`);
}

/**
 * Terms joined by `+` and `-`, left to right. Stops before anything else, so the caller
 * sees what follows (end of value, `:` in an option, `..` in a range).
 */
export function parseExpression(scanner: Scanner): Expression {
  const start = scanner.pos;
  let left = parseTerm(scanner);
  for (;;) {
    const op = scanner.peek();
    if (op !== '+' && op !== '-') return left;
    const opSpan = scanner.here();
    scanner.next();
    const next = scanner.peek();
    if (next !== '$' && next !== '(' && !isDigit(next)) {
      throw new SegmentSyntaxError(`'${op}' needs a number or $variable after it`, opSpan, `got ${scanner.describeNext()}`);
    }
    const right = parseTerm(scanner);
    left = { kind: 'binary', op, left, right, text: scanner.text.slice(start, scanner.pos), span: scanner.spanFrom(start) };
  }
}

export function hasVariables(expression: Expression): boolean {
  switch (expression.kind) {
    case 'number':
      return false;
    case 'variable':
      return true;
    case 'binary':
      return hasVariables(expression.left) || hasVariables(expression.right);
  }
}

/** Exact integer arithmetic; range rules belong to the field the result goes into. */
export function evaluateExpression(expression: Expression, resolve: Resolver): number {
  switch (expression.kind) {
    case 'number':
      if (expression.value > MAX_NUMBER) {
        throw new SegmentSyntaxError(`number ${expression.text} is too large`, expression.span, `numbers are 0..${MAX_NUMBER}`);
      }
      return expression.value;
    case 'variable':
      return resolveNumericVariable(expression.ref, resolve);
    case 'binary': {
      const left = evaluateExpression(expression.left, resolve);
      const right = evaluateExpression(expression.right, resolve);
      return expression.op === '+' ? left + right : left - right;
    }
  }
}

function resolveNumericVariable(ref: VariableRef, resolve: Resolver): number {
  const value = resolve(ref);
  if (value === undefined) throw new SegmentSyntaxError(`unknown variable ${ref.text}`, ref.span);
  if (typeof value === 'string') throw new SegmentSyntaxError(`expected a number but ${ref.text} is '${value}'`, ref.span);
  if (!Number.isSafeInteger(value)) throw new SegmentSyntaxError(`expected an integer but ${ref.text} is ${value}`, ref.span);
  return value;
}

/** How a numeric field takes a value: its name for messages, its largest value, and whether it wraps. */
export interface NumericRule {
  label: string;
  max: number;
  /** Sequence-space values (seq, ack, SACK edges, timestamps) wrap modulo 2^32 instead of failing. */
  wrap: boolean;
}

const MODULUS = 2 ** 32;

/** Evaluate for a field: wrap modulo 2^32, or fail naming the field, its range and the column. */
export function resolveNumber(expression: Expression, rule: NumericRule, resolve: Resolver): number {
  if (expression.kind === 'number' && expression.value > rule.max) {
    const shown = Number.isSafeInteger(expression.value) ? String(expression.value) : expression.text;
    throw new SegmentSyntaxError(`${rule.label} must be 0..${rule.max}, got ${shown}`, expression.span);
  }
  const value = evaluateExpression(expression, resolve);
  if (rule.wrap) return ((value % MODULUS) + MODULUS) % MODULUS;
  if (value < 0 || value > rule.max) {
    const from = expression.kind === 'number' ? '' : ` from ${expression.text}`;
    throw new SegmentSyntaxError(`${rule.label} must be 0..${rule.max}, got ${value}${from}`, expression.span);
  }
  return value;
}

const NO_VARIABLES: Resolver = () => undefined;

/** Check a value with no variables in it as soon as it is parsed, so the error comes early. */
export function checkIfConstant(expression: Expression, rule: NumericRule): void {
  if (!hasVariables(expression)) resolveNumber(expression, rule, NO_VARIABLES);
}
