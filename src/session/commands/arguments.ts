import type { FieldToken } from '../../lang/lexer.js';
import { parseSegmentFields, type SegmentSpec } from '../../lang/segment-parser.js';
import { didYouMean } from '../../lang/suggest.js';
import { SegmentSyntaxError, type Span } from '../../lang/syntax-error.js';
import { CommandError, type CommandArgs } from '../command.js';

/** The narrowest drawing the ladder and follow renderings make. */
const MIN_WIDTH = 16;

/** The longest a command waits: long enough for any retransmission a lesson shows. */
const MAX_TIMEOUT_SECONDS = 600;

/**
 * Takes `timeout=SECONDS` out of the tokens. Returns the time in ms (the default when it is
 * absent) and the tokens left.
 */
export function takeTimeout(tokens: readonly FieldToken[], defaultSeconds: number): { timeoutMs: number; rest: FieldToken[] } {
  const rest: FieldToken[] = [];
  let timeoutMs = defaultSeconds * 1000;
  let seen: FieldToken | null = null;
  for (const token of tokens) {
    if (token.name !== 'timeout' || token.equals === null) {
      rest.push(token);
      continue;
    }
    if (seen !== null) throw new CommandError(`duplicate 'timeout': it is already given at column ${seen.nameSpan.column}`, token.nameSpan);
    seen = token;
    timeoutMs = secondsOf(token) * 1000;
  }
  return { timeoutMs, rest };
}

function secondsOf(token: FieldToken): number {
  const span = token.value === '' ? { column: token.valueSpan.column, length: 1 } : token.valueSpan;
  if (!/^\d+(\.\d+)?$/.test(token.value)) {
    throw new CommandError(`timeout is in seconds, got '${token.value}'; e.g. timeout=2 or timeout=0.5`, span);
  }
  const seconds = Number(token.value);
  if (seconds > MAX_TIMEOUT_SECONDS) throw new CommandError(`timeout is at most ${MAX_TIMEOUT_SECONDS} seconds, got ${token.value}`, span);
  return seconds;
}

/** `width=COLUMNS` for drawn text: a whole number of columns a terminal could have. */
export function widthOf(token: FieldToken): number {
  const span = token.value === '' ? { column: token.valueSpan.column, length: 1 } : token.valueSpan;
  if (!/^\d+$/.test(token.value) || Number(token.value) < MIN_WIDTH || Number(token.value) > 1000) {
    throw new CommandError(`width is a number of columns, ${MIN_WIDTH}..1000, got '${token.value}'`, span);
  }
  return Number(token.value);
}

/**
 * Where a missing argument would go: one space after the end of `end` (a 1-based column
 * just past some token), but never past the end of the line.
 */
export function missingAt(line: string, end: number): Span {
  return { column: Math.min(end + 1, line.length + 1), length: 1 };
}

/** `tcp field=value ...` after a command's name: the segment, columns as in the whole line. */
export function segmentOf(args: CommandArgs, tokens: readonly FieldToken[]): SegmentSpec {
  const [first, ...fields] = tokens;
  const example = `${args.head.text} tcp flags=S seq=1000`;
  if (first === undefined) {
    const at = missingAt(args.line, args.head.span.column + args.head.span.length);
    throw new SegmentSyntaxError(`${args.head.text} needs a segment`, at, `e.g. ${example}`);
  }
  if (first.equals !== null || first.name.toLowerCase() !== 'tcp') {
    const word = first.equals === null ? first.name : `${first.name}=`;
    const hint = (first.equals === null ? didYouMean(first.name, ['tcp']) : undefined) ?? `a segment starts with 'tcp', e.g. ${example}`;
    throw new SegmentSyntaxError(`expected 'tcp', got '${word}'`, first.nameSpan, hint);
  }
  return parseSegmentFields(args.line, fields);
}

/** The bare words after the name; a `name=value` item there is an error naming the command. */
export function wordsOf(args: CommandArgs, usage: string): string[] {
  return args.tokens.map((token) => {
    if (token.equals !== null) throw new CommandError(`${args.head.text} takes no ${token.name}=...; usage: ${usage}`, token.nameSpan);
    return token.name;
  });
}

/** At most `count` words; one more is an error pointing at it. */
export function atMost(args: CommandArgs, words: string[], count: number, usage: string): void {
  const extra = args.tokens[count];
  if (words.length > count && extra !== undefined) {
    throw new CommandError(`unexpected '${extra.name}'; usage: ${usage}`, extra.nameSpan);
  }
}
