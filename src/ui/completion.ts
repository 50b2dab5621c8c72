/**
 * Tab completion: the word under the cursor, what may stand there (a command, a field name,
 * flag letters, an option name, a $variable, a behaviour, a file), and what to insert. The
 * vocabulary comes from CompletionData, built from the session's own tables, so nothing is
 * offered that the session would reject.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ArgumentKind } from '../session/command.js';

export interface CompletionData {
  commands: ReadonlyArray<{ name: string; arguments: readonly ArgumentKind[] }>;
  segmentFields: readonly string[];
  matcherFields: readonly string[];
  /** One letter each, e.g. S for SYN. */
  flagLetters: readonly string[];
  /** As written in opts=, with ':' after the ones that take a value ("mss:", "sackok"). */
  options: readonly string[];
  /** Variable heads with their '$', e.g. "$rx", "$pkt[". */
  packetVariables: readonly string[];
  endpointVariables: readonly string[];
  /** What follows "$rx." and the like. */
  packetFields: readonly string[];
  endpointFields: readonly string[];
  /** Words for the positional argument kinds; "close-after=" when the word takes a value. */
  words: Partial<Record<ArgumentKind, readonly string[]>>;
}

export interface Candidate {
  /** What replaces text[start, cursor). */
  insert: string;
  /** How the list shows it. */
  label: string;
}

export interface Completion {
  /** UTF-16 index where the replaced text starts; it ends at the cursor. */
  start: number;
  candidates: Candidate[];
}

export type CompletionSource = (text: string, cursor: number) => Completion | null;

/** Kinds that stand for one word in a fixed place, in the order they come. */
const POSITIONAL: ReadonlySet<ArgumentKind> = new Set(['packet-ref', 'command-name', 'behaviour', 'ls-topic', 'pcap-action', 'file']);

export function completionSource(data: CompletionData, cwd: () => string = () => process.cwd()): CompletionSource {
  return (text, cursor) => completeAt(data, text, cursor, cwd());
}

/** The candidates for the word that ends at `cursor`, or null where nothing can be offered. */
export function completeAt(data: CompletionData, text: string, cursor: number, cwd = process.cwd()): Completion | null {
  const before = text.slice(0, cursor);
  const words = splitWords(before);
  const current = words[words.length - 1]!;
  if (current.quoted) return null;
  const start = current.start;
  const word = current.text;

  if (words.length === 1) return offer(start, word, data.commands.map((command) => command.name), ' ');
  const command = data.commands.find((c) => c.name === words[0]!.text.toLowerCase());
  if (command === undefined) return null;

  const dollar = word.lastIndexOf('$');
  if (dollar !== -1) return completeVariable(data, start + dollar, word.slice(dollar));

  const kinds = command.arguments;
  const positional = kinds.filter((kind) => POSITIONAL.has(kind));
  const argIndex = words.length - 2;
  if (positional.length > 0 && argIndex < positional.length && !kinds.includes('segment') && !kinds.includes('matcher')) {
    const kind = positional[argIndex]!;
    if (kind === 'file') return completeFile(start, word, cwd);
    if (kind === 'packet-ref') return offer(start, word, [...data.packetVariables], '');
    return offer(start, word, data.words[kind] ?? [], ' ');
  }

  const equals = word.indexOf('=');
  if (equals === -1) {
    const names: string[] = [];
    if (kinds.includes('segment')) {
      const sawTcp = words.slice(1, -1).some((w) => w.text.toLowerCase() === 'tcp');
      if (!sawTcp) return offer(start, word, ['tcp'], ' ');
      names.push(...data.segmentFields);
    }
    if (kinds.includes('matcher')) names.push(...data.matcherFields);
    if (kinds.includes('timeout')) names.push('timeout');
    const given = new Set(words.slice(1, -1).map((w) => w.text.split('=')[0]!.toLowerCase()));
    return offer(start, word, unique(names).filter((name) => !given.has(name)).map((name) => `${name}=`), '');
  }

  const field = word.slice(0, equals).toLowerCase();
  const value = word.slice(equals + 1);
  const valueStart = start + equals + 1;
  if (field === 'flags') return completeFlags(data, valueStart, value);
  if (field === 'opts') {
    const part = Math.max(value.lastIndexOf(','), -1) + 1;
    if (value.slice(part).includes(':')) return null;
    return offer(valueStart + part, value.slice(part), data.options, '');
  }
  return null;
}

/** A completion applied to the line: one candidate is inserted; several, their common start. */
export function applyCompletion(
  text: string,
  cursor: number,
  source: CompletionSource,
): { insert: { start: number; end: number; text: string } | null; candidates: string[] } | null {
  const completion = source(text, cursor);
  if (completion === null || completion.candidates.length === 0) return null;
  const typed = text.slice(completion.start, cursor);
  const inserts = completion.candidates.map((c) => c.insert);
  const common = inserts.length === 1 ? inserts[0]! : commonPrefix(inserts);
  const insert = common.length > typed.length || (inserts.length === 1 && common !== typed) ? { start: completion.start, end: cursor, text: common } : null;
  return { insert, candidates: completion.candidates.length > 1 ? completion.candidates.map((c) => c.label) : [] };
}

function completeVariable(data: CompletionData, start: number, word: string): Completion | null {
  const dot = word.indexOf('.');
  if (dot === -1) {
    // "$rx[-2" is mid-index: nothing to offer until the bracket closes.
    if (/\[[^\]]*$/.test(word)) return null;
    return offer(start, word, [...data.packetVariables, ...data.endpointVariables], '');
  }
  const head = word.slice(0, dot).replace(/\[.*\]$/, '');
  const fields = data.endpointVariables.includes(head) ? data.endpointFields : data.packetVariables.some((v) => v.replace(/\[$/, '') === head) ? data.packetFields : [];
  const prefix = word.slice(0, dot + 1);
  return offer(start, word, fields.map((field) => prefix + field), '');
}

/** Flag letters go on the end of what is typed: flags=S, Tab lists what may follow. */
function completeFlags(data: CompletionData, start: number, value: string): Completion | null {
  if (!/^[a-z]*$/i.test(value)) return null;
  const have = new Set(value.toUpperCase());
  const candidates = data.flagLetters.filter((letter) => !have.has(letter)).map((letter) => ({ insert: value + letter, label: letter }));
  return candidates.length === 0 ? null : { start, candidates };
}

function completeFile(start: number, word: string, cwd: string): Completion | null {
  const dir = word.includes('/') ? dirname(word + 'x') : '.';
  const stem = word.includes('/') ? basename(word + 'x').slice(0, -1) : word;
  let names: string[];
  try {
    names = readdirSync(join(cwd, dir)).filter((name) => name.startsWith(stem) && (stem.startsWith('.') || !name.startsWith('.')));
  } catch {
    return null;
  }
  const prefix = word.includes('/') ? word.slice(0, word.lastIndexOf('/') + 1) : '';
  const candidates = names.sort().map((name) => {
    const isDir = (() => {
      try {
        return statSync(join(cwd, dir, name)).isDirectory();
      } catch {
        return false;
      }
    })();
    return { insert: prefix + name + (isDir ? '/' : ''), label: name + (isDir ? '/' : '') };
  });
  return candidates.length === 0 ? null : { start, candidates };
}

/** The choices that start with `word` (case-insensitively); a lone one gets `suffix`. */
function offer(start: number, word: string, choices: readonly string[], suffix: string): Completion | null {
  const lower = word.toLowerCase();
  const matching = choices.filter((choice) => choice.toLowerCase().startsWith(lower));
  if (matching.length === 0) return null;
  const lone = matching.length === 1 && !matching[0]!.endsWith('=') && !matching[0]!.endsWith(':') && !matching[0]!.endsWith('[');
  return { start, candidates: matching.map((choice) => ({ insert: lone ? choice + suffix : choice, label: choice })) };
}

interface Word {
  text: string;
  start: number;
  /** The word is inside an open double quote. */
  quoted: boolean;
}

/** The words of `text`, split on spaces outside double quotes; the last may be empty. */
function splitWords(text: string): Word[] {
  const words: Word[] = [];
  let start = -1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === ' ' && !quoted) {
      if (start !== -1) words.push({ text: text.slice(start, i), start, quoted: false });
      start = -1;
      continue;
    }
    if (start === -1) start = i;
    if (ch === '"' && text[i - 1] !== '\\') quoted = !quoted;
  }
  if (start === -1) words.push({ text: '', start: text.length, quoted: false });
  else words.push({ text: text.slice(start), start, quoted });
  return words;
}

function commonPrefix(values: readonly string[]): string {
  let prefix = values[0] ?? '';
  for (const value of values) {
    let n = 0;
    while (n < prefix.length && n < value.length && prefix[n]!.toLowerCase() === value[n]!.toLowerCase()) n++;
    prefix = prefix.slice(0, n);
  }
  return prefix;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
