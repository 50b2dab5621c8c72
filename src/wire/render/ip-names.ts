// Names for the numbers in IP headers that a learner meets.

const PROTOCOLS: ReadonlyMap<number, string> = new Map([
  [0, 'hop-by-hop'],
  [1, 'icmp'],
  [6, 'tcp'],
  [17, 'udp'],
  [43, 'routing'],
  [44, 'fragment'],
  [58, 'icmp6'],
  [59, 'no next header'],
  [60, 'destination options'],
]);

/** "6 (tcp)", or the bare number for a protocol without a name here. */
export function protocolText(protocol: number): string {
  const name = PROTOCOLS.get(protocol);
  return name === undefined ? String(protocol) : `${protocol} (${name})`;
}

const ECN = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'] as const;

/** The IPv4 TOS or IPv6 traffic class byte as its two parts. */
export function trafficClassText(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')} (DSCP ${value >> 2}, ${ECN[value & 3]})`;
}

/** IPv4's three flag bits, by their usual names; the reserved one is RFC 3514's "evil". */
export function ipv4FlagsText(flags: { reservedBit?: boolean | undefined; df: boolean; mf: boolean }): string {
  const set = [flags.reservedBit ? 'evil' : '', flags.df ? 'DF' : '', flags.mf ? 'MF' : ''].filter((name) => name !== '');
  return set.length === 0 ? 'none' : set.join('+');
}
