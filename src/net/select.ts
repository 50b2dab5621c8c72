import type { LabHostProcess } from './lab/lab-host-process.js';
import type { Network } from './network.js';
import { createSimNetwork } from './sim/index.js';

// Each network's code is loaded when it is chosen: the lab's zod-checked protocol and the
// WebSocket client cost sim a tenth of a second at start-up otherwise.

export type NetworkKind = 'lab' | 'sim';

export interface SelectOptions {
  /** For sim: the seed, so a run can be replayed. */
  seed?: number;
  /** A lab on a remote host (`tcplab lab serve`): its ws:// or wss:// URL and where the token is. */
  remote?: { url: string; tokenFile?: string };
  /** A lab host started ahead (startLabHost), for the lab to use; ended if the lab is not chosen. */
  labHost?: LabHostProcess;
}

/** The lab was asked for by name and cannot start: the message says why and what fixes it. */
export class NetworkUnavailableError extends Error {
  override name = 'NetworkUnavailableError';
}

/**
 * The network a session runs on: the one asked for, or with no choice the lab where it
 * works and sim otherwise. `note` is one line saying which and why, for the learner.
 */
export async function selectNetwork(kind?: NetworkKind, options: SelectOptions = {}): Promise<{ network: Network; note: string }> {
  const sim = (reason: string) => {
    const network = createSimNetwork({ ...(options.seed !== undefined ? { seed: options.seed } : {}), reason });
    return { network, note: `network: sim, ${reason} (seed ${network.seed})` };
  };
  const lab = async () => (await import('./lab/lab-network.js')).createLabNetwork(options.labHost !== undefined ? { host: options.labHost } : {});
  // A lab host started ahead is not needed for sim or a remote lab.
  if (kind === 'sim' || options.remote !== undefined) options.labHost?.child.kill('SIGKILL');
  if (kind === 'sim') return sim('as asked');
  if (options.remote !== undefined) {
    const { url, tokenFile } = options.remote;
    const [{ readClientToken, TokenFileError }, { connectWsNetwork, WsConnectError }] = await Promise.all([import('./ws/tokens.js'), import('./ws/ws-network.js')]);
    try {
      const token = await readClientToken(tokenFile === undefined ? {} : { tokenFile });
      return { network: await connectWsNetwork(url, { token }), note: `network: lab on ${url}: a Linux kernel on a remote host, in a namespace of your own` };
    } catch (error) {
      if (error instanceof WsConnectError || error instanceof TokenFileError) throw new NetworkUnavailableError(error.message);
      throw error;
    }
  }
  if (kind === 'lab') {
    try {
      return { network: await lab(), note: 'network: lab, as asked: the Linux kernel in a network namespace of its own' };
    } catch (error) {
      throw new NetworkUnavailableError(await labFailure(error));
    }
  }
  // Starting the lab is the quickest proof that it works; the requirement checks run only
  // when it does not, to say precisely which one failed.
  try {
    return { network: await lab(), note: 'network: lab: the Linux kernel in a network namespace of its own' };
  } catch (error) {
    const { labAvailability } = await import('./lab/requirements.js');
    const availability = await labAvailability();
    if (!availability.ok) return sim(`because the lab cannot run here: ${availability.reason} (fix: ${availability.fix})`);
    return sim(`because the lab did not start: ${await labFailure(error)}`);
  }
}

async function labFailure(error: unknown): Promise<string> {
  const { LabStartError } = await import('./lab/lab-network.js');
  if (error instanceof LabStartError) return `${error.message} (fix: ${error.fix})`;
  return error instanceof Error ? error.message : String(error);
}
