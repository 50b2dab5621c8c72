import { z } from 'zod';
import { requireUint, WireEncodeError } from './encode-error.js';
import { readU32, writeU32 } from './network-order.js';
import type { WireIssue } from './packet.js';

// The option kinds a learner meets in Linux handshakes, plus a byte-for-byte escape hatch
// so that any kind a capture holds survives a decode and re-encode unchanged.
export const TcpOptionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('eol') }),
  z.object({ kind: z.literal('nop') }),
  z.object({ kind: z.literal('mss'), value: z.number().int().min(0).max(0xffff) }),
  z.object({ kind: z.literal('wscale'), value: z.number().int().min(0).max(0xff) }),
  z.object({ kind: z.literal('sackok') }),
  z.object({
    kind: z.literal('sack'),
    blocks: z.array(z.tuple([z.number().int().min(0).max(0xffffffff), z.number().int().min(0).max(0xffffffff)])).max(4),
  }),
  z.object({
    kind: z.literal('ts'),
    tsval: z.number().int().min(0).max(0xffffffff),
    tsecr: z.number().int().min(0).max(0xffffffff),
  }),
  z.object({
    kind: z.literal('unknown'),
    type: z.number().int().min(0).max(0xff),
    data: z.instanceof(Uint8Array),
    /**
     * Computed: the length byte, normally data.length + 2. Set when it says something else
     * (a malformed option, kept byte for byte), and null when the header ends right after
     * the kind byte so that there is no length byte at all.
     */
    length: z.number().int().min(0).max(0xff).nullable().optional(),
  }),
]);

export type TcpOption = z.infer<typeof TcpOptionSchema>;

export const TCP_OPTION_KIND = {
  eol: 0,
  nop: 1,
  mss: 2,
  wscale: 3,
  sackok: 4,
  sack: 5,
  ts: 8,
} as const;

/** Room for options in a TCP header: data offset 15 words less the 20-byte fixed part. */
export const TCP_MAX_OPTIONS = 40;

/** The kinds read into named options, with the length each must have to be read so. */
const NAMED_KINDS: Partial<Record<number, { name: string; length: string }>> = {
  2: { name: 'MSS', length: '4' },
  3: { name: 'window scale', length: '3' },
  4: { name: 'SACK-permitted', length: '2' },
  5: { name: 'SACK', length: '2 plus 8 per block' },
  8: { name: 'timestamps', length: '10' },
};

/**
 * Reads the options in [start, end) of `bytes`, a whole packet, so that issue offsets count
 * from the packet's start. Never reads outside the range. A malformed option and everything
 * after it become one unknown option holding those bytes as they are, so nothing is lost;
 * trailing end-of-list bytes that padding explains are dropped, as the encoder adds them back.
 */
export function parseTcpOptions(bytes: Uint8Array, start: number, end: number, issues: WireIssue[]): TcpOption[] {
  const options: TcpOption[] = [];
  let at = start;
  let ended = false;
  while (at < end) {
    const type = bytes[at]!;
    const index = options.length;
    if (type === 0) {
      options.push({ kind: 'eol' });
      at++;
      ended = true;
      continue;
    }
    if (ended) {
      issues.push({
        severity: 'warning',
        field: `tcp.options[${index}]`,
        offset: at,
        message: `option kind ${type} follows the end-of-option-list; receivers ignore it`,
      });
      ended = false;
    }
    if (type === 1) {
      options.push({ kind: 'nop' });
      at++;
      continue;
    }
    if (at + 1 >= end) {
      issues.push({
        severity: 'error',
        field: `tcp.options[${index}].length`,
        offset: at + 1,
        message: `option kind ${type} is cut off by the end of the header before its length byte`,
      });
      options.push({ kind: 'unknown', type, data: new Uint8Array(0), length: null });
      break;
    }
    const length = bytes[at + 1]!;
    if (length < 2 || at + length > end) {
      const left = end - at;
      issues.push({
        severity: 'error',
        field: `tcp.options[${index}].length`,
        offset: at + 1,
        message:
          length < 2
            ? `option kind ${type} has length ${length}, below the minimum of 2; the ${left} bytes from here on are kept as they are`
            : `option kind ${type} has length ${length}, which runs past the end of the header (${left} bytes left); kept as it is`,
      });
      options.push({ kind: 'unknown', type, data: bytes.slice(at + 2, end), length });
      break;
    }
    const option = knownOption(bytes, at, type, length);
    if (option !== null) {
      if (option.kind === 'sack' && option.blocks.length === 0) {
        issues.push({
          severity: 'warning',
          field: `tcp.options[${index}].length`,
          offset: at + 1,
          message: 'SACK option with no blocks (length 2); receivers ignore it',
        });
      }
      options.push(option);
    } else {
      const named = NAMED_KINDS[type];
      if (named !== undefined) {
        issues.push({
          severity: 'warning',
          field: `tcp.options[${index}].length`,
          offset: at + 1,
          message: `${named.name} option with length ${length}, expected ${named.length}; kept byte for byte as an unknown option`,
        });
      }
      options.push({ kind: 'unknown', type, data: bytes.slice(at + 2, at + length) });
    }
    at += length;
  }
  const area = end - start;
  while (options.length > 0 && options[options.length - 1]!.kind === 'eol' && paddedLength(tcpOptionsLength(options) - 1) === area) {
    options.pop();
  }
  return options;
}

/** The option at `at` when its kind is one we know and its length is right for it; else null. */
function knownOption(bytes: Uint8Array, at: number, type: number, length: number): TcpOption | null {
  switch (type) {
    case 2:
      return length === 4 ? { kind: 'mss', value: (bytes[at + 2]! << 8) | bytes[at + 3]! } : null;
    case 3:
      return length === 3 ? { kind: 'wscale', value: bytes[at + 2]! } : null;
    case 4:
      return length === 2 ? { kind: 'sackok' } : null;
    case 8:
      return length === 10 ? { kind: 'ts', tsval: readU32(bytes, at + 2), tsecr: readU32(bytes, at + 6) } : null;
    case 5: {
      if ((length - 2) % 8 !== 0) return null;
      const blocks: Array<[number, number]> = [];
      for (let p = at + 2; p < at + length; p += 8) blocks.push([readU32(bytes, p), readU32(bytes, p + 4)]);
      return { kind: 'sack', blocks };
    }
    default:
      return null;
  }
}

function paddedLength(length: number): number {
  return (length + 3) & ~3;
}

/** Bytes the options take as written, before padding; throws WireEncodeError past 40. */
export function tcpOptionsLength(options: readonly TcpOption[]): number {
  let length = 0;
  for (let i = 0; i < options.length; i++) length += optionLength(options[i]!, i);
  return length;
}

function optionLength(option: TcpOption, index: number): number {
  switch (option.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'mss':
      return 4;
    case 'wscale':
      return 3;
    case 'sackok':
      return 2;
    case 'ts':
      return 10;
    case 'sack':
      return 2 + 8 * option.blocks.length;
    case 'unknown':
      return (option.length === null ? 1 : 2) + option.data.length;
    default:
      throw new WireEncodeError(`tcp.options[${index}].kind`, `${JSON.stringify((option as { kind: unknown }).kind)} is not a TCP option kind`);
  }
}

/** Throws WireEncodeError when the options cannot be written as they stand. */
export function checkTcpOptions(options: readonly TcpOption[]): number {
  const length = tcpOptionsLength(options);
  if (length > TCP_MAX_OPTIONS) {
    throw new WireEncodeError('tcp.options', `${length} bytes of options do not fit; a TCP header holds at most ${TCP_MAX_OPTIONS}`);
  }
  return length;
}

/**
 * Writes the options in order, exactly as given, at `at`; returns where they end. Padding is
 * the caller's, as it knows the header length.
 */
export function emitTcpOptions(options: readonly TcpOption[], into: Uint8Array, at: number): number {
  for (let i = 0; i < options.length; i++) {
    const option = options[i]!;
    switch (option.kind) {
      case 'eol':
        into[at++] = 0;
        break;
      case 'nop':
        into[at++] = 1;
        break;
      case 'mss':
        requireUint(option.value, 0xffff, `tcp.options[${i}].value`);
        into[at] = 2;
        into[at + 1] = 4;
        into[at + 2] = option.value >> 8;
        into[at + 3] = option.value & 0xff;
        at += 4;
        break;
      case 'wscale':
        requireUint(option.value, 0xff, `tcp.options[${i}].value`);
        into[at] = 3;
        into[at + 1] = 3;
        into[at + 2] = option.value;
        at += 3;
        break;
      case 'sackok':
        into[at] = 4;
        into[at + 1] = 2;
        at += 2;
        break;
      case 'ts':
        requireUint(option.tsval, 0xffffffff, `tcp.options[${i}].tsval`);
        requireUint(option.tsecr, 0xffffffff, `tcp.options[${i}].tsecr`);
        into[at] = 8;
        into[at + 1] = 10;
        writeU32(into, at + 2, option.tsval);
        writeU32(into, at + 6, option.tsecr);
        at += 10;
        break;
      case 'sack': {
        const blocks = option.blocks;
        into[at] = 5;
        into[at + 1] = 2 + 8 * blocks.length;
        at += 2;
        for (let b = 0; b < blocks.length; b++) {
          const block = blocks[b]!;
          requireUint(block[0], 0xffffffff, `tcp.options[${i}].blocks[${b}][0]`);
          requireUint(block[1], 0xffffffff, `tcp.options[${i}].blocks[${b}][1]`);
          writeU32(into, at, block[0]);
          writeU32(into, at + 4, block[1]);
          at += 8;
        }
        break;
      }
      case 'unknown': {
        requireUint(option.type, 0xff, `tcp.options[${i}].type`);
        into[at++] = option.type;
        if (option.length !== null) {
          const length = option.length ?? option.data.length + 2;
          requireUint(length, 0xff, `tcp.options[${i}].length`);
          into[at++] = length;
        }
        const data = option.data;
        for (let d = 0; d < data.length; d++) into[at++] = data[d]!;
        break;
      }
    }
  }
  return at;
}
