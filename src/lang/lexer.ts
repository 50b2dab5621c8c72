import { SegmentSyntaxError, type Span } from './syntax-error.js';

/**
 * A cursor over one line of segment text that knows its column. Value parsers take a
 * Scanner limited to one value, consume what they recognise and leave the rest, so a
 * caller (the segment parser, or a matcher that also accepts `*` and `a..b`) decides what
 * may follow.
 */
export class Scanner {
  readonly text: string;
  pos: number;
  readonly end: number;

  constructor(text: string, start = 0, end = text.length) {
    this.text = text;
    this.pos = start;
    this.end = end;
  }

  /** A scanner over just this span of the line, columns unchanged. */
  static over(text: string, span: Span): Scanner {
    return new Scanner(text, span.column - 1, span.column - 1 + span.length);
  }

  get column(): number {
    return this.pos + 1;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** The character `ahead` places on, or '' past the end. */
  peek(ahead = 0): string {
    const at = this.pos + ahead;
    return at < this.end ? (this.text[at] ?? '') : '';
  }

  next(): string {
    const ch = this.peek();
    if (ch !== '') this.pos += 1;
    return ch;
  }

  eat(expected: string): boolean {
    if (!this.lookingAt(expected)) return false;
    this.pos += expected.length;
    return true;
  }

  lookingAt(expected: string): boolean {
    return this.pos + expected.length <= this.end && this.text.startsWith(expected, this.pos);
  }

  takeWhile(test: (ch: string) => boolean): string {
    const start = this.pos;
    while (!this.atEnd() && test(this.peek())) this.pos += 1;
    return this.text.slice(start, this.pos);
  }

  /** What is left before the end. */
  rest(): string {
    return this.text.slice(this.pos, this.end);
  }

  /** The span from an earlier position to here. */
  spanFrom(start: number): Span {
    return { column: start + 1, length: this.pos - start };
  }

  /** A span of `length` characters starting here. */
  here(length = 1): Span {
    return { column: this.column, length };
  }

  /** How the next character reads in a message: `'x'`, or "end of value". */
  describeNext(): string {
    return this.atEnd() ? 'end of value' : `'${this.peek()}'`;
  }

  fail(problem: string, at: Span = this.here(), hint?: string): never {
    throw new SegmentSyntaxError(problem, at, hint);
  }
}

export function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t';
}

export function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

export function isHexDigit(ch: string): boolean {
  return isDigit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

export function isIdentifierStart(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_';
}

export function isIdentifierPart(ch: string): boolean {
  return isIdentifierStart(ch) || isDigit(ch);
}

/** A bare word, such as the `tcp` that starts a segment line. */
export interface WordToken {
  text: string;
  span: Span;
}

/** One `name=value` item. The value's own grammar depends on the name, so it stays text here. */
export interface FieldToken {
  name: string;
  nameSpan: Span;
  /** Null when no '=' follows the name. */
  equals: Span | null;
  /** Everything after '=' up to unquoted whitespace; '' when nothing follows. */
  value: string;
  valueSpan: Span;
}

export interface LexedLine {
  /** The first word when it has no '=' (e.g. `tcp`, `expect`); null otherwise. */
  head: WordToken | null;
  fields: FieldToken[];
}

/**
 * Split a line into its head word and `name=value` items. Values end at whitespace, except
 * inside a double-quoted string, which may hold spaces and backslash escapes.
 */
export function lexLine(text: string): LexedLine {
  const scanner = new Scanner(text);
  scanner.takeWhile(isSpace);
  let head: WordToken | null = null;
  const start = scanner.pos;
  const firstWord = scanner.takeWhile((ch) => !isSpace(ch) && ch !== '=');
  if (firstWord !== '' && scanner.peek() !== '=') {
    head = { text: firstWord, span: scanner.spanFrom(start) };
  } else {
    scanner.pos = start;
  }

  const fields: FieldToken[] = [];
  for (;;) {
    scanner.takeWhile(isSpace);
    if (scanner.atEnd()) break;
    fields.push(lexField(scanner));
  }
  return { head, fields };
}

function lexField(scanner: Scanner): FieldToken {
  const nameStart = scanner.pos;
  const name = scanner.takeWhile((ch) => !isSpace(ch) && ch !== '=' && ch !== '"');
  const nameSpan = scanner.spanFrom(nameStart);
  if (!scanner.lookingAt('=')) {
    // A bare word, or a stray quoted string: the whole of it up to the next space is the
    // name, so the parser can quote it back.
    if (scanner.peek() !== '"') return { name, nameSpan, equals: null, value: '', valueSpan: scanner.here(0) };
    skipValue(scanner);
    const word = scanner.text.slice(nameStart, scanner.pos);
    return { name: word, nameSpan: scanner.spanFrom(nameStart), equals: null, value: '', valueSpan: scanner.here(0) };
  }
  const equals = scanner.here(1);
  scanner.next();
  const valueStart = scanner.pos;
  skipValue(scanner);
  return {
    name,
    nameSpan,
    equals,
    value: scanner.text.slice(valueStart, scanner.pos),
    valueSpan: scanner.spanFrom(valueStart),
  };
}

function skipValue(scanner: Scanner): void {
  while (!scanner.atEnd() && !isSpace(scanner.peek())) {
    if (scanner.peek() === '"') skipString(scanner);
    else scanner.next();
  }
}

function skipString(scanner: Scanner): void {
  const open = scanner.pos;
  scanner.next();
  for (;;) {
    const ch = scanner.next();
    if (ch === '"') return;
    if (ch === '') {
      scanner.fail('unterminated string', { column: open + 1, length: scanner.pos - open }, 'close it with "');
    }
    if (ch === '\\') scanner.next();
  }
}
