import type { LabEvent } from '../lab/lab-protocol.js';
import { LabRequestFailed, SharedLab, type LabTenant } from './shared-lab.js';

// The daemon's shared lab hosts. A host process costs tens of megabytes whatever it does, so
// learners share hosts, each in a slot of their own (see shared-lab-host.ts), and a new host
// starts only when every running one is full. Hosts beyond the first stop once their last
// learner has left; the first stays up, so the next learner does not wait for a namespace.

export interface LabPoolOptions {
  /** Learners per host, hence per namespace. */
  learnersPerHost: number;
  mark?: number;
  userNamespace?: boolean;
  /** How long an empty extra host lingers before it stops (a class often comes back at once). */
  lingerMs?: number;
  onProblem?: (message: string) => void;
}

export interface Placement {
  tenant: LabTenant;
  /** The host went away (crashed, or was killed): the learner's lab with it. */
  onLost(listener: (reason: string) => void): () => void;
}

export class LabPool {
  private readonly labs: SharedLab[] = [];
  private starting: Promise<SharedLab> | null = null;
  private readonly lingering = new Map<SharedLab, ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(private readonly options: LabPoolOptions) {}

  /** Starts the first host, so that a lab that cannot run here is known before anyone connects. */
  async start(): Promise<void> {
    await this.startHost();
  }

  get hostCount(): number {
    return this.labs.length;
  }

  get hostPids(): number[] {
    return this.labs.map((lab) => lab.pid);
  }

  /** A slot on a host with room, starting a host when none has any. */
  async place(listener: (event: LabEvent) => void): Promise<Placement> {
    if (this.closed) throw new LabRequestFailed('the lab daemon is shutting down');
    let lab = this.labs.find((candidate) => candidate.hasRoom);
    // Others waiting on the same new host may fill it first: then another one starts.
    while (lab === undefined || !lab.hasRoom) lab = this.labs.find((candidate) => candidate.hasRoom) ?? (await this.startHost());
    const linger = this.lingering.get(lab);
    if (linger !== undefined) {
      clearTimeout(linger);
      this.lingering.delete(lab);
    }
    const tenant = await lab.open(listener);
    const release = tenant.release;
    const placed: LabTenant = {
      ...tenant,
      release: async () => {
        await release();
        this.maybeRetire(lab);
      },
    };
    return { tenant: placed, onLost: (lost) => lab.onExit(lost) };
  }

  /** Stops every host: every namespace goes with its process. */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const timer of this.lingering.values()) clearTimeout(timer);
    this.lingering.clear();
    const starting = this.starting;
    if (starting !== null) await starting.catch(() => undefined);
    await Promise.all(this.labs.splice(0).map((lab) => lab.shutdown()));
  }

  private startHost(): Promise<SharedLab> {
    // One start at a time: a burst of learners fills one new host rather than starting many.
    this.starting ??= SharedLab.start({
      capacity: this.options.learnersPerHost,
      ...(this.options.mark !== undefined ? { mark: this.options.mark } : {}),
      ...(this.options.userNamespace !== undefined ? { userNamespace: this.options.userNamespace } : {}),
      ...(this.options.onProblem !== undefined ? { onProblem: this.options.onProblem } : {}),
    })
      .then(async (lab) => {
        if (this.closed) {
          await lab.shutdown();
          throw new LabRequestFailed('the lab daemon is shutting down');
        }
        this.labs.push(lab);
        lab.onExit((reason) => {
          const at = this.labs.indexOf(lab);
          if (at !== -1) this.labs.splice(at, 1);
          if (!this.closed) this.options.onProblem?.(`a shared lab host (pid ${lab.pid}) ended: ${reason}`);
        });
        return lab;
      })
      .finally(() => (this.starting = null));
    return this.starting;
  }

  private maybeRetire(lab: SharedLab): void {
    if (this.closed || lab.occupied > 0 || this.labs[0] === lab || !this.labs.includes(lab) || this.lingering.has(lab)) return;
    const timer = setTimeout(() => {
      this.lingering.delete(lab);
      if (lab.occupied > 0 || this.closed) return;
      const at = this.labs.indexOf(lab);
      if (at !== -1) this.labs.splice(at, 1);
      void lab.shutdown();
    }, this.options.lingerMs ?? 60_000);
    timer.unref();
    this.lingering.set(lab, timer);
  }
}
