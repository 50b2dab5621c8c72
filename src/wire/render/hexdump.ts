// The annotated hex dump: rows of 16 bytes as `hexdump -C` prints them (offset, hex in two
// groups of eight, ASCII between bars), then a legend naming the field each byte range holds
// and its value. Legend lines start with "#", so the whole dump pasted back into tcplab's hex
// reader yields the packet again. With colour on, each field's bytes share its legend colour,
// and bytes that an issue points into are red.

import type { DecodedPacket } from '../packet.js';
import { FIELD_PALETTE, painter, type Painter, type Style } from './ansi.js';
import { fieldLayout, type FieldSpan } from './field-layout.js';
import { checkRenderOptions, type RenderOptions } from './render-options.js';
import { SCREEN_WIDTH, wrapText } from './text-wrap.js';

const ROW = 16;

export function renderHexdump(packet: DecodedPacket, options?: RenderOptions): string {
  const opts = checkRenderOptions(options);
  const paint = painter(opts.color);
  const bytes = packet.bytes;
  if (bytes.length === 0) return '# no bytes';
  const spans = fieldLayout(packet, opts);
  const styles = spanStyles(packet, spans);
  const styleAt = byteStyles(bytes.length, spans, styles);
  const digits = Math.max(4, (bytes.length - 1).toString(16).length);
  const offset = (at: number) => at.toString(16).padStart(digits, '0');

  const lines: string[] = [];
  for (let row = 0; row < bytes.length; row += ROW) {
    let hex = '';
    let ascii = '';
    for (let i = 0; i < ROW; i++) {
      const at = row + i;
      if (i === 8) hex += ' ';
      if (at >= bytes.length) {
        hex += '   ';
        continue;
      }
      const byte = bytes[at]!;
      const style = styleAt[at];
      const pair = byte.toString(16).padStart(2, '0');
      const char = byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
      hex += (style ? paint(pair, style) : pair) + ' ';
      ascii += style ? paint(char, style) : char;
    }
    lines.push(`${offset(row)}  ${hex} |${ascii}|`);
  }

  lines.push('');
  lines.push(...legend(spans, styles, offset, paint));
  return lines.join('\n');
}

/** One style a span: palette colours in turn, red where something is wrong. */
function spanStyles(packet: DecodedPacket, spans: readonly FieldSpan[]): Style[] {
  const troubled = (span: FieldSpan) =>
    packet.issues.some((issue) => issue.severity === 'error' && issue.offset >= span.start && issue.offset < span.end) ||
    (span.field === 'ip.checksum' && packet.ipChecksum === 'bad') ||
    (span.field === 'tcp.checksum' && packet.tcpChecksum === 'bad');
  return spans.map((span, i) => (troubled(span) ? 'red' : FIELD_PALETTE[i % FIELD_PALETTE.length]!));
}

function byteStyles(length: number, spans: readonly FieldSpan[], styles: readonly Style[]): (Style | undefined)[] {
  const at: (Style | undefined)[] = new Array(length).fill(undefined);
  spans.forEach((span, i) => at.fill(styles[i], span.start, span.end));
  return at;
}

// Field names wider than this do not widen the column for all; their value starts a line below.
const FIELD_COLUMN = 24;

function legend(spans: readonly FieldSpan[], styles: readonly Style[], offset: (at: number) => string, paint: Painter): string[] {
  const fieldWidth = Math.min(Math.max(...spans.map((span) => span.field.length)), FIELD_COLUMN);
  const lines: string[] = [];
  spans.forEach((span, i) => {
    const range = `${offset(span.start)}-${offset(span.end - 1)}`;
    const style = styles[i]!;
    const valueColumn = 2 + range.length + 2 + fieldWidth + 2;
    const continuation = '#' + ' '.repeat(valueColumn - 1);
    const values = wrapText(span.value, SCREEN_WIDTH - valueColumn);
    const head = `# ${paint(range, style)}  ${paint(span.field.padEnd(fieldWidth), style)}`;
    if (span.field.length > fieldWidth) {
      lines.push(head);
      for (const text of values) lines.push(continuation + text);
      return;
    }
    values.forEach((text, j) => lines.push(j === 0 ? `${head}  ${text}` : continuation + text));
  });
  return lines;
}
