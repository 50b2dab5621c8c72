/**
 * How many terminal columns text takes, as the terminal draws it: a grapheme cluster is
 * one unit, East Asian Wide and Fullwidth characters (CJK, Hangul syllables, fullwidth
 * forms) and emoji take two columns, combining marks and invisible format characters none.
 * Ambiguous-width characters count as narrow, as in a Western locale. These are the rules
 * Ink's layout measures by, so a cursor placed by them lands where Ink drew the text.
 */

/** Unicode's East Asian Width W and F ranges, as inclusive pairs, ascending. */
const WIDE_RANGES: readonly number[] = [
  0x1100, 0x115f, 0x231a, 0x231b, 0x2329, 0x232a, 0x23e9, 0x23ec, 0x23f0, 0x23f0, 0x23f3, 0x23f3,
  0x25fd, 0x25fe, 0x2614, 0x2615, 0x2630, 0x2637, 0x2648, 0x2653, 0x267f, 0x267f, 0x268a, 0x268f,
  0x2693, 0x2693, 0x26a1, 0x26a1, 0x26aa, 0x26ab, 0x26bd, 0x26be, 0x26c4, 0x26c5, 0x26ce, 0x26ce,
  0x26d4, 0x26d4, 0x26ea, 0x26ea, 0x26f2, 0x26f3, 0x26f5, 0x26f5, 0x26fa, 0x26fa, 0x26fd, 0x26fd,
  0x2705, 0x2705, 0x270a, 0x270b, 0x2728, 0x2728, 0x274c, 0x274c, 0x274e, 0x274e, 0x2753, 0x2755,
  0x2757, 0x2757, 0x2795, 0x2797, 0x27b0, 0x27b0, 0x27bf, 0x27bf, 0x2b1b, 0x2b1c, 0x2b50, 0x2b50,
  0x2b55, 0x2b55, 0x2e80, 0x2e99, 0x2e9b, 0x2ef3, 0x2f00, 0x2fd5, 0x2ff0, 0x303e, 0x3041, 0x3096,
  0x3099, 0x30ff, 0x3105, 0x312f, 0x3131, 0x318e, 0x3190, 0x31e5, 0x31ef, 0x321e, 0x3220, 0x3247,
  0x3250, 0xa48c, 0xa490, 0xa4c6, 0xa960, 0xa97c, 0xac00, 0xd7a3, 0xf900, 0xfaff, 0xfe10, 0xfe19,
  0xfe30, 0xfe52, 0xfe54, 0xfe66, 0xfe68, 0xfe6b, 0xff01, 0xff60, 0xffe0, 0xffe6, 0x16fe0,
  0x16fe4, 0x16ff0, 0x16ff6, 0x17000, 0x18cda, 0x18cff, 0x18d20, 0x18d80, 0x18df2, 0x18e00,
  0x19191, 0x191a0, 0x191d2, 0x1aff0, 0x1aff3, 0x1aff5, 0x1affb, 0x1affd, 0x1affe, 0x1b000,
  0x1b128, 0x1b132, 0x1b132, 0x1b150, 0x1b152, 0x1b155, 0x1b155, 0x1b164, 0x1b168, 0x1b170,
  0x1b2fb, 0x1d300, 0x1d356, 0x1d360, 0x1d376, 0x1f004, 0x1f004, 0x1f0cf, 0x1f0cf, 0x1f18e,
  0x1f18e, 0x1f191, 0x1f19a, 0x1f1ae, 0x1f1ae, 0x1f200, 0x1f202, 0x1f210, 0x1f23b, 0x1f240,
  0x1f248, 0x1f250, 0x1f251, 0x1f260, 0x1f265, 0x1f300, 0x1f320, 0x1f32d, 0x1f335, 0x1f337,
  0x1f37c, 0x1f37e, 0x1f393, 0x1f3a0, 0x1f3ca, 0x1f3cf, 0x1f3d3, 0x1f3e0, 0x1f3f0, 0x1f3f4,
  0x1f3f4, 0x1f3f8, 0x1f43e, 0x1f440, 0x1f440, 0x1f442, 0x1f4fc, 0x1f4ff, 0x1f53d, 0x1f54b,
  0x1f54e, 0x1f550, 0x1f567, 0x1f57a, 0x1f57a, 0x1f595, 0x1f596, 0x1f5a4, 0x1f5a4, 0x1f5fb,
  0x1f64f, 0x1f680, 0x1f6c5, 0x1f6cc, 0x1f6cc, 0x1f6d0, 0x1f6d2, 0x1f6d5, 0x1f6d9, 0x1f6dc,
  0x1f6df, 0x1f6eb, 0x1f6ec, 0x1f6f4, 0x1f6fc, 0x1f7da, 0x1f7da, 0x1f7e0, 0x1f7eb, 0x1f7f0,
  0x1f7f0, 0x1f90c, 0x1f93a, 0x1f93c, 0x1f945, 0x1f947, 0x1f9ff, 0x1fa70, 0x1fa7c, 0x1fa80,
  0x1fac6, 0x1fac8, 0x1fac8, 0x1facc, 0x1fadd, 0x1fadf, 0x1faeb, 0x1faef, 0x1fafa, 0x20000,
  0x2fffd, 0x30000, 0x3fffd,
];

const segmenter = new Intl.Segmenter();
/** A character that draws something: not a control, format, nonspacing or enclosing mark. */
const VISIBLE = /[^\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Nonspacing_Mark}\p{Enclosing_Mark}\p{Surrogate}]/u;
// RGI_Emoji is a property of strings: it needs the v flag, newer than the compiler's target.
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const SPACING_MARK = /\p{Spacing_Mark}/u;
const ANSI_ESCAPE = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function isWideCodePoint(codePoint: number): boolean {
  if (codePoint < 0x1100) return false;
  let low = 0;
  let high = WIDE_RANGES.length / 2 - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (codePoint < WIDE_RANGES[mid * 2]!) high = mid - 1;
    else if (codePoint > WIDE_RANGES[mid * 2 + 1]!) low = mid + 1;
    else return true;
  }
  return false;
}

/** The columns one grapheme cluster takes: 0, 1 or 2 (more only for odd clusters). */
export function graphemeWidth(cluster: string): number {
  const start = cluster.search(VISIBLE);
  if (start === -1) return 0;
  if (RGI_EMOJI.test(cluster)) return 2;
  const visible = cluster.slice(start);
  const first = visible.codePointAt(0)!;
  let width = isWideCodePoint(first) ? 2 : 1;
  // A spacing mark or a halfwidth form inside the cluster (Japanese sound marks) takes room of its own.
  let skip = true;
  for (const char of visible) {
    if (skip) {
      skip = false;
      continue;
    }
    if (SPACING_MARK.test(char) || (char >= '\uff00' && char <= '\uffef')) width += isWideCodePoint(char.codePointAt(0)!) ? 2 : 1;
  }
  return width;
}

/** Splits text into the units a cursor steps over. */
export function graphemes(text: string): string[] {
  if (/^[\x20-\x7e]*$/.test(text)) return text.split('');
  return Array.from(segmenter.segment(text), (part) => part.segment);
}

/** The columns `text` takes; ANSI colour escapes take none. */
export function textWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  const plain = text.includes('\u001b') ? stripAnsi(text) : text;
  let width = 0;
  for (const { segment } of segmenter.segment(plain)) width += graphemeWidth(segment);
  return width;
}

export function stripAnsi(text: string): string {
  return text.replace(ANSI_ESCAPE, '');
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

/** `text` cut to `width` columns, ending in an ellipsis when something had to go. */
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
