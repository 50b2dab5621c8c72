// Testing a packet's options against an `opts=` matcher, and saying in the matcher's own
// notation what was asked, what differs, and what the options would have been.

import { TCP_OPTION_KIND, type TcpOption } from '../wire/tcp-options.js';
import { decimalAndHex, formatNumberPatternShort, numberMatches, type ResolvedNumber } from './matcher-number.js';
import type { ResolvedOptionPattern, ResolvedSackBlock } from './matcher-options.js';
import { formatOptions } from './options.js';

type SackOption = Extract<TcpOption, { kind: 'sack' }>;

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
    case 'sack': {
      const found = options.filter((option): option is SackOption => option.kind === 'sack');
      if (found.length === 0) return 'no sack option';
      const blocks = pattern.blocks;
      if (blocks === null || found.some((option) => sackBlocksMatch(blocks, option.blocks))) return null;
      const actual = found[0]!.blocks;
      return `sack is ${actual.length === 0 ? 'empty' : formatSackBlocks(actual)}, expected ${formatSackBlockPatterns(blocks)}`;
    }
    case 'raw': {
      const ofKind = options.filter((option) => optionKindNumber(option) === pattern.type);
      if (ofKind.length === 0) return `no option of kind ${pattern.type}`;
      if (pattern.data === null) return null;
      const data = pattern.data;
      if (ofKind.some((option) => option.kind === 'unknown' && sameBytes(option.data, data))) return null;
      return `option kind ${pattern.type} is ${formatOptions(ofKind.slice(0, 1))}, expected raw:${pattern.type}:${Buffer.from(data).toString('hex')}`;
    }
    case 'absent': {
      const there = options.filter((option) => optionKindNumber(option) === pattern.type);
      if (there.length === 0) return null;
      return `${formatOptions(there)} ${there.length === 1 ? 'is' : 'are'} there, expected !${pattern.name}`;
    }
    default:
      return options.some((option) => option.kind === pattern.kind) ? null : `no ${pattern.kind} option`;
  }
}

/** Exactly the blocks asked for, in their order: the first is the one most recently received (RFC 2018). */
function sackBlocksMatch(patterns: readonly ResolvedSackBlock[], blocks: ReadonlyArray<readonly [number, number]>): boolean {
  return (
    patterns.length === blocks.length &&
    patterns.every(([left, right], i) => numberMatches(left, blocks[i]![0]) && numberMatches(right, blocks[i]![1]))
  );
}

function formatSackBlocks(blocks: ReadonlyArray<readonly [number, number]>): string {
  return blocks.map(([left, right]) => `${left}-${right}`).join(';');
}

function formatSackBlockPatterns(blocks: readonly ResolvedSackBlock[]): string {
  return blocks.map(([left, right]) => `${formatNumberPatternShort(left)}-${formatNumberPatternShort(right)}`).join(';');
}

function optionKindNumber(option: TcpOption): number {
  return option.kind === 'unknown' ? option.type : TCP_OPTION_KIND[option.kind];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The patterns as the matcher language writes them, values resolved: "mss:*,ts:100:*,!wscale". */
export function formatOptionPatterns(patterns: readonly ResolvedOptionPattern[]): string {
  return patterns
    .map((pattern) => {
      switch (pattern.kind) {
        case 'mss':
        case 'wscale':
          return `${pattern.kind}:${formatNumberPatternShort(pattern.value)}`;
        case 'ts':
          return `ts:${formatNumberPatternShort(pattern.tsval)}:${formatNumberPatternShort(pattern.tsecr)}`;
        case 'sack':
          return pattern.blocks === null ? 'sack' : `sack:${formatSackBlockPatterns(pattern.blocks)}`;
        case 'raw':
          return pattern.data === null ? `raw:${pattern.type}` : `raw:${pattern.type}:${Buffer.from(pattern.data).toString('hex')}`;
        case 'absent':
          return `!${pattern.name}`;
        default:
          return pattern.kind;
      }
    })
    .join(',');
}

/**
 * The options a packet carrying what the patterns ask for would have: the actual options
 * with every pinned value put in, every missing option added and every ruled-out one
 * taken away. For the "script packet" shown beside the actual one when a check fails.
 */
export function optionsAsExpected(patterns: readonly ResolvedOptionPattern[], actual: readonly TcpOption[]): TcpOption[] {
  let options = actual.map((option) => ({ ...option }) as TcpOption);
  for (const pattern of patterns) {
    if (mismatch(pattern, options) === null) continue;
    if (pattern.kind === 'absent') {
      options = withoutKind(options, pattern.type);
      continue;
    }
    const index = options.findIndex((option) => option.kind === pattern.kind || (pattern.kind === 'raw' && optionKindNumber(option) === pattern.type));
    const replacement = exampleOption(pattern, index === -1 ? undefined : options[index]);
    if (index === -1) options.push(replacement);
    else options[index] = replacement;
  }
  return options;
}

/**
 * The options less every one of this kind, and the nops just before each: those only
 * aligned it (Linux writes `nop,wscale:7` and `nop,nop,ts:...`), and a sender leaving the
 * option out would not have written them.
 */
function withoutKind(options: readonly TcpOption[], type: number): TcpOption[] {
  const kept: TcpOption[] = [];
  for (const option of options) {
    if (optionKindNumber(option) !== type) {
      kept.push(option);
      continue;
    }
    while (kept.length > 0 && kept[kept.length - 1]!.kind === 'nop') kept.pop();
  }
  return kept;
}

function pinned(pattern: ResolvedNumber, fallback: number): number {
  if (pattern.kind === 'equals') return pattern.value;
  if (pattern.kind === 'range') return numberMatches(pattern, fallback) ? fallback : pattern.low;
  return fallback;
}

function exampleOption(pattern: Exclude<ResolvedOptionPattern, { kind: 'absent' }>, current: TcpOption | undefined): TcpOption {
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
    case 'sack': {
      const was = current?.kind === 'sack' ? current.blocks : [];
      const blocks = (pattern.blocks ?? []).map(([left, right], i): [number, number] => [pinned(left, was[i]?.[0] ?? 0), pinned(right, was[i]?.[1] ?? 0)]);
      return { kind: 'sack', blocks };
    }
    case 'raw':
      return { kind: 'unknown', type: pattern.type, data: pattern.data ?? new Uint8Array(0) };
    default:
      return { kind: pattern.kind };
  }
}
