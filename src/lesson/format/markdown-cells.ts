// Finds the fenced code blocks of a Markdown document the way CommonMark does (``` and ~~~,
// longer fences, up to three spaces of indentation), keeping every line's place in the file,
// so a cell's content can be parsed and its mistakes reported at their true line and column.

/** One line of a fence's content: the text with the fence's indentation removed, and where that text starts. */
export interface SourceLine {
  text: string;
  line: number;
  column: number;
}

export interface Fence {
  /** The opening run of backticks or tildes, e.g. "```" or "~~~~". */
  marker: string;
  line: number;
  /** Column of the marker's first character. */
  column: number;
  /** The info string, trimmed: "tcplab send", "python", or "". */
  info: string;
  infoColumn: number;
  body: SourceLine[];
  /** False when the document ends before a closing fence: CommonMark then runs the block to the end. */
  closed: boolean;
  /** The line of the closing fence, or the document's last line when there is none. */
  endLine: number;
}

export type MarkdownBlock =
  | { kind: 'prose'; text: string; line: number }
  | { kind: 'fence'; fence: Fence };

export interface ScannedMarkdown {
  blocks: MarkdownBlock[];
  /**
   * Lines that look like a tcplab cell but are not a fence at the top level of the document
   * (indented four spaces or more, inside a list item or a quote): the lesson would silently
   * lose them, so the parser reports them.
   */
  strays: SourceLine[];
}

const OPENING = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const STRAY_CELL = /^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]?)*[ \t]*(?:`{3,}|~{3,})[ \t]*tcplab\b/;
const COMMENT_OPEN = /^ {0,3}<!--/;
const NESTED_OPENING = /^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]?)+[ \t]*(`{3,}|~{3,})(.*)$/;

/**
 * Splits `lines` (the document from `firstLine` on, line endings removed) into prose and
 * fences. Fences inside an HTML comment are prose: a reader of the rendered page never sees them.
 */
export function scanMarkdown(lines: readonly string[], firstLine = 1): ScannedMarkdown {
  const blocks: MarkdownBlock[] = [];
  const strays: SourceLine[] = [];
  let prose: string[] = [];
  let proseLine = firstLine;
  let inComment = false;

  const flushProse = (): void => {
    if (prose.length > 0) blocks.push({ kind: 'prose', text: prose.join('\n'), line: proseLine });
    prose = [];
  };
  const addProse = (text: string, line: number): void => {
    if (prose.length === 0) proseLine = line;
    prose.push(text);
  };

  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const line = firstLine + i;
    if (inComment) {
      addProse(text, line);
      if (text.includes('-->')) inComment = false;
      continue;
    }
    if (COMMENT_OPEN.test(text)) {
      addProse(text, line);
      inComment = !text.slice(text.indexOf('<!--') + 4).includes('-->');
      continue;
    }
    const opening = openingFence(text);
    if (opening === null) {
      if (isStrayCell(text)) {
        const column = text.search(/[`~]/) + 1;
        strays.push({ text: text.slice(column - 1), line, column });
      }
      addProse(text, line);
      const nested = NESTED_OPENING.exec(text);
      if (nested !== null && !(nested[1]?.[0] === '`' && (nested[2] ?? '').includes('`'))) {
        // A fence that opens on a list item's or a quote's line: its lines are the item's,
        // so none of them may open a fence of the document's own.
        const marker = nested[1] ?? '';
        for (i += 1; i < lines.length; i++) {
          const content = lines[i] ?? '';
          addProse(content, firstLine + i);
          if (isClosing(content.replace(/^[ \t>]*/, ''), marker)) break;
        }
      }
      continue;
    }
    flushProse();
    const { indent, marker, info, infoColumn } = opening;
    const fence: Fence = { marker, line, column: indent + 1, info, infoColumn, body: [], closed: false, endLine: line };
    for (i += 1; i < lines.length; i++) {
      const content = lines[i] ?? '';
      fence.endLine = firstLine + i;
      if (isClosing(content, marker)) {
        fence.closed = true;
        break;
      }
      const removed = leadingSpaces(content, indent);
      fence.body.push({ text: content.slice(removed), line: firstLine + i, column: removed + 1 });
    }
    blocks.push({ kind: 'fence', fence });
  }
  flushProse();
  return { blocks, strays };
}

/** A fence-like line that CommonMark does not read as a top-level fence; not inline code such as "```tcplab send``` opens a step". */
function isStrayCell(text: string): boolean {
  if (!STRAY_CELL.test(text)) return false;
  const marker = text.slice(text.search(/[`~]/)).match(/^(`+|~+)/)?.[1] ?? '';
  return !(marker[0] === '`' && text.slice(text.indexOf(marker) + marker.length).includes('`'));
}

function openingFence(text: string): { indent: number; marker: string; info: string; infoColumn: number } | null {
  const match = OPENING.exec(text);
  if (match === null) return null;
  const indent = match[1]?.length ?? 0;
  const marker = match[2] ?? '';
  const rest = match[3] ?? '';
  // A backtick fence's info string may not hold a backtick: "```a``` b" is inline code.
  if (marker[0] === '`' && rest.includes('`')) return null;
  const lead = rest.length - rest.trimStart().length;
  return { indent, marker, info: rest.trim(), infoColumn: indent + marker.length + lead + 1 };
}

function isClosing(text: string, marker: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(text);
  const run = match?.[1];
  return run !== undefined && run[0] === marker[0] && run.length >= marker.length;
}

function leadingSpaces(text: string, most: number): number {
  let n = 0;
  while (n < most && text[n] === ' ') n += 1;
  return n;
}
