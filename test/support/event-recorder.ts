/**
 * Every event a network reports, kept in order, and a way to wait for the next one that
 * matters; when it does not come, the failure lists what came instead, one event a line.
 */
import type { NetEvent, Network } from '../../src/net/network.js';
import { tcpdumpFlags } from '../../src/wire/render/index.js';

interface Waiter {
  match: (event: NetEvent) => boolean;
  resolve: (event: NetEvent) => void;
}

export class EventRecorder {
  readonly events: NetEvent[] = [];
  private waiters: Waiter[] = [];

  /** `timeoutMs`: how long next() waits unless told otherwise. */
  constructor(
    network: Network,
    private readonly timeoutMs: number,
  ) {
    network.subscribe((event) => {
      this.events.push(event);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.match(event)) return true;
        waiter.resolve(event);
        return false;
      });
    });
  }

  /** Where the events recorded so far end: a `since` for next(). */
  get mark(): number {
    return this.events.length;
  }

  /** The first event from `since` on that matches, waiting up to `timeoutMs` for it. */
  next<E extends NetEvent>(what: string, match: (event: NetEvent) => event is E, since: number, timeoutMs?: number): Promise<E>;
  next(what: string, match: (event: NetEvent) => boolean, since: number, timeoutMs?: number): Promise<NetEvent>;
  next(what: string, match: (event: NetEvent) => boolean, since: number, timeoutMs = this.timeoutMs): Promise<NetEvent> {
    const seen = this.events.slice(since).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const meanwhile = this.events.slice(since).map(eventSummary);
        reject(new Error(`no ${what} within ${timeoutMs} ms; what came meanwhile:${meanwhile.length === 0 ? ' nothing' : `\n  ${meanwhile.join('\n  ')}`}`));
      }, timeoutMs);
      this.waiters.push({
        match,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }
}

/** One line for an event, as a failure message lists it. */
export function eventSummary(event: NetEvent): string {
  if (event.type === 'packet') {
    const tcp = event.packet.tcp;
    if (tcp === null) return `${event.dir} (not TCP)`;
    return `${event.dir} ${tcp.sport} > ${tcp.dport} [${tcpdumpFlags(tcp.flags)}] seq ${tcp.seq} ack ${tcp.ack} len ${tcp.payload.length}`;
  }
  if (event.type === 'app') return `app ${event.kind} ${event.local.port}<-${event.remote?.port ?? '-'}${event.message ? ` ${event.message}` : ''}`;
  return `state ${event.local.port}<-${event.remote.port} ${event.from} -> ${event.to}`;
}
