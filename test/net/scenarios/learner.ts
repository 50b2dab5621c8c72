/**
 * The segments learners write most, for the scenarios: Linux's own SYN, the timestamp option
 * of every later segment, the handshake as client and an in-window reset to tidy up.
 */
import { replies, send, type Step } from './scenario.js';

/** Linux's own SYN options, in Linux's order; the window and TS value are the learner's. */
export const LINUX_SYN = 'tcp flags=S seq=1000 win=65495 opts=mss:65495,sackok,ts:1000:0,nop,wscale:7';

/** The timestamp option every segment carries once both SYNs had one: ours, and the peer's latest echoed. */
export const ts = (tsval: number): string => `opts=nop,nop,ts:${tsval}:$rx.tsval`;

/**
 * SYN with Linux's options, SYN-ACK, ACK with a window of 512 << 7 = 65536 bytes. Afterwards
 * $tx.seq is the learner's next sequence number and $rx is the SYN-ACK.
 */
export const handshake: Step[] = [send(LINUX_SYN), replies(1), send(`tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=512 ${ts(1001)}`)];

/** An RST at exactly the peer's rcv_nxt, after the last segment sent: the connection is gone. */
export const abort = send('tcp flags=R seq=$tx.seq+$tx.len');

/** `n` bytes of one letter, as segment-language hex. */
export const bytes = (n: number, letter = 'a'): string => `0x${letter.charCodeAt(0).toString(16).repeat(n)}`;
