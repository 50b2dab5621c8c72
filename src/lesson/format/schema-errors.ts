import type { z } from 'zod';
import type { LessonError, Position } from './lesson-error.js';
import { describeIssue, describeUnknownKey } from './zod-issues.js';

/** Where the parts of a parsed document (YAML front-matter, a JSON manifest) sit in its file. */
export interface DocumentLocator {
  /** Where the value at `path` starts, if it is there. */
  valueAt(path: readonly PropertyKey[]): Position | null;
  /** Where the key of the value at `path` starts, if it is there. */
  keyAt(path: readonly PropertyKey[]): Position | null;
  /** Where to report what is missing altogether. */
  whole: Position;
}

/** zod's issues as positioned errors: unknown keys at the key, wrong values at the value, missing fields at the whole. */
export function schemaErrors(
  file: string,
  issues: readonly z.core.$ZodIssue[],
  locator: DocumentLocator,
  keysAt: (path: readonly PropertyKey[]) => readonly string[],
): LessonError[] {
  const errors: LessonError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const at = locator.keyAt([...issue.path, key]) ?? locator.valueAt(issue.path) ?? locator.whole;
        errors.push({ file, ...at, message: describeUnknownKey(key, keysAt(issue.path), issue.path) });
      }
      continue;
    }
    const { message, missing } = describeIssue(issue);
    const at = missing ? locator.whole : (locator.valueAt(issue.path) ?? locator.keyAt(issue.path) ?? locator.whole);
    errors.push({ file, ...at, message });
  }
  return errors;
}
