import { TCP_OPTION_KIND, type TcpOption } from '../wire/tcp-options.js';
import { parseHexBytes } from './data-literal.js';
import { parseInteger, type NumericRule, type Resolver } from './expression.js';
import type { Scanner } from './lexer.js';
import {
  decimalAndHex,
  formatNumberPatternShort,
  numberMatches,
  parseNumberPattern,
  resolveNumberPattern,
  type NumberPattern,
  type ResolvedNumber,
} from './matcher-number.js';
import { formatOptions, OPTION_SYNTAX, type OptionName } from './options.js';
import { didYouMean } from './suggest.js';
import { SegmentSyntaxError, type Span } from './syntax-error.js';

/**
 * One option a received packet must carry. A value left out (`mss`) or written `*`
 * (`mss:*`) matches any value; `ts:100` leaves TSecr free.
 */
export type OptionPattern =
  | { kind: 'mss' | 'wscale'; value: NumberPattern; span: Span }
  | { kind: 'ts'; tsval: NumberPattern; tsecr: NumberPattern; span: Span }
  | { kind: 'sackok' | 'sack' | 'nop' | 'eol'; span: Span }
  /** Any option of this kind number; with data, an option the decoder did not know, byte for byte. */
  | { kind: 'raw'; type: number; data: Uint8Array<ArrayBuffer> | null; span: Span };

export type ResolvedOptionPattern =
  | { kind: 'mss' | 'wscale'; value: ResolvedNumber }
  | { kind: 'ts'; tsval: ResolvedNumber; tsecr: ResolvedNumber }
  | { kind: 'sackok' | 'sack' | 'nop' | 'eol' }
  | { kind: 'raw'; type: number; data: Uint8Array<ArrayBuffer> | null };

const OPTION_NAMES: readonly OptionName[] = OPTION_SYNTAX.map((option) => option.name);

const RULES = {
  mss: { label: 'mss', max: 0xffff, wrap: false },
  wscale: { label: 'wscale', max: 0xff, wrap: false },
  tsval: { label: 'tsval', max: 0xffffffff, wrap: true },
  tsecr: { label: 'tsecr', max: 0xffffffff, wrap: true },
} satisfies Record<string, NumericRule>;

const ANY_AT = (span: Span): NumberPattern => ({ kind: 'any', span });

/** `mss:*,ts:*`, `mss:65495`, `wscale:7..14,sackok`: the options that must be there. */
export function parseOptionPatterns(scanner: Scanner): OptionPattern[] {
  const patterns: OptionPattern[] = [];
  for (;;) {
    patterns.push(parseOptionPattern(scanner));
    if (scanner.atEnd()) return patterns;
    if (!scanner.eat(',')) {
      const last = patterns[patterns.length - 1]?.kind ?? 'option';
      scanner.fail(`unexpected ${scanner.describeNext()} after ${last}`, scanner.here(), "separate options with ','");
    }
  }
}

function parseOptionPattern(scanner: Scanner): OptionPattern {
  const start = scanner.pos;
  const typed = scanner.takeWhile((ch) => /[A-Za-z]/.test(ch));
  const nameSpan = scanner.spanFrom(start);
  if (typed === '') {
    scanner.fail(`expected an option name, got ${scanner.describeNext()}`, scanner.here(), `options are ${OPTION_NAMES.join(' ')}`);
  }
  const name = OPTION_NAMES.find((option) => option === typed.toLowerCase());
  if (name === undefined) {
    const hint = didYouMean(typed, OPTION_NAMES) ?? `options are ${OPTION_NAMES.join(' ')}`;
    throw new SegmentSyntaxError(`unknown option '${typed}'`, nameSpan, hint);
  }
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
      // SACK blocks are matched by presence only: their edges depend on what was lost.
      if (scanner.eat(':') && !scanner.eat('*')) {
        scanner.fail('a sack option is matched by presence only', scanner.here(Math.max(1, scanner.rest().split(',')[0]!.length)), 'write sack or sack:*');
      }
      return { kind: 'sack', span: span() };
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
      if (!scanner.eat(':')) scanner.fail('option raw needs a kind number', scanner.here(), 'e.g. raw:30 or raw:30:0081');
      const kind = parseInteger(scanner);
      if (kind.value > 0xff) throw new SegmentSyntaxError(`an option kind must be 0..255, got ${kind.text}`, kind.span);
      const data = scanner.eat(':') ? parseHexBytes(scanner, 'option data') : null;
      return { kind: 'raw', type: kind.value, data, span: span() };
    }
  }
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
      case 'raw':
        return { kind: 'raw', type: pattern.type, data: pattern.data };
      default:
        return { kind: pattern.kind };
    }
  });
}

/** Why the options do not satisfy the patterns, one phrase per pattern that fails; empty when they do. */
export function optionMismatches(patterns: readonly ResolvedOptionPattern[], options: readonly TcpOption[]): string[] {
  const problems: string[] = [];
  for (const pattern of patterns) {
    const problem = mismatch(pattern, options);
    if (problem !== null) problems.push(problem);
  }
  return problems;
}

function mismatch(pattern: ResolvedOptionPattern, options: readonly TcpOption[]): string | null {
  switch (pattern.kind) {
    case 'mss':
    case 'wscale': {
      const found = options.filter((option): option is Extract<TcpOption, { kind: 'mss' | 'wscale' }> => option.kind === pattern.kind);
      if (found.length === 0) return `no ${pattern.kind} option`;
      if (found.some((option) => numberMatches(pattern.value, option.value))) return null;
      return `${pattern.kind} is ${decimalAndHex(found[0]!.value)}, expected ${formatNumberPatternShort(pattern.value)}`;
    }
    case 'ts': {
      const found = options.filter((option): option is Extract<TcpOption, { kind: 'ts' }> => option.kind === 'ts');
      if (found.length === 0) return 'no ts option';
      if (found.some((option) => numberMatches(pattern.tsval, option.tsval) && numberMatches(pattern.tsecr, option.tsecr))) return null;
      const { tsval, tsecr } = found[0]!;
      return `ts is ${tsval}:${tsecr}, expected ${formatNumberPatternShort(pattern.tsval)}:${formatNumberPatternShort(pattern.tsecr)}`;
    }
    case 'raw': {
      const ofKind = options.filter((option) => optionKindNumber(option) === pattern.type);
      if (ofKind.length === 0) return `no option of kind ${pattern.type}`;
      if (pattern.data === null) return null;
      const data = pattern.data;
      if (ofKind.some((option) => option.kind === 'unknown' && sameBytes(option.data, data))) return null;
      return `option kind ${pattern.type} is ${formatOptions(ofKind.slice(0, 1))}, expected raw:${pattern.type}:${Buffer.from(data).toString('hex')}`;
    }
    default:
      return options.some((option) => option.kind === pattern.kind) ? null : `no ${pattern.kind} option`;
  }
}

function optionKindNumber(option: TcpOption): number {
  return option.kind === 'unknown' ? option.type : TCP_OPTION_KIND[option.kind];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The patterns as the matcher language writes them, values resolved: "mss:*,ts:100:*". */
export function formatOptionPatterns(patterns: readonly ResolvedOptionPattern[]): string {
  return patterns
    .map((pattern) => {
      switch (pattern.kind) {
        case 'mss':
        case 'wscale':
          return `${pattern.kind}:${formatNumberPatternShort(pattern.value)}`;
        case 'ts':
          return `ts:${formatNumberPatternShort(pattern.tsval)}:${formatNumberPatternShort(pattern.tsecr)}`;
        case 'raw':
          return pattern.data === null ? `raw:${pattern.type}` : `raw:${pattern.type}:${Buffer.from(pattern.data).toString('hex')}`;
        default:
          return pattern.kind;
      }
    })
    .join(',');
}

/**
 * The options a packet carrying what the patterns ask for would have: the actual options
 * with every pinned value put in and every missing option added. For the "script packet"
 * shown beside the actual one when a check fails.
 */
export function optionsAsExpected(patterns: readonly ResolvedOptionPattern[], actual: readonly TcpOption[]): TcpOption[] {
  const options = actual.map((option) => ({ ...option }) as TcpOption);
  for (const pattern of patterns) {
    if (mismatch(pattern, options) === null) continue;
    const index = options.findIndex((option) => option.kind === pattern.kind || (pattern.kind === 'raw' && optionKindNumber(option) === pattern.type));
    const replacement = exampleOption(pattern, index === -1 ? undefined : options[index]);
    if (replacement === null) continue;
    if (index === -1) options.push(replacement);
    else options[index] = replacement;
  }
  return options;
}

function pinned(pattern: ResolvedNumber, fallback: number): number {
  if (pattern.kind === 'equals') return pattern.value;
  if (pattern.kind === 'range') return numberMatches(pattern, fallback) ? fallback : pattern.low;
  return fallback;
}

function exampleOption(pattern: ResolvedOptionPattern, current: TcpOption | undefined): TcpOption | null {
  switch (pattern.kind) {
    case 'mss':
    case 'wscale': {
      const was = current?.kind === pattern.kind ? current.value : 0;
      return { kind: pattern.kind, value: pinned(pattern.value, was) };
    }
    case 'ts': {
      const was = current?.kind === 'ts' ? current : { tsval: 0, tsecr: 0 };
      return { kind: 'ts', tsval: pinned(pattern.tsval, was.tsval), tsecr: pinned(pattern.tsecr, was.tsecr) };
    }
    case 'sack':
      return { kind: 'sack', blocks: [] };
    case 'raw':
      return { kind: 'unknown', type: pattern.type, data: pattern.data ?? new Uint8Array(0) };
    default:
      return { kind: pattern.kind };
  }
}
