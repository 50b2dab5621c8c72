/**
 * Text measured in terminal columns, not string length. There is one rule, string-width's, the
 * measure Ink lays its boxes out with, so a cursor or a column placed by it lands where Ink
 * draws: a grapheme cluster is one unit; East Asian Wide and Fullwidth characters (CJK,
 * Hangul syllables, fullwidth forms) and emoji take two columns; combining marks, invisible
 * format characters and ANSI escapes none; ambiguous-width characters one, as in a Western
 * locale. It lives in the session layer, the lowest that draws text (the ladder), so the
 * lesson runner, the screens and the commands all measure alike.
 *
 * The helpers are named for what they do to a width: fitWidth cuts, truncateWidth cuts with
 * an ellipsis, padWidth and padStartWidth make text exactly so wide, wrapWidth breaks it into
 * lines.
 */

import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter();
/** Printable ASCII only: one column a character, one character a cluster. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The columns `text` takes; ANSI escapes take none. */
export function textWidth(text: string): number {
  // Every key the prompt takes and every line a screen draws is measured; most are ASCII.
  if (PRINTABLE_ASCII.test(text)) return text.length;
  // string-width strips escapes with its own pattern; leave such text to it whole.
  if (text.includes('\u001b') || text.includes('\u009b')) return stringWidth(text);
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

// Prose is laid out a cluster at a time, and string-width costs microseconds a cluster where a
// lookup costs nanoseconds; a text uses few distinct clusters, so the cache stays small. Long
// clusters (a letter under a pile of marks) are rare and not kept.
const clusterWidths = new Map<string, number>();
const CLUSTER_CACHE_LIMIT = 8192;
const CACHED_CLUSTER_LENGTH = 32;

/** The columns one grapheme cluster takes: 0, 1 or 2 (more only for odd clusters). */
export function graphemeWidth(cluster: string): number {
  if (cluster.length === 1) {
    const code = cluster.charCodeAt(0);
    if (code >= 0x20 && code <= 0x7e) return 1;
  }
  if (cluster.length > CACHED_CLUSTER_LENGTH) return stringWidth(cluster);
  let width = clusterWidths.get(cluster);
  if (width === undefined) {
    if (clusterWidths.size >= CLUSTER_CACHE_LIMIT) clusterWidths.clear();
    width = stringWidth(cluster);
    clusterWidths.set(cluster, width);
  }
  return width;
}

/** Splits text into grapheme clusters, the units a cursor steps over. */
export function graphemes(text: string): string[] {
  if (PRINTABLE_ASCII.test(text)) return text.split('');
  return Array.from(segmenter.segment(text), (part) => part.segment);
}

/** `text` without its ANSI escapes (colours, cursor moves, hyperlinks). */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}

/**
 * The longest start of `text` that fits in `width` columns, cut only between clusters, so a
 * wide character that would straddle the edge is left out whole.
 */
export function fitWidth(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  let used = 0;
  let out = '';
  for (const cluster of graphemes(text)) {
    const w = graphemeWidth(cluster);
    if (used + w > width) break;
    used += w;
    out += cluster;
  }
  return out;
}

/** `text` cut to `width` columns, ending in '…' when something had to go. */
export function truncateWidth(text: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  return `${fitWidth(text, width - 1)}…`;
}

/** `text` padded with spaces on the right to exactly `width` columns (cut first if longer). */
export function padWidth(text: string, width: number): string {
  const fitted = fitWidth(text, width);
  return fitted + ' '.repeat(Math.max(0, width - textWidth(fitted)));
}

/** `text` padded with spaces on the left to exactly `width` columns (cut first if longer). */
export function padStartWidth(text: string, width: number): string {
  const fitted = fitWidth(text, width);
  return ' '.repeat(Math.max(0, width - textWidth(fitted))) + fitted;
}

/**
 * Lines of at most `width` columns, broken at spaces where there are any and inside a word
 * that is wider than a whole line. Never returns an empty list.
 */
export function wrapWidth(text: string, width: number): string[] {
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

/** A word in pieces of at most `width` columns, split between clusters. */
function breakWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const cluster of graphemes(word)) {
    const w = graphemeWidth(cluster);
    if (used + w > width && piece !== '') {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += cluster;
    used += w;
  }
  if (piece !== '' || pieces.length === 0) pieces.push(piece);
  return pieces;
}
