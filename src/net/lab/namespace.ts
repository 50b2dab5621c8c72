import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabHostOptions } from './lab-protocol.js';

// The lab host is a node process started in a network namespace of its own:
//
//   setpriv --pdeathsig KILL -- unshare [--user --map-root-user] --net --
//     sh -c 'echo 1024 > .../tcp_child_ehash_entries; exec unshare --net -- "$@"' ... node lab-host.js
//
// setpriv makes the kernel kill it the moment its parent dies, even by SIGKILL; it also
// exits when its channel to the parent closes. Every step execs, so they are all one
// process. Nothing is mounted and no other process joins the namespace, so the namespace,
// its loopback and its firewall rules go with that process.
//
// Why two namespaces: /proc/net/tcp walks every bucket of the TCP hash table, and a new
// namespace shares the host's, sized for the machine (262,144 buckets here): 5 ms a read,
// twice per snapshot of the sockets' states, with the host's event loop stalled meanwhile.
// Since Linux 6.1 a namespace can give the namespaces it creates a table of their own
// (net.ipv4.tcp_child_ehash_entries): the first namespace sets it, only for its children,
// and the lab lives in the second, where a read takes 0.1 ms. On older kernels the setting
// is missing and the second namespace simply shares the table like the first.

/** The flag that carries the host's options (JSON) on its command line. */
export const HOST_OPTIONS_FLAG = '--lab-options';

export interface LabSpawnPlan {
  command: string;
  args: string[];
  /** The file the host runs: lab-host.js next to this module (lab-host.ts under tsx). */
  entry: string;
}

/**
 * PATH with the sbin folders added: ip and nft live there, and Debian leaves them off an
 * ordinary user's PATH, though inside the namespace that user is root and may run them.
 */
export function toolPath(path: string = process.env.PATH ?? ''): string {
  const dirs = path.split(delimiter).filter(Boolean);
  for (const dir of ['/usr/local/sbin', '/usr/sbin', '/sbin']) if (!dirs.includes(dir)) dirs.push(dir);
  return dirs.join(delimiter);
}

/** The environment the lab's tools run in. */
export function toolEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: toolPath() };
}

/** Whether `name` is an executable somewhere on the tools' PATH. */
export function onPath(name: string): boolean {
  for (const dir of toolPath().split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // Not in this one.
    }
  }
  return false;
}

/** Root gets a network namespace directly; anyone else through a user namespace first. */
export function needsUserNamespace(): boolean {
  return process.getuid?.() !== 0;
}

/** The unshare arguments that make the lab's namespace. */
export function unshareArgs(userNamespace: boolean): string[] {
  return userNamespace ? ['--user', '--map-root-user', '--net'] : ['--net'];
}

/**
 * The lab host's module, beside this one, with this one's extension: lab-host.js in
 * dist/, lab-host.ts when the sources run under tsx.
 */
export function labHostEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return join(here, '..', `lab-host${extname(here)}`);
}

/**
 * The parent's node flags, minus those that belong to the parent alone: a loader such as
 * tsx's must reach the host, but a debugger port or the test runner must not.
 */
export function hostExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const withValue = new Set(['-e', '--eval', '-p', '--print']);
  const dropped = /^--(test|watch|inspect|debug|prof|cpu-prof|heap-prof|input-type|experimental-test|diagnostic-dir|redirect-warnings)/;
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (withValue.has(arg)) {
      i++;
    } else if (dropped.test(arg) || arg === '-c' || arg === '--check' || arg === '-i' || arg === '--interactive') {
      // A flag of the parent's own run.
    } else {
      kept.push(arg);
    }
  }
  return kept;
}

/** Buckets of the lab's own TCP hash table: plenty for a classroom's few sockets. */
export const LAB_TCP_HASH_BUCKETS = 1024;

export function labSpawnPlan(options: LabHostOptions, execArgv: readonly string[] = process.execArgv): LabSpawnPlan {
  const entry = labHostEntry();
  const node = [process.execPath, ...hostExecArgv(execArgv), entry, HOST_OPTIONS_FLAG, JSON.stringify(options)];
  const ownHashTable = `echo ${LAB_TCP_HASH_BUCKETS} > /proc/sys/net/ipv4/tcp_child_ehash_entries 2>/dev/null; exec unshare --net -- "$@"`;
  const unshare = ['unshare', ...unshareArgs(options.userNamespace), '--', 'sh', '-c', ownHashTable, 'tcplab-lab', ...node];
  // Without setpriv the host still ends when its channel closes; setpriv makes it certain.
  const [command, ...args] = onPath('setpriv') ? ['setpriv', '--pdeathsig', 'KILL', '--', ...unshare] : unshare;
  return { command: command!, args, entry };
}

/**
 * Starts the host. Its stdout is not read (a stray print cannot corrupt anything), stderr is
 * kept for diagnosis, and fd 3 is the lab channel. It runs in a session of its own so that
 * Ctrl-C in the terminal reaches tcplab, which decides, and not the host directly.
 */
export function spawnLabHost(plan: LabSpawnPlan): ChildProcess {
  return spawn(plan.command, plan.args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], detached: true, env: toolEnv() });
}
