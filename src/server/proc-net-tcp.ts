/**
 * The text of /proc/net/tcp and /proc/net/tcp6: one line per socket of the reading
 * process's network namespace, as the kernel sees it.
 *
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
 *    0: 0100007F:1388 0100007F:829E 01 00000000:00000064 00:00000000 00000000     0        0 14802 ...
 *
 * Addresses are the raw in-kernel words printed as hex, so they read in host byte order:
 * an IPv4 address is one 32-bit word (127.0.0.1 is "0100007F" on a little-endian machine), an
 * IPv6 address four of them, each in host order. Ports are already in host order.
 *
 * Half-open connections are request sockets (TCP_NEW_SYN_RECV inside the kernel), but the
 * kernel prints them with state 03, SYN-RECV, and inode 0: a learner's unanswered SYN-ACK shows
 * up here as SYN-RECV. Code 0C is mapped too, should a kernel ever print it.
 */
import { endianness } from 'node:os';
import type { Endpoint, TcpState } from '../net/network.js';
import { readIpv4Address, readIpv6Address } from '../wire/ip-address.js';

export interface SocketEntry {
  family: 4 | 6;
  local: Endpoint;
  /** 0.0.0.0:0 or :::0 for a listener. */
  remote: Endpoint;
  state: TcpState;
  /**
   * Bytes sent and not yet acknowledged (a SYN or FIN counts one). For a listener: the
   * backlog it was given.
   */
  txQueue: number;
  /**
   * Bytes received that the application has not read yet (a received FIN counts one). For a
   * listener: connections waiting to be accepted.
   */
  rxQueue: number;
  uid: number;
  /** 0 for a socket no process holds: request sockets (SYN-RECV) and TIME-WAIT. */
  inode: number;
}

/** Linux's state codes (include/net/tcp_states.h), named as `ss` names them. */
export const TCP_STATE_CODES: Readonly<Record<number, TcpState>> = {
  0x01: 'ESTABLISHED',
  0x02: 'SYN-SENT',
  0x03: 'SYN-RECV',
  0x04: 'FIN-WAIT-1',
  0x05: 'FIN-WAIT-2',
  0x06: 'TIME-WAIT',
  0x07: 'CLOSED',
  0x08: 'CLOSE-WAIT',
  0x09: 'LAST-ACK',
  0x0a: 'LISTEN',
  0x0b: 'CLOSING',
  0x0c: 'NEW-SYN-RECV',
};

/** A line that is not what the kernel prints: says which line and which field. */
export class ProcNetTcpError extends Error {
  override name = 'ProcNetTcpError';
}

export interface ProcNetTcpOptions {
  /** The byte order of the machine that wrote the text; this machine's by default. */
  endianness?: 'LE' | 'BE';
}

/**
 * Every socket line in `text`: /proc/net/tcp, /proc/net/tcp6, or both one after the other.
 * Header lines and blank lines are skipped; the family follows from the address width.
 */
export function parseProcNetTcp(text: string, options: ProcNetTcpOptions = {}): SocketEntry[] {
  const order = options.endianness ?? endianness();
  const entries: SocketEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i]!.trim().split(/\s+/);
    if (fields[0] === '' || fields[0] === 'sl') continue;
    entries.push(parseLine(fields, i + 1, order));
  }
  return entries;
}

function parseLine(fields: string[], lineNumber: number, order: 'LE' | 'BE'): SocketEntry {
  const fail = (what: string): never => {
    throw new ProcNetTcpError(`/proc/net/tcp line ${lineNumber}: ${what}`);
  };
  if (fields.length < 10 || !/^\d+:$/.test(fields[0]!)) fail(`expected "N: local remote st tx:rx ... uid timeout inode", got "${fields.join(' ')}"`);
  const local = parseEndpoint(fields[1]!, order) ?? fail(`local_address "${fields[1]}" is not HEX:PORT`);
  const remote = parseEndpoint(fields[2]!, order) ?? fail(`rem_address "${fields[2]}" is not HEX:PORT`);
  if (local.family !== remote.family) fail(`local_address and rem_address differ in width`);
  const code = /^[0-9A-Fa-f]{2}$/.test(fields[3]!) ? parseInt(fields[3]!, 16) : -1;
  const state = TCP_STATE_CODES[code] ?? fail(`st "${fields[3]}" is not a TCP state code (01..0C)`);
  const queues = /^([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8})$/.exec(fields[4]!) ?? fail(`tx_queue:rx_queue "${fields[4]}" is not two 8-digit hex numbers`);
  const uid = /^\d+$/.test(fields[7]!) ? Number(fields[7]) : fail(`uid "${fields[7]}" is not a number`);
  const inode = /^\d+$/.test(fields[9]!) ? Number(fields[9]) : fail(`inode "${fields[9]}" is not a number`);
  return {
    family: local.family,
    local: local.endpoint,
    remote: remote.endpoint,
    state,
    txQueue: parseInt(queues[1]!, 16),
    rxQueue: parseInt(queues[2]!, 16),
    uid,
    inode,
  };
}

function parseEndpoint(text: string, order: 'LE' | 'BE'): { family: 4 | 6; endpoint: Endpoint } | null {
  const match = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(text);
  if (match === null) return null;
  const hex = match[1]!;
  const bytes = new Uint8Array(hex.length / 2);
  // Each 32-bit word was printed as a number: on a little-endian machine its bytes, as they
  // sit in the packet, read backwards.
  for (let word = 0; word < bytes.length / 4; word++) {
    for (let i = 0; i < 4; i++) {
      const from = order === 'LE' ? 3 - i : i;
      bytes[word * 4 + i] = parseInt(hex.slice(word * 8 + from * 2, word * 8 + from * 2 + 2), 16);
    }
  }
  const port = parseInt(match[2]!, 16);
  return bytes.length === 4
    ? { family: 4, endpoint: { addr: readIpv4Address(bytes, 0), port } }
    : { family: 6, endpoint: { addr: readIpv6Address(bytes, 0), port } };
}
