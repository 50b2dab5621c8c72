// The option area of a TCP header cut into the byte ranges each option occupies, by each
// option's declared length, walked as the decoder walks it (parseTcpOptions) so that the
// n-th slot is the decoder's tcp.options[n] and the option a WireIssue of that name means.

export interface OptionSlot {
  index: number;
  start: number;
  end: number;
  kind: number;
  /** Why these bytes could not be read as one option: the length byte is missing, too small or too big. */
  unreadable?: string;
}

export interface OptionWalk {
  slots: OptionSlot[];
  /** End-of-list bytes that only pad the header to a multiple of four; the decoder leaves them out. */
  padding: { start: number; end: number } | null;
}

/** Walks [start, end); `end` must not be past the buffer. */
export function walkTcpOptions(bytes: Uint8Array, start: number, end: number): OptionWalk {
  const slots: OptionSlot[] = [];
  let at = start;
  while (at < end) {
    const index = slots.length;
    const kind = bytes[at]!;
    if (kind === 0 || kind === 1) {
      slots.push({ index, start: at, end: at + 1, kind });
      at++;
      continue;
    }
    if (at + 1 >= end) {
      slots.push({ index, start: at, end, kind, unreadable: 'the header ends before its length byte' });
      break;
    }
    const length = bytes[at + 1]!;
    if (length < 2) {
      slots.push({ index, start: at, end, kind, unreadable: `length ${length} is below the minimum of 2` });
      break;
    }
    if (at + length > end) {
      slots.push({ index, start: at, end, kind, unreadable: `length ${length} runs ${at + length - end} bytes past the header` });
      break;
    }
    slots.push({ index, start: at, end: at + length, kind });
    at += length;
  }
  // Trailing end-of-list bytes are padding while the options before them, padded to four,
  // would fill the area just the same.
  const area = end - start;
  let kept = slots.length;
  while (kept > 0 && slots[kept - 1]!.kind === 0 && padded(slots[kept - 1]!.start - start) === area) kept--;
  if (kept === slots.length) return { slots, padding: null };
  return { slots: slots.slice(0, kept), padding: { start: slots[kept]!.start, end } };
}

function padded(length: number): number {
  return (length + 3) & ~3;
}
