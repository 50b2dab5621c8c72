// zod's issues, said the way a lesson or pack author needs them: which field, what it must
// be, what was written instead, and the nearest right spelling.

import type { z } from 'zod';
import { didYouMean } from '../../lang/suggest.js';

type Issue = z.core.$ZodIssue;

/** `networks[0]`, `lessons[2]`, `author.name`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out;
}

/** "the number 1", "'lap'", "a list", for a message's "got ...". */
export function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value} (a yes/no value)`;
  if (Array.isArray(value)) return 'a list';
  return 'a group of fields';
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  array: 'a list',
  object: 'a group of fields',
  boolean: 'true or false',
};

/**
 * One sentence for an issue, naming the field. `missing` is true when a required field is
 * absent, so the caller can point at the whole document rather than at a value.
 */
export function describeIssue(issue: Issue, knownKeys: readonly string[] = []): { message: string; missing: boolean } {
  const field = formatIssuePath(issue.path);
  const name = field === '' ? 'the value' : `'${field}'`;
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return { message: `missing field '${field}'`, missing: true };
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const quote =
        issue.expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')
          ? '; put it in quotes to make it text'
          : (issue.expected === 'number' || issue.expected === 'int') && typeof input === 'string' && /^\d+$/.test(input)
            ? '; write it without quotes'
            : '';
      return { message: `${name} must be ${expected}, got ${describeValue(input)}${quote}`, missing: false };
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      const hint = typeof input === 'string' ? didYouMean(input, values) : undefined;
      return { message: `${name} must be ${values.length === 1 ? values[0] : `one of ${values.join(', ')}`}, got ${describeValue(input)}${hint ? `; ${hint}` : ''}`, missing: false };
    }
    case 'unrecognized_keys':
      // One message per key, each at its own place: see describeUnknownKey.
      return { message: describeUnknownKey(issue.keys[0] ?? '', knownKeys, issue.path), missing: false };
    case 'too_small':
      if (!issue.message.startsWith('Too small')) return { message: `${name}: ${issue.message}`, missing: false };
      if (issue.origin === 'array') return { message: `${name} needs at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`, missing: false };
      if (issue.origin === 'string') return { message: `${name} is empty`, missing: false };
      return { message: `${name} must be at least ${String(issue.minimum)}, got ${describeValue(input)}`, missing: false };
    case 'too_big':
      if (!issue.message.startsWith('Too big')) return { message: `${name}: ${issue.message}`, missing: false };
      return { message: `${name} must be at most ${String(issue.maximum)}, got ${describeValue(input)}`, missing: false };
    case 'invalid_format':
      return { message: `${name} ${issue.message}, got ${describeValue(input)}`, missing: false };
    default:
      return { message: field === '' ? issue.message : `${name}: ${issue.message}`, missing: false };
  }
}

/** "unknown field 'solutonAfter'; did you mean 'solutionAfter'?" */
export function describeUnknownKey(key: string, knownKeys: readonly string[], path: readonly PropertyKey[] = []): string {
  const where = path.length === 0 ? '' : ` in '${formatIssuePath(path)}'`;
  const hint = didYouMean(key, knownKeys) ?? (knownKeys.length > 0 ? `the fields are ${knownKeys.join(' ')}` : undefined);
  return `unknown field '${key}'${where}${hint ? `; ${hint}` : ''}`;
}
