/**
 * Reads packets written as hex text: a bare hex string, or a dump with offsets and an
 * ASCII column as tcpdump -x, xxd, hexdump -C, Wireshark's "copy as hex dump" and tcplab's
 * own `hex` print them. Packets are separated by a blank line or by the offset going back
 * to zero.
 */
export interface HexTextPacket {
  /** 1-based line where the packet starts, for messages. */
  line: number;
  bytes: Uint8Array;
}

export class HexTextError extends Error {
  override name = 'HexTextError';
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(`line ${line}, column ${column}: ${message}`);
  }
}

const HEX_GROUP = /^[0-9a-fA-F]+$/;

export function readHexText(text: string): HexTextPacket[] {
  const packets: HexTextPacket[] = [];
  let current: number[] = [];
  let startLine = 0;
  const flush = () => {
    if (current.length > 0) packets.push({ line: startLine, bytes: Uint8Array.from(current) });
    current = [];
  };

  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const raw = lines[index]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      flush();
      continue;
    }
    const tokens = tokenize(raw);
    let position = 0;
    const offset = readOffset(tokens, current.length);
    if (offset !== null) {
      if (offset === 0 && current.length > 0) flush();
      position = 1;
    }
    if (current.length === 0) startLine = lineNo;
    const lineBytes: number[] = [];
    for (; position < tokens.length; position++) {
      const token = tokens[position]!;
      const cleaned = token.text.replace(/^0x/i, '');
      // In a dump with offsets data comes in groups of at most 4 bytes; bare hex may be one long run.
      if (!HEX_GROUP.test(cleaned) || (offset !== null && cleaned.length > 8)) break;
      if (cleaned.length % 2 !== 0) {
        // A lone odd group after data is an ASCII column that happens to look like hex.
        if (lineBytes.length > 0 && offset !== null) break;
        throw new HexTextError(lineNo, token.column, `'${token.text}' has an odd number of hex digits`);
      }
      for (let i = 0; i < cleaned.length; i += 2) lineBytes.push(Number.parseInt(cleaned.slice(i, i + 2), 16));
      // With offsets present a row holds 16 bytes at most; anything after is the ASCII column.
      if (offset !== null && lineBytes.length >= 16) break;
    }
    if (lineBytes.length === 0) {
      const token = tokens[position] ?? tokens[0]!;
      throw new HexTextError(lineNo, token.column, `expected hex bytes, found '${token.text}'`);
    }
    current.push(...lineBytes);
  }
  flush();
  return packets;
}

interface Token {
  text: string;
  column: number;
}

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\S+/g;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    tokens.push({ text: match[0], column: match.index + 1 });
  }
  return tokens;
}

/** The row's offset when its first token is one: "0x0010:", "00000010:", or "0010" followed by data. */
function readOffset(tokens: Token[], bytesSoFar: number): number | null {
  const first = tokens[0];
  if (!first || tokens.length < 2) return null;
  const text = first.text.replace(/:$/, '').replace(/^0x/i, '');
  if (!HEX_GROUP.test(text)) return null;
  const value = Number.parseInt(text, 16);
  const explicit = first.text.endsWith(':') || /^0x/i.test(first.text);
  // Without a colon a 4+ digit group is only an offset where it matches the bytes so far.
  if (explicit || (text.length >= 4 && (value === bytesSoFar || value === 0))) return value;
  return null;
}
