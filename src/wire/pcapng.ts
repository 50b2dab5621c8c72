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

interface Block {
  offset: number;
  type: number;
  /** The bytes between the leading length and the trailing one. */
  body: DataView;
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
      readBlock(block, section, bytes, frames);
      offset += block.body.byteLength + BLOCK_FRAMING_LENGTH;
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
  const name = blockName(type);
  if (totalLength < BLOCK_FRAMING_LENGTH || totalLength % 4 !== 0) {
    throw new DamagedBlock(offset, `${name} says it is ${totalLength} bytes long, not a multiple of 4 of at least 12`);
  }
  if (totalLength > left) {
    throw new DamagedBlock(offset, `${name} says it is ${totalLength} bytes long but the file ends after ${left}`);
  }
  const trailing = view.getUint32(offset + totalLength - 4, littleEndian);
  if (trailing !== totalLength) {
    throw new DamagedBlock(offset, `${name} starts with length ${totalLength} but ends with length ${trailing}`);
  }
  return {
    offset,
    type,
    body: new DataView(view.buffer, view.byteOffset + offset + 8, totalLength - BLOCK_FRAMING_LENGTH),
  };
}

/** Reads one block into the section or the frames. */
function readBlock(block: Block, section: Section, bytes: Uint8Array, frames: CapturedFrame[]): void {
  const le = section.littleEndian;
  const body = block.body;
  switch (block.type) {
    case BlockType.SECTION_HEADER:
      need(block, 16, 'a Section Header Block');
      return;
    case BlockType.INTERFACE_DESCRIPTION: {
      need(block, 8, 'an Interface Description Block');
      const options = readOptions(block, 8, le);
      const resolution = options.find((o) => o.code === IF_TSRESOL);
      const offset = options.find((o) => o.code === IF_TSOFFSET);
      section.interfaces.push({
        linkType: body.getUint16(0, le),
        snapLength: body.getUint32(4, le),
        unitsPerSecond: resolution && resolution.value.byteLength >= 1 ? unitsPerSecond(resolution.value.getUint8(0)) : 1_000_000n,
        offsetSeconds: offset && offset.value.byteLength >= 8 ? offset.value.getBigInt64(0, le) : 0n,
      });
      return;
    }
    case BlockType.ENHANCED_PACKET: {
      need(block, 20, 'an Enhanced Packet Block');
      const iface = interfaceOf(block, section, body.getUint32(0, le));
      const units = (BigInt(body.getUint32(4, le)) << 32n) | BigInt(body.getUint32(8, le));
      const capturedLength = body.getUint32(12, le);
      const data = packetData(block, bytes, 20, capturedLength);
      frames.push(
        capturedFrame({
          index: frames.length,
          timestampMs: unitsToMs(units, iface.unitsPerSecond, iface.offsetSeconds),
          linkType: iface.linkType,
          frame: data,
          originalLength: body.getUint32(16, le),
          comments: comments(readOptions(block, 20 + padded(capturedLength), le)),
        }),
      );
      return;
    }
    case BlockType.SIMPLE_PACKET: {
      need(block, 4, 'a Simple Packet Block');
      const iface = interfaceOf(block, section, 0);
      const originalLength = body.getUint32(0, le);
      // Its captured length is implied: the frame up to the snap length, if the block holds it.
      let capturedLength = Math.min(originalLength, body.byteLength - 4);
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
    case BlockType.PACKET: {
      need(block, 20, 'a Packet Block');
      const iface = interfaceOf(block, section, body.getUint16(0, le));
      const units = (BigInt(body.getUint32(4, le)) << 32n) | BigInt(body.getUint32(8, le));
      const capturedLength = body.getUint32(12, le);
      frames.push(
        capturedFrame({
          index: frames.length,
          timestampMs: unitsToMs(units, iface.unitsPerSecond, iface.offsetSeconds),
          linkType: iface.linkType,
          frame: packetData(block, bytes, 20, capturedLength),
          originalLength: body.getUint32(16, le),
          comments: comments(readOptions(block, 20 + padded(capturedLength), le)),
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
  if (block.body.byteLength < length) {
    throw new DamagedBlock(block.offset, `${name} has ${block.body.byteLength} bytes of body, fewer than its ${length} fixed ones`);
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
  if (capturedLength > block.body.byteLength - at) {
    throw new DamagedBlock(
      block.offset,
      `${blockName(block.type)} says it captured ${capturedLength} bytes but has room for ${block.body.byteLength - at}`,
    );
  }
  const start = block.body.byteOffset - bytes.byteOffset + at;
  return bytes.subarray(start, start + capturedLength);
}

interface BlockOption {
  code: number;
  value: DataView;
}

/**
 * The options from body offset `at` to opt_endofopt or the end of the body. An option that
 * runs past the block is damage inside a well-framed block: the block is still read, and the
 * options before it kept.
 */
function readOptions(block: Block, at: number, le: boolean): BlockOption[] {
  const body = block.body;
  const options: BlockOption[] = [];
  let offset = at;
  while (offset + 4 <= body.byteLength) {
    const code = body.getUint16(offset, le);
    const length = body.getUint16(offset + 2, le);
    if (code === OPT_ENDOFOPT) break;
    if (offset + 4 + length > body.byteLength) break;
    options.push({ code, value: new DataView(body.buffer, body.byteOffset + offset + 4, length) });
    offset += 4 + padded(length);
  }
  return options;
}

function comments(options: BlockOption[]): string[] {
  return options
    .filter((o) => o.code === OPT_COMMENT)
    .map((o) => decoder.decode(new Uint8Array(o.value.buffer, o.value.byteOffset, o.value.byteLength)));
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

  const blocks: Uint8Array[] = [];
  const sectionBody = new Uint8Array(16);
  const sectionView = new DataView(sectionBody.buffer);
  sectionView.setUint32(0, BYTE_ORDER_MAGIC, true);
  sectionView.setUint16(4, 1, true);
  sectionView.setUint16(6, 0, true);
  // The section length is filled in below, once the blocks that follow are known.
  blocks.push(block(BlockType.SECTION_HEADER, [sectionBody, encodeOptions([[SHB_USERAPPL, encoder.encode(application)]])]));

  const interfaceBody = new Uint8Array(8);
  const interfaceView = new DataView(interfaceBody.buffer);
  interfaceView.setUint16(0, LinkType.RAW, true);
  interfaceView.setUint32(4, 0, true); // no snap length: every packet is written whole
  blocks.push(
    block(BlockType.INTERFACE_DESCRIPTION, [
      interfaceBody,
      encodeOptions([[IF_TSRESOL, Uint8Array.of(resolution === 'nanoseconds' ? 9 : 6)]]),
    ]),
  );

  for (const packet of parsedPackets.data) {
    const header = new Uint8Array(20);
    const headerView = new DataView(header.buffer);
    const units = msToUnits(packet.timestampMs, perSecond);
    headerView.setUint32(0, 0, true);
    headerView.setUint32(4, Number(units >> 32n), true);
    headerView.setUint32(8, Number(units & 0xffffffffn), true);
    headerView.setUint32(12, packet.ip.length, true);
    headerView.setUint32(16, packet.ip.length, true);
    // An empty comment is no comment: Wireshark shows nothing for one.
    const packetOptions: Array<[number, Uint8Array]> = packet.comment ? [[OPT_COMMENT, encoder.encode(packet.comment)]] : [];
    blocks.push(block(BlockType.ENHANCED_PACKET, [header, packet.ip, new Uint8Array(padded(packet.ip.length) - packet.ip.length), encodeOptions(packetOptions)]));
  }

  const total = blocks.reduce((sum, b) => sum + b.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of blocks) {
    out.set(b, offset);
    offset += b.length;
  }
  const sectionLength = BigInt(total - blocks[0]!.length);
  new DataView(out.buffer).setBigInt64(16, sectionLength, true);
  return out;
}

function block(type: number, parts: Uint8Array[]): Uint8Array {
  const bodyLength = parts.reduce((sum, p) => sum + p.length, 0);
  const totalLength = BLOCK_FRAMING_LENGTH + bodyLength;
  const out = new Uint8Array(totalLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, totalLength, true);
  let offset = 8;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  view.setUint32(totalLength - 4, totalLength, true);
  return out;
}

function encodeOptions(options: Array<[number, Uint8Array]>): Uint8Array {
  if (options.length === 0) return new Uint8Array(0);
  const length = options.reduce((sum, [, value]) => sum + 4 + padded(value.length), 4);
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const [code, value] of options) {
    view.setUint16(offset, code, true);
    view.setUint16(offset + 2, value.length, true);
    out.set(value, offset + 4);
    offset += 4 + padded(value.length);
  }
  return out; // the last four bytes stay zero: opt_endofopt
}
