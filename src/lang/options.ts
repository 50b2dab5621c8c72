import type { TcpOption } from '../wire/tcp-options.js';
import { parseHexBytes } from './data-literal.js';
import {
  checkIfConstant,
  parseExpression,
  parseInteger,
  parseTerm,
  resolveNumber,
  type Expression,
  type NumericRule,
  type Resolver,
} from './expression.js';
import { Scanner } from './lexer.js';
import { didYouMean } from './suggest.js';
import { SegmentSyntaxError, type Span } from './syntax-error.js';

/** One option as written; numbers stay expressions until the segment is built. */
export type OptionSpec =
  | { kind: 'eol'; span: Span }
  | { kind: 'nop'; span: Span }
  | { kind: 'mss'; value: Expression; span: Span }
  | { kind: 'wscale'; value: Expression; span: Span }
  | { kind: 'sackok'; span: Span }
  | { kind: 'sack'; blocks: Array<[Expression, Expression]>; span: Span }
  | { kind: 'ts'; tsval: Expression; tsecr: Expression; span: Span }
  | {
      kind: 'raw';
      type: number;
      data: Uint8Array<ArrayBuffer>;
      /** The length byte when it is to lie (a malformed option); null for none at all; undefined: data + 2. */
      length?: number | null;
      span: Span;
    };

export type OptionName = OptionSpec['kind'];

/** Every option the language knows, for help and completion. */
export const OPTION_SYNTAX: ReadonlyArray<{ name: OptionName; form: string; description: string }> = [
  { name: 'mss', form: 'mss:1460', description: 'maximum segment size (kind 2)' },
  { name: 'wscale', form: 'wscale:7', description: 'window scale shift count (kind 3)' },
  { name: 'sackok', form: 'sackok', description: 'SACK permitted (kind 4)' },
  { name: 'sack', form: 'sack:1000-2000;3000-4000', description: 'SACK blocks, left-right edges, at most 4 (kind 5)' },
  { name: 'ts', form: 'ts:100:0', description: 'timestamps: TSval and TSecr (kind 8)' },
  { name: 'nop', form: 'nop', description: 'no-operation, one byte of padding (kind 1)' },
  { name: 'eol', form: 'eol', description: 'end of option list (kind 0)' },
  {
    name: 'raw',
    form: 'raw:30:0081',
    description: 'any kind, its data in hex; raw:KIND:HEX:LEN sets a wrong length byte, LEN none leaves it out',
  },
];

const OPTION_NAMES = OPTION_SYNTAX.map((option) => option.name);

/** The most option bytes a TCP header holds: a 4-bit data offset allows 60 bytes, 20 are fixed. */
export const MAX_OPTIONS_LENGTH = 40;

const RULES = {
  mss: { label: 'mss', max: 0xffff, wrap: false },
  wscale: { label: 'wscale', max: 0xff, wrap: false },
  sackEdge: { label: 'a sack edge', max: 0xffffffff, wrap: true },
  tsval: { label: 'tsval', max: 0xffffffff, wrap: true },
  tsecr: { label: 'tsecr', max: 0xffffffff, wrap: true },
} satisfies Record<string, NumericRule>;

const MAX_SACK_BLOCKS = 4;

/** `mss:1460,wscale:7,sackok,...`: options in the order written, none added or dropped. */
export function parseOptions(scanner: Scanner): OptionSpec[] {
  const start = scanner.pos;
  const options: OptionSpec[] = [];
  for (;;) {
    options.push(parseOption(scanner));
    if (scanner.atEnd()) break;
    if (!scanner.eat(',')) {
      const last = options[options.length - 1]?.kind ?? 'option';
      scanner.fail(`unexpected ${scanner.describeNext()} after ${last}`, scanner.here(), "separate options with ','");
    }
  }
  const padded = optionsLength(options);
  if (padded > MAX_OPTIONS_LENGTH) {
    throw new SegmentSyntaxError(
      `options take ${padded} bytes`,
      scanner.spanFrom(start),
      `a TCP header holds at most ${MAX_OPTIONS_LENGTH} bytes of options`,
    );
  }
  return options;
}

function parseOption(scanner: Scanner): OptionSpec {
  const start = scanner.pos;
  const typed = scanner.takeWhile((ch) => /[A-Za-z]/.test(ch));
  const nameSpan = scanner.spanFrom(start);
  if (typed === '') {
    scanner.fail(`expected an option name, got ${scanner.describeNext()}`, scanner.here(), `options are ${OPTION_NAMES.join(' ')}`);
  }
  const name = OPTION_NAMES.find((option) => option === typed.toLowerCase());
  if (name === undefined) {
    const hint = didYouMean(typed, OPTION_NAMES) ?? `options are ${OPTION_SYNTAX.map((o) => o.form).join(' ')}`;
    throw new SegmentSyntaxError(`unknown option '${typed}'`, nameSpan, hint);
  }
  const form = OPTION_SYNTAX.find((option) => option.name === name)?.form ?? name;

  const needValue = (): void => {
    if (!scanner.eat(':')) scanner.fail(`option ${name} needs a value`, scanner.here(), `e.g. ${form}`);
  };
  const valueFor = (rule: NumericRule): Expression => {
    const value = parseExpression(scanner);
    checkIfConstant(value, rule);
    return value;
  };

  switch (name) {
    case 'eol':
    case 'nop':
    case 'sackok':
      if (scanner.peek() === ':') scanner.fail(`option ${name} takes no value`, scanner.here(), `write just ${name}`);
      return { kind: name, span: scanner.spanFrom(start) };
    case 'mss':
    case 'wscale': {
      needValue();
      const value = valueFor(RULES[name]);
      return { kind: name, value, span: scanner.spanFrom(start) };
    }
    case 'ts': {
      needValue();
      const tsval = valueFor(RULES.tsval);
      if (!scanner.eat(':')) scanner.fail('option ts needs two values, TSval and TSecr', scanner.here(), `e.g. ${form}`);
      const tsecr = valueFor(RULES.tsecr);
      return { kind: 'ts', tsval, tsecr, span: scanner.spanFrom(start) };
    }
    case 'sack':
      return { kind: 'sack', blocks: scanner.eat(':') ? parseSackBlocks(scanner) : [], span: scanner.spanFrom(start) };
    case 'raw': {
      needValue();
      const kind = parseInteger(scanner);
      if (kind.value > 0xff) throw new SegmentSyntaxError(`an option kind must be 0..255, got ${kind.text}`, kind.span);
      const data = scanner.eat(':') ? parseHexBytes(scanner, 'option data') : new Uint8Array(0);
      if (!scanner.eat(':')) return { kind: 'raw', type: kind.value, data, span: scanner.spanFrom(start) };
      const length = parseRawLength(scanner);
      return { kind: 'raw', type: kind.value, data, length, span: scanner.spanFrom(start) };
    }
  }
}

/** The fourth part of `raw:KIND:HEX:LEN`: a length byte that need not match, or `none`. */
function parseRawLength(scanner: Scanner): number | null {
  if (scanner.eat('none')) return null;
  if (!/[0-9]/.test(scanner.peek())) {
    scanner.fail(`expected a length byte or 'none', got ${scanner.describeNext()}`, scanner.here(), 'e.g. raw:2:05b4:3 for a wrong length');
  }
  const length = parseInteger(scanner);
  if (length.value > 0xff) throw new SegmentSyntaxError(`an option length must be 0..255, got ${length.text}`, length.span);
  return length.value;
}

/** `L-R;L-R`: edges are single terms, because a bare `-` already separates them; `(a+1)` works. */
function parseSackBlocks(scanner: Scanner): Array<[Expression, Expression]> {
  const blocks: Array<[Expression, Expression]> = [];
  for (;;) {
    const blockStart = scanner.pos;
    const left = parseTerm(scanner);
    checkIfConstant(left, RULES.sackEdge);
    if (!scanner.eat('-')) scanner.fail(`expected '-' between sack edges, got ${scanner.describeNext()}`, scanner.here(), 'e.g. sack:1000-2000');
    const right = parseTerm(scanner);
    checkIfConstant(right, RULES.sackEdge);
    blocks.push([left, right]);
    if (blocks.length > MAX_SACK_BLOCKS) {
      throw new SegmentSyntaxError(`too many sack blocks`, scanner.spanFrom(blockStart), `an option holds at most ${MAX_SACK_BLOCKS}`);
    }
    if (!scanner.eat(';')) return blocks;
  }
}

/** Bytes the options take in the header, padded to a multiple of four as the encoder pads them. */
export function optionsLength(options: readonly OptionSpec[]): number {
  const length = options.reduce((sum, option) => sum + optionLength(option), 0);
  return Math.ceil(length / 4) * 4;
}

function optionLength(option: OptionSpec): number {
  switch (option.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'sackok':
      return 2;
    case 'wscale':
      return 3;
    case 'mss':
      return 4;
    case 'ts':
      return 10;
    case 'sack':
      return 2 + 8 * option.blocks.length;
    case 'raw':
      return (option.length === null ? 1 : 2) + option.data.length;
  }
}

/** The wire options, variables resolved. */
export function resolveOptions(options: readonly OptionSpec[], resolve: Resolver): TcpOption[] {
  return options.map((option): TcpOption => {
    switch (option.kind) {
      case 'eol':
      case 'nop':
      case 'sackok':
        return { kind: option.kind };
      case 'mss':
      case 'wscale':
        return { kind: option.kind, value: resolveNumber(option.value, RULES[option.kind], resolve) };
      case 'ts':
        return {
          kind: 'ts',
          tsval: resolveNumber(option.tsval, RULES.tsval, resolve),
          tsecr: resolveNumber(option.tsecr, RULES.tsecr, resolve),
        };
      case 'sack':
        return {
          kind: 'sack',
          blocks: option.blocks.map(([left, right]): [number, number] => [
            resolveNumber(left, RULES.sackEdge, resolve),
            resolveNumber(right, RULES.sackEdge, resolve),
          ]),
        };
      case 'raw':
        return option.length === undefined
          ? { kind: 'unknown', type: option.type, data: option.data.slice() }
          : { kind: 'unknown', type: option.type, data: option.data.slice(), length: option.length };
    }
  });
}

/** Options as the language writes them, e.g. "mss:1460,sackok,ts:100:0,nop,wscale:7". */
export function formatOptions(options: readonly TcpOption[]): string {
  return options
    .map((option) => {
      switch (option.kind) {
        case 'eol':
        case 'nop':
        case 'sackok':
          return option.kind;
        case 'mss':
        case 'wscale':
          return `${option.kind}:${option.value}`;
        case 'ts':
          return `ts:${option.tsval}:${option.tsecr}`;
        case 'sack':
          return option.blocks.length === 0 ? 'sack' : `sack:${option.blocks.map(([l, r]) => `${l}-${r}`).join(';')}`;
        case 'unknown': {
          const hex = Buffer.from(option.data).toString('hex');
          if (option.length === undefined) return option.data.length === 0 ? `raw:${option.type}` : `raw:${option.type}:${hex}`;
          return `raw:${option.type}:${hex}:${option.length === null ? 'none' : option.length}`;
        }
      }
    })
    .join(',');
}
