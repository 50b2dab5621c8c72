import type { NetworkKind, SelectOptions } from '../net/select.js';
import { UsageError } from './command.js';

/** What `--net`, `--seed` and `--token-file` ask for, shared by every command that opens a network. */
export interface NetworkChoice {
  kind: NetworkKind | undefined;
  options: SelectOptions;
}

/**
 * `--net lab|sim|ws://HOST:PORT|wss://HOST:PORT`. A remote lab is a real kernel too, so a
 * lesson that needs the lab runs on it; its token comes from --token-file or $TCPLAB_TOKEN.
 */
export function networkChoice(flags: Map<string, string | true>): NetworkChoice {
  const net = flags.get('net');
  const options: SelectOptions = {};
  let kind: NetworkKind | undefined;
  if (net === true) throw new UsageError('--net needs a value: lab, sim or ws://HOST:PORT');
  if (net === 'lab' || net === 'sim') kind = net;
  else if (net !== undefined) {
    if (!/^wss?:\/\/[^/\s]+/.test(net)) throw new UsageError(`--net is lab, sim or ws://HOST:PORT (wss:// with TLS), not '${net}'`);
    kind = 'lab';
    options.remote = { url: net };
    const tokenFile = flags.get('token-file');
    if (tokenFile === true) throw new UsageError('--token-file needs a file');
    if (tokenFile !== undefined) options.remote.tokenFile = tokenFile;
  }
  if (flags.has('token-file') && options.remote === undefined) throw new UsageError('--token-file goes with --net ws://HOST:PORT');
  const seed = flags.get('seed');
  if (seed !== undefined) {
    if (typeof seed !== 'string' || !/^\d+$/.test(seed) || Number(seed) > 0xffffffff) throw new UsageError(`--seed is a whole number 0..4294967295, not '${seed}'`);
    if (kind === 'lab') throw new UsageError('--seed is for sim: the lab runs the real kernel, which picks its own numbers');
    options.seed = Number(seed);
  }
  return { kind, options };
}
