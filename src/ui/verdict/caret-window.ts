/**
 * The learner's text with a caret line under the mistake, in at most `room` columns. Text
 * too long for the room is shown as a window around the mistake, with … where it is cut,
 * so the caret always points at what it names.
 */
import { caretLine } from '../prompt-layout.js';
import { graphemes, graphemeWidth, textWidth } from '../../session/text-width.js';

export interface CaretWindow {
  text: string;
  caret: string;
}

/** `column` and `length` are in UTF-16 units from 1, as the segment language reports them. */
export function caretWindow(input: string, column: number, length: number | undefined, room: number): CaretWindow {
  const text = input.replace(/\t/g, ' ');
  if (textWidth(text) + (column > text.length ? 1 : 0) <= room) return { text, caret: caretLine(text, column, length) };
  const clusters = graphemes(text);
  const widths = clusters.map(graphemeWidth);
  const span = (from: number, to: number) => widths.slice(from, to).reduce((sum, w) => sum + w, 0);
  // The clusters the mistake covers, [first, last); at the end of the text it is the column after it.
  const ends: number[] = [];
  let offset = 0;
  for (const cluster of clusters) ends.push((offset += cluster.length));
  const clusterAt = (unit: number) => {
    const i = ends.findIndex((end) => end > unit);
    return i === -1 ? clusters.length : i;
  };
  const first = clusterAt(column - 1);
  const last = Math.max(first + 1, clusterAt(column - 1 + Math.max(1, length ?? 1) - 1) + 1);

  // Up to a third of the room of context before the mistake; fewer when the caret would not fit.
  let start = first;
  while (start > 0 && span(start - 1, first) <= Math.floor(room / 3)) start--;
  for (;;) {
    const budget = room - (start > 0 ? 1 : 0);
    let end = start;
    while (end < clusters.length && span(start, end + 1) <= budget) end++;
    while (end < clusters.length && end > start && span(start, end) + 1 > budget) end--;
    const pad = (start > 0 ? 1 : 0) + span(start, first);
    const carets = Math.max(1, span(first, Math.min(last, end)));
    if (pad + carets <= room || start >= first) {
      const shown = `${start > 0 ? '…' : ''}${clusters.slice(start, end).join('')}${end < clusters.length ? '…' : ''}`;
      return { text: shown, caret: `${' '.repeat(pad)}${'^'.repeat(Math.max(1, Math.min(carets, room - pad)))}` };
    }
    start++;
  }
}
