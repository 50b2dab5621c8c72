import type { PortRange } from './lab-protocol.js';
import { runTool } from './run-tool.js';

// The kernel answers any segment that no socket of its own expects (the SYN-ACK to a SYN the
// learner built, the bundled client's SYN to the learner's port) with a RST, which would
// tear down every connection a learner makes by hand. The rule drops exactly those RSTs:
// from the learner's ports, not carrying the learner's mark. A RST the learner sends on
// purpose carries the mark (SO_MARK on the raw socket) and goes out. The rule is installed
// only inside the lab's own network namespace, so it disappears with the namespace.

export type FirewallTool = 'nft' | 'iptables';

export const NFT_TABLE = 'tcplab';

export function nftRuleset(ports: PortRange, mark: number): string {
  return [
    `table inet ${NFT_TABLE} {`,
    '  chain kernel-resets {',
    '    type filter hook output priority filter; policy accept;',
    `    tcp sport ${ports.first}-${ports.last} tcp flags & rst == rst meta mark != ${hex(mark)} drop`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The same rule for iptables and ip6tables, as argument lists. */
export function iptablesRule(ports: PortRange, mark: number): string[] {
  return [
    '-w',
    '-A',
    'OUTPUT',
    '-p',
    'tcp',
    '--sport',
    `${ports.first}:${ports.last}`,
    '--tcp-flags',
    'RST',
    'RST',
    '-m',
    'mark',
    '!',
    '--mark',
    hex(mark),
    '-j',
    'DROP',
  ];
}

export class FirewallError extends Error {
  override name = 'FirewallError';
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/**
 * Installs the rule in the current network namespace with `tool`, or with 'auto' nft, and
 * iptables (with ip6tables) where nft is missing or fails.
 */
export async function installFirewall(ports: PortRange, mark: number, tool: FirewallTool | 'auto' = 'auto'): Promise<FirewallTool> {
  let nftFailure = '';
  if (tool !== 'iptables') {
    const nft = await runTool('nft', ['-f', '-'], { input: nftRuleset(ports, mark) });
    if (nft.ok) return 'nft';
    const fix = nft.missing ? 'sudo apt-get install nftables' : nftFix(nft.message);
    if (tool === 'nft') throw new FirewallError(`nft could not install the lab's rule: ${nft.message}`, fix);
    nftFailure = nft.missing ? 'nft is not installed, and ' : `nft failed (${nft.message}), and `;
  }
  for (const command of ['iptables', 'ip6tables']) {
    const result = await runTool(command, iptablesRule(ports, mark));
    if (!result.ok) {
      const fix = nftFailure.startsWith('nft failed') ? nftFix(nftFailure) : 'sudo apt-get install nftables';
      throw new FirewallError(`${nftFailure}${command} could not install the lab's rule: ${result.message}`, fix);
    }
  }
  return 'iptables';
}

function nftFix(message: string): string {
  if (/Operation not supported|No such file or directory|Could not process rule/i.test(message)) {
    return 'load the kernel\'s nftables modules: sudo modprobe nf_tables';
  }
  return 'check that nft works in a namespace: unshare --user --map-root-user --net nft list ruleset';
}

function hex(mark: number): string {
  return `0x${mark.toString(16)}`;
}
