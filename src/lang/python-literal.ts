// Reads the few Python forms that scapy's notation is written in: literals (ints, floats,
// str and bytes, tuples, lists, None/True/False), names, calls with keyword arguments, and
// '/' between layers. Nothing is evaluated; the reader only builds a tree for the caller
// to give meaning to. Numbers are the segment language's expressions, so `$rx.seq+1`
// works here as it does in a `tcp` line.

import { parseVariableRef, type Expression } from './expression.js';
import { Scanner, isDigit, isHexDigit, isIdentifierPart, isIdentifierStart, isSpace } from './lexer.js';
import { SegmentSyntaxError, type Span } from './syntax-error.js';

export type PyValue =
  | { kind: 'int'; expression: Expression; span: Span }
  | { kind: 'float'; value: number; text: string; span: Span }
  | { kind: 'string'; bytes: Uint8Array<ArrayBuffer>; isBytes: boolean; span: Span }
  | { kind: 'tuple'; items: PyValue[]; span: Span }
  | { kind: 'list'; items: PyValue[]; span: Span }
  | { kind: 'constant'; value: null | boolean; text: 'None' | 'True' | 'False'; span: Span }
  | { kind: 'name'; name: string; span: Span }
  | { kind: 'call'; callee: string; calleeSpan: Span; args: PyArgument[]; span: Span }
  /** `a / b / c`: scapy's layers stacked. */
  | { kind: 'stack'; layers: PyValue[]; span: Span };

export interface PyArgument {
  /** Null for a positional argument. */
  keyword: { name: string; span: Span } | null;
  value: PyValue;
}

const CONSTANTS = { None: null, True: true, False: false } as const;

/** Python's string prefixes, lower-cased; f-strings are code, so they are refused by name. */
const STRING_PREFIXES = new Set(['', 'b', 'r', 'u', 'br', 'rb']);
const FORMAT_PREFIXES = new Set(['f', 'fr', 'rf']);

const OPERATOR_HINT = "tcplab reads values, it does not run Python; only '+' and '-' combine numbers";

/**
 * One Python expression filling `text` from `start`, with nothing after it but spaces, a
 * ';' or a '#' comment. Throws SegmentSyntaxError with the column of the first problem.
 */
export function readPythonExpression(text: string, start = 0): PyValue {
  const reader = new PythonReader(new Scanner(text, start));
  const value = reader.value();
  reader.finish(value);
  return value;
}

/** The part of a value's text, for messages: `IP(...)` rather than the whole call. */
export function describeValue(value: PyValue): string {
  switch (value.kind) {
    case 'int':
      return 'a number';
    case 'float':
      return `the float ${value.text}`;
    case 'string':
      return value.isBytes ? 'a bytes literal' : 'a string';
    case 'tuple':
      return 'a tuple';
    case 'list':
      return 'a list';
    case 'constant':
      return value.text;
    case 'name':
      return `the name '${value.name}'`;
    case 'call':
      return `${value.callee}(...)`;
    case 'stack':
      return 'stacked layers';
  }
}

class PythonReader {
  constructor(private readonly scanner: Scanner) {}

  private skipSpace(): void {
    this.scanner.takeWhile(isSpace);
  }

  finish(value: PyValue): void {
    const s: Scanner = this.scanner;
    this.skipSpace();
    if (s.peek() === ';') {
      s.next();
      this.skipSpace();
    }
    if (s.peek() === '#') s.pos = s.end;
    if (!s.atEnd()) {
      s.fail(`unexpected ${this.describeNext()} after ${describeValue(value)}`, s.here(), 'write one packet per line');
    }
  }

  private describeNext(): string {
    const s: Scanner = this.scanner;
    if (s.atEnd()) return 'end of line';
    const word = s.rest().match(/^[A-Za-z_][A-Za-z0-9_]*/)?.[0];
    return word === undefined ? `'${s.peek()}'` : `'${word}'`;
  }

  /** Sums joined by '/'. */
  value(): PyValue {
    const s: Scanner = this.scanner;
    const start = s.pos;
    const first = this.sum();
    this.skipSpace();
    if (s.peek() !== '/') return first;
    const layers = [first];
    while (s.peek() === '/') {
      if (s.peek(1) === '/') {
        s.fail("'//' is Python's integer division", s.here(2), "stack layers with a single '/', e.g. IP()/TCP()");
      }
      const previous = layers[layers.length - 1]!;
      if (previous.kind === 'int' || previous.kind === 'float') s.fail("unexpected '/' after a number", s.here(), OPERATOR_HINT);
      s.next();
      layers.push(this.sum());
      this.skipSpace();
    }
    return { kind: 'stack', layers, span: s.spanFrom(start) };
  }

  /** Atoms joined by '+' and '-', which only numbers may be. */
  private sum(): PyValue {
    const s: Scanner = this.scanner;
    const start = s.pos;
    let left = this.atom();
    for (;;) {
      this.skipSpace();
      this.rejectOperator();
      const op = s.peek();
      if (op !== '+' && op !== '-') return left;
      const opSpan = s.here();
      const sofar = left;
      if (sofar.kind !== 'int') {
        const hint = sofar.kind === 'string' ? 'write the whole payload as one literal' : OPERATOR_HINT;
        s.fail(`'${op}' combines numbers only, not ${describeValue(sofar)}`, opSpan, hint);
      }
      s.next();
      this.skipSpace();
      if (s.atEnd()) s.fail(`'${op}' needs a number after it, got end of line`, opSpan);
      const right = this.atom();
      if (right.kind !== 'int') s.fail(`'${op}' needs a number after it, got ${describeValue(right)}`, right.span);
      const span = s.spanFrom(start);
      const text = s.text.slice(start, s.pos);
      left = { kind: 'int', expression: { kind: 'binary', op, left: sofar.expression, right: right.expression, text, span }, span };
    }
  }

  private rejectOperator(): void {
    const s: Scanner = this.scanner;
    const ch = s.peek();
    if (ch === '*' && s.peek(1) === '*') s.fail("unexpected '**'", s.here(2), OPERATOR_HINT);
    if ('*%@&|^<>~'.includes(ch) && ch !== '') s.fail(`unexpected '${ch}'`, s.here(), OPERATOR_HINT);
    if (ch === '.') s.fail("unexpected '.'", s.here(), 'attributes and methods are Python code; write the value itself');
    if (ch === '[') s.fail("unexpected '['", s.here(), 'indexing is Python code; write the value itself');
  }

  private atom(): PyValue {
    const s: Scanner = this.scanner;
    this.skipSpace();
    const ch = s.peek();
    if (s.atEnd()) s.fail('expected a value, got end of line');
    if (ch === '$') {
      const ref = parseVariableRef(s);
      return { kind: 'int', expression: { kind: 'variable', ref, text: ref.text, span: ref.span }, span: ref.span };
    }
    if (isDigit(ch) || (ch === '.' && isDigit(s.peek(1)))) return this.number();
    if (ch === '"' || ch === "'") return this.string(s.pos, '');
    if (isIdentifierStart(ch)) return this.word();
    if (ch === '(') return this.parenthesised();
    if (ch === '[') return this.list();
    if (ch === '-' || ch === '+') {
      s.fail(`unexpected '${ch}'`, s.here(), 'a field takes no negative number; write the value itself');
    }
    if (ch === '{') s.fail("unexpected '{'", s.here(), 'dictionaries are not part of the notation');
    s.fail(`unexpected ${this.describeNext()}`, s.here(), 'expected a value');
  }

  private word(): PyValue {
    const s: Scanner = this.scanner;
    const start = s.pos;
    const word = s.takeWhile(isIdentifierPart);
    const span = s.spanFrom(start);
    if (s.peek() === '"' || s.peek() === "'") {
      const prefix = word.toLowerCase();
      if (STRING_PREFIXES.has(prefix)) return this.string(start, prefix);
      if (FORMAT_PREFIXES.has(prefix)) s.fail('f-strings are Python code', span, 'write a plain string');
      s.fail(`'${word}' is not a string prefix`, span, "Python's are b and r, as in b'\\x00'");
    }
    if (word in CONSTANTS) {
      const text = word as keyof typeof CONSTANTS;
      return { kind: 'constant', value: CONSTANTS[text], text, span };
    }
    const afterWord = s.pos;
    this.skipSpace();
    if (s.peek() === '(') return this.call(word, span, start);
    s.pos = afterWord;
    return { kind: 'name', name: word, span };
  }

  private call(callee: string, calleeSpan: Span, start: number): PyValue {
    const s: Scanner = this.scanner;
    const open = s.pos;
    s.next();
    const args: PyArgument[] = [];
    let keywordSeen: Span | null = null;
    for (;;) {
      this.skipSpace();
      if (s.eat(')')) break;
      const argument = this.argument();
      if (argument.keyword === null && keywordSeen !== null) {
        throw new SegmentSyntaxError(
          'a positional argument follows a keyword argument',
          argument.value.span,
          `put it before the keyword at column ${keywordSeen.column}`,
        );
      }
      if (argument.keyword !== null) keywordSeen ??= argument.keyword.span;
      args.push(argument);
      this.skipSpace();
      if (s.eat(',')) continue;
      if (s.eat(')')) break;
      this.unclosed(open, `after an argument of ${callee}()`);
    }
    return { kind: 'call', callee, calleeSpan, args, span: s.spanFrom(start) };
  }

  private argument(): PyArgument {
    const s: Scanner = this.scanner;
    const start = s.pos;
    if (isIdentifierStart(s.peek())) {
      const name = s.takeWhile(isIdentifierPart);
      const span = s.spanFrom(start);
      this.skipSpace();
      if (s.peek() === '=' && s.peek(1) !== '=') {
        s.next();
        this.skipSpace();
        if (s.atEnd() || s.peek() === ',' || s.peek() === ')') {
          s.fail(`missing value for '${name}'`, s.here(), `write ${name}=value`);
        }
        return { keyword: { name, span }, value: this.value() };
      }
      s.pos = start;
    }
    return { keyword: null, value: this.value() };
  }

  /** `( )` is a tuple when empty or when a comma shows; otherwise it only groups. */
  private parenthesised(): PyValue {
    const s: Scanner = this.scanner;
    const open = s.pos;
    s.next();
    const items: PyValue[] = [];
    let comma = false;
    for (;;) {
      this.skipSpace();
      if (s.eat(')')) break;
      items.push(this.value());
      this.skipSpace();
      if (s.eat(',')) {
        comma = true;
        continue;
      }
      if (s.eat(')')) break;
      this.unclosed(open, 'in the parentheses');
    }
    const span = s.spanFrom(open);
    const only = items[0];
    if (items.length === 1 && !comma && only !== undefined) {
      if (only.kind !== 'int') return { ...only, span } as PyValue;
      return { kind: 'int', expression: { ...only.expression, text: s.text.slice(open, s.pos), span }, span };
    }
    return { kind: 'tuple', items, span };
  }

  private list(): PyValue {
    const s: Scanner = this.scanner;
    const open = s.pos;
    s.next();
    const items: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (s.eat(']')) break;
      items.push(this.value());
      this.skipSpace();
      if (s.eat(',')) continue;
      if (s.eat(']')) break;
      if (s.atEnd()) s.fail("expected ']', got end of line", s.here(), `the '[' at column ${open + 1} is not closed`);
      s.fail(`expected ',' or ']', got ${this.describeNext()}`, s.here(), 'separate items with commas');
    }
    return { kind: 'list', items, span: s.spanFrom(open) };
  }

  private unclosed(open: number, where: string): never {
    const s: Scanner = this.scanner;
    if (s.atEnd()) s.fail("expected ')', got end of line", s.here(), `the '(' at column ${open + 1} is not closed`);
    s.fail(`expected ',' or ')' ${where}, got ${this.describeNext()}`, s.here(), 'separate arguments with commas');
  }

  // ------------------------------------------------------------------ numbers

  private number(): PyValue {
    const s: Scanner = this.scanner;
    const start = s.pos;
    const letter = s.peek(1).toLowerCase();
    const base = s.peek() === '0' ? BASES[letter] : undefined;
    let literal: string;
    if (base !== undefined) {
      s.pos += 2;
      if (s.peek() === '_') s.next();
      const digits = this.digits((ch) => isDigitIn(ch, base), `${baseName(base)} digits after '${s.text.slice(start, start + 2)}'`);
      literal = `0${letter}${digits}`;
    } else {
      literal = s.peek() === '.' ? '' : this.digits(isDigit, 'digits');
      if (s.peek() === '.' || s.peek() === 'e' || s.peek() === 'E') return this.float(start);
      if (/^0+[1-9]/.test(literal)) {
        s.fail('a decimal number cannot start with 0', s.spanFrom(start), `Python reads 0o${literal.replace(/^0+/, '')} as octal and 0x as hex`);
      }
    }
    this.checkLiteralEnd(start);
    const value = Number(BigInt(literal));
    const span = s.spanFrom(start);
    const text = s.text.slice(start, s.pos);
    return { kind: 'int', expression: { kind: 'number', value, text, span }, span };
  }

  /** Digits with single underscores between them, as Python allows; returned without them. */
  private digits(accept: (ch: string) => boolean, what: string): string {
    const s: Scanner = this.scanner;
    let out = '';
    for (;;) {
      const run = s.takeWhile(accept);
      if (run === '') {
        if (out === '') s.fail(`expected ${what}, got ${this.describeNext()}`);
        s.fail("'_' must be followed by a digit", { column: s.column - 1, length: 1 });
      }
      out += run;
      if (s.peek() !== '_') return out;
      s.next();
    }
  }

  private float(start: number): PyValue {
    const s: Scanner = this.scanner;
    if (s.eat('.')) s.takeWhile((ch) => isDigit(ch) || ch === '_');
    if (s.peek() === 'e' || s.peek() === 'E') {
      s.next();
      if (s.peek() === '+' || s.peek() === '-') s.next();
      if (!isDigit(s.peek())) s.fail(`expected the exponent's digits, got ${this.describeNext()}`);
      s.takeWhile((ch) => isDigit(ch) || ch === '_');
    }
    this.checkLiteralEnd(start);
    const text = s.text.slice(start, s.pos);
    return { kind: 'float', value: Number(text.replaceAll('_', '')), text, span: s.spanFrom(start) };
  }

  private checkLiteralEnd(start: number): void {
    const s: Scanner = this.scanner;
    if (isIdentifierPart(s.peek())) {
      const rest = s.takeWhile(isIdentifierPart);
      const text = s.text.slice(start, s.pos);
      throw new SegmentSyntaxError(`'${text}' is not a number`, { column: start + 1, length: text.length }, `'${rest[0]}' cannot follow the digits`);
    }
  }

  // ------------------------------------------------------------------ strings

  /** A str or bytes literal starting at `start` (its prefix), the quote at the scanner. */
  private string(start: number, prefix: string): PyValue {
    const s: Scanner = this.scanner;
    const isBytes = prefix.includes('b');
    const raw = prefix.includes('r');
    const quote = s.next();
    if (s.peek() === quote && s.peek(1) === quote) {
      s.fail('triple-quoted strings are not supported', { column: start + 1, length: s.pos + 2 - start }, 'write one line, with \\n for line breaks');
    }
    const codes: number[] = [];
    for (;;) {
      if (s.atEnd()) s.fail('unterminated string', { column: start + 1, length: s.pos - start }, `close it with ${quote}`);
      const at = s.pos;
      const ch = s.next();
      if (ch === quote) break;
      if (ch === '\\') {
        if (s.atEnd()) s.fail('unterminated string', { column: start + 1, length: s.pos - start }, `close it with ${quote}`);
        if (raw) codes.push(0x5c, this.character(isBytes));
        else codes.push(...this.escape(at, isBytes));
        continue;
      }
      s.pos = at;
      codes.push(this.character(isBytes));
    }
    const span = s.spanFrom(start);
    const bytes = isBytes ? Uint8Array.from(codes) : encodeUtf8(codes, span);
    return { kind: 'string', bytes, isBytes, span };
  }

  /** One character as a code point; a bytes literal holds ASCII only, as in Python. */
  private character(isBytes: boolean): number {
    const s: Scanner = this.scanner;
    const code = s.text.codePointAt(s.pos) ?? 0;
    const length = code > 0xffff ? 2 : 1;
    if (isBytes && code > 0x7f) {
      s.fail('a bytes literal holds ASCII characters only', s.here(length), `write \\x escapes, or a str, which scapy sends as UTF-8`);
    }
    s.pos += length;
    return code;
  }

  /** The code points (or bytes) of one escape; `at` is its backslash, already read. */
  private escape(at: number, isBytes: boolean): number[] {
    const s: Scanner = this.scanner;
    const ch = s.next();
    const simple = SIMPLE_ESCAPES[ch];
    if (simple !== undefined) return [simple];
    if (ch === 'x') return [this.hexEscape(at, 2)];
    if (ch >= '0' && ch <= '7') {
      let digits = ch;
      while (digits.length < 3 && s.peek() >= '0' && s.peek() <= '7') digits += s.next();
      const value = Number.parseInt(digits, 8);
      if (isBytes && value > 0xff) {
        s.fail(`octal escape '\\${digits}' is more than one byte`, s.spanFrom(at), 'the largest is \\377');
      }
      return [value];
    }
    if (!isBytes && ch === 'u') return [this.hexEscape(at, 4)];
    if (!isBytes && ch === 'U') return [this.hexEscape(at, 8)];
    if (!isBytes && ch === 'N') s.fail("'\\N{...}' names are not supported", s.spanFrom(at), 'write the character, or \\uXXXX');
    // Python keeps an unknown escape as it stands, backslash included.
    s.pos = at + 1;
    return [0x5c, this.character(isBytes)];
  }

  private hexEscape(at: number, count: number): number {
    const s: Scanner = this.scanner;
    const letter = s.text[at + 1];
    let digits = '';
    while (digits.length < count && isHexDigit(s.peek())) digits += s.next();
    if (digits.length < count) {
      s.fail(`'\\${letter}' needs ${count} hex digits`, s.spanFrom(at), count === 2 ? 'e.g. \\x00 or \\x7f' : `e.g. \\${letter}${'0'.repeat(count - 2)}e9`);
    }
    const value = Number.parseInt(digits, 16);
    if (value > 0x10ffff) s.fail(`'\\${letter}${digits}' is past the last Unicode character`, s.spanFrom(at));
    return value;
  }
}

const SIMPLE_ESCAPES: Record<string, number> = {
  '\\': 0x5c,
  "'": 0x27,
  '"': 0x22,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
};

const BASES: Record<string, number> = { x: 16, o: 8, b: 2 };

function isDigitIn(ch: string, base: number): boolean {
  if (base === 16) return isHexDigit(ch);
  return ch >= '0' && ch < String(base);
}

function baseName(base: number): string {
  return base === 16 ? 'hex' : base === 8 ? 'octal' : 'binary';
}

/** A str's bytes as scapy sends them: UTF-8, which cannot hold a lone surrogate. */
function encodeUtf8(codes: readonly number[], span: Span): Uint8Array<ArrayBuffer> {
  if (codes.some((code) => code >= 0xd800 && code <= 0xdfff)) {
    throw new SegmentSyntaxError('the string holds a lone surrogate, which UTF-8 cannot encode', span, 'write a whole character, or use bytes');
  }
  let text = '';
  for (const code of codes) text += String.fromCodePoint(code);
  return new Uint8Array(new TextEncoder().encode(text));
}
