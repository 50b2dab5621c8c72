// Text measured in terminal columns, not string length: East Asian wide and fullwidth
// characters (CJK in a lesson's notes, say) take two columns, combining marks none. The
// measure is string-width's, the one Ink lays its boxes out with, so a diagram drawn here
// lines up inside Ink exactly as it does in a plain terminal.

import stringWidth from 'string-width';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Columns `text` takes in a terminal; ANSI escapes take none. */
export function textWidth(text: string): number {
  return stringWidth(text);
}

/** `text` padded with spaces on the left to `width` columns. */
export function padStartToWidth(text: string, width: number): string {
  const missing = width - textWidth(text);
  return missing > 0 ? ' '.repeat(missing) + text : text;
}

/**
 * `text` cut to at most `width` columns, ending in '…' when something was cut. A wide
 * character that would straddle the limit is dropped whole, never split.
 */
export function truncateToWidth(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = textWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/**
 * Lines of at most `width` columns, broken at spaces where there are any and inside a word
 * that is wider than a whole line. Never returns an empty list.
 */
export function wrapToWidth(text: string, width: number): string[] {
  const limit = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (textWidth(candidate) <= limit) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    for (const piece of breakWord(word, limit)) {
      if (line !== '') lines.push(line);
      line = piece;
    }
  }
  lines.push(line);
  return lines;
}

/** A word in pieces of at most `width` columns, split between graphemes. */
export function breakWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const { segment } of graphemes.segment(word)) {
    const w = textWidth(segment);
    if (used + w > width && piece !== '') {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += segment;
    used += w;
  }
  if (piece !== '' || pieces.length === 0) pieces.push(piece);
  return pieces;
}
