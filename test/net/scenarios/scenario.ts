/**
 * The scenario format of the differential suite: what a learner does against a Network,
 * written once and run unchanged on the lab (the real kernel) and on sim. A scenario is a
 * list of steps; the segments are lines of the segment language, with the variables a
 * learner uses in the REPL ($rx, $tx, $rx[-2], $server.port, $me.port, $peer.port), so a
 * segment is built from the replies that came before it (`ack=$rx.seq+1`), whatever ISN the
 * other side picked.
 *
 * Steps are actions (send, connect, server) and waits (replies, wait, app). Each reply is
 * put down against the action that drew it: the last action before it arrived. So a reply
 * the lab's bundled server sends a millisecond after sendto() returns counts for the same
 * step as the one sim produces at once, as long as the scenario waits for it before its
 * next action.
 */
import type { AppEventKind } from '../../../src/net/network.js';
import type { ServerBehaviourSpec } from '../../../src/server/behaviour.js';

export type Step =
  /** Send one segment, written in the segment language. */
  | { kind: 'send'; line: string }
  /** Learner as server: the bundled client connects to the learner's address and port. */
  | { kind: 'connect' }
  /** Switch what the bundled server does; later segments go to that behaviour's port. */
  | { kind: 'server'; behaviour: ServerBehaviourSpec }
  /** Wait until `count` replies have come for the last action, or `withinMs` has passed. */
  | { kind: 'replies'; count: number; withinMs: number }
  /** Let `ms` pass: real time on the lab, the virtual clock on sim. */
  | { kind: 'wait'; ms: number }
  /** Wait until the bundled side's application has reported an event of this kind. */
  | { kind: 'app'; event: AppEventKind; withinMs: number };

export const ACTIONS: ReadonlySet<Step['kind']> = new Set(['send', 'connect', 'server']);

/**
 * What the learner should see on Linux, written by hand from the kernel's behaviour, and
 * checked against the real kernel on its own (so a wrong expectation shared by lab and sim
 * cannot pass). Packets are trace lines (see formatTracePacket); app events are their kind,
 * with the data for 'received'; states are the bundled socket's, in order, where a state
 * ending in '?' lasts so briefly that polling /proc on the lab may miss it.
 */
export interface ExpectedTrace {
  packets: string[];
  app: string[];
  states: string[];
}

export interface Scenario {
  name: string;
  /** The learner's port, its own in the whole suite: no two scenarios share a four-tuple. */
  port: number;
  family: 4 | 6;
  steps: Step[];
  /** Put each reply's time since its action in the trace, in steps of TIMING_STEP_MS. */
  timing?: boolean;
  /**
   * A difference between sim and Linux that is known and not yet fixed, in a sentence. The
   * lab is still held to `expected`; the comparisons with sim are marked to do, not skipped.
   */
  simDiffers?: string;
  expected: ExpectedTrace;
}

// Step builders, so a scenario reads as what the learner does.

export const send = (line: string): Step => ({ kind: 'send', line });
export const connect = (): Step => ({ kind: 'connect' });
export const server = (behaviour: ServerBehaviourSpec): Step => ({ kind: 'server', behaviour });
/** The first `count` replies to the last action; a lab reply is there in milliseconds. */
export const replies = (count: number, withinMs = 1000): Step => ({ kind: 'replies', count, withinMs });
export const wait = (ms: number): Step => ({ kind: 'wait', ms });
export const app = (event: AppEventKind, withinMs = 1000): Step => ({ kind: 'app', event, withinMs });

/** How a step reads in a failure message. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'send':
      return `send ${step.line.length > 160 ? `${step.line.slice(0, 150)}... (${step.line.length} characters)` : step.line}`;
    case 'connect':
      return 'connect: the bundled client opens a connection to the learner';
    case 'server':
      return `server ${JSON.stringify(step.behaviour)}`;
    case 'replies':
      return `wait for ${step.count} repl${step.count === 1 ? 'y' : 'ies'} (up to ${step.withinMs} ms)`;
    case 'wait':
      return `wait ${step.ms} ms`;
    case 'app':
      return `wait for the application's '${step.event}' (up to ${step.withinMs} ms)`;
  }
}
