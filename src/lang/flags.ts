import { FLAG_NAMES, TcpFlag, type TcpFlagName } from '../wire/tcp-flags.js';
import { parseInteger, parseVariableRef, type VariableRef } from './expression.js';
import { Scanner, isDigit } from './lexer.js';
import { didYouMean } from './suggest.js';
import { SegmentSyntaxError, type Span } from './syntax-error.js';

/** One letter per classic flag, in the order the language writes them. AE has no letter. */
export const FLAG_LETTERS: ReadonlyArray<readonly [string, TcpFlagName]> = [
  ['F', 'FIN'],
  ['S', 'SYN'],
  ['R', 'RST'],
  ['P', 'PSH'],
  ['A', 'ACK'],
  ['U', 'URG'],
  ['E', 'ECE'],
  ['C', 'CWR'],
];

export const ALL_FLAGS_MASK = 0x1ff;

export type FlagsValue =
  | { kind: 'flags'; mask: number; span: Span }
  | { kind: 'variable'; ref: VariableRef; span: Span };

const UNKNOWN_FLAG_HINT = 'flags are letters from FSRPAUEC or names like SYN|ACK';

/**
 * `S`, `SA`, `SYN|ACK`, `SA|AE`, `0`, `0x12` or `$rx.flags`. Each `|`-separated part is a flag
 * name when it spells one (so `AE` and `ECE` alone are names) and letters otherwise.
 */
export function parseFlags(scanner: Scanner): FlagsValue {
  const start = scanner.pos;
  if (scanner.peek() === '$') {
    const ref = parseVariableRef(scanner);
    return { kind: 'variable', ref, span: ref.span };
  }
  if (isDigit(scanner.peek())) {
    const literal = parseInteger(scanner);
    if (literal.value > ALL_FLAGS_MASK) {
      throw new SegmentSyntaxError(`flags must be 0..${ALL_FLAGS_MASK}, got ${literal.text}`, literal.span, UNKNOWN_FLAG_HINT);
    }
    return { kind: 'flags', mask: literal.value, span: literal.span };
  }

  let mask = 0;
  const seen = new Map<number, Span>();
  const add = (bit: number, label: string, span: Span): void => {
    const earlier = seen.get(bit);
    if (earlier !== undefined) {
      throw new SegmentSyntaxError(`flag ${label} given twice`, span, `it is already set at column ${earlier.column}`);
    }
    seen.set(bit, span);
    mask |= bit;
  };

  for (;;) {
    const partStart = scanner.pos;
    const part = scanner.takeWhile((ch) => /[A-Za-z]/.test(ch));
    const partSpan = scanner.spanFrom(partStart);
    if (part === '') {
      scanner.fail(`expected a flag, got ${scanner.describeNext()}`, scanner.here(), UNKNOWN_FLAG_HINT);
    }
    const name = FLAG_NAMES.find((flag) => flag === part.toUpperCase());
    if (name !== undefined) {
      add(TcpFlag[name], name, partSpan);
    } else {
      addLetters(part, partStart, add);
    }
    if (!scanner.eat('|')) break;
  }
  if (!scanner.atEnd()) scanner.fail(`unknown flag '${scanner.peek()}'`, scanner.here(), UNKNOWN_FLAG_HINT);
  return { kind: 'flags', mask, span: scanner.spanFrom(start) };
}

function addLetters(part: string, partStart: number, add: (bit: number, label: string, span: Span) => void): void {
  // A wrong word of three or more letters is more likely a misspelt name than a run of letters.
  if (part.length >= 3) {
    const hint = didYouMean(part, FLAG_NAMES);
    const allLetters = [...part.toUpperCase()].every((ch) => FLAG_LETTERS.some(([letter]) => letter === ch));
    if (hint !== undefined && !allLetters) {
      throw new SegmentSyntaxError(`unknown flag '${part}'`, { column: partStart + 1, length: part.length }, hint);
    }
  }
  [...part].forEach((ch, i) => {
    const entry = FLAG_LETTERS.find(([letter]) => letter === ch.toUpperCase());
    const span = { column: partStart + i + 1, length: 1 };
    if (entry === undefined) throw new SegmentSyntaxError(`unknown flag '${ch}'`, span, UNKNOWN_FLAG_HINT);
    add(TcpFlag[entry[1]], `'${entry[0]}'`, span);
  });
}

/**
 * A flag mask as the language writes it: letters in FSRPAUEC order (SYN|ACK is "SA"), "0"
 * for none. AE has no letter, so it is added by name ("SA|AE"); ACK|ECE alone is written by
 * name because "AE" would read back as the AE flag.
 */
export function formatFlags(mask: number): string {
  const letters = FLAG_LETTERS.filter(([, name]) => (mask & TcpFlag[name]) !== 0)
    .map(([letter]) => letter)
    .join('');
  const classic = letters === 'AE' ? 'ACK|ECE' : letters;
  const ae = (mask & TcpFlag.AE) !== 0;
  if (ae) return classic === '' ? 'AE' : `${classic}|AE`;
  return classic === '' ? '0' : classic;
}
