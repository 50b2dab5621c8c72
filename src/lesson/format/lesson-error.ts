/**
 * A mistake in a lesson file or a pack, where it is: the file as the instructor named it and,
 * when the mistake has a place, its 1-based line and column. Columns count characters as
 * JavaScript strings do, the same way the segment language's columns count.
 */
export interface LessonError {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** `lessons/02.md:14:4`, or just the file when there is no place. */
export function formatPlace(place: Omit<LessonError, 'message'>): string {
  return place.line === undefined ? place.file : `${place.file}:${place.line}:${place.column ?? 1}`;
}

/** `lessons/02.md:14:4: unknown cell 'tcplab sned'; did you mean 'send'?`, the form editors and compilers use. */
export function formatLessonError(error: LessonError): string {
  return `${formatPlace(error)}: ${error.message}`;
}

/** By file, then by position, so a file's errors read top to bottom; whole-file errors first. */
export function sortLessonErrors(errors: readonly LessonError[]): LessonError[] {
  return [...errors].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/** A place in a file: 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Turns character offsets into lines and columns for one text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.starts.push(i + 1);
  }

  positionOf(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - (this.starts[low] ?? 0) + 1 };
  }
}
