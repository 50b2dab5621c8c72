// TCP options the way tcpdump 4.99 prints them in its one-liner (print-tcp.c), quirks and
// all: an option whose length byte disagrees with its kind is read at the kind's size and
// flagged "[len N]", a length that cannot be right ends the list with "[bad opt]", and EOL
// ends it whatever follows. Matching tcpdump byte for byte lets a learner hold tcplab's
// output next to a capture and see the same line.

import { readU16, readU32 } from '../network-order.js';
import { relativeTo } from './render-options.js';

/** tcpdump's names for option kinds; others print as "unknown-N". */
export const TCPDUMP_OPTION_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'eol'],
  [1, 'nop'],
  [2, 'mss'],
  [3, 'wscale'],
  [4, 'sackOK'],
  [5, 'sack'],
  [6, 'echo'],
  [7, 'echoreply'],
  [8, 'TS'],
  [11, 'cc'],
  [12, 'ccnew'],
  [13, 'ccecho'],
  [19, 'md5'],
  [20, 'scps'],
  [28, 'uto'],
  [29, 'tcp-ao'],
  [30, 'mptcp'],
  [34, 'tfo'],
  [254, 'exp'],
]);

export function tcpdumpOptionName(kind: number): string {
  return TCPDUMP_OPTION_NAMES.get(kind) ?? `unknown-${kind}`;
}

/** How the list ended: 'bad' and 'truncated' end tcpdump's whole line there. */
export type OptionsOutcome = 'ok' | 'bad' | 'truncated';

export interface TcpdumpOptions {
  /** What goes between ", options [" and the end: the list, "]" included when tcpdump prints it. */
  text: string;
  outcome: OptionsOutcome;
}

class Stop {
  constructor(readonly outcome: 'bad' | 'truncated') {}
}

/**
 * The options area [start, end) of a TCP header as tcpdump prints it. Bytes from `captured`
 * on were not captured. `ackBase` makes SACK edges relative, as tcpdump does with the ISN
 * of the direction being acknowledged.
 */
export function tcpdumpOptions(bytes: Uint8Array, start: number, end: number, ackBase?: number): TcpdumpOptions {
  const captured = bytes.length;
  let out = '';
  let separator = '';
  let cp = start;
  let hlen = end - start;
  const u8 = (at: number) => bytes[at]!;
  const u16 = (at: number) => readU16(bytes, at);
  const u32 = (at: number) => readU32(bytes, at);
  const hex = (from: number, count: number) => {
    let text = '';
    for (let i = 0; i < count; i++) text += u8(from + i).toString(16).padStart(2, '0');
    return text;
  };
  // tcpdump's LENCHECK: the data must lie within the header and within the capture.
  const need = (length: number) => {
    if (length > hlen) throw new Stop('bad');
    if (cp + length > captured) throw new Stop('truncated');
  };
  try {
    while (hlen > 0) {
      out += separator;
      if (cp >= captured) throw new Stop('truncated');
      const kind = u8(cp++);
      let length = 1;
      if (kind !== 0 && kind !== 1) {
        if (cp >= captured) throw new Stop('truncated');
        length = u8(cp++);
        if (length < 2 || length > hlen) throw new Stop('bad');
        hlen--;
      }
      hlen--;
      let datalen = 0;
      out += tcpdumpOptionName(kind);
      switch (kind) {
        case 2:
          datalen = 2;
          need(datalen);
          out += ` ${u16(cp)}`;
          break;
        case 3:
          datalen = 1;
          need(datalen);
          out += ` ${u8(cp)}`;
          break;
        case 5:
          datalen = length - 2;
          if (datalen % 8 !== 0) {
            out += ' invalid sack';
          } else {
            out += ` ${datalen / 8} `;
            for (let i = 0; i < datalen; i += 8) {
              need(i + 4);
              const left = relativeTo(u32(cp + i), ackBase);
              need(i + 8);
              const right = relativeTo(u32(cp + i + 4), ackBase);
              out += `{${left}:${right}}`;
            }
          }
          break;
        case 6:
        case 7:
        case 11:
        case 12:
        case 13:
          datalen = 4;
          need(datalen);
          out += ` ${u32(cp)}`;
          break;
        case 8:
          datalen = 8;
          need(datalen);
          out += ` val ${u32(cp)} ecr ${u32(cp + 4)}`;
          break;
        case 19:
          // As tcpdump built with OpenSSL prints it when no -M secret is given.
          datalen = 16;
          need(datalen);
          out += ` shared secret not supplied with -M, can't check - ${hex(cp, 16)}`;
          break;
        case 20:
          datalen = 2;
          need(datalen);
          out += ` cap ${hex(cp, 1)} id ${u8(cp + 1)}`;
          break;
        case 29:
          datalen = length - 2;
          if (datalen < 2) {
            out += ' (invalid)';
          } else {
            need(1);
            out += ` keyid ${u8(cp)}`;
            need(2);
            out += ` rnextkeyid ${u8(cp + 1)}`;
            if (datalen > 2) {
              need(datalen);
              out += ` mac 0x${hex(cp + 2, datalen - 2)}`;
            }
          }
          break;
        case 28: {
          datalen = 2;
          need(datalen);
          const raw = u16(cp);
          // The low bit says minutes rather than seconds (RFC 5482).
          const seconds = raw & 1 ? (raw >> 1) * 60 : raw >> 1;
          out += ` 0x${raw.toString(16)} ${seconds}`;
          break;
        }
        case 34:
          datalen = length - 2;
          need(datalen);
          out += ' ' + fastOpen(datalen, () => hex(cp, datalen), false);
          break;
        case 254: {
          datalen = length - 2;
          need(datalen);
          if (datalen < 2) throw new Stop('bad');
          const magic = u16(cp);
          out += '-';
          // RFC 6994 experiment ids; 0xf989 is TCP Fast Open before it had a kind of its own.
          if (magic === 0xf989) out += fastOpen(datalen - 2, () => hex(cp + 2, datalen - 2), true);
          else out += magic.toString(16).padStart(4, '0');
          break;
        }
        case 0:
        case 1:
        case 4:
          break;
        default:
          // MPTCP (30) has a printer of its own in tcpdump; it is shown here as raw data.
          datalen = length - 2;
          if (datalen > 0) out += ' 0x';
          for (let i = 0; i < datalen; i++) {
            need(i + 1);
            out += hex(cp + i, 1);
          }
          break;
      }
      cp += datalen;
      hlen -= datalen;
      const expected = datalen + (kind === 0 || kind === 1 ? 1 : 2);
      if (expected !== length) out += `[len ${length}]`;
      separator = ',';
      if (kind === 0) break;
    }
    return { text: out + ']', outcome: 'ok' };
  } catch (stop) {
    if (!(stop instanceof Stop)) throw stop;
    if (stop.outcome === 'bad') return { text: out + '[bad opt]' + (separator !== '' ? ']' : ''), outcome: 'bad' };
    return { text: out + ' [|tcp]', outcome: 'truncated' };
  }
}

function fastOpen(datalen: number, cookie: () => string, experimental: boolean): string {
  const prefix = experimental ? 'tfo' : '';
  if (datalen === 0) return prefix + ' cookiereq';
  if (datalen % 2 !== 0 || datalen < 4 || datalen > 16) return prefix + ' (invalid)';
  return `${prefix} cookie ${cookie()}`;
}
