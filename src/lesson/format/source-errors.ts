import { SegmentSyntaxError } from '../../lang/syntax-error.js';
import type { LessonError, Position } from './lesson-error.js';

/**
 * A segment-language error, moved from its column in a piece of text to the file. `start` is
 * where the text's first character is. Columns the message itself mentions ("the '(' at
 * column 9 is not closed") move with it, so every number in the message is a file column.
 */
export function syntaxErrorAt(file: string, error: SegmentSyntaxError, start: Position): LessonError {
  const shift = start.column - 1;
  const message = error.message
    .replace(` at column ${error.column}`, '')
    .replace(/\bcolumn (\d+)\b/g, (_, column: string) => `column ${Number(column) + shift}`);
  return { file, line: start.line, column: error.column + shift, message };
}

/** Runs `parse`, turning a SegmentSyntaxError into a positioned error; anything else is a fault and propagates. */
export function tryParse<T>(file: string, start: Position, errors: LessonError[], parse: () => T): T | null {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof SegmentSyntaxError)) throw error;
    errors.push(syntaxErrorAt(file, error, start));
    return null;
  }
}
