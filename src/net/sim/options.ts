/**
 * TCP options as the simulated kernel reads and writes them. Reading follows
 * tcp_parse_options(): MSS, window scale and SACK-permitted count only on a SYN, timestamps
 * on any segment, and a later copy of an option overrides an earlier one. Writing follows
 * tcp_options_write(), whose fixed order is what a learner sees in tcpdump.
 */
import type { TcpOption } from '../../wire/tcp-options.js';
import { TCP_MAX_WSCALE } from './linux.js';

export interface Timestamps {
  val: number;
  ecr: number;
}

/** What one arriving segment offered. */
export interface PeerOptions {
  mss: number | null;
  wscale: number | null;
  sackOk: boolean;
  ts: Timestamps | null;
  sackBlocks: Array<[number, number]>;
}

export function parseOptions(options: readonly TcpOption[], syn: boolean): PeerOptions {
  const parsed: PeerOptions = { mss: null, wscale: null, sackOk: false, ts: null, sackBlocks: [] };
  for (const option of options) {
    switch (option.kind) {
      case 'eol':
        return parsed;
      case 'mss':
        if (syn) parsed.mss = option.value;
        break;
      case 'wscale':
        // Linux clamps an oversized shift (and logs it) rather than refusing the SYN.
        if (syn) parsed.wscale = Math.min(option.value, TCP_MAX_WSCALE);
        break;
      case 'sackok':
        if (syn) parsed.sackOk = true;
        break;
      case 'ts':
        parsed.ts = { val: option.tsval, ecr: option.tsecr };
        break;
      case 'sack':
        if (!syn) parsed.sackBlocks = option.blocks.map(([left, right]) => [left, right]);
        break;
      default:
        break;
    }
  }
  return parsed;
}

/** What a SYN or SYN-ACK of ours carries. */
export interface SynOptionSet {
  mss: number;
  sackOk: boolean;
  ts: Timestamps | null;
  wscale: number | null;
}

/**
 * Measured on loopback: "mss 65495,sackOK,TS val X ecr Y,nop,wscale 10" with everything
 * offered; without timestamps "mss 65495,nop,nop,sackOK,nop,wscale 10"; without SACK
 * "mss 65495,nop,nop,TS val X ecr Y,nop,wscale 10".
 */
export function synOptions(set: SynOptionSet): TcpOption[] {
  const out: TcpOption[] = [{ kind: 'mss', value: set.mss }];
  if (set.ts) {
    if (set.sackOk) out.push({ kind: 'sackok' });
    else out.push({ kind: 'nop' }, { kind: 'nop' });
    out.push({ kind: 'ts', tsval: set.ts.val, tsecr: set.ts.ecr });
  } else if (set.sackOk) {
    out.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'sackok' });
  }
  if (set.wscale !== null) out.push({ kind: 'nop' }, { kind: 'wscale', value: set.wscale });
  return out;
}

/**
 * Options on every other segment: "nop,nop,TS val X ecr Y" once timestamps are agreed, then
 * "nop,nop,sack ..." when there is something to report (measured: a D-SACK for a duplicate,
 * the out-of-order blocks otherwise).
 */
export function segmentOptions(ts: Timestamps | null, sackBlocks: ReadonlyArray<[number, number]>): TcpOption[] {
  const out: TcpOption[] = [];
  if (ts) out.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', tsval: ts.val, tsecr: ts.ecr });
  if (sackBlocks.length > 0) {
    out.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: sackBlocks.map(([left, right]) => [left, right] as [number, number]) });
  }
  return out;
}

/** 40 bytes of option space: with timestamps (12) three SACK blocks fit, without them four. */
export function maxSackBlocks(timestamps: boolean): number {
  return timestamps ? 3 : 4;
}
