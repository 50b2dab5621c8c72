/**
 * The network `--net` asks for and a REPL session on it. The network's modules load here,
 * when called, so a terminal can draw its prompt while the lab host starts.
 */
import { UserFacingError } from './command.js';
import type { NetworkChoice } from './network-flags.js';
import type { Network } from '../net/network.js';
import type { Session } from '../session/session.js';

export interface OpenReplSession {
  network: Network;
  session: Session;
  /** One line: which network, and why. */
  note: string;
}

export interface StartingReplSession {
  /**
   * This process's part of the start is done: for the lab, its code is loaded and the host on
   * its way in a process of its own; for sim, which runs in this one, once it is ready.
   */
  launched: Promise<void>;
  /**
   * The network and the session on it. A network that cannot start is a UserFacingError
   * saying why; a session that cannot open closes its network again.
   */
  ready: Promise<OpenReplSession>;
}

/** Starts the network, then opens the session on it. */
export function startReplSession(choice: NetworkChoice, family: 4 | 6): StartingReplSession {
  let launch: () => void = () => {};
  const launched = new Promise<void>((resolve) => (launch = resolve));
  const ready = open(choice, family, () => launch());
  // Launched at the latest when it is ready, or has failed (which `ready` tells).
  ready.then(launch, launch);
  return { launched, ready };
}

async function open(choice: NetworkChoice, family: 4 | 6, launched: () => void): Promise<OpenReplSession> {
  const { selecting } = await beginNetwork(choice);
  // Handled below; this keeps a lab that fails at once from counting as unhandled while the
  // session's modules load.
  selecting.catch(() => undefined);
  // The session's modules load while the lab host sets its namespace up.
  const { Session } = await import('../session/session.js');
  // A lab host or a remote lab now works in another process, and this one is free for the
  // screen; sim works in this one, so it is launched only once it is ready.
  if (wantsLab(choice) || choice.options.remote !== undefined) launched();
  const selected = await selecting;
  try {
    return { ...selected, session: await Session.open(selected.network, { family }) };
  } catch (error) {
    await selected.network.close();
    throw error;
  }
}

/**
 * Starts the network `--net` asks for. It resolves once the work is under way (the lab host
 * started from a module that loads in a few milliseconds, the selection's code loaded) to the
 * selection itself, so a caller loads its own modules while the lab host sets its namespace
 * up. A network that cannot start is a UserFacingError saying why.
 */
export async function beginNetwork(choice: NetworkChoice): Promise<{ selecting: Promise<{ network: Network; note: string }> }> {
  const labHost = wantsLab(choice) ? (await import('../net/lab/lab-host-process.js')).startLabHost() : undefined;
  const { NetworkUnavailableError, selectNetwork } = await import('../net/select.js');
  const selecting = selectNetwork(choice.kind, { ...choice.options, ...(labHost !== undefined ? { labHost } : {}) }).catch((error: unknown) => {
    throw error instanceof NetworkUnavailableError ? new UserFacingError(error.message) : error;
  });
  return { selecting };
}

/** Whether the lab on this machine is tried: asked for, or the default. */
function wantsLab(choice: NetworkChoice): boolean {
  return choice.options.remote === undefined && choice.kind !== 'sim';
}

/** How the status bar names the network while it starts: with no --net, the lab is tried first. */
export function startingNetworkName(choice: NetworkChoice): string {
  if (choice.options.remote !== undefined) return 'ws';
  return choice.kind ?? 'lab';
}
