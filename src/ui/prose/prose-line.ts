/**
 * Markdown laid out for a terminal: lines of styled spans, each line no wider than the width
 * it was laid out for. The styles say what a piece of text is, never how it looks: the
 * component that draws the lines picks the colours.
 */
import { textWidth } from '../../session/text-width.js';

export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;

/** What a span of text is. Flags combine: `**`x`**` is strong code; a link inside a quote is both. */
export interface ProseStyle {
  heading?: HeadingLevel;
  strong?: boolean;
  emphasis?: boolean;
  /** Inline code. */
  code?: boolean;
  /** A line of a code block, kept as written. */
  codeBlock?: boolean;
  /** A link's text. */
  link?: boolean;
  /** A link's address, shown after its text in parentheses. */
  url?: boolean;
  /** Text inside a block quote. */
  quote?: boolean;
  /**
   * Drawing that is not the author's text: a list's bullet or number, a quote's bar, a
   * table's rule, a thematic break.
   */
  mark?: 'bullet' | 'quote' | 'rule';
}

export interface ProseSpan {
  text: string;
  style: ProseStyle;
}

/** One terminal line; an empty array is a blank line. */
export type ProseLine = ProseSpan[];

export function lineText(line: ProseLine): string {
  return line.map((span) => span.text).join('');
}

export function lineWidth(line: ProseLine): number {
  return line.reduce((sum, span) => sum + textWidth(span.text), 0);
}

export function sameStyle(a: ProseStyle, b: ProseStyle): boolean {
  return (
    a.heading === b.heading &&
    !a.strong === !b.strong &&
    !a.emphasis === !b.emphasis &&
    !a.code === !b.code &&
    !a.codeBlock === !b.codeBlock &&
    !a.link === !b.link &&
    !a.url === !b.url &&
    !a.quote === !b.quote &&
    a.mark === b.mark
  );
}

/** Adjacent spans of one style joined, empty ones dropped. */
export function mergeSpans(spans: readonly ProseSpan[]): ProseLine {
  const out: ProseSpan[] = [];
  for (const span of spans) {
    if (span.text === '') continue;
    const last = out[out.length - 1];
    if (last !== undefined && sameStyle(last.style, span.style)) last.text += span.text;
    else out.push({ text: span.text, style: span.style });
  }
  return out;
}

/** Every span of `line` with `extra` added to its style (a quote's text, a heading's words). */
export function withStyle(line: ProseLine, extra: ProseStyle): ProseLine {
  return line.map((span) => ({ text: span.text, style: { ...span.style, ...extra } }));
}
