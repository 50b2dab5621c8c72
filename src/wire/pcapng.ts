import { z } from 'zod';
import {
  CaptureFormatError,
  CaptureWriteError,
  capturedFrame,
  msToUnits,
  unitsToMs,
  type CaptureIssue,
  type CapturedFrame,
} from './captured-frame.js';
import { LinkType } from './link-layer.js';

/**
 * pcapng: a sequence of blocks, each framed by its type and its total length (repeated at
 * the end). A Section Header Block starts each section and sets the byte order of the blocks
 * after it; Interface Description Blocks define the link type and timestamp unit that packet
 * blocks of that section refer to by number.
 */
export const BlockType = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 0x00000001,
  /** Obsolete since 2011 but still in old files: a packet with a 16-bit interface number. */
  PACKET: 0x00000002,
  SIMPLE_PACKET: 0x00000003,
  ENHANCED_PACKET: 0x00000006,
} as const;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BLOCK_FRAMING_LENGTH = 12;
/** Type, length, byte-order magic, version and section length, then the trailing length. */
const MIN_SECTION_HEADER_LENGTH = 28;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

interface Interface {
  linkType: number;
  snapLength: number;
  unitsPerSecond: bigint;
  offsetSeconds: bigint;
}

interface Section {
  littleEndian: boolean;
  interfaces: Interface[];
}

/** A block's place in the file: its body is the bytes between the two lengths. */
interface Block {
  offset: number;
  type: number;
  bodyStart: number;
  bodyLength: number;
}

/** A block that cannot be read ends reading: past it, no block boundary can be trusted. */
class DamagedBlock extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

export function readPcapng(bytes: Uint8Array): { frames: CapturedFrame[]; issues: CaptureIssue[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const frames: CapturedFrame[] = [];
  const issues: CaptureIssue[] = [];
  let section = firstSection(view);
  let offset = 0;
  try {
    while (offset < bytes.length) {
      const isSectionHeader = offset + 4 <= bytes.length && view.getUint32(offset, true) === BlockType.SECTION_HEADER;
      if (isSectionHeader) section = sectionAt(view, offset);
      const block = blockAt(view, offset, section.littleEndian);
      readBlock(view, block, section, bytes, frames);
      offset += block.bodyLength + BLOCK_FRAMING_LENGTH;
    }
  } catch (error) {
    if (!(error instanceof DamagedBlock)) throw error;
    issues.push({ offset: error.offset, message: error.message });
  }
  return { frames, issues };
}

/**
 * The file must open with a whole Section Header Block of a version this reader knows;
 * otherwise it is not a pcapng capture at all.
 */
function firstSection(view: DataView): Section {
  try {
    if (view.byteLength < MIN_SECTION_HEADER_LENGTH) {
      throw new DamagedBlock(
        view.byteLength,
        `pcapng file ends after ${view.byteLength} bytes, inside its Section Header Block`,
      );
    }
    const type = view.getUint32(0, true);
    if (type !== BlockType.SECTION_HEADER) {
      throw new DamagedBlock(0, `pcapng file starts with ${blockName(type)}, not a Section Header Block`);
    }
    const section = sectionAt(view, 0);
    blockAt(view, 0, section.littleEndian);
    return section;
  } catch (error) {
    if (error instanceof DamagedBlock) throw new CaptureFormatError(error.message, error.offset);
    throw error;
  }
}

function sectionAt(view: DataView, offset: number): Section {
  if (offset + 12 > view.byteLength) {
    throw new DamagedBlock(offset, 'file ends inside the byte-order magic of a Section Header Block');
  }
  const magic = view.getUint32(offset + 8, true);
  const littleEndian = magic === BYTE_ORDER_MAGIC;
  if (!littleEndian && view.getUint32(offset + 8, false) !== BYTE_ORDER_MAGIC) {
    throw new DamagedBlock(
      offset + 8,
      `Section Header Block has byte-order magic 0x${magic.toString(16).padStart(8, '0')}, not 0x1a2b3c4d in either order`,
    );
  }
  if (offset + 14 > view.byteLength) throw new DamagedBlock(offset, 'file ends inside a Section Header Block');
  const major = view.getUint16(offset + 12, littleEndian);
  if (major !== 1) {
    throw new DamagedBlock(offset + 12, `pcapng section of version ${major}.x: only version 1 is defined`);
  }
  return { littleEndian, interfaces: [] };
}

function blockAt(view: DataView, offset: number, littleEndian: boolean): Block {
  const left = view.byteLength - offset;
  if (left < 8) throw new DamagedBlock(offset, `file ends ${left} bytes into the 8-byte header of a block`);
  const type = view.getUint32(offset, littleEndian);
  const totalLength = view.getUint32(offset + 4, littleEndian);
  if (totalLength < BLOCK_FRAMING_LENGTH || totalLength % 4 !== 0) {
    throw new DamagedBlock(offset, `${blockName(type)} says it is ${totalLength} bytes long, not a multiple of 4 of at least 12`);
  }
  if (totalLength > left) {
    throw new DamagedBlock(offset, `${blockName(type)} says it is ${totalLength} bytes long but the file ends after ${left}`);
  }
  const trailing = view.getUint32(offset + totalLength - 4, littleEndian);
  if (trailing !== totalLength) {
    throw new DamagedBlock(offset, `${blockName(type)} starts with length ${totalLength} but ends with length ${trailing}`);
  }
  return { offset, type, bodyStart: offset + 8, bodyLength: totalLength - BLOCK_FRAMING_LENGTH };
}

/** Reads one block into the section or the frames. */
function readBlock(view: DataView, block: Block, section: Section, bytes: Uint8Array, frames: CapturedFrame[]): void {
  const le = section.littleEndian;
  const at = block.bodyStart;
  switch (block.type) {
    case BlockType.SECTION_HEADER:
      need(block, 16, 'a Section Header Block');
      return;
    case BlockType.INTERFACE_DESCRIPTION: {
      need(block, 8, 'an Interface Description Block');
      const iface: Interface = {
        linkType: view.getUint16(at, le),
        snapLength: view.getUint32(at + 4, le),
        unitsPerSecond: 1_000_000n,
        offsetSeconds: 0n,
      };
      for (const option of readOptions(view, block, 8, le)) {
        if (option.code === IF_TSRESOL && option.length >= 1) iface.unitsPerSecond = unitsPerSecond(view.getUint8(option.start));
        if (option.code === IF_TSOFFSET && option.length >= 8) iface.offsetSeconds = view.getBigInt64(option.start, le);
      }
      section.interfaces.push(iface);
      return;
    }
    case BlockType.ENHANCED_PACKET:
    case BlockType.PACKET: {
      need(block, 20, block.type === BlockType.PACKET ? 'a Packet Block' : 'an Enhanced Packet Block');
      // The obsolete Packet Block has a 16-bit interface number and a 16-bit drop count.
      const id = block.type === BlockType.PACKET ? view.getUint16(at, le) : view.getUint32(at, le);
      const iface = interfaceOf(block, section, id);
      const units = (BigInt(view.getUint32(at + 4, le)) << 32n) | BigInt(view.getUint32(at + 8, le));
      const capturedLength = view.getUint32(at + 12, le);
      frames.push(
        capturedFrame({
          index: frames.length,
          timestampMs: unitsToMs(units, iface.unitsPerSecond, iface.offsetSeconds),
          linkType: iface.linkType,
          frame: packetData(block, bytes, 20, capturedLength),
          originalLength: view.getUint32(at + 16, le),
          comments: comments(bytes, readOptions(view, block, 20 + padded(capturedLength), le)),
        }),
      );
      return;
    }
    case BlockType.SIMPLE_PACKET: {
      need(block, 4, 'a Simple Packet Block');
      const iface = interfaceOf(block, section, 0);
      const originalLength = view.getUint32(at, le);
      // Its captured length is implied: the frame up to the snap length, if the block holds it.
      let capturedLength = Math.min(originalLength, block.bodyLength - 4);
      if (iface.snapLength !== 0) capturedLength = Math.min(capturedLength, iface.snapLength);
      frames.push(
        capturedFrame({
          index: frames.length,
          timestampMs: null,
          linkType: iface.linkType,
          frame: packetData(block, bytes, 4, capturedLength),
          originalLength,
          comments: [],
        }),
      );
      return;
    }
    default:
      // Name resolution, statistics, journal, custom and unknown blocks hold no packet.
      return;
  }
}

function need(block: Block, length: number, name: string): void {
  if (block.bodyLength < length) {
    throw new DamagedBlock(block.offset, `${name} has ${block.bodyLength} bytes of body, fewer than its ${length} fixed ones`);
  }
}

function interfaceOf(block: Block, section: Section, id: number): Interface {
  const iface = section.interfaces[id];
  if (iface === undefined) {
    const defined = section.interfaces.length;
    throw new DamagedBlock(
      block.offset,
      `${blockName(block.type)} names interface ${id} but its section defines ${defined === 0 ? 'none' : `only 0 to ${defined - 1}`}`,
    );
  }
  return iface;
}

function packetData(block: Block, bytes: Uint8Array, at: number, capturedLength: number): Uint8Array {
  if (capturedLength > block.bodyLength - at) {
    throw new DamagedBlock(
      block.offset,
      `${blockName(block.type)} says it captured ${capturedLength} bytes but has room for ${block.bodyLength - at}`,
    );
  }
  const start = block.bodyStart + at;
  return bytes.subarray(start, start + capturedLength);
}

/** An option's code, and where its value lies in the file. */
interface BlockOption {
  code: number;
  start: number;
  length: number;
}

const NO_OPTIONS: readonly BlockOption[] = [];

/**
 * The options from body offset `from` to opt_endofopt or the end of the body. An option that
 * runs past the block is damage inside a well-framed block: the block is still read, and the
 * options before it kept.
 */
function readOptions(view: DataView, block: Block, from: number, le: boolean): readonly BlockOption[] {
  const end = block.bodyStart + block.bodyLength;
  let offset = block.bodyStart + from;
  if (offset + 4 > end) return NO_OPTIONS;
  const options: BlockOption[] = [];
  while (offset + 4 <= end) {
    const code = view.getUint16(offset, le);
    const length = view.getUint16(offset + 2, le);
    if (code === OPT_ENDOFOPT) break;
    if (offset + 4 + length > end) break;
    options.push({ code, start: offset + 4, length });
    offset += 4 + padded(length);
  }
  return options;
}

function comments(bytes: Uint8Array, options: readonly BlockOption[]): string[] {
  const found: string[] = [];
  for (const option of options) {
    if (option.code === OPT_COMMENT) found.push(decoder.decode(bytes.subarray(option.start, option.start + option.length)));
  }
  return found;
}

/** if_tsresol: the high bit picks base 2 over base 10, the rest is the negative exponent. */
function unitsPerSecond(resolution: number): bigint {
  const exponent = BigInt(resolution & 0x7f);
  return (resolution & 0x80) !== 0 ? 2n ** exponent : 10n ** exponent;
}

function padded(length: number): number {
  return (length + 3) & ~3;
}

function blockName(type: number): string {
  switch (type) {
    case BlockType.SECTION_HEADER:
      return 'Section Header Block';
    case BlockType.INTERFACE_DESCRIPTION:
      return 'Interface Description Block';
    case BlockType.PACKET:
      return 'Packet Block';
    case BlockType.SIMPLE_PACKET:
      return 'Simple Packet Block';
    case BlockType.ENHANCED_PACKET:
      return 'Enhanced Packet Block';
    default:
      return `block of type 0x${type.toString(16).padStart(8, '0')}`;
  }
}

// --- writing -------------------------------------------------------------------------------

/** Option values are counted in 16 bits. */
const OptionText = z.string().refine((text) => encoder.encode(text).length <= 0xffff, {
  message: 'is longer than the 65535 bytes of UTF-8 a pcapng option holds',
});

const PcapngPacketSchema = z.object({
  // 2^64 nanoseconds from the epoch: the last time 64 bits of the finest resolution hold.
  timestampMs: z.number().nonnegative().lt(18446744073709, 'pcapng timestamps end in the year 2554'),
  ip: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected the packet bytes as a Uint8Array'),
  comment: OptionText.optional(),
});
const PcapngPacketsSchema = z.array(PcapngPacketSchema);
export type PcapngPacket = z.infer<typeof PcapngPacketSchema>;

const PcapngWriteOptionsSchema = z.object({
  /** shb_userappl: the application that wrote the file. */
  application: OptionText.default('tcplab'),
  resolution: z.enum(['microseconds', 'nanoseconds']).default('microseconds'),
});
export type PcapngWriteOptions = z.input<typeof PcapngWriteOptionsSchema>;

/**
 * One little-endian section with one raw IP interface (LINKTYPE_RAW), each packet an
 * Enhanced Packet Block carrying its comment as opt_comment.
 */
export function writePcapng(packets: PcapngPacket[], options: PcapngWriteOptions = {}): Uint8Array {
  const parsedPackets = PcapngPacketsSchema.safeParse(packets);
  if (!parsedPackets.success) throw new CaptureWriteError(`writePcapng: ${z.prettifyError(parsedPackets.error)}`);
  const parsedOptions = PcapngWriteOptionsSchema.safeParse(options);
  if (!parsedOptions.success) throw new CaptureWriteError(`writePcapng options: ${z.prettifyError(parsedOptions.error)}`);
  const { application, resolution } = parsedOptions.data;
  const perSecond = resolution === 'nanoseconds' ? 1_000_000_000n : 1_000_000n;

  const sectionOptions: OptionValue[] = [[SHB_USERAPPL, encoder.encode(application)]];
  const interfaceOptions: OptionValue[] = [[IF_TSRESOL, Uint8Array.of(resolution === 'nanoseconds' ? 9 : 6)]];
  // An empty comment is no comment: Wireshark shows nothing for one.
  const packetOptions = parsedPackets.data.map((p): OptionValue[] => (p.comment ? [[OPT_COMMENT, encoder.encode(p.comment)]] : []));

  // Sized first and written in place: a capture of a long session is many small blocks.
  const sectionHeaderLength = blockLength(16, sectionOptions);
  let total = sectionHeaderLength + blockLength(8, interfaceOptions);
  parsedPackets.data.forEach((p, i) => (total += blockLength(20 + padded(p.ip.length), packetOptions[i]!)));
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);

  let offset = writeBlock(view, 0, BlockType.SECTION_HEADER, 16, sectionOptions, (at) => {
    view.setUint32(at, BYTE_ORDER_MAGIC, true);
    view.setUint16(at + 4, 1, true);
    view.setUint16(at + 6, 0, true);
    view.setBigInt64(at + 8, BigInt(total - sectionHeaderLength), true);
  });
  offset = writeBlock(view, offset, BlockType.INTERFACE_DESCRIPTION, 8, interfaceOptions, (at) => {
    view.setUint16(at, LinkType.RAW, true);
    view.setUint32(at + 4, 0, true); // no snap length: every packet is written whole
  });
  parsedPackets.data.forEach((packet, i) => {
    const ip = packet.ip;
    offset = writeBlock(view, offset, BlockType.ENHANCED_PACKET, 20 + padded(ip.length), packetOptions[i]!, (at) => {
      const units = msToUnits(packet.timestampMs, perSecond);
      view.setUint32(at, 0, true);
      view.setUint32(at + 4, Number(units >> 32n), true);
      view.setUint32(at + 8, Number(units & 0xffffffffn), true);
      view.setUint32(at + 12, ip.length, true);
      view.setUint32(at + 16, ip.length, true);
      out.set(ip, at + 20);
    });
  });
  return out;
}

type OptionValue = [code: number, value: Uint8Array];

/** A block's whole length, framing and padding included; options end with opt_endofopt. */
function blockLength(fixedLength: number, options: OptionValue[]): number {
  const optionsLength = options.length === 0 ? 0 : options.reduce((sum, [, value]) => sum + 4 + padded(value.length), 4);
  return BLOCK_FRAMING_LENGTH + fixedLength + optionsLength;
}

/**
 * Writes a block whose fixed part `fill` writes (already zeroed, padding included), then its
 * options; returns the offset after it.
 */
function writeBlock(
  view: DataView,
  offset: number,
  type: number,
  fixedLength: number,
  options: OptionValue[],
  fill: (bodyAt: number) => void,
): number {
  const length = blockLength(fixedLength, options);
  view.setUint32(offset, type, true);
  view.setUint32(offset + 4, length, true);
  fill(offset + 8);
  let at = offset + 8 + fixedLength;
  for (const [code, value] of options) {
    view.setUint16(at, code, true);
    view.setUint16(at + 2, value.length, true);
    new Uint8Array(view.buffer, view.byteOffset + at + 4, value.length).set(value);
    at += 4 + padded(value.length);
  }
  // After the options, four zero bytes are opt_endofopt.
  view.setUint32(offset + length - 4, length, true);
  return offset + length;
}
