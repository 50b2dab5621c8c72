/**
 * Styled text filled into lines of a terminal width, greedily. Latin text breaks at spaces;
 * CJK text also breaks between any two characters, as Chinese is set, except that closing
 * punctuation (，。）” …) is not put at the start of a line and opening punctuation (（“ …)
 * not at the end: the character next to it moves along with it. A word wider than the
 * whole line is cut between grapheme clusters, so a wide character is never split.
 */
import { graphemes, graphemeWidth } from '../../session/text-width.js';
import { HARD_BREAK } from './markdown-inline.js';
import { sameStyle, type ProseLine, type ProseSpan } from './prose-line.js';

/** Text with a style of any kind: prose's styles, or a verdict's tones. */
export interface Styled<S> {
  text: string;
  style: S;
}

interface Cluster<S> {
  text: string;
  style: S;
  width: number;
}

/** A piece of a line that is never broken inside: a word, or one CJK character with its punctuation. */
interface Chunk<S> {
  /** The spaces before it (empty after a break opportunity without a space). */
  space: Cluster<S>[];
  clusters: Cluster<S>[];
  width: number;
  /** The chunk starts a new line: it follows a hard break. */
  breakBefore: boolean;
}

const NO_BREAK_BEFORE = new Set(Array.from('、。，．：；！？）］｝〕〉》」』】〙〗〟’”｠»…‥—～%％‰℃ー々ゝゞヽヾ,.;:!?)]}\'"'));
const NO_BREAK_AFTER = new Set(Array.from('（［｛〔〈《「『【〘〖〝‘“｟«([{\'"'));

/** Lines of at most `width` columns; the lines after the first get `restWidth` (for a hanging indent). */
export function wrapSpans(spans: readonly ProseSpan[], width: number, restWidth = width): ProseLine[] {
  return wrapStyled(spans, width, restWidth, sameStyle);
}

/** wrapSpans for text of any style; `same` says when two neighbouring pieces can be one span. */
export function wrapStyled<S>(spans: readonly Styled<S>[], width: number, restWidth: number, same: (a: S, b: S) => boolean): Styled<S>[][] {
  let room = Math.max(1, width);
  const lines: Styled<S>[][] = [];
  let line: Cluster<S>[] = [];
  let used = 0;
  const endLine = () => {
    lines.push(merge(line, same));
    line = [];
    used = 0;
    room = Math.max(1, restWidth);
  };
  for (const chunk of chunks(spans)) {
    if (chunk.breakBefore) endLine();
    const spaceWidth = line.length === 0 ? 0 : sum(chunk.space);
    if (used + spaceWidth + chunk.width <= room) {
      if (line.length > 0) line.push(...chunk.space);
      line.push(...chunk.clusters);
      used += spaceWidth + chunk.width;
      continue;
    }
    if (line.length > 0) endLine();
    // Too wide for any line: cut it where it fills one.
    for (const cluster of chunk.clusters) {
      if (used + cluster.width > room && line.length > 0) endLine();
      line.push(cluster);
      used += cluster.width;
    }
  }
  if (line.length > 0 || lines.length === 0) endLine();
  return lines;
}

function sum<S>(clusters: readonly Cluster<S>[]): number {
  return clusters.reduce((total, cluster) => total + cluster.width, 0);
}

function merge<S>(clusters: readonly Cluster<S>[], same: (a: S, b: S) => boolean): Styled<S>[] {
  const out: Styled<S>[] = [];
  for (const cluster of clusters) {
    const last = out[out.length - 1];
    if (last !== undefined && same(last.style, cluster.style)) last.text += cluster.text;
    else out.push({ text: cluster.text, style: cluster.style });
  }
  return out;
}

function chunks<S>(spans: readonly Styled<S>[]): Chunk<S>[] {
  const clusters: Cluster<S>[] = [];
  for (const span of spans) {
    for (const text of graphemes(span.text)) clusters.push({ text, style: span.style, width: text === HARD_BREAK ? 0 : graphemeWidth(text) });
  }
  const out: Chunk<S>[] = [];
  let space: Cluster<S>[] = [];
  let current: Chunk<S> | null = null;
  let breakBefore = false;
  for (let i = 0; i < clusters.length; i++) {
    const cluster = clusters[i]!;
    if (cluster.text === HARD_BREAK) {
      current = null;
      space = [];
      breakBefore = true;
      continue;
    }
    if (isSpace(cluster.text)) {
      current = null;
      space.push(cluster);
      continue;
    }
    const previous = clusters[i - 1];
    if (current === null || (previous !== undefined && space.length === 0 && breaksBetween(previous.text, cluster.text))) {
      current = { space, clusters: [], width: 0, breakBefore };
      out.push(current);
      space = [];
      breakBefore = false;
    }
    current.clusters.push(cluster);
    current.width += cluster.width;
  }
  return out;
}

function isSpace(text: string): boolean {
  return text !== '\u00a0' && /^\s+$/u.test(text);
}

/** Whether a line may break between two adjacent characters with no space between them. */
function breaksBetween(before: string, after: string): boolean {
  if (graphemeWidth(before) !== 2 && graphemeWidth(after) !== 2) return false;
  return !NO_BREAK_BEFORE.has(after) && !NO_BREAK_AFTER.has(before);
}
