// One TCP option as text, in the words the one-liner uses, for the field view and the hex
// dump's legend. An option tcpdump could not read at its declared length is shown raw.

import type { TcpOption } from '../tcp-options.js';
import { relativeTo } from './render-options.js';
import { tcpdumpOptionName, tcpdumpOptions } from './tcpdump-options.js';

/** What each kind is, for labels. */
export const OPTION_TITLES: ReadonlyMap<number, string> = new Map([
  [0, 'end of option list'],
  [1, 'no-operation'],
  [2, 'maximum segment size'],
  [3, 'window scale'],
  [4, 'SACK permitted'],
  [5, 'selective acknowledgement'],
  [8, 'timestamps'],
  [19, 'TCP MD5 signature'],
  [28, 'user timeout'],
  [29, 'TCP authentication'],
  [30, 'multipath TCP'],
  [34, 'fast open cookie'],
  [254, 'experimental'],
]);

export function optionTitle(kind: number): string {
  return OPTION_TITLES.get(kind) ?? `option kind ${kind}`;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A decoded option as the one-liner would print it. */
export function describeTcpOption(option: TcpOption, ackBase?: number): string {
  switch (option.kind) {
    case 'eol':
      return 'eol';
    case 'nop':
      return 'nop';
    case 'mss':
      return `mss ${option.value}`;
    case 'wscale':
      return `wscale ${option.value}`;
    case 'sackok':
      return 'sackOK';
    case 'sack':
      return (
        `sack ${option.blocks.length} ` +
        option.blocks.map(([left, right]) => `{${relativeTo(left, ackBase)}:${relativeTo(right, ackBase)}}`).join('')
      );
    case 'ts':
      return `TS val ${option.tsval} ecr ${option.tsecr}`;
    case 'unknown': {
      const name = tcpdumpOptionName(option.type);
      if (option.length === null) return `${name} (no length byte)`;
      const declared = option.length ?? option.data.length + 2;
      if (declared !== option.data.length + 2 || declared > 0xff) return rawOption(name, option.data, declared);
      const region = new Uint8Array(declared);
      region[0] = option.type;
      region[1] = declared;
      region.set(option.data, 2);
      return describeOptionBytes(region, 0, declared, ackBase);
    }
  }
}

/**
 * The single option that occupies [start, end) of `bytes`, as tcpdump prints it when it
 * reads cleanly at that length, and raw with its declared length otherwise.
 */
export function describeOptionBytes(bytes: Uint8Array, start: number, end: number, ackBase?: number): string {
  // tcpdump's words for an MD5 signature are about its own -M flag; here, just the digest.
  if (bytes[start] === 19 && end - start === 18 && bytes[start + 1] === 18) return `md5 ${hex(bytes.subarray(start + 2, end))}`;
  const listed = tcpdumpOptions(bytes, start, end, ackBase);
  const text = listed.text.slice(0, -1);
  if (listed.outcome === 'ok' && !text.includes('[len ')) return text;
  const name = tcpdumpOptionName(bytes[start]!);
  if (end - start < 2) return `${name} (no length byte)`;
  return rawOption(name, bytes.subarray(start + 2, end), bytes[start + 1]!);
}

function rawOption(name: string, data: Uint8Array, declared: number): string {
  return `${name}${data.length > 0 ? ` 0x${hex(data)}` : ''} [len ${declared}]`;
}
