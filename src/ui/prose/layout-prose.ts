/**
 * A lesson's Markdown as terminal lines no wider than `width`: paragraphs re-wrapped, code
 * blocks kept exactly as written (indented two columns, a line too wide cut with …), lists
 * with hanging indents, quotes behind a bar, tables aligned or, when too wide, one
 * "header: value" line per cell. A pure function: the same text and width give the same lines.
 */
import { truncateWidth } from '../../session/text-width.js';
import { parseBlocks, type Block } from './markdown-blocks.js';
import { parseInline } from './markdown-inline.js';
import { lineWidth, withStyle, type ProseLine } from './prose-line.js';
import { layoutTable } from './table-layout.js';
import { wrapSpans } from './wrap-spans.js';

const CODE_INDENT = '  ';
const BULLETS = ['•', '◦', '▪'] as const;
const QUOTE_BAR = '│';

export function layoutProse(markdown: string, width: number): ProseLine[] {
  return layoutBlocks(parseBlocks(markdown), Math.max(1, width), 0, false);
}

function layoutBlocks(blocks: readonly Block[], width: number, depth: number, tight: boolean): ProseLine[] {
  const lines: ProseLine[] = [];
  blocks.forEach((block, i) => {
    if (i > 0 && !tight) lines.push([]);
    lines.push(...layoutBlock(block, width, depth));
  });
  return lines;
}

function layoutBlock(block: Block, width: number, depth: number): ProseLine[] {
  switch (block.kind) {
    case 'heading':
      return wrapSpans(parseInline(block.text, { heading: block.level }), width);
    case 'paragraph':
      return wrapSpans(parseInline(block.text), width);
    case 'code':
      return block.lines.map((line) => (line === '' ? [] : [{ text: truncateWidth(`${CODE_INDENT}${line}`, width), style: { codeBlock: true } }]));
    case 'list':
      return layoutList(block, width, depth);
    case 'quote': {
      const inner = layoutBlocks(block.blocks, Math.max(1, width - 2), depth, false);
      return inner.map((line) => (line.length === 0 ? [{ text: QUOTE_BAR, style: { mark: 'quote', quote: true } }] : [{ text: `${QUOTE_BAR} `, style: { mark: 'quote', quote: true } }, ...withStyle(line, { quote: true })]));
    }
    case 'table':
      return layoutTable(block, width);
    case 'rule':
      return [[{ text: '─'.repeat(width), style: { mark: 'rule' } }]];
  }
}

function layoutList(list: Extract<Block, { kind: 'list' }>, width: number, depth: number): ProseLine[] {
  const markers = list.items.map((_, n) => (list.ordered ? `${list.start + n}${list.delimiter}` : BULLETS[depth % BULLETS.length]!));
  const markerWidth = Math.max(...markers.map((marker) => lineWidth([{ text: marker, style: {} }])));
  const indent = markerWidth + 1;
  const lines: ProseLine[] = [];
  list.items.forEach((item, n) => {
    if (n > 0 && !list.tight) lines.push([]);
    const marker = markers[n]!.padStart(markerWidth);
    const body = layoutBlocks(item, Math.max(1, width - indent), depth + 1, list.tight);
    const [first, ...rest] = body.length === 0 ? [[]] : body;
    lines.push([{ text: marker, style: { mark: 'bullet' } }, ...(first!.length > 0 ? [{ text: ' ', style: {} }, ...first!] : [])]);
    for (const line of rest) lines.push(line.length === 0 ? [] : [{ text: ' '.repeat(indent), style: {} }, ...line]);
  });
  return lines;
}
