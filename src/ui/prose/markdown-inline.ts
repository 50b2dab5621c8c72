/**
 * Inline Markdown, after CommonMark: code spans, backslash escapes, emphasis and strong
 * with * and _ (the delimiter-run rules, so `ip_local_port_range` stays one word), links
 * and autolinks, entities, soft and hard line breaks. HTML comments are dropped; other HTML
 * is shown as written.
 *
 * A soft line break becomes a space, except between two CJK characters or beside fullwidth
 * punctuation: Chinese is written without spaces, and a line broken in the source must not
 * put one into the sentence.
 */
import { graphemeWidth } from '../../session/text-width.js';
import { mergeSpans, type ProseSpan, type ProseStyle } from './prose-line.js';

/** A hard line break inside inline text, kept as its own span. */
export const HARD_BREAK = '\n';

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'break' }
  | { kind: 'link'; url: string; children: Node[] }
  | { kind: 'emphasis'; strong: boolean; children: Node[] }
  | { kind: 'delimiter'; char: '*' | '_'; count: number; length: number; canOpen: boolean; canClose: boolean };

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
const PUNCTUATION = /[\p{P}\p{S}]/u;
const WHITESPACE = /\s/u;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', mdash: '—', ndash: '–', hellip: '…', laquo: '«', raquo: '»' };

/** The spans of one block's inline text; a hard break is a span whose text is HARD_BREAK. */
export function parseInline(text: string, base: ProseStyle = {}): ProseSpan[] {
  return mergeSpans(flatten(resolveEmphasis(scan(text)), base));
}

/** The text a reader sees, without any styling: for measuring a table's cells. */
export function inlinePlainText(text: string): string {
  return parseInline(text)
    .map((span) => span.text)
    .join('');
}

function scan(text: string): Node[] {
  const nodes: Node[] = [];
  let plain = '';
  const flush = () => {
    if (plain !== '') nodes.push({ kind: 'text', text: plain });
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '\\') {
      const next = text[i + 1];
      if (next === '\n') {
        flush();
        nodes.push({ kind: 'break' });
        i += 2;
        i = skipSpaces(text, i);
        continue;
      }
      if (next !== undefined && ASCII_PUNCTUATION.test(next)) {
        plain += next;
        i += 2;
        continue;
      }
      plain += char;
      i++;
      continue;
    }
    if (char === '`') {
      const run = runLength(text, i, '`');
      const close = findCodeClose(text, i + run, run);
      if (close === -1) {
        plain += '`'.repeat(run);
        i += run;
        continue;
      }
      flush();
      nodes.push({ kind: 'code', text: codeContent(text.slice(i + run, close)) });
      i = close + run;
      continue;
    }
    if (char === '<') {
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end !== -1) {
          i = end + 3;
          continue;
        }
      }
      const auto = /^<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)>/.exec(text.slice(i));
      if (auto !== null) {
        flush();
        const address = auto[1]!;
        nodes.push({ kind: 'link', url: address, children: [{ kind: 'text', text: address }] });
        i += auto[0].length;
        continue;
      }
    }
    if (char === '[' || (char === '!' && text[i + 1] === '[')) {
      const open = char === '!' ? i + 1 : i;
      const link = linkAt(text, open);
      if (link !== null) {
        flush();
        nodes.push({ kind: 'link', url: link.url, children: scan(link.label) });
        i = link.end;
        continue;
      }
    }
    if (char === '*' || char === '_') {
      flush();
      const run = runLength(text, i, char);
      nodes.push(delimiter(text, i, run, char));
      i += run;
      continue;
    }
    if (char === '&') {
      const entity = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/.exec(text.slice(i));
      const decoded = entity === null ? undefined : decodeEntity(entity);
      if (entity !== null && decoded !== undefined) {
        plain += decoded;
        i += entity[0].length;
        continue;
      }
    }
    if (char === '\n') {
      // Two spaces before the line end make a hard break.
      const hard = text.slice(Math.max(0, i - 2), i) === '  ';
      plain = plain.replace(/ +$/, '');
      const after = skipSpaces(text, i + 1);
      if (hard) {
        flush();
        nodes.push({ kind: 'break' });
      } else {
        // Emphasis marks at the break are looked through: **中文**\n中文 is still Chinese on both sides.
        const before = lastChar(text.slice(0, i).replace(/[ *_]+$/, ''));
        plain += joinsWithoutSpace(before, text.slice(after).replace(/^[*_]+/, '')) ? '' : ' ';
      }
      i = after;
      continue;
    }
    if (WHITESPACE.test(char) && char !== '\u00a0') {
      // Runs of spaces read as one, as a browser shows them.
      if (!plain.endsWith(' ')) plain += ' ';
      i++;
      continue;
    }
    plain += char;
    i++;
  }
  flush();
  return nodes;
}

function skipSpaces(text: string, i: number): number {
  while (text[i] === ' ') i++;
  return i;
}

function runLength(text: string, i: number, char: string): number {
  let n = 0;
  while (text[i + n] === char) n++;
  return n;
}

function findCodeClose(text: string, from: number, run: number): number {
  let i = from;
  while (i < text.length) {
    const next = text.indexOf('`', i);
    if (next === -1) return -1;
    const length = runLength(text, next, '`');
    if (length === run) return next;
    i = next + length;
  }
  return -1;
}

/** A code span's text: line ends become spaces, and one space each side goes when both are there. */
function codeContent(raw: string): string {
  const text = raw.replace(/\n/g, ' ');
  return /^ .*[^ ].* $/.test(text) ? text.slice(1, -1) : text;
}

/** `[label](url "title")` at `open`; null when the brackets do not make a link. */
function linkAt(text: string, open: number): { label: string; url: string; end: number } | null {
  let depth = 0;
  let i = open;
  for (; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\') {
      i++;
    } else if (char === '`') {
      const run = runLength(text, i, '`');
      const close = findCodeClose(text, i + run, run);
      i = close === -1 ? i + run - 1 : close + run - 1;
    } else if (char === '[') {
      depth++;
    } else if (char === ']') {
      depth--;
      if (depth === 0) break;
    }
  }
  if (depth !== 0 || text[i + 1] !== '(') return null;
  const destination = /^\(\s*(<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)/.exec(text.slice(i + 1));
  if (destination === null) return null;
  const url = destination[1]!.replace(/^<(.*)>$/, '$1').replace(/\\([!-/:-@[-`{-~])/g, '$1');
  return { label: text.slice(open + 1, i), url, end: i + 1 + destination[0].length };
}

function decodeEntity(match: RegExpExecArray): string | undefined {
  const [, decimal, hex, name] = match;
  if (name !== undefined) return ENTITIES[name];
  const code = decimal !== undefined ? Number(decimal) : parseInt(hex!, 16);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
}

function lastChar(text: string): string {
  const chars = Array.from(text);
  return chars[chars.length - 1] ?? '';
}

/** Characters that belong with Chinese text: wide ones, and the curly quotes and dashes set between them. */
function cjkLike(char: string): boolean {
  if (char === '') return false;
  return graphemeWidth(char) === 2 || '“”‘’…—'.includes(char);
}

/** Fullwidth punctuation (，。（）：) carries its own space: no space is added beside it. */
function widePunctuation(char: string): boolean {
  return char !== '' && graphemeWidth(char) === 2 && PUNCTUATION.test(char);
}

function joinsWithoutSpace(before: string, after: string): boolean {
  const next = Array.from(after)[0] ?? '';
  return (cjkLike(before) && cjkLike(next)) || widePunctuation(before) || widePunctuation(next);
}

/** A run of * or _, and whether it can open or close emphasis (CommonMark's flanking rules). */
function delimiter(text: string, i: number, run: number, char: '*' | '_'): Node {
  const before = i === 0 ? '\n' : lastChar(text.slice(0, i));
  const after = Array.from(text.slice(i + run))[0] ?? '\n';
  const beforeSpace = WHITESPACE.test(before);
  const afterSpace = WHITESPACE.test(after);
  const beforePunct = PUNCTUATION.test(before);
  const afterPunct = PUNCTUATION.test(after);
  const left = !afterSpace && (!afterPunct || beforeSpace || beforePunct);
  const right = !beforeSpace && (!beforePunct || afterSpace || afterPunct);
  const canOpen = char === '*' ? left : left && (!right || beforePunct);
  const canClose = char === '*' ? right : right && (!left || afterPunct);
  return { kind: 'delimiter', char, count: run, length: run, canOpen, canClose };
}

/** Pairs delimiter runs into emphasis, closers from left to right, each with the nearest opener it may close. */
function resolveEmphasis(input: Node[]): Node[] {
  const nodes = input.map((node) => (node.kind === 'link' ? { ...node, children: resolveEmphasis(node.children) } : node));
  let i = 0;
  while (i < nodes.length) {
    const closer = nodes[i]!;
    if (closer.kind !== 'delimiter' || !closer.canClose || closer.count === 0) {
      i++;
      continue;
    }
    let j = i - 1;
    for (; j >= 0; j--) {
      const opener = nodes[j]!;
      if (opener.kind !== 'delimiter' || opener.char !== closer.char || !opener.canOpen || opener.count === 0) continue;
      const oddMatch = (closer.canOpen || opener.canClose) && (opener.length + closer.length) % 3 === 0 && !(opener.length % 3 === 0 && closer.length % 3 === 0);
      if (!oddMatch) break;
    }
    if (j < 0) {
      // No opener: it stays as text, and nothing later may use it as an opener unless it is one.
      if (!closer.canOpen) closer.canClose = false;
      i++;
      continue;
    }
    const opener = nodes[j] as Extract<Node, { kind: 'delimiter' }>;
    const use = opener.count >= 2 && closer.count >= 2 ? 2 : 1;
    opener.count -= use;
    closer.count -= use;
    const wrapped: Node = { kind: 'emphasis', strong: use === 2, children: nodes.slice(j + 1, i) };
    nodes.splice(j + 1, i - j - 1, wrapped);
    i = j + 2;
    if (opener.count === 0) {
      nodes.splice(j, 1);
      i--;
    }
    if (closer.count === 0) nodes.splice(i, 1);
  }
  return nodes;
}

function flatten(nodes: Node[], style: ProseStyle): ProseSpan[] {
  const spans: ProseSpan[] = [];
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        spans.push({ text: node.text, style });
        break;
      case 'delimiter':
        spans.push({ text: node.char.repeat(node.count), style });
        break;
      case 'code':
        spans.push({ text: node.text, style: { ...style, code: true } });
        break;
      case 'break':
        spans.push({ text: HARD_BREAK, style });
        break;
      case 'emphasis':
        spans.push(...flatten(node.children, { ...style, ...(node.strong ? { strong: true } : { emphasis: true }) }));
        break;
      case 'link': {
        const label = flatten(node.children, { ...style, link: true });
        spans.push(...label);
        const shown = label.map((span) => span.text).join('');
        if (node.url !== '' && node.url !== shown && `mailto:${shown}` !== node.url) {
          spans.push({ text: ' ', style }, { text: `(${node.url})`, style: { ...style, url: true } });
        }
        break;
      }
    }
  }
  return spans;
}
