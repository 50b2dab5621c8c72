/**
 * The block structure of the Markdown lessons are written in, after CommonMark and GitHub's
 * tables: headings (ATX and setext), paragraphs, fenced and indented code, bullet and
 * numbered lists, block quotes, pipe tables, thematic breaks. HTML comments are dropped.
 * Inline text is kept as written, for markdown-inline.ts to read.
 */
import type { HeadingLevel } from './prose-line.js';

export type TableAlign = 'left' | 'right' | 'center' | null;

export type Block =
  | { kind: 'heading'; level: HeadingLevel; text: string }
  /** `text` is the paragraph's lines joined by \n, each stripped of its indent; trailing spaces kept for hard breaks. */
  | { kind: 'paragraph'; text: string }
  | { kind: 'code'; lines: string[] }
  | { kind: 'list'; ordered: boolean; start: number; delimiter: '.' | ')' | null; tight: boolean; items: Block[][] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'table'; align: TableAlign[]; header: string[]; rows: string[][] }
  | { kind: 'rule' };

const TAB_STOP = 4;

export function parseBlocks(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n').map(expandTabs);
  return parseLines(lines);
}

function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const char of line) out += char === '\t' ? ' '.repeat(TAB_STOP - (out.length % TAB_STOP)) : char;
  return out;
}

const BLANK = /^\s*$/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const RULE = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const QUOTE = /^ {0,3}> ?/;
const BULLET = /^( {0,3})([-+*])( +|$)(.*)$/;
const ORDERED = /^( {0,3})(\d{1,9})([.)])( +|$)(.*)$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const COMMENT_OPEN = /^ {0,3}<!--/;

function parseLines(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (BLANK.test(line)) {
      i++;
      continue;
    }
    if (COMMENT_OPEN.test(line)) {
      i = skipComment(lines, i);
      continue;
    }
    const fence = FENCE_OPEN.exec(line);
    if (fence !== null && !(fence[2]![0] === '`' && fence[3]!.includes('`'))) {
      const [, indent, marker] = fence;
      const body: string[] = [];
      const close = new RegExp(`^ {0,3}${marker![0] === '`' ? '`' : '~'}{${marker!.length},}[ \\t]*$`);
      i++;
      while (i < lines.length && !close.test(lines[i]!)) body.push(stripIndent(lines[i++]!, indent!.length));
      i++;
      blocks.push({ kind: 'code', lines: body });
      continue;
    }
    const atx = ATX.exec(line);
    if (atx !== null) {
      blocks.push({ kind: 'heading', level: atx[1]!.length as HeadingLevel, text: (atx[2] ?? '').trim() });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ kind: 'rule' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length) {
        const current = lines[i]!;
        if (QUOTE.test(current)) inner.push(current.replace(QUOTE, ''));
        // A lazy line: a paragraph inside the quote goes on without its '>'.
        else if (!BLANK.test(current) && continuesParagraph(inner) && !interruptsParagraph(current)) inner.push(current);
        else break;
        i++;
      }
      blocks.push({ kind: 'quote', blocks: parseLines(inner) });
      continue;
    }
    if (listMarker(line) !== null) {
      i = parseList(lines, i, blocks);
      continue;
    }
    if (/^ {4}/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && (/^ {4}/.test(lines[i]!) || BLANK.test(lines[i]!))) body.push(lines[i++]!.slice(4));
      while (body.length > 0 && BLANK.test(body[body.length - 1]!)) body.pop();
      blocks.push({ kind: 'code', lines: body });
      continue;
    }
    const table = tableAt(lines, i);
    if (table !== null) {
      blocks.push(table.block);
      i = table.end;
      continue;
    }
    // A paragraph: up to a blank line or a block that may interrupt one.
    const text: string[] = [line.trimStart()];
    i++;
    let heading: HeadingLevel | null = null;
    while (i < lines.length) {
      const current = lines[i]!;
      if (BLANK.test(current)) break;
      const underline = SETEXT.exec(current);
      if (underline !== null) {
        heading = underline[1]![0] === '=' ? 1 : 2;
        i++;
        break;
      }
      if (interruptsParagraph(current) || tableAt(lines, i) !== null) break;
      text.push(current.trimStart());
      i++;
    }
    if (heading !== null) blocks.push({ kind: 'heading', level: heading, text: text.map((part) => part.trim()).join('\n') });
    else blocks.push({ kind: 'paragraph', text: text.join('\n').trimEnd() });
  }
  return blocks;
}

function stripIndent(line: string, indent: number): string {
  let n = 0;
  while (n < indent && line[n] === ' ') n++;
  return line.slice(n);
}

/** The index after an HTML comment that starts at line `i`. */
function skipComment(lines: string[], i: number): number {
  const start = lines[i]!.indexOf('<!--');
  if (lines[i]!.indexOf('-->', start + 4) !== -1) return i + 1;
  let j = i + 1;
  while (j < lines.length && !lines[j]!.includes('-->')) j++;
  return j + 1;
}

/** Whether the last of `lines` (inside a container) is paragraph text that a lazy line may continue. */
function continuesParagraph(lines: string[]): boolean {
  const last = lines[lines.length - 1];
  if (last === undefined || BLANK.test(last)) return false;
  const inner = last.replace(new RegExp(`^(?:${QUOTE.source})+`), '');
  return !BLANK.test(inner) && !interruptsParagraph(inner) && !/^ {4}/.test(inner);
}

/** A line that ends a paragraph without a blank line before it. */
function interruptsParagraph(line: string): boolean {
  if (ATX.test(line) || RULE.test(line) || QUOTE.test(line) || COMMENT_OPEN.test(line)) return true;
  const fence = FENCE_OPEN.exec(line);
  if (fence !== null && !(fence[2]![0] === '`' && fence[3]!.includes('`'))) return true;
  const marker = listMarker(line);
  // Only a list that starts with 1 and has text may break into a paragraph: "2000." is just a number.
  return marker !== null && marker.content.trim() !== '' && (!marker.ordered || marker.start === 1);
}

interface ListMarker {
  ordered: boolean;
  bullet: string;
  start: number;
  delimiter: '.' | ')' | null;
  /** Columns from the line's start to the item's content. */
  contentIndent: number;
  content: string;
}

function listMarker(line: string): ListMarker | null {
  if (RULE.test(line)) return null;
  const bullet = BULLET.exec(line);
  if (bullet !== null) {
    const [, indent, char, spaces, content] = bullet;
    return { ordered: false, bullet: char!, start: 1, delimiter: null, ...itemContent(indent!.length + 1, spaces!, content!) };
  }
  const ordered = ORDERED.exec(line);
  if (ordered !== null) {
    const [, indent, digits, delimiter, spaces, content] = ordered;
    return { ordered: true, bullet: delimiter!, start: Number(digits), delimiter: delimiter as '.' | ')', ...itemContent(indent!.length + digits!.length + 1, spaces!, content!) };
  }
  return null;
}

/** Where an item's content starts: after the marker and its spaces, or one space in when there are more than four. */
function itemContent(markerEnd: number, spaces: string, content: string): { contentIndent: number; content: string } {
  if (content === '' || spaces.length > 4) return { contentIndent: markerEnd + 1, content: spaces.slice(1) + content };
  return { contentIndent: markerEnd + spaces.length, content };
}

/** Reads the list starting at line `i` into `blocks`; returns the index after it. */
function parseList(lines: string[], i: number, blocks: Block[]): number {
  const first = listMarker(lines[i]!)!;
  const items: Block[][] = [];
  let tight = true;
  let blankBetweenItems = false;
  while (i < lines.length) {
    const marker = listMarker(lines[i]!);
    if (marker === null || marker.ordered !== first.ordered || marker.bullet !== first.bullet) break;
    if (blankBetweenItems) tight = false;
    const body: string[] = [marker.content];
    i++;
    while (i < lines.length) {
      const current = lines[i]!;
      if (BLANK.test(current)) {
        body.push('');
        i++;
        continue;
      }
      const indent = current.length - current.trimStart().length;
      if (indent >= marker.contentIndent) body.push(current.slice(marker.contentIndent));
      else if (body[body.length - 1] !== '' && continuesParagraph(body) && !interruptsParagraph(current) && listMarker(current) === null) body.push(current.trimStart());
      else break;
      i++;
    }
    let trailing = 0;
    while (body.length > 1 && body[body.length - 1] === '') {
      body.pop();
      trailing++;
    }
    blankBetweenItems = trailing > 0;
    const children = parseLines(body);
    // Blank lines between an item's own blocks make the list loose; blank lines inside one block (code) do not.
    if (children.length > 1 && body.some((part, n) => part === '' && n > 0)) tight = false;
    items.push(children);
  }
  // Blank lines after the last item belong to what follows.
  blocks.push({ kind: 'list', ordered: first.ordered, start: first.start, delimiter: first.delimiter, tight, items });
  return i;
}

/** A GitHub pipe table at line `i`: a header row, a delimiter row with as many cells, then rows. */
function tableAt(lines: string[], i: number): { block: Block; end: number } | null {
  const headerLine = lines[i];
  const delimiterLine = lines[i + 1];
  if (headerLine === undefined || delimiterLine === undefined || !headerLine.includes('|')) return null;
  if (!/^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/.test(delimiterLine)) return null;
  const header = splitRow(headerLine);
  const delimiters = splitRow(delimiterLine);
  if (header.length !== delimiters.length) return null;
  const align = delimiters.map((cell): TableAlign => {
    const left = cell.startsWith(':');
    const right = cell.endsWith(':');
    return left && right ? 'center' : right ? 'right' : left ? 'left' : null;
  });
  const rows: string[][] = [];
  let j = i + 2;
  while (j < lines.length && !BLANK.test(lines[j]!) && !interruptsParagraph(lines[j]!)) {
    const cells = splitRow(lines[j]!);
    rows.push(header.map((_, n) => cells[n] ?? ''));
    j++;
  }
  return { block: { kind: 'table', align, header, rows }, end: j };
}

/** A row's cells, split at pipes that are not escaped; an escaped pipe is a pipe, in code spans too (as on GitHub). */
function splitRow(line: string): string[] {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let k = 0; k < text.length; k++) {
    const char = text[k]!;
    if (char === '\\' && text[k + 1] === '|') {
      cell += '|';
      k++;
    } else if (char === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += char;
    }
  }
  cells.push(cell.trim());
  return cells;
}
