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
 * Classic libpcap files: a 24-byte file header, then records of a 16-byte header and the
 * frame. The magic number gives both the byte order of every field and the timestamp unit.
 */
export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOSECONDS = 0xa1b23c4d;

const FILE_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;
/** The largest frame libpcap itself will write; a bigger length means a damaged record. */
const MAX_FRAME_LENGTH = 262144;

export interface PcapHeader {
  littleEndian: boolean;
  unitsPerSecond: bigint;
  versionMajor: number;
  versionMinor: number;
  snapLength: number;
  linkType: number;
}

export function readPcapHeader(bytes: Uint8Array): PcapHeader {
  if (bytes.length < FILE_HEADER_LENGTH) {
    throw new CaptureFormatError(
      `pcap file ends after ${bytes.length} bytes, inside its ${FILE_HEADER_LENGTH}-byte file header`,
      bytes.length,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const magicLe = view.getUint32(0, true);
  const magicBe = view.getUint32(0, false);
  const littleEndian = magicLe === PCAP_MAGIC_MICROSECONDS || magicLe === PCAP_MAGIC_NANOSECONDS;
  const magic = littleEndian ? magicLe : magicBe;
  if (magic !== PCAP_MAGIC_MICROSECONDS && magic !== PCAP_MAGIC_NANOSECONDS) {
    throw new CaptureFormatError(`0x${magicBe.toString(16).padStart(8, '0')} is not a pcap magic number`, 0);
  }
  const versionMajor = view.getUint16(4, littleEndian);
  const versionMinor = view.getUint16(6, littleEndian);
  if (versionMajor !== 2) {
    throw new CaptureFormatError(`pcap version ${versionMajor}.${versionMinor} is not 2.x, the only one there is`, 4);
  }
  return {
    littleEndian,
    unitsPerSecond: magic === PCAP_MAGIC_NANOSECONDS ? 1_000_000_000n : 1_000_000n,
    versionMajor,
    versionMinor,
    snapLength: view.getUint32(16, littleEndian),
    // The upper bits carry the FCS length and reserved flags, not the link type.
    linkType: view.getUint32(20, littleEndian) & 0xffff,
  };
}

/**
 * Reads every whole record. A record cut off by the end of the file, or whose length cannot
 * be right, ends reading with an issue; the frames before it are kept.
 */
export function readPcap(bytes: Uint8Array): { frames: CapturedFrame[]; issues: CaptureIssue[] } {
  const header = readPcapHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const le = header.littleEndian;
  const frames: CapturedFrame[] = [];
  const issues: CaptureIssue[] = [];
  let offset = FILE_HEADER_LENGTH;
  while (offset < bytes.length) {
    const left = bytes.length - offset;
    if (left < RECORD_HEADER_LENGTH) {
      issues.push({ offset, message: `file ends ${left} bytes into the ${RECORD_HEADER_LENGTH}-byte header of a record` });
      break;
    }
    const seconds = view.getUint32(offset, le);
    const fraction = view.getUint32(offset + 4, le);
    const capturedLength = view.getUint32(offset + 8, le);
    const originalLength = view.getUint32(offset + 12, le);
    if (capturedLength > Math.max(header.snapLength, MAX_FRAME_LENGTH)) {
      issues.push({
        offset,
        message: `record says it holds ${capturedLength} bytes, more than the snap length ${header.snapLength}: the file is damaged here`,
      });
      break;
    }
    const dataStart = offset + RECORD_HEADER_LENGTH;
    if (capturedLength > bytes.length - dataStart) {
      issues.push({
        offset,
        message: `record says it holds ${capturedLength} bytes but the file ends ${bytes.length - dataStart} bytes into them`,
      });
      break;
    }
    frames.push(
      capturedFrame({
        index: frames.length,
        timestampMs: unitsToMs(BigInt(seconds) * header.unitsPerSecond + BigInt(fraction), header.unitsPerSecond),
        linkType: header.linkType,
        frame: bytes.subarray(dataStart, dataStart + capturedLength),
        originalLength,
        comments: [],
      }),
    );
    offset = dataStart + capturedLength;
  }
  return { frames, issues };
}

const PcapPacketSchema = z.object({
  timestampMs: z
    .number()
    .nonnegative()
    .max(0xffffffff * 1000, 'classic pcap counts seconds in 32 bits, which end in 2106'),
  ip: z
    .custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected the packet bytes as a Uint8Array')
    .refine((ip) => ip.length <= MAX_FRAME_LENGTH, { message: `a packet is at most ${MAX_FRAME_LENGTH} bytes` }),
});
const PcapPacketsSchema = z.array(PcapPacketSchema);
export type PcapPacket = z.infer<typeof PcapPacketSchema>;

/** A classic little-endian, microsecond pcap of raw IP packets (LINKTYPE_RAW). */
export function writePcap(packets: PcapPacket[]): Uint8Array {
  const parsed = PcapPacketsSchema.safeParse(packets);
  if (!parsed.success) throw new CaptureWriteError(`writePcap: ${z.prettifyError(parsed.error)}`);
  const total = FILE_HEADER_LENGTH + packets.reduce((sum, p) => sum + RECORD_HEADER_LENGTH + p.ip.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, PCAP_MAGIC_MICROSECONDS, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, MAX_FRAME_LENGTH, true);
  view.setUint32(20, LinkType.RAW, true);
  let offset = FILE_HEADER_LENGTH;
  for (const packet of packets) {
    const micros = msToUnits(packet.timestampMs, 1_000_000n);
    view.setUint32(offset, Number(micros / 1_000_000n), true);
    view.setUint32(offset + 4, Number(micros % 1_000_000n), true);
    view.setUint32(offset + 8, packet.ip.length, true);
    view.setUint32(offset + 12, packet.ip.length, true);
    out.set(packet.ip, offset + RECORD_HEADER_LENGTH);
    offset += RECORD_HEADER_LENGTH + packet.ip.length;
  }
  return out;
}
