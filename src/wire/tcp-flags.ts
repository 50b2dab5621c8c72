// Bit positions as they sit in the 16 bits after the sequence numbers: the eight classic
// flags in the low byte and AE (RFC 9768, formerly NS) as the low bit of the byte before.
export const TcpFlag = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  AE: 0x100,
} as const;

export type TcpFlagName = keyof typeof TcpFlag;

/** tcpdump's letters, in the order its one-liner prints them (SYN-ACK is "S.", AE is "e"). */
export const TCPDUMP_LETTERS: ReadonlyArray<readonly [TcpFlagName, string]> = [
  ['FIN', 'F'],
  ['SYN', 'S'],
  ['RST', 'R'],
  ['PSH', 'P'],
  ['ACK', '.'],
  ['URG', 'U'],
  ['ECE', 'E'],
  ['CWR', 'W'],
  ['AE', 'e'],
];

/** Wire order, lowest bit first, as JSON and field views list them. */
export const FLAG_NAMES: readonly TcpFlagName[] = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];

export function flagNames(flags: number): TcpFlagName[] {
  return FLAG_NAMES.filter((name) => (flags & TcpFlag[name]) !== 0);
}
