import { padWidth, textWidth } from '../session/text-width.js';

/** What the status bar says, as plain values: the controller works it out from the session. */
export interface StatusInfo {
  /** lab, sim or ws. */
  network: string;
  /** The learner's address and port, e.g. "127.0.0.1:40000". */
  me: string;
  /** The bundled server's, e.g. "127.0.0.1:7". */
  server: string;
  /** The learner's side of the connection, as their segments make it. */
  learnerState: string;
  /** The kernel's socket facing the learner; null before there is one. */
  serverState: string | null;
  /** A command still running, e.g. "recv"; null when the prompt is free. */
  busy: string | null;
  /**
   * The network is still starting: there are no addresses or states yet, and a line
   * entered meanwhile (`busy`) waits for it.
   */
  starting?: boolean;
}

/**
 * The status line's text at `width` columns. When it does not all fit, the addresses go
 * first and the states last: the states are what a learner watches.
 */
export function statusText(info: StatusInfo, width: number): string {
  const variants = info.starting === true ? startingVariants(info) : readyVariants(info);
  const fitting = variants.find((text) => textWidth(text) <= width) ?? variants[variants.length - 1]!;
  return padWidth(fitting, width);
}

function readyVariants(info: StatusInfo): string[] {
  const server = info.serverState ?? '-';
  const busy = info.busy !== null ? `  running ${info.busy}…` : '';
  return [
    ` ${info.network}  you ${info.me} → server ${info.server}  │ you: ${info.learnerState}  server: ${server}${busy}  │ ? keys `,
    ` ${info.network}  ${info.me} → ${info.server}  │ you: ${info.learnerState}  server: ${server}${busy} `,
    ` ${info.network} │ you: ${info.learnerState}  server: ${server}${busy} `,
    ` ${info.network} │ you ${info.learnerState} │ srv ${server} `,
  ];
}

function startingVariants(info: StatusInfo): string[] {
  const waiting = info.busy !== null ? `  ${info.busy} waits for it` : '';
  return [` ${info.network} starting…${waiting}  │ ? keys `, ` ${info.network} starting…${waiting} `, ` ${info.network} starting… `];
}
