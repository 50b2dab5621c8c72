// Segment-language text inside a cell, parsed with src/lang and checked for variables the
// session would not know, every error moved to its place in the file.

import { lexLine, type FieldToken } from '../../lang/lexer.js';
import { parseMatcher, type Matcher } from '../../lang/matcher.js';
import { parseSegment, type SegmentSpec } from '../../lang/segment-parser.js';
import type { LessonError } from './lesson-error.js';
import type { SourceLine } from './markdown-cells.js';
import { syntaxErrorAt, tryParse } from './source-errors.js';
import { checkVariable, matcherVariables, segmentVariables, type VariableUseSite } from './variables.js';

/** A `tcp ...` line. */
export function parseSegmentAt(file: string, source: SourceLine, errors: LessonError[]): SegmentSpec | null {
  const spec = tryParse(file, source, errors, () => parseSegment(source.text));
  return spec !== null && variablesKnown(file, source, segmentVariables(spec), errors) ? spec : null;
}

/** A matcher with no head word: `flags=S ack=0`, as a check writes it. */
export function parseBareMatcherAt(file: string, source: SourceLine, errors: LessonError[]): Matcher | null {
  const matcher = tryParse(file, source, errors, () => {
    const { head, fields } = lexLine(source.text);
    // A lone word would be taken as a command name and ignored; it is a field missing its '='.
    const tokens: FieldToken[] = head === null ? fields : [asField(head.text, head.span), ...fields];
    return parseMatcher(source.text, tokens);
  });
  return matcher !== null && variablesKnown(file, source, matcherVariables(matcher), errors) ? matcher : null;
}

/** The field list of a line whose head word the caller has read (`recv ...`): `tokens` are that line's fields. */
export function parseMatcherTokensAt(
  file: string,
  source: SourceLine,
  tokens: readonly FieldToken[],
  extras: readonly string[],
  errors: LessonError[],
): Matcher | null {
  const matcher = tryParse(file, source, errors, () => parseMatcher(source.text, tokens, { extras }));
  return matcher !== null && variablesKnown(file, source, matcherVariables(matcher), errors) ? matcher : null;
}

function asField(name: string, span: { column: number; length: number }): FieldToken {
  return { name, nameSpan: span, equals: null, value: '', valueSpan: { column: span.column + span.length, length: 0 } };
}

function variablesKnown(file: string, source: SourceLine, sites: readonly VariableUseSite[], errors: LessonError[]): boolean {
  let known = true;
  for (const site of sites) {
    const problem = checkVariable(site);
    if (problem === null) continue;
    errors.push(syntaxErrorAt(file, problem, source));
    known = false;
  }
  return known;
}
