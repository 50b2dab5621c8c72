// The `opts=` value of a matcher: options that must be there (`mss:*`), with values where
// they matter (`mss:65495`, `sack:2008-2013`), and options that must not be (`!wscale`).

import { TCP_OPTION_KIND } from '../wire/tcp-options.js';
import { parseHexBytes } from './data-literal.js';
import { checkIfConstant, parseInteger, parseTerm, type NumericRule, type Resolver } from './expression.js';
import { isDigit, type Scanner } from './lexer.js';
import { parseNumberPattern, resolveNumberPattern, type NumberPattern, type ResolvedNumber } from './matcher-number.js';
import { OPTION_SYNTAX, type OptionName } from './options.js';
import { didYouMean } from './suggest.js';
import { SegmentSyntaxError, type Span } from './syntax-error.js';

/** A SACK block's two edges, each a value or `*`. */
export type SackBlockPattern = [NumberPattern, NumberPattern];

/**
 * One option a received packet must carry, or (`absent`) must not. A value left out (`mss`)
 * or written `*` (`mss:*`) matches any value; `ts:100` leaves TSecr free.
 */
export type OptionPattern =
  | { kind: 'mss' | 'wscale'; value: NumberPattern; span: Span }
  | { kind: 'ts'; tsval: NumberPattern; tsecr: NumberPattern; span: Span }
  /** Blocks null: any SACK option. Otherwise exactly these blocks, in this order. */
  | { kind: 'sack'; blocks: SackBlockPattern[] | null; span: Span }
  | { kind: 'sackok' | 'nop' | 'eol'; span: Span }
  /** Any option of this kind number; with data, an option the decoder did not know, byte for byte. */
  | { kind: 'raw'; type: number; data: Uint8Array<ArrayBuffer> | null; span: Span }
  /** `!wscale`, `!raw:30`: no option of this kind number at all, well formed or not. */
  | { kind: 'absent'; type: number; name: string; span: Span };

export type ResolvedSackBlock = [ResolvedNumber, ResolvedNumber];

export type ResolvedOptionPattern =
  | { kind: 'mss' | 'wscale'; value: ResolvedNumber }
  | { kind: 'ts'; tsval: ResolvedNumber; tsecr: ResolvedNumber }
  | { kind: 'sack'; blocks: ResolvedSackBlock[] | null }
  | { kind: 'sackok' | 'nop' | 'eol' }
  | { kind: 'raw'; type: number; data: Uint8Array<ArrayBuffer> | null }
  | { kind: 'absent'; type: number; name: string };

const OPTION_NAMES: readonly OptionName[] = OPTION_SYNTAX.map((option) => option.name);

export const OPTION_PATTERN_RULES = {
  mss: { label: 'mss', max: 0xffff, wrap: false },
  wscale: { label: 'wscale', max: 0xff, wrap: false },
  tsval: { label: 'tsval', max: 0xffffffff, wrap: true },
  tsecr: { label: 'tsecr', max: 0xffffffff, wrap: true },
  sackEdge: { label: 'a sack edge', max: 0xffffffff, wrap: true },
} satisfies Record<string, NumericRule>;

const RULES = OPTION_PATTERN_RULES;

const MAX_SACK_BLOCKS = 4;

const ANY_AT = (span: Span): NumberPattern => ({ kind: 'any', span });

/** `mss:*,ts:*`, `mss:65495`, `wscale:7..14,sackok`, `mss:*,!wscale`, `sack:2008-2013`. */
export function parseOptionPatterns(scanner: Scanner): OptionPattern[] {
  const patterns: OptionPattern[] = [];
  for (;;) {
    patterns.push(parseOptionPattern(scanner));
    if (scanner.atEnd()) break;
    if (!scanner.eat(',')) {
      const last = patterns[patterns.length - 1];
      const after = last === undefined ? 'option' : last.kind === 'absent' ? `!${last.name}` : last.kind;
      scanner.fail(`unexpected ${scanner.describeNext()} after ${after}`, scanner.here(), "separate options with ','");
    }
  }
  refuseContradictions(scanner.text, patterns);
  return patterns;
}

function parseOptionPattern(scanner: Scanner): OptionPattern {
  const start = scanner.pos;
  if (scanner.eat('!')) return parseAbsentOption(scanner, start);
  const name = parseOptionName(scanner);
  const span = (): Span => scanner.spanFrom(start);

  switch (name) {
    case 'mss':
    case 'wscale': {
      const value = scanner.eat(':') ? parseNumberPattern(scanner, RULES[name]) : ANY_AT(scanner.here(0));
      return { kind: name, value, span: span() };
    }
    case 'ts': {
      if (!scanner.eat(':')) return { kind: 'ts', tsval: ANY_AT(scanner.here(0)), tsecr: ANY_AT(scanner.here(0)), span: span() };
      const tsval = parseNumberPattern(scanner, RULES.tsval);
      const tsecr = scanner.eat(':') ? parseNumberPattern(scanner, RULES.tsecr) : ANY_AT(scanner.here(0));
      return { kind: 'ts', tsval, tsecr, span: span() };
    }
    case 'sack':
      return { kind: 'sack', blocks: parseSackValue(scanner), span: span() };
    case 'sackok':
    case 'nop':
    case 'eol':
      if (scanner.peek() === ':') {
        const colon = scanner.pos;
        scanner.next();
        if (!scanner.eat('*')) scanner.fail(`option ${name} takes no value`, { column: colon + 1, length: 1 }, `write just ${name}`);
      }
      return { kind: name, span: span() };
    case 'raw': {
      const type = parseRawKind(scanner);
      const data = scanner.eat(':') ? parseHexBytes(scanner, 'option data') : null;
      return { kind: 'raw', type, data, span: span() };
    }
  }
}

function parseOptionName(scanner: Scanner): OptionName {
  const start = scanner.pos;
  const typed = scanner.takeWhile((ch) => /[A-Za-z]/.test(ch));
  if (typed === '') {
    scanner.fail(`expected an option name, got ${scanner.describeNext()}`, scanner.here(), `options are ${OPTION_NAMES.join(' ')}`);
  }
  const name = OPTION_NAMES.find((option) => option === typed.toLowerCase());
  if (name === undefined) {
    const hint = didYouMean(typed, OPTION_NAMES) ?? `options are ${OPTION_NAMES.join(' ')}`;
    throw new SegmentSyntaxError(`unknown option '${typed}'`, scanner.spanFrom(start), hint);
  }
  return name;
}

function parseRawKind(scanner: Scanner): number {
  if (!scanner.eat(':')) scanner.fail('option raw needs a kind number', scanner.here(), 'e.g. raw:30 or raw:30:0081');
  const kind = parseInteger(scanner);
  if (kind.value > 0xff) throw new SegmentSyntaxError(`an option kind must be 0..255, got ${kind.text}`, kind.span);
  return kind.value;
}

/** `!wscale`, `!raw:30`: the option's name, and for raw its kind number, but never a value. */
function parseAbsentOption(scanner: Scanner, start: number): OptionPattern {
  if (scanner.atEnd() || scanner.peek() === ',') {
    scanner.fail("expected an option name after '!'", scanner.here(), `e.g. !wscale; options are ${OPTION_NAMES.join(' ')}`);
  }
  const name = parseOptionName(scanner);
  const type = name === 'raw' ? parseRawKind(scanner) : TCP_OPTION_KIND[name];
  const written = name === 'raw' ? `raw:${type}` : name;
  if (scanner.peek() === ':') {
    const rest = scanner.rest();
    const comma = rest.indexOf(',');
    const length = comma === -1 ? rest.length : comma;
    scanner.fail(`!${written} takes no value`, scanner.here(length), `!${written} rules the option out whatever its value; write just !${written}`);
  }
  return { kind: 'absent', type, name: written, span: scanner.spanFrom(start) };
}

/**
 * After `sack`: nothing or `:*` for any SACK option, or `:L-R;L-R` for exactly these blocks.
 * Each edge is a single term, as in segments (a bare `-` separates the two), or `*`.
 */
function parseSackValue(scanner: Scanner): SackBlockPattern[] | null {
  if (!scanner.eat(':')) return null;
  if (scanner.peek() === '*' && scanner.peek(1) !== '-') {
    scanner.next();
    return null;
  }
  const blocks: SackBlockPattern[] = [];
  for (;;) {
    const blockStart = scanner.pos;
    const left = parseSackEdge(scanner);
    if (!scanner.eat('-')) {
      scanner.fail(`expected '-' between sack edges, got ${scanner.describeNext()}`, scanner.here(), 'e.g. sack:1000-2000');
    }
    const right = parseSackEdge(scanner);
    blocks.push([left, right]);
    if (blocks.length > MAX_SACK_BLOCKS) {
      throw new SegmentSyntaxError('too many sack blocks', scanner.spanFrom(blockStart), `an option holds at most ${MAX_SACK_BLOCKS}`);
    }
    if (!scanner.eat(';')) return blocks;
  }
}

function parseSackEdge(scanner: Scanner): NumberPattern {
  const start = scanner.pos;
  if (scanner.eat('*')) return { kind: 'any', span: scanner.spanFrom(start) };
  const next = scanner.peek();
  if (next !== '$' && next !== '(' && !isDigit(next)) {
    const word = scanner.atEnd() ? 'end of value' : `'${scanner.rest().match(/^[^,;:-]+/)?.[0] ?? next}'`;
    scanner.fail(`expected a sack edge, got ${word}`, scanner.here(), 'an edge is a number, a $variable, (an expression) or *, e.g. sack:1000-2000');
  }
  const value = parseTerm(scanner);
  checkIfConstant(value, RULES.sackEdge);
  return { kind: 'equals', value, span: scanner.spanFrom(start) };
}

/** The option kind number a pattern speaks of. */
function patternKindNumber(pattern: OptionPattern): number {
  return pattern.kind === 'raw' || pattern.kind === 'absent' ? pattern.type : TCP_OPTION_KIND[pattern.kind];
}

/** `mss:*,!mss` can never hold: refused at the second of the two, naming the first. */
function refuseContradictions(text: string, patterns: readonly OptionPattern[]): void {
  patterns.forEach((pattern, index) => {
    const type = patternKindNumber(pattern);
    const absent = pattern.kind === 'absent';
    const earlier = patterns.slice(0, index).find((other) => patternKindNumber(other) === type && (other.kind === 'absent') !== absent);
    if (earlier === undefined) return;
    const written = (span: Span): string => text.slice(span.column - 1, span.column - 1 + span.length);
    // raw:3 and !wscale clash by number, not by name, so say which number.
    const byNumber = optionNameOf(pattern) !== optionNameOf(earlier);
    throw new SegmentSyntaxError(
      `'${written(pattern.span)}' contradicts '${written(earlier.span)}'`,
      pattern.span,
      `${byNumber ? `both are option kind ${type}, and ` : ''}an option cannot be both present and absent`,
    );
  });
}

/** The option a pattern names, as written: "mss", "raw:30". */
function optionNameOf(pattern: OptionPattern): string {
  if (pattern.kind === 'absent') return pattern.name;
  return pattern.kind === 'raw' ? `raw:${pattern.type}` : pattern.kind;
}

export function resolveOptionPatterns(patterns: readonly OptionPattern[], resolve: Resolver): ResolvedOptionPattern[] {
  return patterns.map((pattern): ResolvedOptionPattern => {
    switch (pattern.kind) {
      case 'mss':
      case 'wscale':
        return { kind: pattern.kind, value: resolveNumberPattern(pattern.value, RULES[pattern.kind], resolve) };
      case 'ts':
        return {
          kind: 'ts',
          tsval: resolveNumberPattern(pattern.tsval, RULES.tsval, resolve),
          tsecr: resolveNumberPattern(pattern.tsecr, RULES.tsecr, resolve),
        };
      case 'sack':
        return {
          kind: 'sack',
          blocks:
            pattern.blocks?.map(([left, right]): ResolvedSackBlock => [
              resolveNumberPattern(left, RULES.sackEdge, resolve),
              resolveNumberPattern(right, RULES.sackEdge, resolve),
            ]) ?? null,
        };
      case 'raw':
        return { kind: 'raw', type: pattern.type, data: pattern.data };
      case 'absent':
        return { kind: 'absent', type: pattern.type, name: pattern.name };
      default:
        return { kind: pattern.kind };
    }
  });
}
