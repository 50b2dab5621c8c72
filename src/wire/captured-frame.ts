import { ipFromLinkFrame } from './link-layer.js';

/** One packet record of a capture file, with the IP packet found inside it. */
export interface CapturedFrame {
  /** 0-based position among the file's packet records. */
  index: number;
  /**
   * Milliseconds since the epoch, fraction kept; null for a record that has none (a pcapng
   * Simple Packet Block). A double holds about a quarter of a microsecond at today's dates,
   * so nanosecond digits of a timestamp are rounded.
   */
  timestampMs: number | null;
  linkType: number;
  /** The captured bytes as stored; a view into the file's bytes, not a copy. */
  frame: Uint8Array;
  /** The frame's length on the wire, which is more than frame.length when it was snapped. */
  originalLength: number;
  /** The IP packet inside, link padding and trailer cut off; null when there is none. */
  ip: Uint8Array | null;
  /** Why ip is null, or what was odd about the frame (snapped, trailing bytes). */
  issue: string | null;
  /** pcapng opt_comment values, in file order; always empty for classic pcap. */
  comments: string[];
}

/** Something wrong with the file itself (not one frame), at a byte offset into it. */
export interface CaptureIssue {
  offset: number;
  message: string;
}

export interface Capture {
  format: 'pcap' | 'pcapng';
  frames: CapturedFrame[];
  /** Why reading stopped before the end of the file, or what was skipped along the way. */
  issues: CaptureIssue[];
}

/** The bytes are not a capture file at all: wrong magic, or too short to hold its header. */
export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
  constructor(
    /** What is wrong, without the offset. */
    readonly reason: string,
    /** Where in the file the problem is. */
    readonly offset: number,
  ) {
    super(`${reason} (at byte ${offset})`);
  }
}

/** A writer was handed something it cannot write; the message names the packet and field. */
export class CaptureWriteError extends Error {
  override readonly name = 'CaptureWriteError';
}

export function capturedFrame(record: Omit<CapturedFrame, 'ip' | 'issue'>): CapturedFrame {
  const payload = ipFromLinkFrame(record.linkType, record.frame);
  const notes: string[] = [];
  if (record.originalLength > record.frame.length) {
    notes.push(`only ${record.frame.length} of the frame's ${record.originalLength} bytes were captured`);
  } else if (record.originalLength < record.frame.length) {
    notes.push(`${record.frame.length} bytes were captured of a frame said to be ${record.originalLength} bytes long`);
  }
  if (payload.issue !== null) notes.push(payload.issue);
  return {
    index: record.index,
    timestampMs: record.timestampMs,
    linkType: record.linkType,
    frame: record.frame,
    originalLength: record.originalLength,
    ip: payload.ip,
    issue: notes.length > 0 ? notes.join('; ') : null,
    comments: record.comments,
  };
}

// Capture files count time in fixed units since the epoch. The counts are bigints because a
// nanosecond count of today's date is past what a double holds exactly.

/** Milliseconds since the epoch of a count of units, unitsPerSecond of them to the second. */
export function unitsToMs(units: bigint, unitsPerSecond: bigint, offsetSeconds = 0n): number {
  const seconds = units / unitsPerSecond + offsetSeconds;
  const rest = units % unitsPerSecond;
  return Number(seconds) * 1000 + (Number(rest) * 1000) / Number(unitsPerSecond);
}

/** The nearest count of units (at least 1000 to the second) to a time in ms since the epoch. */
export function msToUnits(timestampMs: number, unitsPerSecond: bigint): bigint {
  const wholeMs = Math.floor(timestampMs);
  const unitsPerMs = unitsPerSecond / 1000n;
  const fraction = Math.round((timestampMs - wholeMs) * Number(unitsPerMs));
  return BigInt(wholeMs) * unitsPerMs + BigInt(fraction);
}
