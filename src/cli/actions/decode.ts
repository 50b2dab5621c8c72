import { parseArgs } from '../args.js';
import { UsageError, UserFacingError, type CliIo } from '../command.js';
import { packetJson } from '../packet-json.js';
import { readInput } from '../read-input.js';
import { CaptureFormatError, readCapture } from '../../wire/capture.js';
import { HexTextError, readHexText } from '../../wire/hex-text.js';
import { decodePacket } from '../../wire/packet.js';
import { renderOneLine } from '../../wire/render/index.js';

/** One packet to print: from a capture frame or from a block of hex text. */
interface InputPacket {
  index: number;
  timestampMs: number | null;
  ip: Uint8Array | null;
  /** Why there is no IP packet here. */
  issue: string | null;
}

export async function decodeAction(args: string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args, { switches: ['json', 'hex'] });
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'which file?' : 'one file at a time');
  const path = positional[0]!;
  const bytes = await readInput(path, io.stdin);
  const packets = flags.has('hex') ? fromHexText(bytes, path) : fromCapture(bytes, path, io.stderr);
  const json = flags.has('json');
  for (const input of packets) {
    if (!input.ip) {
      const line = json
        ? JSON.stringify({ index: input.index, error: input.issue ?? 'no IP packet in this frame' })
        : `#${input.index + 1}: ${input.issue ?? 'no IP packet in this frame'}`;
      io.stdout.write(`${line}\n`);
      continue;
    }
    const decoded = decodePacket(input.ip);
    if (json) {
      const extra: Record<string, unknown> = { index: input.index };
      if (input.timestampMs !== null) extra.timestampMs = input.timestampMs;
      io.stdout.write(`${JSON.stringify(packetJson(decoded, extra))}\n`);
    } else {
      io.stdout.write(`${renderOneLine(decoded)}\n`);
    }
  }
  return 0;
}

function fromCapture(bytes: Uint8Array, path: string, stderr: NodeJS.WritableStream): InputPacket[] {
  try {
    const capture = readCapture(bytes);
    // The file is still worth reading when a block is damaged: say so, and print what was read.
    for (const issue of capture.issues) stderr.write(`${path}: byte ${issue.offset}: ${issue.message}\n`);
    return capture.frames.map((frame) => ({
      index: frame.index,
      timestampMs: frame.timestampMs,
      ip: frame.ip,
      issue: frame.issue,
    }));
  } catch (error) {
    if (error instanceof CaptureFormatError) {
      throw new UserFacingError(`${path} is not a pcap or pcapng file: ${error.message} (use --hex for a hex dump)`);
    }
    throw error;
  }
}

function fromHexText(bytes: Uint8Array, path: string): InputPacket[] {
  try {
    return readHexText(Buffer.from(bytes).toString('utf8')).map((packet, index) => ({
      index,
      timestampMs: null,
      ip: packet.bytes,
      issue: null,
    }));
  } catch (error) {
    if (error instanceof HexTextError) throw new UserFacingError(`${path}: ${error.message}`);
    throw error;
  }
}
