import { constants, gunzipSync } from 'node:zlib';
import { CaptureFormatError, type Capture } from './captured-frame.js';
import { PCAP_MAGIC_MICROSECONDS, PCAP_MAGIC_NANOSECONDS, readPcap } from './pcap.js';
import { BlockType, readPcapng } from './pcapng.js';

export { CaptureFormatError, CaptureWriteError } from './captured-frame.js';
export type { Capture, CaptureIssue, CapturedFrame } from './captured-frame.js';
export { writePcap } from './pcap.js';
export { writePcapng } from './pcapng.js';

/** Modified pcap (Alexey Kuznetsov's patches): several incompatible record layouts share it. */
const MODIFIED_PCAP_MAGIC = 0xa1b2cd34;

export type CaptureFormat = Capture['format'];

/** Which format the bytes are in, from their first four; throws CaptureFormatError if neither. */
export function sniffCaptureFormat(bytes: Uint8Array): CaptureFormat {
  if (bytes.length < 4) {
    throw new CaptureFormatError(`file is ${bytes.length} bytes long, too short to hold a capture's magic number`, 0);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
  const le = view.getUint32(0, true);
  const be = view.getUint32(0, false);
  if (be === BlockType.SECTION_HEADER) return 'pcapng';
  for (const magic of [le, be]) {
    if (magic === PCAP_MAGIC_MICROSECONDS || magic === PCAP_MAGIC_NANOSECONDS) return 'pcap';
    if (magic === MODIFIED_PCAP_MAGIC) {
      throw new CaptureFormatError('modified pcap (magic 0xa1b2cd34) is not read here; convert it with editcap -F pcap', 0);
    }
  }
  const hex = be.toString(16).padStart(8, '0');
  throw new CaptureFormatError(`file starts with 0x${hex}, which is neither a pcap nor a pcapng magic number`, 0);
}

/**
 * Reads a pcap or pcapng file, gzip-compressed or not. Throws CaptureFormatError only when the
 * file as a whole is not a capture; damage further in ends reading with an issue.
 */
export function readCapture(input: Uint8Array): Capture {
  // A Buffer's subarray makes a Buffer, which costs more than a plain view; frames are views.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.length);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return readCapture(gunzipped(bytes));
    } catch (error) {
      if (!(error instanceof CaptureFormatError)) throw error;
      throw new CaptureFormatError(`gzip-compressed file, once decompressed: ${error.reason}`, error.offset);
    }
  }
  const format = sniffCaptureFormat(bytes);
  const { frames, issues } = format === 'pcap' ? readPcap(bytes) : readPcapng(bytes);
  return { format, frames, issues };
}

/** A cut-off gzip stream still gives the bytes before the cut, as Wireshark reads them. */
function gunzipped(bytes: Uint8Array): Uint8Array {
  try {
    return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CaptureFormatError(`file looks gzip-compressed but does not decompress: ${reason}`, 0);
  }
}
