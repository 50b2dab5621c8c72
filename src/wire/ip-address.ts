// IP addresses between their text and their bytes. Parsing is strict (what zod's ipv4()/ipv6()
// accept, minus zone ids) and writes straight into a packet buffer; formatting follows
// RFC 5952 for IPv6 so that the same address always reads the same way.

// IPv4 text and values already converted, both ways; emptied when they grow past the bound.
const IPV4_TEXTS_KEPT = 4096;
const ipv4Texts = new Map<number, string>();
const ipv4Values = new Map<string, number>();

/** Writes dotted-quad `text` as four bytes at `at`; false when it is not an IPv4 address. */
export function writeIpv4Address(text: string, into: Uint8Array, at: number): boolean {
  // As with reading, the same few addresses are written over and over: their value is kept.
  let value = ipv4Values.get(text);
  if (value === undefined) {
    value = ipv4Value(text);
    if (value < 0) return false;
    if (ipv4Values.size >= IPV4_TEXTS_KEPT) ipv4Values.clear();
    ipv4Values.set(text, value);
  }
  into[at] = value >>> 24;
  into[at + 1] = (value >>> 16) & 0xff;
  into[at + 2] = (value >>> 8) & 0xff;
  into[at + 3] = value & 0xff;
  return true;
}

/** The address as an unsigned 32-bit number, or -1 when `text` is not an IPv4 address. */
function ipv4Value(text: string): number {
  if (typeof text !== 'string') return -1;
  const length = text.length;
  let address = 0;
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= length; i++) {
    const code = i < length ? text.charCodeAt(i) : 0x2e;
    if (code === 0x2e) {
      // Leading zeros are refused, as zod refuses them: "010" could be read as octal elsewhere.
      if (digits === 0 || parts > 3 || (digits > 1 && text.charCodeAt(i - digits) === 0x30)) return -1;
      address = address * 256 + value;
      parts++;
      value = 0;
      digits = 0;
    } else if (code >= 0x30 && code <= 0x39) {
      value = value * 10 + (code - 0x30);
      if (++digits > 3 || value > 255) return -1;
    } else {
      return -1;
    }
  }
  return parts === 4 ? address : -1;
}

/**
 * Four bytes at `at` as dotted-quad text. A conversation uses a handful of addresses and a
 * decode needs two of them, so their text is kept rather than rebuilt: building it costs
 * more than reading the rest of an IPv4 header.
 */
export function readIpv4Address(bytes: Uint8Array, at: number): string {
  const key = ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
  let text = ipv4Texts.get(key);
  if (text === undefined) {
    text = bytes[at]! + '.' + bytes[at + 1]! + '.' + bytes[at + 2]! + '.' + bytes[at + 3]!;
    if (ipv4Texts.size >= IPV4_TEXTS_KEPT) ipv4Texts.clear();
    ipv4Texts.set(key, text);
  }
  return text;
}

/** Writes IPv6 `text` (with "::" and a trailing dotted quad allowed) as 16 bytes at `at`; false when invalid. */
export function writeIpv6Address(text: string, into: Uint8Array, at: number): boolean {
  if (typeof text !== 'string') return false;
  const gap = text.indexOf('::');
  if (gap !== -1 && text.indexOf('::', gap + 1) !== -1) return false;
  const head = gap === -1 ? text : text.slice(0, gap);
  const tail = gap === -1 ? '' : text.slice(gap + 2);
  const headWords = head === '' ? [] : groupsToWords(head, gap === -1);
  const tailWords = tail === '' ? [] : groupsToWords(tail, true);
  if (headWords === null || tailWords === null) return false;
  const given = headWords.length + tailWords.length;
  // "::" stands for at least one zero group (RFC 4291 2.2).
  if (gap === -1 ? given !== 8 : given > 7) return false;
  let word = 0;
  for (const value of headWords) writeWord(into, at + 2 * word++, value);
  for (; word < 8 - tailWords.length; word++) writeWord(into, at + 2 * word, 0);
  for (const value of tailWords) writeWord(into, at + 2 * word++, value);
  return true;
}

function writeWord(into: Uint8Array, at: number, value: number): void {
  into[at] = value >>> 8;
  into[at + 1] = value & 0xff;
}

/** Colon-separated hex groups as 16-bit words; the last may be a dotted quad when `mayEndInIpv4`. */
function groupsToWords(text: string, mayEndInIpv4: boolean): number[] | null {
  const groups = text.split(':');
  const words: number[] = [];
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    if (g === groups.length - 1 && mayEndInIpv4 && group.includes('.')) {
      const quad = ipv4Value(group);
      if (quad < 0) return null;
      words.push(quad >>> 16, quad & 0xffff);
      continue;
    }
    if (group.length === 0 || group.length > 4) return null;
    let value = 0;
    for (let i = 0; i < group.length; i++) {
      const digit = hexDigit(group.charCodeAt(i));
      if (digit < 0) return null;
      value = value * 16 + digit;
    }
    words.push(value);
  }
  return words;
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

/**
 * Sixteen bytes at `at` as RFC 5952 text: lower-case hex without leading zeros, the longest
 * run of two or more zero groups (the first, on a tie) as "::", and IPv4-mapped addresses
 * in mixed notation (::ffff:192.0.2.1), as section 5 recommends.
 */
export function readIpv6Address(bytes: Uint8Array, at: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((bytes[at + 2 * i]! << 8) | bytes[at + 2 * i + 1]!);
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff) {
    return '::ffff:' + readIpv4Address(bytes, at + 12);
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart === -1) return words.map((word) => word.toString(16)).join(':');
  const before = words.slice(0, bestStart).map((word) => word.toString(16)).join(':');
  const after = words.slice(bestStart + bestLength).map((word) => word.toString(16)).join(':');
  return before + '::' + after;
}

/** The four bytes of an IPv4 address, or null when `text` is not one. */
export function parseIpv4Address(text: string): Uint8Array | null {
  const bytes = new Uint8Array(4);
  return writeIpv4Address(text, bytes, 0) ? bytes : null;
}

/** The sixteen bytes of an IPv6 address, or null when `text` is not one. */
export function parseIpv6Address(text: string): Uint8Array | null {
  const bytes = new Uint8Array(16);
  return writeIpv6Address(text, bytes, 0) ? bytes : null;
}

/** The canonical text of an IPv6 address (RFC 5952), or null when `text` is not one. */
export function canonicalIpv6Address(text: string): string | null {
  const bytes = parseIpv6Address(text);
  return bytes === null ? null : readIpv6Address(bytes, 0);
}
