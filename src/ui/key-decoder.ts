/**
 * Terminal input as key presses. A terminal sends bytes: text, control characters and
 * escape sequences, and a fast typist (or tmux send-keys, or a paste) can put "tcp\r" in one
 * read. Ink's own key parser reads such a chunk as one text key and calls the Backspace key
 * "delete", so the prompt reads the raw input itself and splits it here.
 */

export type KeyName =
  | 'text'
  | 'return'
  | 'tab'
  | 'backspace'
  | 'delete'
  | 'left'
  | 'right'
  | 'up'
  | 'down'
  | 'home'
  | 'end'
  | 'pageup'
  | 'pagedown'
  | 'insert'
  | 'escape'
  /** A control or meta letter: see `letter`. */
  | 'letter'
  | 'unknown';

export interface KeyPress {
  name: KeyName;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
  /** The characters typed, for 'text'; the lower-case letter, for 'letter'. */
  text: string;
  /** The bytes that made this key. */
  sequence: string;
}

const ESC = '\u001b';

function key(name: KeyName, sequence: string, extra: Partial<KeyPress> = {}): KeyPress {
  return { name, ctrl: false, meta: false, shift: false, text: '', sequence, ...extra };
}

/** Splits one chunk of input (Ink hands escape sequences over one by one) into key presses. */
export function decodeInput(input: string): KeyPress[] {
  const keys: KeyPress[] = [];
  let index = 0;
  while (index < input.length) {
    if (input[index] === ESC) {
      const end = escapeEnd(input, index);
      keys.push(decodeEscape(input.slice(index, end)));
      index = end;
      continue;
    }
    const code = input.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) {
      keys.push(decodeControl(input[index]!));
      index++;
      continue;
    }
    let end = index;
    while (end < input.length) {
      const c = input.charCodeAt(end);
      if (c < 0x20 || c === 0x7f || input[end] === ESC) break;
      end++;
    }
    const text = input.slice(index, end);
    keys.push(key('text', text, { text }));
    index = end;
  }
  return keys;
}

function decodeControl(char: string): KeyPress {
  switch (char) {
    case '\r':
    case '\n':
      return key('return', char);
    case '\t':
      return key('tab', char);
    case '\b':
    case '\u007f':
      return key('backspace', char);
    default: {
      const code = char.charCodeAt(0);
      if (code >= 1 && code <= 26) return key('letter', char, { ctrl: true, text: String.fromCharCode(code + 96) });
      return key('unknown', char);
    }
  }
}

/** Where the escape sequence starting at `start` ends: CSI, SS3, ESC + key, or a lone ESC. */
function escapeEnd(input: string, start: number): number {
  let at = start + 1;
  // ESC ESC [ ... : the meta (Alt) form of a sequence, as some terminals send Alt-arrows.
  if (input[at] === ESC && (input[at + 1] === '[' || input[at + 1] === 'O')) at++;
  const kind = input[at];
  if (kind === undefined) return at;
  if (kind === '[') {
    at++;
    if (input[at] === '[') at++;
    while (at < input.length && /[0-9;:<=>?]/.test(input[at]!)) at++;
    while (at < input.length && /[ -/]/.test(input[at]!)) at++;
    return Math.min(input.length, at + 1);
  }
  if (kind === 'O') return Math.min(input.length, at + 2);
  // ESC followed by one key: Alt and that key. A surrogate pair is one key.
  const code = input.codePointAt(at)!;
  return at + (code > 0xffff ? 2 : 1);
}

const CSI_FINALS: Record<string, KeyName> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };
const TILDE_KEYS: Record<string, KeyName> = { '1': 'home', '2': 'insert', '3': 'delete', '4': 'end', '5': 'pageup', '6': 'pagedown', '7': 'home', '8': 'end' };

function decodeEscape(sequence: string): KeyPress {
  if (sequence === ESC) return key('escape', sequence);
  let body = sequence.slice(1);
  let meta = false;
  if (body.startsWith(ESC)) {
    meta = true;
    body = body.slice(1);
  }
  if (body.startsWith('[') || body.startsWith('O')) {
    const final = body[body.length - 1]!;
    const params = body.slice(1, -1).replace(/^\[/, '').split(';');
    // xterm modifiers: 1 + (shift 1, alt 2, ctrl 4), in the second parameter.
    const modifier = Math.max(0, Number.parseInt(params[1] ?? '1', 10) - 1) || 0;
    const mods = { shift: (modifier & 1) !== 0, meta: meta || (modifier & 2) !== 0, ctrl: (modifier & 4) !== 0 };
    if (final === 'Z') return key('tab', sequence, { ...mods, shift: true });
    const named = final === '~' ? TILDE_KEYS[params[0] ?? ''] : CSI_FINALS[final];
    return key(named ?? 'unknown', sequence, mods);
  }
  // Alt and a key: ESC b, ESC DEL, ESC Enter.
  const inner = decodeInput(body)[0];
  if (inner === undefined) return key('escape', sequence);
  if (inner.name === 'text') return key('letter', sequence, { meta: true, text: inner.text.toLowerCase(), shift: inner.text !== inner.text.toLowerCase() });
  return { ...inner, meta: true, sequence };
}
