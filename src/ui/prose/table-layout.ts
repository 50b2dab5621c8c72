/**
 * A GitHub pipe table in a terminal: columns aligned by display width (a CJK character is two
 * columns), the header strong over a rule. A table wider than the terminal is not cut: each
 * row becomes one "header: value" line per cell, wrapped, with a blank line between rows.
 */
import type { Block, TableAlign } from './markdown-blocks.js';
import { parseInline } from './markdown-inline.js';
import { lineWidth, mergeSpans, withStyle, type ProseLine } from './prose-line.js';
import { wrapSpans } from './wrap-spans.js';

const GAP = '  ';

export function layoutTable(table: Extract<Block, { kind: 'table' }>, width: number): ProseLine[] {
  const header = table.header.map((cell) => withStyle(parseInline(cell), { strong: true }));
  const rows = table.rows.map((row) => row.map((cell) => parseInline(cell)));
  const widths = header.map((cell, column) => Math.max(lineWidth(cell), ...rows.map((row) => lineWidth(row[column]!))));
  const total = widths.reduce((sum, w) => sum + w, 0) + GAP.length * Math.max(0, widths.length - 1);
  if (total <= width) {
    const rule: ProseLine = mergeSpans(widths.flatMap((w, column) => [...(column > 0 ? [{ text: GAP, style: {} }] : []), { text: '─'.repeat(w), style: { mark: 'rule' as const } }]));
    return [alignedRow(header, widths, table.align), rule, ...rows.map((row) => alignedRow(row, widths, table.align))];
  }
  return cellPerLine(header, rows, width);
}

function alignedRow(cells: ProseLine[], widths: number[], align: TableAlign[]): ProseLine {
  const line: ProseLine = [];
  cells.forEach((cell, column) => {
    const free = widths[column]! - lineWidth(cell);
    const last = column === cells.length - 1;
    const left = align[column] === 'right' ? free : align[column] === 'center' ? Math.floor(free / 2) : 0;
    // No padding after the last column: nothing follows it.
    const right = last ? 0 : free - left;
    if (column > 0) line.push({ text: GAP, style: {} });
    line.push({ text: ' '.repeat(left), style: {} }, ...cell, { text: ' '.repeat(right), style: {} });
  });
  return mergeSpans(line);
}

function cellPerLine(header: ProseLine[], rows: ProseLine[][], width: number): ProseLine[] {
  if (rows.length === 0) return header.filter((cell) => cell.length > 0).flatMap((cell) => wrapSpans(cell, width));
  const lines: ProseLine[] = [];
  rows.forEach((row, n) => {
    if (n > 0) lines.push([]);
    row.forEach((cell, column) => {
      if (cell.length === 0) return;
      const name = header[column]!;
      const spans = name.length === 0 ? cell : [...name, { text: ': ', style: { strong: true } }, ...cell];
      // Continuation lines hang two columns in, so each cell's first line stands out.
      const [first, ...rest] = wrapSpans(spans, width, width - 2);
      lines.push(first!, ...rest.map((line) => [{ text: '  ', style: {} }, ...line]));
    });
  });
  return lines;
}
