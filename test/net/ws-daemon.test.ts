// The remote lab for real: a lab daemon on loopback, started as `tcplab lab serve` starts it
// (a launcher, and the daemon in a namespace of its own with real labs), learners connecting
// over WebSocket through the Network interface, and hostile clients speaking the protocol by
// hand. Where the lab cannot start these tests are skipped with the reason, except in CI.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { labServeCommand } from '../../src/cli/commands/lab-serve.js';
import { createLabNetwork } from '../../src/net/lab/lab-network.js';
import { hostExecArgv } from '../../src/net/lab/namespace.js';
import type { Endpoint, NetEvent, Network } from '../../src/net/network.js';
import { type LabDaemonOptions, type LabDaemonProcess, startLabDaemon } from '../../src/net/ws/daemon-launcher.js';
import { PROTOCOL_VERSION } from '../../src/net/ws/protocol.js';
import { connectWsNetwork, WsConnectError, type WsNetwork } from '../../src/net/ws/ws-network.js';
import { parseProcNetTcp } from '../../src/server/proc-net-tcp.js';
import { runScript, scriptLines } from '../../src/session/script-runner.js';
import { Session } from '../../src/session/session.js';
import { projectRoot } from '../support/project-root.js';
import { encodePacket } from '../../src/wire/packet.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import { EventRecorder } from '../support/event-recorder.js';
import { whyNoLab } from '../support/lab-availability.js';

const { SYN, ACK, FIN, PSH, RST } = TcpFlag;
const TOKEN = 'c0ffee00deadbeef0123456789abcdef';
const OTHER_CLASS = 'feedface1234567890abcdef01234567';
const SERVE_CHILD = 'TCPLAB_WS_SERVE_CHILD';
/** Replies cross a WebSocket and the daemon's lab as well: a second more than the lab's own tests allow. */
const DAEMON_EVENT_TIMEOUT_MS = 4000;

if (process.env[SERVE_CHILD] !== undefined) {
  // Run as `tcplab lab serve` for the SIGTERM test: the arguments come in the environment.
  const status = await labServeCommand.action(JSON.parse(process.env[SERVE_CHILD]!) as string[], process);
  process.exitCode = status;
} else {
  const unavailable = await whyNoLab();
  describe('a lab daemon on loopback', { skip: unavailable }, () => suite());
}

type PacketEvent = Extract<NetEvent, { type: 'packet' }>;

function letters(flags: number): string {
  const names: Array<[number, string]> = [
    [FIN, 'F'],
    [SYN, 'S'],
    [RST, 'R'],
    [PSH, 'P'],
    [ACK, '.'],
  ];
  return names.filter(([bit]) => (flags & bit) !== 0).map(([, letter]) => letter).join('');
}

/** One TCP connection of the learner's, built segment by segment. */
class Flow {
  seq: number;
  ack = 0;

  constructor(
    private readonly network: Network,
    readonly learner: Endpoint,
    readonly peer: Endpoint,
  ) {
    this.seq = 0x1000_0000 + learner.port;
  }

  bytes(flags: number, payload = new Uint8Array()): Uint8Array {
    return segment(this.learner, this.peer, flags, this.seq, (flags & ACK) !== 0 ? this.ack : 0, payload);
  }

  async send(flags: number, payload = new Uint8Array()): Promise<void> {
    const result = await this.network.send(this.bytes(flags, payload));
    assert.equal(result.ok, true, result.ok ? '' : result.reason);
    this.seq = (this.seq + payload.length + ((flags & (SYN | FIN)) !== 0 ? 1 : 0)) >>> 0;
  }

  ours(event: NetEvent): event is PacketEvent {
    if (event.type !== 'packet' || event.packet.tcp === null) return false;
    const { sport, dport } = event.packet.tcp;
    return event.dir === 'out' ? sport === this.learner.port && dport === this.peer.port : dport === this.learner.port && sport === this.peer.port;
  }

  incoming(flags: number, also: (event: PacketEvent) => boolean = () => true): (event: NetEvent) => event is PacketEvent {
    return (event): event is PacketEvent => this.ours(event) && event.dir === 'in' && (event.packet.tcp!.flags & flags) === flags && also(event);
  }

  ofPeerSocket(event: NetEvent): boolean {
    if (event.type === 'app') return event.remote?.port === this.learner.port;
    if (event.type === 'state') return event.remote.port === this.learner.port && event.local.port === this.peer.port;
    return false;
  }
}

function segment(from: Endpoint, to: Endpoint, flags: number, seq: number, ack: number, payload = new Uint8Array()): Uint8Array {
  const ip = from.addr.includes(':')
    ? { version: 6 as const, src: from.addr, dst: to.addr, trafficClass: 0, flowLabel: 0, hopLimit: 64, nextHeader: 6 }
    : { version: 4 as const, src: from.addr, dst: to.addr, tos: 0, id: 0x4242, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array() };
  return encodePacket({
    ip,
    tcp: { sport: from.port, dport: to.port, seq, ack, flags, window: 64240, urgent: 0, options: (flags & SYN) !== 0 ? [{ kind: 'mss', value: 1460 }] : [], payload },
  });
}

const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString();

/** A handshake with the echo server, `message` there and back, and a close we start: every step checked. */
async function echoExchange(network: Network, recorder: EventRecorder, port: number, message = 'hello', addr = '127.0.0.1'): Promise<void> {
  const start = recorder.mark;
  const flow = new Flow(network, { addr, port }, { addr, port: 7 });
  await flow.send(SYN);
  const synAck = await recorder.next('SYN-ACK', flow.incoming(SYN | ACK), start);
  assert.equal(synAck.packet.tcp!.ack, flow.seq, 'the SYN-ACK acknowledges our SYN');
  flow.ack = (synAck.packet.tcp!.seq + 1) >>> 0;
  let mark = recorder.mark;
  await flow.send(ACK);
  await recorder.next('ESTABLISHED', (e) => e.type === 'state' && flow.ofPeerSocket(e) && e.to === 'ESTABLISHED', mark);
  mark = recorder.mark;
  await flow.send(PSH | ACK, new TextEncoder().encode(message));
  const received = await recorder.next('received', (e) => e.type === 'app' && e.kind === 'received' && flow.ofPeerSocket(e), mark);
  assert.equal(received.type === 'app' && text(received.data), message);
  const echo = await recorder.next('echo', flow.incoming(ACK, (e) => text(e.packet.tcp!.payload) === message), mark);
  flow.ack = (echo.packet.tcp!.seq + message.length) >>> 0;
  mark = recorder.mark;
  await flow.send(FIN | ACK);
  const theirFin = await recorder.next('FIN from the server', flow.incoming(FIN | ACK), mark);
  assert.equal(theirFin.packet.tcp!.ack, flow.seq, 'their FIN acknowledges ours');
  flow.ack = (theirFin.packet.tcp!.seq + 1) >>> 0;
  mark = recorder.mark;
  await flow.send(ACK);
  await recorder.next('CLOSED', (e) => e.type === 'state' && flow.ofPeerSocket(e) && e.to === 'CLOSED', mark);
  const trace = recorder.events.slice(start).filter((e): e is PacketEvent => flow.ours(e)).map((p) => `${p.dir} ${letters(p.packet.tcp!.flags)}`);
  assert.deepEqual(trace.filter((line) => line.startsWith('out')), ['out S', 'out .', 'out P.', 'out F.', 'out .'], 'what went out, once each');
  assert.ok(!trace.some((line) => line.includes('R')), `no RST on a clean exchange: ${trace.join(', ')}`);
}

/** A daemon on a free port of loopback, its log kept. */
async function startDaemon(options: Partial<LabDaemonOptions> = {}): Promise<{ daemon: LabDaemonProcess; url: string; log: string[] }> {
  const log: string[] = [];
  const daemon = await startLabDaemon({ port: 0, host: '127.0.0.1', tokens: `# two classes\n${TOKEN}\n${OTHER_CLASS}\n`, log: (line) => log.push(line), ...options });
  return { daemon, url: `ws://127.0.0.1:${daemon.port}`, log };
}

/** Waits until `check` holds, polling. */
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`${what} (after ${timeoutMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A client speaking the protocol by hand: whatever it is told to send, and what came back. */
class RawClient {
  readonly messages: Array<Record<string, unknown>> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly opened: Promise<void>;

  constructor(
    url: string,
    readonly socket = new WebSocket(url, { perMessageDeflate: false }),
  ) {
    this.opened = new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.on('error', () => {});
    socket.on('message', (data) => this.messages.push(JSON.parse(String(data)) as Record<string, unknown>));
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Connected, having said nothing. */
  open(): Promise<void> {
    return this.opened;
  }

  async send(data: unknown, options: { binary?: boolean } = {}): Promise<void> {
    await this.opened;
    const frame = typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data);
    this.socket.send(frame, { binary: options.binary ?? false });
  }

  async hello(token = TOKEN): Promise<Record<string, unknown>> {
    await this.send({ type: 'hello', protocol: PROTOCOL_VERSION, token });
    await until(() => this.messages.length > 0, 5000, 'no answer to the hello');
    return this.messages[0]!;
  }

  bye(): Record<string, unknown> | undefined {
    return this.messages.find((message) => message.type === 'bye');
  }
}

/** The daemon's sockets on a learner's ports, as its namespace's kernel lists them. */
function socketsOnPorts(daemon: LabDaemonProcess, ports: { first: number; last: number }): string[] {
  const text = readFileSync(`/proc/${daemon.pid}/net/tcp`, 'utf8') + readFileSync(`/proc/${daemon.pid}/net/tcp6`, 'utf8');
  return parseProcNetTcp(text)
    .filter((entry) => [entry.local.port, entry.remote.port].some((port) => port >= ports.first && port <= ports.last))
    .map((entry) => `${entry.local.port}<-${entry.remote.port} ${entry.state}`);
}

function suite(): void {
  describe('access', () => {
    let daemon: LabDaemonProcess;
    let url: string;
    let log: string[];
    before(async () => ({ daemon, url, log } = await startDaemon()));
    after(async () => await daemon?.close());

    test('a client with a wrong token is refused, with the reason', async () => {
      await assert.rejects(connectWsNetwork(url, { token: 'not-a-token-of-this-daemon' }), (error: Error) => {
        assert.ok(error instanceof WsConnectError);
        assert.equal(error.code, 4001);
        assert.match(error.message, /refused the session: unauthorized: that token is not one this lab daemon accepts/);
        return true;
      });
      assert.ok(log.some((line) => /refused a connection from 127\.0\.0\.1: wrong token/.test(line)), 'the refusal is logged');
      assert.ok(!log.some((line) => line.includes('not-a-token')), 'the wrong token itself is never logged');
    });

    test('a client with no token is refused', async () => {
      await assert.rejects(connectWsNetwork(url, { token: '' }), (error: Error) => error instanceof WsConnectError && error.code === 4001 && /no token; give --token-file FILE or set TCPLAB_TOKEN/.test(error.message));
      const raw = new RawClient(url);
      await raw.send({ type: 'hello', protocol: PROTOCOL_VERSION });
      const closed = await raw.closed;
      assert.equal(closed.code, 4001);
      assert.match(String(raw.bye()?.reason), /unauthorized: no token/);
    });

    test('clients that never say hello are cut off, and only so many may wait', async () => {
      const { daemon: quick, url: quickUrl } = await startDaemon({ helloTimeoutMs: 500, maxPendingConnections: 2 });
      try {
        const silent = [new RawClient(quickUrl), new RawClient(quickUrl)];
        await Promise.all(silent.map((raw) => raw.open()));
        await assert.rejects(connectWsNetwork(quickUrl, { token: TOKEN }), /answered HTTP 503: too many connections are waiting to say hello; try again in a moment/);
        for (const raw of silent) {
          const closed = await raw.closed;
          assert.equal(closed.code, 4010);
          assert.match(closed.reason, /no hello within 0\.5 s/);
        }
        const network = await connectWsNetwork(quickUrl, { token: TOKEN });
        await network.close();
      } finally {
        await quick.close();
      }
    });

    test('either class’s token opens a session, and the log has a line for its start and its end', async () => {
      for (const token of [TOKEN, OTHER_CLASS]) {
        const network = await connectWsNetwork(url, { token, client: 'ws-daemon.test' });
        await network.close();
      }
      await until(() => log.filter((line) => / end after /.test(line)).length >= 2, 3000, 'no end lines');
      const starts = log.filter((line) => / session \S+ start: /.test(line));
      assert.ok(starts.some((line) => /token line 2, from 127\.0\.0\.1 \(ws-daemon\.test\), ports \d+-\d+/.test(line)), starts.join('\n'));
      assert.ok(starts.some((line) => /token line 3/.test(line)));
      assert.ok(log.some((line) => / session \S+ end after [\d.]+ s: closed by the learner \(code 1000, 0 packets sent, 0 resumes\)/.test(line)));
    });

    test('GET /healthz answers 200 with the sessions counted', async () => {
      const network = await connectWsNetwork(url, { token: TOKEN });
      try {
        const health = await getJson(`http://127.0.0.1:${daemon.port}/healthz`);
        assert.equal(health.status, 200);
        assert.deepEqual(health.body, { status: 'ok', protocol: PROTOCOL_VERSION, sessions: 1, connected: 1, maxSessions: 200 });
        assert.equal((await getJson(`http://127.0.0.1:${daemon.port}/`)).status, 404);
      } finally {
        await network.close();
      }
    });
  });

  describe('a learner’s lab over ws://', () => {
    let daemon: LabDaemonProcess;
    let url: string;
    let log: string[];
    let network: WsNetwork;
    let recorder: EventRecorder;
    before(async () => {
      ({ daemon, url, log } = await startDaemon());
      network = await connectWsNetwork(url, { token: TOKEN });
      recorder = new EventRecorder(network, DAEMON_EVENT_TIMEOUT_MS);
    });
    after(async () => {
      await network?.close();
      await daemon?.close();
    });

    test('describes itself: the learner’s ports, the lab’s addresses', () => {
      assert.equal(network.info.kind, 'ws');
      assert.match(network.info.description, /^ws: the Linux kernel on 127\.0\.0\.1:\d+, in a lab of your own \(session \S+\); your ports are 20000-20099$/);
      assert.deepEqual(network.info.learner, { addr4: '127.0.0.1', addr6: '::1', ports: { first: 20000, last: 20099 } });
      assert.deepEqual(network.info.server, { addr4: '127.0.0.1', addr6: '::1' });
      assert.ok(Math.abs(network.now() - (performance.timeOrigin + performance.now())) < 50, 'the network’s clock is the daemon’s, which on this machine is ours');
    });

    test('a handshake, data to echo and a close, through the Network interface, on IPv4 and IPv6', async () => {
      await echoExchange(network, recorder, 20001, 'hello');
      await echoExchange(network, recorder, 20002, 'over IPv6', '::1');
    });

    test('the learner as server: the bundled client connects to the learner’s port', async () => {
      const mark = recorder.mark;
      const me = { addr: '127.0.0.1', port: 20010 };
      await network.connect(me);
      const syn = await recorder.next('the bundled client’s SYN', (e): e is PacketEvent => e.type === 'packet' && e.dir === 'in' && e.packet.tcp?.dport === me.port && e.packet.tcp.flags === SYN, mark);
      const peer = { addr: '127.0.0.1', port: syn.packet.tcp!.sport };
      const synAck = await network.send(segment(me, peer, SYN | ACK, 5000, syn.packet.tcp!.seq + 1));
      assert.ok(synAck.ok);
      await recorder.next('connected', (e) => e.type === 'app' && e.kind === 'connected', mark);
      await network.send(segment(me, peer, RST, 5001, 0));
      await assert.rejects(network.connect({ addr: '127.0.0.1', port: 20100 }), /the learner's port must be in 20000-20099/);
    });

    test('a server behaviour set by this learner', async () => {
      assert.deepEqual(await network.setServer({ name: 'banner', text: 'hello from the lab\r\n' }), { port: 13 });
      const mark = recorder.mark;
      const flow = new Flow(network, { addr: '127.0.0.1', port: 20020 }, { addr: '127.0.0.1', port: 13 });
      await flow.send(SYN);
      const synAck = await recorder.next('SYN-ACK', flow.incoming(SYN | ACK), mark);
      flow.ack = (synAck.packet.tcp!.seq + 1) >>> 0;
      await flow.send(ACK);
      const banner = await recorder.next('banner', flow.incoming(PSH | ACK), mark);
      assert.equal(text(banner.packet.tcp!.payload), 'hello from the lab\r\n');
      await flow.send(RST);
    });

    test('packets addressed outside the lab are refused with a reason, and the session goes on', async () => {
      const me = { addr: '127.0.0.1', port: 20030 };
      const refusals = [
        [segment(me, { addr: '10.0.0.1', port: 80 }, SYN, 1, 0), /ip\.dst is 10\.0\.0\.1: the remote lab reaches only its own loopback/],
        [segment(me, { addr: '192.168.1.1', port: 22 }, SYN, 1, 0), /ip\.dst is 192\.168\.1\.1/],
        [segment({ addr: '::1', port: 20030 }, { addr: '2001:db8::1', port: 80 }, SYN, 1, 0), /ip\.dst is 2001:db8::1/],
        [segment({ addr: '127.0.0.1', port: 20100 }, { addr: '127.0.0.1', port: 7 }, SYN, 1, 0), /tcp\.sport is 20100: your ports in this lab are 20000-20099/],
        [segment(me, { addr: '127.0.0.1', port: 20150 }, SYN, 1, 0), /tcp\.dport is 20150: that port belongs to another learner's lab/],
      ] as const;
      for (const [bytes, reason] of refusals) {
        const result = await network.send(bytes);
        assert.equal(result.ok, false);
        assert.match(result.ok ? '' : result.reason, reason);
      }
      await echoExchange(network, recorder, 20031);
      assert.ok(!recorder.events.some((e) => e.type === 'packet' && e.packet.ip?.dst !== undefined && !['127.0.0.1', '::1'].includes(e.packet.ip.dst)), 'no refused packet ever appeared as sent');
    });

    test('the example scripts pass over ws:// as they do on the local lab, segment for segment', async () => {
      const lab = await createLabNetwork();
      try {
        for (const name of ['handshake-echo-close', 'learner-as-server']) {
          const script = readFileSync(join(projectRoot(), 'examples', `${name}.tcplab`), 'utf8');
          const overWs = await runExample(network, script, name);
          const onLab = await runExample(lab, script, name);
          assert.equal(overWs.exitCode, 0, overWs.output);
          assert.equal(onLab.exitCode, 0, onLab.output);
          // Whether the kernel's ACK of a FIN rides on the application's own FIN depends on how
          // soon the application closes: a bare ACK may come on either. All the rest is the same.
          const significant = (segments: string[]) => segments.filter((line) => line !== 'in . 0');
          assert.deepEqual(significant(overWs.segments), significant(onLab.segments), `${name}: the same segments both ways`);
          assert.ok(overWs.segments.length >= 6, overWs.output);
        }
      } finally {
        await lab.close();
      }
    });

    test('a learner’s close ends the session; its lab goes with it', async () => {
      const other = await connectWsNetwork(url, { token: TOKEN });
      const otherRecorder = new EventRecorder(other, DAEMON_EVENT_TIMEOUT_MS);
      const ports = other.info.learner.ports;
      const flow = new Flow(other, { addr: '127.0.0.1', port: ports.first }, { addr: '127.0.0.1', port: 7 });
      await flow.send(SYN);
      const synAck = await otherRecorder.next('SYN-ACK', flow.incoming(SYN | ACK), 0);
      flow.ack = (synAck.packet.tcp!.seq + 1) >>> 0;
      await flow.send(ACK);
      await otherRecorder.next('ESTABLISHED', (e) => e.type === 'state' && e.to === 'ESTABLISHED', 0);
      assert.deepEqual(socketsOnPorts(daemon, ports), [`7<-${ports.first} ESTABLISHED`]);
      await other.close();
      await until(() => socketsOnPorts(daemon, ports).length === 0, 3000, `the learner’s connection outlived the session: ${socketsOnPorts(daemon, ports).join(', ')}`);
      const after = await other.send(flow.bytes(ACK));
      assert.deepEqual([after.ok, after.ok ? '' : after.reason], [false, 'the session is closed']);
      assert.ok(log.some((line) => line.includes(`end after`) && line.includes('closed by the learner')));
    });
  });

  describe('learners side by side', () => {
    let daemon: LabDaemonProcess;
    let url: string;
    before(async () => ({ daemon, url } = await startDaemon()));
    after(async () => await daemon?.close());

    test('each has ports, server behaviours and events of their own', async () => {
      const alice = await connectWsNetwork(url, { token: TOKEN });
      const bob = await connectWsNetwork(url, { token: OTHER_CLASS });
      try {
        const aliceEvents = new EventRecorder(alice, DAEMON_EVENT_TIMEOUT_MS);
        const bobEvents = new EventRecorder(bob, DAEMON_EVENT_TIMEOUT_MS);
        const a = alice.info.learner.ports;
        const b = bob.info.learner.ports;
        assert.ok(a.last < b.first || b.last < a.first, `disjoint ports: ${a.first}-${a.last} and ${b.first}-${b.last}`);

        await alice.setServer({ name: 'close-after', bytes: 2 });
        await Promise.all([echoExchange(alice, aliceEvents, a.first + 1, 'hi'), echoExchange(bob, bobEvents, b.first + 1, 'a longer message')]);
        // Bob still has the default close-after (10 bytes): Alice's setting is hers.
        const bobFlow = new Flow(bob, { addr: '127.0.0.1', port: b.first + 2 }, { addr: '127.0.0.1', port: 7001 });
        const mark = bobEvents.mark;
        await bobFlow.send(SYN);
        const synAck = await bobEvents.next('SYN-ACK', bobFlow.incoming(SYN | ACK), mark);
        bobFlow.ack = (synAck.packet.tcp!.seq + 1) >>> 0;
        await bobFlow.send(ACK);
        await bobFlow.send(PSH | ACK, new TextEncoder().encode('abcdefgh'));
        const echo = await bobEvents.next('echo', bobFlow.incoming(PSH | ACK), mark);
        assert.equal(text(echo.packet.tcp!.payload), 'abcdefgh', 'eight bytes echoed: bob’s close-after is still 10');
        await bobFlow.send(RST);

        const ports = (events: NetEvent[]) =>
          events.flatMap((e) => (e.type === 'packet' && e.packet.tcp ? [e.packet.tcp.sport, e.packet.tcp.dport] : e.type === 'app' ? [e.remote?.port ?? 0] : e.type === 'state' ? [e.remote.port] : [])).filter((port) => port >= 20000 && port <= 59999);
        assert.ok(ports(aliceEvents.events).every((port) => port >= a.first && port <= a.last), 'alice hears only of her own ports');
        assert.ok(ports(bobEvents.events).every((port) => port >= b.first && port <= b.last), 'bob hears only of his own ports');

        const intrusion = await alice.send(segment({ addr: '127.0.0.1', port: a.first + 5 }, { addr: '127.0.0.1', port: b.first + 1 }, RST, 1, 0));
        assert.match(intrusion.ok ? '' : intrusion.reason, /belongs to another learner's lab/);
        const posing = await alice.send(segment({ addr: '127.0.0.1', port: b.first + 1 }, { addr: '127.0.0.1', port: 7 }, RST, 1, 0));
        assert.match(posing.ok ? '' : posing.reason, /tcp\.sport is \d+: your ports in this lab are/);
      } finally {
        await alice.close();
        await bob.close();
      }
    });

    test('no more sessions than allowed, with the reason', async () => {
      const { daemon: small, url: smallUrl } = await startDaemon({ maxSessions: 2 });
      try {
        const first = await connectWsNetwork(smallUrl, { token: TOKEN });
        const second = await connectWsNetwork(smallUrl, { token: TOKEN });
        await assert.rejects(connectWsNetwork(smallUrl, { token: TOKEN }), (error: Error) => error instanceof WsConnectError && error.code === 4005 && /this lab daemon is full: 2 sessions are running/.test(error.message));
        await first.close();
        const third = await connectWsNetwork(smallUrl, { token: TOKEN });
        await second.close();
        await third.close();
      } finally {
        await small.close();
      }
    });
  });

  describe('hostile clients close their own session, and the others go on', () => {
    let daemon: LabDaemonProcess;
    let url: string;
    let bystander: WsNetwork;
    let bystanderEvents: EventRecorder;
    let nextPort = 0;
    before(async () => {
      ({ daemon, url } = await startDaemon());
      bystander = await connectWsNetwork(url, { token: OTHER_CLASS });
      bystanderEvents = new EventRecorder(bystander, DAEMON_EVENT_TIMEOUT_MS);
      nextPort = bystander.info.learner.ports.first;
    });
    after(async () => {
      await bystander?.close();
      await daemon?.close();
    });

    /** After each attack: the bystander's lab still works, and the daemon is healthy. */
    async function othersGoOn(): Promise<void> {
      await echoExchange(bystander, bystanderEvents, nextPort++);
      const health = await getJson(`http://127.0.0.1:${daemon.port}/healthz`);
      assert.equal((health.body as { status: string }).status, 'ok');
    }

    test('an oversized frame: 1009', async () => {
      const raw = new RawClient(url);
      await raw.hello();
      await raw.send('x'.repeat(200_000));
      assert.equal((await raw.closed).code, 1009);
      await othersGoOn();
    });

    test('bad JSON, before and after the hello: 4003 with the reason', async () => {
      const first = new RawClient(url);
      await first.send('{"type": "hello", ');
      assert.equal((await first.closed).code, 4003);
      assert.match(String(first.bye()?.reason), /bad message: not JSON/);
      const later = new RawClient(url);
      assert.equal((await later.hello()).type, 'welcome');
      await later.send('not json at all');
      assert.equal((await later.closed).code, 4003);
      assert.match(String(later.bye()?.reason), /bad message: not JSON/);
      await othersGoOn();
    });

    test('messages that are not the protocol: 4003 naming the field', async () => {
      for (const [frame, reason] of [
        [{ type: 'send', id: 1, bytes: 'this is not base64!' }, /bad message: bytes/],
        [{ type: 'exec', id: 1, command: 'rm -rf /' }, /bad message: type/],
        [{ type: 'send', id: -1, bytes: 'AAAA' }, /bad message: id/],
        [{ type: 'hello', protocol: PROTOCOL_VERSION, token: TOKEN }, /hello comes once, first/],
      ] as const) {
        const raw = new RawClient(url);
        await raw.hello();
        await raw.send(frame);
        assert.equal((await raw.closed).code, 4003, JSON.stringify(frame));
        assert.match(String(raw.bye()?.reason), reason);
      }
      const binary = new RawClient(url);
      await binary.hello();
      await binary.send(Buffer.from([1, 2, 3]), { binary: true });
      assert.equal((await binary.closed).code, 4003);
      await othersGoOn();
    });

    test('a wrong protocol version: 4002 saying which one the daemon speaks', async () => {
      const raw = new RawClient(url);
      await raw.send({ type: 'hello', protocol: 99, token: TOKEN });
      const closed = await raw.closed;
      assert.equal(closed.code, 4002);
      assert.match(String(raw.bye()?.reason), /protocol version 99 is not supported: this lab daemon speaks version 1/);
      await othersGoOn();
    });

    test('a flood: packets past the rate are refused, and messages past it close the session', async () => {
      const raw = new RawClient(url);
      const welcome = await raw.hello();
      const ports = (welcome.info as { learner: { ports: { first: number } } }).learner.ports;
      const syn = Buffer.from(segment({ addr: '127.0.0.1', port: ports.first }, { addr: '127.0.0.1', port: 9 }, SYN, 1, 0)).toString('base64');
      for (let id = 1; id <= 300; id++) await raw.send({ type: 'send', id, bytes: syn });
      await until(() => raw.messages.filter((m) => m.type === 'sent').length === 300, 5000, 'not every send was answered');
      const refused = raw.messages.filter((m) => m.type === 'sent' && (m.result as { ok: boolean }).ok === false);
      assert.ok(refused.length >= 90 && refused.length <= 110, `about a third of 300 packets at once are past the burst of 200 (${refused.length})`);
      assert.match(String((refused[0]!.result as { reason: string }).reason), /rate limit: a session sends at most 100 packets a second \(bursts of 200\)/);
      for (let i = 0; i < 2000 && raw.socket.readyState === WebSocket.OPEN; i++) await raw.send({ type: 'ack', seq: 1 });
      const closed = await raw.closed;
      assert.equal(closed.code, 4009);
      assert.match(String(raw.bye()?.reason), /flood: more than 400 messages a second/);
      await othersGoOn();
    });
  });

  describe('a dropped connection', () => {
    let daemon: LabDaemonProcess;
    let log: string[];
    let proxy: Proxy;
    before(async () => {
      ({ daemon, log } = await startDaemon({ graceMs: 10_000 }));
      proxy = await Proxy.start(daemon.port);
    });
    after(async () => {
      await proxy?.close();
      await daemon?.close();
    });

    test('resumes within the grace period: requests made meanwhile are carried out, and what happened is delivered', async () => {
      const problems: string[] = [];
      const network = await connectWsNetwork(proxy.url, { token: TOKEN, onProblem: (message) => problems.push(message) });
      try {
        const recorder = new EventRecorder(network, DAEMON_EVENT_TIMEOUT_MS);
        const flow = new Flow(network, { addr: '127.0.0.1', port: network.info.learner.ports.first }, { addr: '127.0.0.1', port: 7 });
        await flow.send(SYN);
        const synAck = await recorder.next('SYN-ACK', flow.incoming(SYN | ACK), 0);
        const dropped = recorder.mark;
        // Gone for longer than the kernel waits before it sends its SYN-ACK again (1 s).
        await proxy.down();
        flow.ack = (synAck.packet.tcp!.seq + 1) >>> 0;
        const ackWhileDown = network.send(flow.bytes(ACK));
        await new Promise((resolve) => setTimeout(resolve, 1_600));
        proxy.up();
        const result = await ackWhileDown;
        assert.equal(result.ok, true, result.ok ? '' : result.reason);
        const again = await recorder.next('the retransmitted SYN-ACK, from while the connection was down', flow.incoming(SYN | ACK), dropped, 6000);
        assert.equal(again.packet.tcp!.seq, synAck.packet.tcp!.seq, 'the same SYN-ACK again');
        await recorder.next('ESTABLISHED', (e) => e.type === 'state' && flow.ofPeerSocket(e) && e.to === 'ESTABLISHED', dropped);
        assert.ok(problems.some((message) => /dropped \(1006\); resuming session/.test(message)), problems.join('\n'));
        assert.ok(problems.some((message) => /^resumed session \S+ after [\d.]+ s$/.test(message)), problems.join('\n'));
        const packets = recorder.events.filter((e): e is PacketEvent => flow.ours(e));
        assert.equal(packets.filter((p) => p.dir === 'out' && p.packet.tcp!.flags === ACK).length, 1, 'the ACK sent while down went out once');
        await flow.send(RST);
      } finally {
        await network.close();
      }
      await until(() => log.some((line) => /end after .*\(code 1000, \d+ packets sent, 1 resume\)/.test(line)), 3000, `no end line with one resume:\n${log.join('\n')}`);
    });

    test('that stays down past the grace period ends the session, and its lab with it', async () => {
      const { daemon: brief, log: briefLog } = await startDaemon({ graceMs: 500 });
      const briefProxy = await Proxy.start(brief.port);
      const problems: string[] = [];
      try {
        const network = await connectWsNetwork(briefProxy.url, { token: TOKEN, onProblem: (message) => problems.push(message) });
        const recorder = new EventRecorder(network, DAEMON_EVENT_TIMEOUT_MS);
        const ports = network.info.learner.ports;
        const flow = new Flow(network, { addr: '127.0.0.1', port: ports.first }, { addr: '127.0.0.1', port: 7 });
        await flow.send(SYN);
        const synAck = await recorder.next('SYN-ACK', flow.incoming(SYN | ACK), 0);
        flow.ack = (synAck.packet.tcp!.seq + 1) >>> 0;
        await flow.send(ACK);
        await recorder.next('ESTABLISHED', (e) => e.type === 'state' && e.to === 'ESTABLISHED', 0);
        await briefProxy.down();
        await until(() => briefLog.some((line) => /end after .*: the connection dropped and did not come back within 0\.5 s/.test(line)), 3000, 'the session outlived its grace period');
        await until(() => socketsOnPorts(brief, ports).length === 0, 3000, `the learner’s connection outlived the session: ${socketsOnPorts(brief, ports).join(', ')}`);
        briefProxy.up();
        await until(() => problems.some((message) => /could not be resumed: the lab daemon refused the session: that session cannot be resumed/.test(message)), 6000, problems.join('\n'));
        const late = await network.send(flow.bytes(ACK));
        assert.match(late.ok ? '' : late.reason, /could not be resumed/);
        await network.close();
      } finally {
        await briefProxy.close();
        await brief.close();
      }
    });

    test('an idle session ends, saying why', async () => {
      const { daemon: strict, url, log: strictLog } = await startDaemon({ idleTimeoutMs: 400 });
      const problems: string[] = [];
      try {
        const network = await connectWsNetwork(url, { token: TOKEN, onProblem: (message) => problems.push(message) });
        await until(() => problems.length > 0, 3000, 'the idle session did not end');
        assert.match(problems[0]!, /the lab daemon ended the session: idle: no request for 0\.4 s, so the session and its lab were closed/);
        assert.ok(strictLog.some((line) => /end after .*: idle: .*\(code 4006/.test(line)));
        await network.close();
      } finally {
        await strict.close();
      }
    });
  });

  describe('wss://', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'tcplab-wss-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('with a certificate and key the daemon speaks TLS, and a client that trusts it gets a lab', async () => {
      const cert = readFileSync(join(dir, 'cert.pem'));
      const { daemon } = await startDaemon({ tls: { cert, key: readFileSync(join(dir, 'key.pem')) } });
      try {
        const network = await connectWsNetwork(`wss://127.0.0.1:${daemon.port}`, { token: TOKEN, ca: cert });
        await echoExchange(network, new EventRecorder(network, DAEMON_EVENT_TIMEOUT_MS), network.info.learner.ports.first);
        await network.close();
        await assert.rejects(connectWsNetwork(`wss://127.0.0.1:${daemon.port}`, { token: TOKEN }), /cannot reach the lab daemon at 127\.0\.0\.1:\d+: self[- ]signed certificate/);
        await assert.rejects(connectWsNetwork(`ws://127.0.0.1:${daemon.port}`, { token: TOKEN, connectTimeoutMs: 3000 }), WsConnectError);
      } finally {
        await daemon.close();
      }
    });

    test('a key that does not match is refused before anything starts', async () => {
      await assert.rejects(startDaemon({ tls: { cert: readFileSync(join(dir, 'cert.pem')), key: 'not a key' } }), /the certificate or key does not load/);
    });
  });

  describe('tcplab lab serve', () => {
    test('SIGTERM ends every session with a reason, and every namespace with the daemon', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tcplab-serve-'));
      const tokenFile = join(dir, 'tokens');
      writeFileSync(tokenFile, `${TOKEN}\n`);
      const serve = spawn(process.execPath, [...hostExecArgv(), fileURLToPath(import.meta.url)], {
        env: { ...process.env, [SERVE_CHILD]: JSON.stringify(['serve', '--port', '0', '--host', '127.0.0.1', '--token-file', tokenFile]) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      serve.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      serve.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => serve.once('exit', (code) => resolve(code)));
      try {
        await until(() => /listening on ws:\/\/127\.0\.0\.1:\d+/.test(stdout), 20_000, `tcplab lab serve did not start: ${stdout}${stderr}`);
        const port = Number(/listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)![1]);
        const daemonPid = childrenOf(serve.pid!).find((pid) => readlinkSync(`/proc/${pid}/ns/net`) !== readlinkSync('/proc/self/ns/net'));
        assert.ok(daemonPid !== undefined, 'the daemon runs in a namespace of its own');
        const netns = readlinkSync(`/proc/${daemonPid}/ns/net`);

        const problems: string[] = [];
        const network = await connectWsNetwork(`ws://127.0.0.1:${port}`, { token: TOKEN, onProblem: (message) => problems.push(message) });
        // A half-open connection: the kernel has timers running for it.
        await network.send(segment({ addr: '127.0.0.1', port: network.info.learner.ports.first }, { addr: '127.0.0.1', port: 7 }, SYN, 1, 0));
        serve.kill('SIGTERM');
        assert.equal(await exited, 0, stderr);
        assert.ok(problems.some((message) => /the lab daemon ended the session: the lab daemon is shutting down \(SIGTERM\)/.test(message)), problems.join('\n'));
        await until(() => !alive(daemonPid), 3000, `the daemon (pid ${daemonPid}) is still running`);
        assert.deepEqual(processesIn(netns), [], `no process is left in the namespace ${netns}`);
        assert.match(stdout, /session \S+ start: token line 1/);
        assert.match(stdout, /session \S+ end after [\d.]+ s: the lab daemon is shutting down \(SIGTERM\) \(code 1001, 1 packets sent, 0 resumes\)/);
        assert.match(stdout, /lab daemon stopped: the lab daemon is shutting down \(SIGTERM\)/);
        await network.close();
      } finally {
        serve.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

async function runExample(network: Network, script: string, name: string): Promise<{ exitCode: number; output: string; segments: string[] }> {
  const session = await Session.open(network);
  let output = '';
  try {
    const result = await runScript(session, scriptLines(script), { write: (chunk) => (output += chunk), name });
    // "#3    0.009 in  127.0.0.1.60000 > 127.0.0.1.20000: Flags [.], ack 5001, ..., length 0"
    const segments = [...output.matchAll(/^ +#\d+ +[\d.]+ (in|out) .*?Flags \[([^\]]*)\].*length (\d+)/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    return { exitCode: result.exitCode, output, segments };
  } finally {
    session.close();
  }
}

function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: the 404's text.
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
    }).on('error', reject);
  });
}

/** A TCP relay in front of the daemon whose connections can all be cut at once, as a network that fails. */
class Proxy {
  private readonly sockets = new Set<Socket>();
  private server: Server;

  private constructor(
    private readonly target: number,
    server: Server,
  ) {
    this.server = server;
  }

  private portNumber = 0;

  get port(): number {
    return this.portNumber;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  static async start(target: number): Promise<Proxy> {
    const proxy = new Proxy(target, createServer());
    proxy.portNumber = await proxy.listen(0);
    return proxy;
  }

  /** Cuts every connection and refuses new ones. */
  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  up(): void {
    void this.listen(this.port);
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.down();
  }

  private listen(port: number): Promise<number> {
    this.server = createServer((client) => {
      const upstream = tcpConnect(this.target, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    return new Promise((resolve) => this.server.listen(port, '127.0.0.1', () => resolve((this.server.address() as { port: number }).port)));
  }
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function processesIn(netns: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readlinkSync(`/proc/${entry}/ns/net`) === netns;
      } catch {
        return false;
      }
    })
    .map(Number);
}
