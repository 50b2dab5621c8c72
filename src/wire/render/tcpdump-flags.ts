import { TCPDUMP_LETTERS, TcpFlag } from '../tcp-flags.js';

/** tcpdump's flag letters in its order ("S." for SYN-ACK, "e" for AE), or "none". */
export function tcpdumpFlags(flags: number): string {
  const letters = TCPDUMP_LETTERS.filter(([name]) => (flags & TcpFlag[name]) !== 0).map(([, letter]) => letter);
  return letters.length === 0 ? 'none' : letters.join('');
}
