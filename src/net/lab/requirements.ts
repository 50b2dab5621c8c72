import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { release } from 'node:os';
import { nftRuleset } from './firewall.js';
import { needsUserNamespace, onPath, toolEnv, unshareArgs } from './namespace.js';
import { loadRawSocketAddon, RAW_SOCKET_PACKAGE } from './raw-channel.js';
import { runTool } from './run-tool.js';

// What the lab needs from the machine, each checked the way the lab will use it (a tool
// that is installed but refused inside a namespace fails its check), and for each failure
// the exact command or setting that fixes it. `tcplab doctor` prints these; the choice of
// network reads them to say in one line why it fell back to sim.

export interface RequirementCheck {
  id: 'linux' | 'unshare' | 'setpriv' | 'namespaces' | 'iproute2' | 'firewall' | 'raw-socket-addon' | 'raw-socket' | 'lab';
  title: string;
  /** Without it the lab cannot run; without a recommended one it runs less safely. */
  required: boolean;
  ok: boolean;
  /** What was found, or what is wrong. */
  detail: string;
  /** The command or setting that makes a failed check pass. */
  fix?: string;
}

export type LabAvailability = { ok: true } | { ok: false; reason: string; fix: string };

const PROBE_TIMEOUT_MS = 10_000;

export async function checkLabRequirements(): Promise<RequirementCheck[]> {
  const checks: RequirementCheck[] = [];
  const linux = process.platform === 'linux';
  checks.push(
    linux
      ? pass('linux', 'Linux', true, `Linux ${release()} (${process.arch})`)
      : fail('linux', 'Linux', true, `this is ${process.platform}: network namespaces exist only on Linux`, 'use the simulator: tcplab --net sim'),
  );
  if (!linux) return checks;

  const hasUnshare = onPath('unshare');
  checks.push(
    hasUnshare
      ? pass('unshare', 'unshare (util-linux)', true, 'found')
      : fail('unshare', 'unshare (util-linux)', true, 'unshare is not installed', 'sudo apt-get install util-linux'),
  );
  checks.push(
    onPath('setpriv')
      ? pass('setpriv', 'setpriv (util-linux)', false, 'found: the lab dies with tcplab even on SIGKILL')
      : fail('setpriv', 'setpriv (util-linux)', false, 'not installed: the lab still ends when tcplab does, but less surely', 'sudo apt-get install util-linux'),
  );
  if (!hasUnshare) return checks;

  const userNamespace = needsUserNamespace();
  const namespaces = await checkNamespaces(userNamespace);
  checks.push(namespaces);
  const inLab = (command: string[], input?: string) =>
    runTool('unshare', [...unshareArgs(userNamespace), '--', ...command], { env: toolEnv(), timeoutMs: PROBE_TIMEOUT_MS, ...(input !== undefined ? { input } : {}) });

  if (!onPath('ip')) {
    checks.push(fail('iproute2', 'ip (iproute2)', true, 'ip is not installed', 'sudo apt-get install iproute2'));
  } else if (namespaces.ok) {
    const up = await inLab(['ip', 'link', 'set', 'lo', 'up']);
    checks.push(up.ok ? pass('iproute2', 'ip (iproute2)', true, 'brings loopback up in a namespace') : fail('iproute2', 'ip (iproute2)', true, up.message, 'sudo apt-get install iproute2'));
  }

  checks.push(await checkFirewall(namespaces.ok, inLab));

  const addon = loadRawSocketAddon();
  checks.push(
    addon.ok
      ? pass('raw-socket-addon', `raw socket addon (${RAW_SOCKET_PACKAGE})`, true, 'loads')
      : fail('raw-socket-addon', `raw socket addon (${RAW_SOCKET_PACKAGE})`, true, addon.reason, addon.fix),
  );
  if (addon.ok && namespaces.ok) checks.push(await checkRawSocket(inLab));
  return checks;
}

/** Whether the lab can start here, and if not the first reason and its fix. */
export async function labAvailability(): Promise<LabAvailability> {
  const failed = (await checkLabRequirements()).find((check) => check.required && !check.ok);
  if (failed === undefined) return { ok: true };
  return { ok: false, reason: `${failed.title}: ${failed.detail}`, fix: failed.fix ?? 'run `tcplab doctor`' };
}

type InLab = (command: string[], input?: string) => ReturnType<typeof runTool>;

async function checkNamespaces(userNamespace: boolean): Promise<RequirementCheck> {
  const title = userNamespace ? 'user and network namespaces' : 'network namespaces';
  if (userNamespace) {
    // Each of these turns unprivileged user namespaces off on some distribution.
    const clone = await readSysctl('kernel/unprivileged_userns_clone');
    if (clone === '0') {
      return fail('namespaces', title, true, 'kernel.unprivileged_userns_clone = 0: user namespaces are off for non-root users', 'sudo sysctl -w kernel.unprivileged_userns_clone=1');
    }
    const max = await readSysctl('user/max_user_namespaces');
    if (max === '0') {
      return fail('namespaces', title, true, 'user.max_user_namespaces = 0: no user namespace may be made', 'sudo sysctl -w user.max_user_namespaces=15000');
    }
    const apparmor = await readSysctl('kernel/apparmor_restrict_unprivileged_userns');
    if (apparmor === '1') {
      return fail(
        'namespaces',
        title,
        true,
        'kernel.apparmor_restrict_unprivileged_userns = 1: AppArmor denies user namespaces to unconfined programs (Ubuntu 24.04 and later)',
        'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0',
      );
    }
  }
  const probe = await runTool('unshare', [...unshareArgs(userNamespace), '--', 'true'], { env: toolEnv(), timeoutMs: PROBE_TIMEOUT_MS });
  if (probe.ok) return pass('namespaces', title, true, `unshare ${unshareArgs(userNamespace).join(' ')} works`);
  const fix = userNamespace
    ? 'sudo sysctl -w user.max_user_namespaces=15000 (and, on Ubuntu 24.04 or later, sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0)'
    : 'run tcplab as root with CAP_SYS_ADMIN, or, in a container, start it with --privileged (or --cap-add SYS_ADMIN --cap-add NET_ADMIN --cap-add NET_RAW)';
  return fail('namespaces', title, true, probe.message, fix);
}

async function checkFirewall(namespacesOk: boolean, inLab: InLab): Promise<RequirementCheck> {
  const title = 'nft (nftables) or iptables';
  const nft = onPath('nft');
  const iptables = onPath('iptables') && onPath('ip6tables');
  if (!nft && !iptables) return fail('firewall', title, true, 'neither nft nor iptables is installed', 'sudo apt-get install nftables');
  if (!namespacesOk) return fail('firewall', title, true, 'not tried: no namespace to try it in', 'fix the namespaces first');
  if (nft) {
    const probe = await inLab(['nft', '-f', '-'], nftRuleset({ first: 40000, last: 40999 }, 1));
    if (probe.ok) return pass('firewall', title, true, 'nft installs the lab\'s rule in a namespace');
    return fail('firewall', title, true, `nft fails in a namespace: ${probe.message}`, 'sudo modprobe nf_tables');
  }
  const probe = await inLab(['iptables', '-w', '-L', 'OUTPUT']);
  if (probe.ok) return pass('firewall', title, true, 'iptables works in a namespace (nft is preferred: sudo apt-get install nftables)');
  return fail('firewall', title, true, `iptables fails in a namespace: ${probe.message}`, 'sudo apt-get install nftables');
}

async function checkRawSocket(inLab: InLab): Promise<RequirementCheck> {
  const title = 'raw TCP sockets in the namespace';
  const addonPath = createRequire(import.meta.url).resolve(RAW_SOCKET_PACKAGE);
  // As the lab opens them: protocol 6, IPv4 (1 in the addon's terms) and, where the kernel
  // has it, IPv6 (2).
  const ipv6 = existsSync('/proc/sys/net/ipv6');
  const script = `const raw = require(${JSON.stringify(addonPath)}); for (const f of [1${ipv6 ? ', 2' : ''}]) raw.createSocket({ protocol: 6, addressFamily: f }).close();`;
  const probe = await inLab([process.execPath, '-e', script]);
  if (probe.ok) return pass('raw-socket', title, true, ipv6 ? 'IPv4 and IPv6 raw TCP sockets open' : 'IPv4 raw TCP sockets open (this kernel has no IPv6)');
  return fail('raw-socket', title, true, probe.message, `npm rebuild ${RAW_SOCKET_PACKAGE}`);
}

async function readSysctl(name: string): Promise<string | null> {
  try {
    return (await readFile(`/proc/sys/${name}`, 'utf8')).trim();
  } catch {
    return null;
  }
}

function pass(id: RequirementCheck['id'], title: string, required: boolean, detail: string): RequirementCheck {
  return { id, title, required, ok: true, detail };
}

function fail(id: RequirementCheck['id'], title: string, required: boolean, detail: string, fix: string): RequirementCheck {
  return { id, title, required, ok: false, detail, fix };
}
