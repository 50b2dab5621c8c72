// One learner's session over one Network: every event the network reports, numbered and
// kept; the learner's port, connection and variables; and the commands that act on them.
// It has no screen: everything it says is a LogEntry, which the Ink UI, the plain-text
// script mode and the lessons all read.

import { ENCODE_DEFAULTS, type SegmentDefaults } from '../lang/defaults.js';
import { lexLine } from '../lang/lexer.js';
import { buildPacket } from '../lang/build.js';
import type { SegmentSpec } from '../lang/segment-parser.js';
import { didYouMean } from '../lang/suggest.js';
import { SegmentSyntaxError } from '../lang/syntax-error.js';
import type { Direction, Endpoint, NetEvent, Network, TcpState } from '../net/network.js';
import type { ServerBehaviourSpec } from '../server/behaviour.js';
import { decodePacket, encodePacket, WireEncodeError, type DecodedPacket, type Packet } from '../wire/packet.js';
import { renderOneLine } from '../wire/render/index.js';
import { CommandError, type CommandStatus } from './command.js';
import { findCommand, SESSION_COMMANDS } from './commands/registry.js';
import { isScapyNotation } from '../lang/scapy-notation.js';
import { runScapyLine } from './scapy-line.js';
import { ConnectionTracker, type ConnectionView } from './connection.js';
import { describeAppEvent } from './describe-app-event.js';
import type { LogEntry, NewLogEntry, SequenceBases } from './log-entry.js';
import { PacketHistory, type PacketRecord } from './packet-history.js';
import { ReceiveQueue } from './receive-queue.js';
import { sessionResolver } from './variables.js';
import { ArrivalSignal, waitUntil } from './waiting.js';

export interface SessionOptions {
  /** The IP version of a line that names no address; 4 unless set. */
  family?: 4 | 6;
  /** What the bundled server does at first; echo unless set. */
  server?: ServerBehaviourSpec;
  /** The learner's first port; the first of the network's learner ports unless set. */
  port?: number;
  /** Columns that drawn text (ladder, follow) is fitted to; 80 unless set. */
  width?: number;
}

export interface CommandOutcome {
  status: CommandStatus;
  /** What the command added to the log, its own echo first (packets that arrived meanwhile included). */
  entries: LogEntry[];
}

/** A packet the learner sent, as built, and as the network reported it once it did. */
interface SentPacket {
  built: DecodedPacket;
  /** The TCP header and payload: how the network's report of it is recognised. */
  transport: Uint8Array;
  record: PacketRecord | null;
}

export type SendOutcome = { ok: true; packet: DecodedPacket; record: PacketRecord | null } | { ok: false; reason: string };

/** How long the lab may take to report a packet the learner sent, before the command goes on without it. */
const SENT_REPORT_WAIT_MS = 250;

export class Session {
  readonly family: 4 | 6;
  /** Columns that drawn text (ladder, follow) is fitted to: a UI sets it to its terminal's. */
  width: number;
  private readonly entries: LogEntry[] = [];
  private readonly netEvents: NetEvent[] = [];
  private readonly listeners = new Set<(entry: LogEntry) => void>();
  private readonly history = new PacketHistory();
  private readonly arrivals = new ArrivalSignal();
  private readonly bundledStates = new Map<string, TcpState>();
  private readonly startedAt: number;
  /** The wall clock when the session began, for timestamps in a capture file. */
  private readonly startedAtWall = Date.now();
  private readonly unsubscribe: () => void;
  private queue = new ReceiveQueue();
  private sent: SentPacket[] = [];
  /** Sends the network has not reported yet, oldest first: few, as each is claimed at once. */
  private unclaimed: SentPacket[] = [];
  private tracker: ConnectionTracker;
  private behaviour: ServerBehaviourSpec = { name: 'echo' };
  private serverPort = 0;
  private running: Promise<unknown> = Promise.resolve();
  private closed = false;

  /** A session with the bundled server set up as asked (echo by default). */
  static async open(network: Network, options: SessionOptions = {}): Promise<Session> {
    const session = new Session(network, options);
    await session.useServer(options.server ?? { name: 'echo' });
    return session;
  }

  private constructor(
    readonly network: Network,
    options: SessionOptions,
  ) {
    this.family = options.family ?? 4;
    this.width = options.width ?? 80;
    this.startedAt = network.now();
    const ports = network.info.learner.ports;
    const port = options.port ?? ports.first;
    if (!Number.isInteger(port) || port < ports.first || port > ports.last) {
      throw new RangeError(`the learner's port must be in ${ports.first}-${ports.last}, the network's learner ports; got ${port}`);
    }
    this.tracker = new ConnectionTracker({ addr: this.learnerAddress(), port });
    this.unsubscribe = network.subscribe((event) => this.ingest(event));
  }

  // --- the log -------------------------------------------------------------------------

  get log(): readonly LogEntry[] {
    return this.entries;
  }

  /** Told of every new entry, in order; returns the way to stop listening. */
  subscribe(listener: (entry: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(entry: NewLogEntry): LogEntry {
    const full = { ...entry, id: this.entries.length, t: entry.t ?? this.elapsed() } as LogEntry;
    this.entries.push(full);
    for (const listener of this.listeners) {
      try {
        listener(full);
      } catch (error) {
        // A listener's fault is its own: it surfaces, and the session and other listeners go on.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    return full;
  }

  /** Milliseconds since the session began, on the network's clock. */
  elapsed(t: number = this.network.now()): number {
    return t - this.startedAt;
  }

  /** A time on the network's clock as wall-clock ms since the epoch (sim's clock starts at 0). */
  wallClock(t: number): number {
    return this.startedAtWall + this.elapsed(t);
  }

  // --- commands ------------------------------------------------------------------------

  /**
   * Runs one command line. Never throws for bad input: a mistake becomes an error entry
   * pointing at its column. Lines run one at a time, in the order given.
   */
  execute(line: string): Promise<CommandOutcome> {
    const run = this.running.then(() => this.run(line));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async run(line: string): Promise<CommandOutcome> {
    const first = this.entries.length;
    const status = await this.dispatch(line);
    return { status, entries: this.entries.slice(first) };
  }

  private async dispatch(line: string): Promise<CommandStatus> {
    const text = line.replace(/[\r\n]+$/, '');
    if (text.trim() === '') return 'ok';
    this.append({ kind: 'command', line: text });
    if (text.trim().startsWith('#')) return 'ok';
    if (this.closed) return this.error(new CommandError('the session is closed'), text);
    try {
      if (isScapyNotation(text)) return await runScapyLine(text, this);
      const lexed = lexLine(text);
      const head = lexed.head;
      if (head === null) {
        const first = lexed.fields[0]!;
        throw new SegmentSyntaxError(`expected a command, got '${first.name}='`, first.nameSpan, "type help for the list, e.g. send tcp flags=S");
      }
      const command = findCommand(head.text);
      if (command === undefined) {
        const names = SESSION_COMMANDS.map((c) => c.name);
        const hint = didYouMean(head.text, names) ?? 'type help for the list of commands';
        throw new SegmentSyntaxError(`unknown command '${head.text}'`, head.span, hint);
      }
      return await command.run({ line: text, head, tokens: lexed.fields }, this);
    } catch (error) {
      return this.error(error, text);
    }
  }

  /** An error entry for what went wrong; the status a command returns after it. */
  error(error: unknown, input: string): 'error' {
    if (error instanceof SegmentSyntaxError) {
      this.append({ kind: 'error', message: error.message, input, column: error.column, ...(error.length !== undefined ? { length: error.length } : {}) });
    } else if (error instanceof CommandError && error.span !== undefined) {
      this.append({ kind: 'error', message: `${error.message} at column ${error.span.column}`, input, column: error.span.column, length: error.span.length });
    } else {
      this.append({ kind: 'error', message: error instanceof Error ? error.message : String(error), input });
    }
    return 'error';
  }

  /** Stops listening to the network; the network itself stays open (its owner closes it). */
  close(): void {
    this.closed = true;
    this.unsubscribe();
  }

  // --- what commands read --------------------------------------------------------------

  get me(): Endpoint {
    return this.tracker.me;
  }

  get server(): Endpoint {
    return { addr: this.serverAddress(), port: this.serverPort };
  }

  get serverBehaviour(): ServerBehaviourSpec {
    return this.behaviour;
  }

  /** The learner's connection as their side of TCP would hold it. */
  get connection(): ConnectionView {
    return this.tracker.view();
  }

  /** Where the learner's segments go when the line names no port: the server, or the client that connected. */
  get peer(): Endpoint {
    const view = this.tracker.view();
    if (view.role === 'server' && view.peer !== null) return view.peer;
    return this.server;
  }

  /** The last state the network reported for the kernel's socket facing the learner, if any. */
  get bundledState(): TcpState | null {
    for (const [key, state] of [...this.bundledStates].reverse()) {
      if (key.endsWith(` ${endpointKey(this.me)}`)) return state;
    }
    return null;
  }

  get packets(): readonly PacketRecord[] {
    return this.history.all;
  }

  /** Every event the network reported during the session, as it reported it: for ladder and follow. */
  get events(): readonly NetEvent[] {
    return this.netEvents;
  }

  /** The variables' answers, for building and matching. */
  readonly resolve = sessionResolver({
    rx: (n) => (n === null ? this.queue.current() : this.queue.at(n))?.packet,
    tx: (n) => this.sentAt(n)?.packet,
    pkt: (n) => this.history.at(n)?.packet,
    counts: () => ({ rx: this.queue.length, tx: this.sent.length, pkt: this.history.count }),
    server: () => this.server,
    me: () => this.me,
    peer: () => this.tracker.view().peer,
  });

  /** `$rx`'s packet, with its number. */
  currentRx(): PacketRecord | undefined {
    return this.queue.current();
  }

  rxAt(n: number): PacketRecord | undefined {
    return this.queue.at(n);
  }

  /** `$tx` (n null) or `$tx[n]`: the packet sent, and its record once the network reported it. */
  sentAt(n: number | null): { packet: DecodedPacket; record: PacketRecord | null } | undefined {
    const sent = this.sent;
    const entry = n === null || n === -1 ? sent[sent.length - 1] : n < 0 ? sent[sent.length + n] : sent[n];
    if (entry === undefined) return undefined;
    return { packet: entry.record?.packet ?? entry.built, record: entry.record };
  }

  /** Packets from the peer that no sr1 or recv has returned yet. */
  unreturned(): PacketRecord[] {
    return this.queue.unreturned();
  }

  /** What an unset field takes in this session: the learner's address and port, the peer's. */
  segmentDefaults(): SegmentDefaults {
    const peer = this.peer;
    const { learner, server } = this.network.info;
    return {
      ...ENCODE_DEFAULTS,
      version: this.family,
      ipv4: { src: learner.addr4, dst: peer.addr.includes(':') ? server.addr4 : peer.addr },
      ipv6: { src: learner.addr6, dst: peer.addr.includes(':') ? peer.addr : server.addr6 },
      sport: this.me.port,
      dport: peer.port,
    };
  }

  /** The same seen from the peer: how a packet that came in reads shortest. */
  incomingDefaults(): SegmentDefaults {
    const out = this.segmentDefaults();
    return {
      ...out,
      ipv4: { src: out.ipv4.dst, dst: out.ipv4.src },
      ipv6: { src: out.ipv6.dst, dst: out.ipv6.src },
      sport: out.dport,
      dport: out.sport,
    };
  }

  /** ISNs for showing a packet's numbers relative to its connection. */
  basesFor(dir: Direction, packet: DecodedPacket): SequenceBases {
    return this.tracker.bases(dir, packet);
  }

  build(spec: SegmentSpec): Packet {
    return buildPacket(spec, { defaults: this.segmentDefaults(), resolve: this.resolve });
  }

  // --- what commands do ----------------------------------------------------------------

  /**
   * Sends a packet as the learner and waits (briefly) for the network to report it, so the
   * log shows it under the command that sent it and `$tx` is the packet as it travelled.
   */
  async send(packet: Packet): Promise<SendOutcome> {
    let bytes: Uint8Array;
    try {
      bytes = encodePacket(packet);
    } catch (error) {
      if (error instanceof WireEncodeError) return { ok: false, reason: error.message };
      throw error;
    }
    const built = decodePacket(bytes);
    // Registered before sending: a network may report the packet before send() returns.
    const entry: SentPacket = { built, transport: transportOf(bytes), record: null };
    this.sent.push(entry);
    this.unclaimed.push(entry);
    const result = await this.network.send(bytes);
    if (!result.ok) {
      this.sent = this.sent.filter((sent) => sent !== entry);
      this.unclaimed = this.unclaimed.filter((sent) => sent !== entry);
      return { ok: false, reason: result.reason };
    }
    const reportWait = this.network.info.kind === 'sim' ? 0 : SENT_REPORT_WAIT_MS;
    await waitUntil(this.network, this.arrivals, () => entry.record !== null, reportWait);
    // Not reported in time: it stays $tx as built, and no later report is taken for it.
    if (entry.record === null) this.unclaimed = this.unclaimed.filter((sent) => sent !== entry);
    return { ok: true, packet: entry.record?.packet ?? built, record: entry.record };
  }

  /**
   * The oldest packet from the peer that passes `test` and that no earlier sr1 or recv
   * returned, waiting up to `timeoutMs` on the network's clock for one to come. Null on time-out.
   */
  async receive(test: (record: PacketRecord) => boolean, timeoutMs: number): Promise<PacketRecord | null> {
    let found: PacketRecord | null = null;
    await waitUntil(this.network, this.arrivals, () => (found ??= this.queue.take(test)) !== null, timeoutMs);
    return found;
  }

  /** Switches the bundled server's behaviour; its port becomes `$server.port`. */
  async useServer(behaviour: ServerBehaviourSpec): Promise<number> {
    const { port } = await this.network.setServer(behaviour);
    this.behaviour = behaviour;
    this.serverPort = port;
    return port;
  }

  /** Learner as server: the learner's side listens, and the bundled client connects to it. */
  async connect(): Promise<void> {
    this.learnerStateChanges(this.tracker.listen());
    await this.network.connect(this.me);
  }

  /** Forgets the connection and takes the next learner port; the log and $pkt stay. */
  reset(): Endpoint {
    const ports = this.network.info.learner.ports;
    const next = this.me.port >= ports.last ? ports.first : this.me.port + 1;
    this.tracker = new ConnectionTracker({ addr: this.learnerAddress(), port: next });
    this.queue = new ReceiveQueue();
    this.sent = [];
    this.unclaimed = [];
    return this.me;
  }

  // --- what the network reports --------------------------------------------------------

  private ingest(event: NetEvent): void {
    this.netEvents.push(event);
    switch (event.type) {
      case 'packet':
        this.ingestPacket(event.t, event.dir, event.packet);
        break;
      case 'app':
        if (event.kind !== 'listening') this.append({ kind: 'app', t: this.elapsed(event.t), event, text: describeAppEvent(event) });
        break;
      case 'state': {
        const key = `${endpointKey(event.local)} ${endpointKey(event.remote)}`;
        this.bundledStates.delete(key);
        this.bundledStates.set(key, event.to);
        // Listeners come and go with the server; only the sockets facing the learner are news.
        const ports = this.network.info.learner.ports;
        if (event.remote.port >= ports.first && event.remote.port <= ports.last) {
          this.append({ kind: 'state', t: this.elapsed(event.t), side: 'bundled', local: event.local, remote: event.remote, from: event.from, to: event.to });
        }
        break;
      }
    }
    this.arrivals.notify();
  }

  private ingestPacket(t: number, dir: Direction, packet: DecodedPacket): void {
    const record = this.history.add(t, dir, packet);
    const changes = this.tracker.observe(dir, packet);
    const tracked = this.tracker.belongs(dir, packet);
    const bases = tracked ? this.tracker.bases(dir, packet) : {};
    const line = renderOneLine(packet);
    if (dir === 'in' && packet.tcp !== null && packet.tcp.dport === this.me.port) this.queue.push(record);
    if (dir === 'out') this.claimSent(record);
    this.append({
      kind: 'packet',
      t: this.elapsed(t),
      index: record.index,
      dir,
      packet,
      line,
      relativeLine: bases.seqBase === undefined && bases.ackBase === undefined ? line : renderOneLine(packet, bases),
      bases,
      tracked,
    });
    this.learnerStateChanges(changes, t);
  }

  private learnerStateChanges(changes: ReadonlyArray<{ from: ConnectionView['state']; to: ConnectionView['state'] }>, t?: number): void {
    const view = this.tracker.view();
    for (const change of changes) {
      this.append({ kind: 'state', ...(t !== undefined ? { t: this.elapsed(t) } : {}), side: 'learner', local: view.me, remote: view.peer, from: change.from, to: change.to });
    }
  }

  /** The network's report of a packet the learner sent: it becomes that send's record. */
  private claimSent(record: PacketRecord): void {
    if (this.unclaimed.length === 0) return;
    const transport = transportOf(record.packet.bytes);
    const at = this.unclaimed.findIndex((sent) => sameBytes(sent.transport, transport));
    if (at === -1) return;
    this.unclaimed[at]!.record = record;
    this.unclaimed.splice(at, 1);
  }

  private learnerAddress(): string {
    return this.family === 6 ? this.network.info.learner.addr6 : this.network.info.learner.addr4;
  }

  private serverAddress(): string {
    return this.family === 6 ? this.network.info.server.addr6 : this.network.info.server.addr4;
  }
}

function endpointKey(endpoint: Endpoint): string {
  return `${endpoint.addr}|${endpoint.port}`;
}

/** What follows the IP header: the part of a sent packet no kernel rewrites. */
function transportOf(bytes: Uint8Array): Uint8Array {
  const version = (bytes[0] ?? 0) >> 4;
  const header = version === 4 ? ((bytes[0] ?? 0) & 0x0f) * 4 : 40;
  return bytes.subarray(Math.min(header, bytes.length));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
