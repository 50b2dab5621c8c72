import { parseArgs } from '../args.js';
import { UsageError, UserFacingError, type CliIo } from '../command.js';
import { packetJson } from '../packet-json.js';
import { buildPacket, ENCODE_DEFAULTS, parseSegment, pointAt, SegmentSyntaxError } from '../../lang/index.js';
import { decodePacket, encodePacket, WireEncodeError } from '../../wire/packet.js';

export async function encodeAction(args: string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args, { switches: ['json', 'hex'] });
  if (positional.length === 0) throw new UsageError("which segment? e.g. tcplab encode 'tcp flags=S seq=1000'");
  if (flags.has('json') && flags.has('hex')) throw new UsageError('--json or --hex, not both');
  // Quoting is optional: `tcplab encode tcp flags=S` reads the same as one quoted argument.
  const text = positional.join(' ');
  let bytes: Uint8Array;
  try {
    const spec = parseSegment(text);
    // Outside a session there are no variables; every `$name` is reported as unknown.
    const packet = buildPacket(spec, { defaults: ENCODE_DEFAULTS, resolve: () => undefined });
    bytes = encodePacket(packet);
  } catch (error) {
    if (error instanceof SegmentSyntaxError) throw new UserFacingError(`${error.message}\n${indent(pointAt(text, error))}`);
    if (error instanceof WireEncodeError) throw new UserFacingError(error.message);
    throw error;
  }
  if (flags.has('json')) io.stdout.write(`${JSON.stringify(packetJson(decodePacket(bytes)))}\n`);
  else io.stdout.write(`${Buffer.from(bytes).toString('hex')}\n`);
  return 0;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
