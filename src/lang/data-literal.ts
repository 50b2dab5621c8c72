import { Scanner, isHexDigit } from './lexer.js';
import { SegmentSyntaxError, type Span } from './syntax-error.js';

export interface DataLiteral {
  bytes: Uint8Array<ArrayBuffer>;
  span: Span;
}

const DATA_HINT = 'write data="hello\\r\\n" or data=0x68656c6c6f';
const ESCAPE_HINT = 'escapes are \\\\ \\" \\n \\r \\t \\0 \\a \\b \\f \\v \\e \\xHH and octal \\NNN';

const SIMPLE_ESCAPES: Record<string, number> = {
  '\\': 0x5c,
  '"': 0x22,
  "'": 0x27,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  v: 0x0b,
  e: 0x1b,
};

/** `"text with \r\n escapes"` or `0x68656c6c6f`: the bytes of a payload. */
export function parseDataLiteral(scanner: Scanner): DataLiteral {
  const start = scanner.pos;
  if (scanner.peek() === '"') {
    const bytes = parseQuoted(scanner);
    return { bytes, span: scanner.spanFrom(start) };
  }
  if (scanner.lookingAt('0x') || scanner.lookingAt('0X')) {
    scanner.pos += 2;
    if (scanner.atEnd()) scanner.fail("expected hex digits after '0x', got end of value", scanner.here(), 'write data="" for no data');
    const bytes = parseHexBytes(scanner, 'data');
    return { bytes, span: scanner.spanFrom(start) };
  }
  const word = scanner.rest();
  scanner.fail(`data must be a quoted string or 0x hex, got '${word}'`, scanner.here(word.length || 1), DATA_HINT);
}

/** Pairs of hex digits, up to the next character that is not a letter or digit. */
export function parseHexBytes(scanner: Scanner, what: string): Uint8Array<ArrayBuffer> {
  const start = scanner.pos;
  const digits = scanner.takeWhile((ch) => /[0-9A-Za-z]/.test(ch));
  const span = scanner.spanFrom(start);
  const bad = [...digits].findIndex((ch) => !isHexDigit(ch));
  if (bad >= 0) {
    throw new SegmentSyntaxError(`'${digits[bad]}' is not a hex digit`, { column: start + bad + 1, length: 1 }, `${what} is written in 0-9 and a-f`);
  }
  if (digits.length % 2 !== 0) {
    throw new SegmentSyntaxError(
      `${what} has an odd number of hex digits (${digits.length})`,
      span,
      'each byte takes two digits, e.g. 0a not a',
    );
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function parseQuoted(scanner: Scanner): Uint8Array<ArrayBuffer> {
  const open = scanner.pos;
  scanner.next();
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (;;) {
    if (scanner.atEnd()) {
      throw new SegmentSyntaxError('unterminated string', { column: open + 1, length: scanner.pos - open }, 'close it with "');
    }
    const escapeAt = scanner.pos;
    const ch = scanner.next();
    if (ch === '"') return Uint8Array.from(out);
    if (ch !== '\\') {
      const code = ch.charCodeAt(0);
      if (code < 0x80) {
        out.push(code);
        continue;
      }
      // Code points, not UTF-16 units, so a character outside the BMP encodes whole.
      const codePoint = scanner.text.codePointAt(escapeAt) ?? 0;
      if (codePoint > 0xffff) scanner.next();
      out.push(...encoder.encode(String.fromCodePoint(codePoint)));
      continue;
    }
    out.push(parseEscape(scanner, escapeAt));
  }
}

function parseEscape(scanner: Scanner, escapeAt: number): number {
  const ch = scanner.next();
  if (ch === '') {
    throw new SegmentSyntaxError('unterminated string', { column: escapeAt + 1, length: 1 }, 'close it with "');
  }
  const simple = SIMPLE_ESCAPES[ch];
  if (simple !== undefined) return simple;
  if (ch === 'x') {
    const digits = scanner.takeWhile(isHexDigit).slice(0, 2);
    scanner.pos = escapeAt + 2 + digits.length;
    if (digits.length !== 2) {
      throw new SegmentSyntaxError("'\\x' needs two hex digits", scanner.spanFrom(escapeAt), 'e.g. \\x00 or \\x7f');
    }
    return Number.parseInt(digits, 16);
  }
  if (ch >= '0' && ch <= '7') {
    let digits = ch;
    while (digits.length < 3 && scanner.peek() >= '0' && scanner.peek() <= '7') digits += scanner.next();
    const value = Number.parseInt(digits, 8);
    if (value > 0xff) {
      throw new SegmentSyntaxError(`octal escape '\\${digits}' is more than one byte`, scanner.spanFrom(escapeAt), 'the largest is \\377');
    }
    return value;
  }
  throw new SegmentSyntaxError(`unknown escape '\\${ch}'`, { column: escapeAt + 1, length: 2 }, ESCAPE_HINT);
}

function isTextByte(byte: number): boolean {
  return (byte >= 0x20 && byte <= 0x7e) || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/**
 * A payload as the language writes it: a quoted string when at least two thirds of it is
 * text (so a learner reads "GET / HTTP/1.1\r\n" and "\x00\x05hello"), hex otherwise. Both
 * forms read back to the same bytes.
 */
export function formatDataLiteral(bytes: Uint8Array): string {
  const text = bytes.reduce((count, byte) => count + (isTextByte(byte) ? 1 : 0), 0);
  if (bytes.length > 0 && text * 3 < bytes.length * 2) {
    return `0x${Buffer.from(bytes).toString('hex')}`;
  }
  let out = '"';
  for (const byte of bytes) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte >= 0x20 && byte <= 0x7e) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}
