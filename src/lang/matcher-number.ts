import { checkIfConstant, parseExpression, resolveNumber, type Expression, type NumericRule, type Resolver } from './expression.js';
import type { Scanner } from './lexer.js';
import { SegmentSyntaxError, type Span } from './syntax-error.js';

/** What a number in a received packet may be: anything, one value, or an inclusive range. */
export type NumberPattern =
  | { kind: 'any'; span: Span }
  | { kind: 'equals'; value: Expression; span: Span }
  | { kind: 'range'; low: Expression; high: Expression; span: Span };

/** A NumberPattern with its variables resolved, ready to test values against. */
export type ResolvedNumber =
  | { kind: 'any' }
  | { kind: 'equals'; value: number }
  /** In sequence space (wrap) the range may run past 2^32-1 and on from 0. */
  | { kind: 'range'; low: number; high: number; wrap: boolean };

const MODULUS = 2 ** 32;

/** `*`, `1000`, `$tx.seq+1`, `1000..2000` or `$rx.seq..$rx.seq+10`. */
export function parseNumberPattern(scanner: Scanner, rule: NumericRule): NumberPattern {
  const start = scanner.pos;
  if (scanner.eat('*')) return { kind: 'any', span: scanner.spanFrom(start) };
  const low = parseExpression(scanner);
  checkIfConstant(low, rule);
  if (!scanner.eat('..')) return { kind: 'equals', value: low, span: scanner.spanFrom(start) };
  if (scanner.atEnd() || scanner.peek() === ',' || scanner.peek() === ':') {
    scanner.fail(`a range needs an upper bound after '..'`, scanner.here(), `e.g. ${low.text}..${low.text === '0' ? '100' : `${low.text}+100`}`);
  }
  const high = parseExpression(scanner);
  checkIfConstant(high, rule);
  const span = scanner.spanFrom(start);
  if (!rule.wrap && low.kind === 'number' && high.kind === 'number' && low.value > high.value) {
    throw new SegmentSyntaxError(`the range ${low.text}..${high.text} is empty`, span, 'write the smaller bound first');
  }
  return { kind: 'range', low, high, span };
}

export function resolveNumberPattern(pattern: NumberPattern, rule: NumericRule, resolve: Resolver): ResolvedNumber {
  switch (pattern.kind) {
    case 'any':
      return { kind: 'any' };
    case 'equals':
      return { kind: 'equals', value: resolveNumber(pattern.value, rule, resolve) };
    case 'range': {
      const low = resolveNumber(pattern.low, rule, resolve);
      const high = resolveNumber(pattern.high, rule, resolve);
      if (!rule.wrap && low > high) {
        throw new SegmentSyntaxError(`the range ${pattern.low.text}..${pattern.high.text} is empty: ${low} is more than ${high}`, pattern.span, 'write the smaller bound first');
      }
      return { kind: 'range', low, high, wrap: rule.wrap };
    }
  }
}

export function numberMatches(pattern: ResolvedNumber, value: number): boolean {
  switch (pattern.kind) {
    case 'any':
      return true;
    case 'equals':
      return value === pattern.value;
    case 'range':
      if (!pattern.wrap) return value >= pattern.low && value <= pattern.high;
      // Distances from the low end, modulo 2^32: 4294967290..10 holds 4294967295 and 3.
      return (((value - pattern.low) % MODULUS) + MODULUS) % MODULUS <= (((pattern.high - pattern.low) % MODULUS) + MODULUS) % MODULUS;
  }
}

/** 1001 as "1001 (0x3e9)": feedback gives both, since a learner may be reading either. */
export function decimalAndHex(value: number): string {
  return `${value} (0x${value.toString(16)})`;
}

export function formatNumberPattern(pattern: ResolvedNumber): string {
  switch (pattern.kind) {
    case 'any':
      return '*';
    case 'equals':
      return decimalAndHex(pattern.value);
    case 'range':
      return `${pattern.low}..${pattern.high} (0x${pattern.low.toString(16)}..0x${pattern.high.toString(16)})`;
  }
}

/** The compact form, for an option's value inside a list: "1460", "1000..2000", "*". */
export function formatNumberPatternShort(pattern: ResolvedNumber): string {
  switch (pattern.kind) {
    case 'any':
      return '*';
    case 'equals':
      return String(pattern.value);
    case 'range':
      return `${pattern.low}..${pattern.high}`;
  }
}
