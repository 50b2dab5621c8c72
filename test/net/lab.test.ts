// The lab for real: raw sockets against the Linux kernel in a namespace of its own, with
// segments built by hand and every reply checked as a learner would see it. Where the lab
// cannot start these tests are skipped with the reason, except in CI, where they fail.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { serialize } from 'node:v8';
import { createLabNetwork, type LabNetwork } from '../../src/net/lab/lab-network.js';
import { toolEnv } from '../../src/net/lab/namespace.js';
import type { Endpoint, NetEvent } from '../../src/net/network.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import { encodePacket } from '../../src/wire/packet.js';
import { EventRecorder, eventSummary } from '../support/event-recorder.js';
import { whyNoLab } from '../support/lab-availability.js';
import { answersToOffers, answerText, ECN_OFFERS } from './ecn-offers.js';

const { SYN, ACK, FIN, PSH, RST } = TcpFlag;
const unavailable = await whyNoLab();
/** A reply from the kernel next door takes milliseconds; three seconds is a lab that is stuck. */
const LAB_EVENT_TIMEOUT_MS = 3000;

type PacketEvent = Extract<NetEvent, { type: 'packet' }>;

/** One TCP connection of the learner's, built segment by segment. */
class Flow {
  seq: number;
  ack = 0;

  constructor(
    private readonly lab: LabNetwork,
    readonly learner: Endpoint,
    readonly peer: Endpoint,
    isn = 0x1000_0000 + learner.port,
  ) {
    this.seq = isn;
  }

  bytes(flags: number, payload = new Uint8Array(), options: { seq?: number; ack?: number } = {}): Uint8Array {
    const v6 = this.learner.addr.includes(':');
    const ip = v6
      ? { version: 6 as const, src: this.learner.addr, dst: this.peer.addr, trafficClass: 0, flowLabel: 0, hopLimit: 64, nextHeader: 6 }
      : { version: 4 as const, src: this.learner.addr, dst: this.peer.addr, tos: 0, id: 0x4242, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array() };
    return encodePacket({
      ip,
      tcp: {
        sport: this.learner.port,
        dport: this.peer.port,
        seq: options.seq ?? this.seq,
        ack: (flags & ACK) !== 0 ? (options.ack ?? this.ack) : 0,
        flags,
        window: 64240,
        urgent: 0,
        options: (flags & SYN) !== 0 ? [{ kind: 'mss', value: 1460 }] : [],
        payload,
      },
    });
  }

  /** Sends and advances seq past what the segment occupies. */
  async send(flags: number, payload = new Uint8Array()): Promise<void> {
    const result = await this.lab.send(this.bytes(flags, payload));
    assert.equal(result.ok, true, result.ok ? '' : result.reason);
    this.seq = (this.seq + payload.length + ((flags & (SYN | FIN)) !== 0 ? 1 : 0)) >>> 0;
  }

  /** A packet of this flow, either way. */
  ours(event: NetEvent): event is PacketEvent {
    if (event.type !== 'packet' || event.packet.tcp === null) return false;
    const { sport, dport } = event.packet.tcp;
    return event.dir === 'out' ? sport === this.learner.port && dport === this.peer.port : dport === this.learner.port && sport === this.peer.port;
  }

  incoming(flags: number, also: (event: PacketEvent) => boolean = () => true): (event: NetEvent) => event is PacketEvent {
    return (event): event is PacketEvent => this.ours(event) && event.dir === 'in' && (event.packet.tcp!.flags & flags) === flags && also(event);
  }

  /** Events of the bundled socket on the other end of this flow. */
  ofPeerSocket(event: NetEvent): boolean {
    if (event.type === 'app') return event.remote?.port === this.learner.port;
    if (event.type === 'state') return event.remote.port === this.learner.port && event.local.port === this.peer.port;
    return false;
  }
}

const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString();

/** Runs a command in the lab's network namespace (entering its user namespace too, unless root). */
function inLab(lab: LabNetwork, command: string[]): string {
  const enter = lab.host.userNamespace && process.getuid?.() !== 0 ? ['--user', '--preserve-credentials', '--net'] : ['--net'];
  return execFileSync('nsenter', ['--target', String(lab.host.pid), ...enter, ...command], { env: toolEnv(), encoding: 'utf8' });
}

/** tcpdump-style flags of a packet: S, S., P., F., R ... */
function letters(event: PacketEvent): string {
  const flags = event.packet.tcp!.flags;
  const names: Array<[number, string]> = [
    [FIN, 'F'],
    [SYN, 'S'],
    [RST, 'R'],
    [PSH, 'P'],
    [ACK, '.'],
  ];
  return names.filter(([bit]) => (flags & bit) !== 0).map(([, letter]) => letter).join('');
}

function statesOf(recorder: EventRecorder, flow: Flow, since = 0): string[] {
  return recorder.events.slice(since).filter((e) => e.type === 'state' && flow.ofPeerSocket(e)).map((e) => (e.type === 'state' ? e.to : ''));
}

/** The learner as client, through the whole life of one connection to the echo server. */
async function echoExchange(lab: LabNetwork, recorder: EventRecorder, learnerAddr: string, learnerPort: number): Promise<void> {
  const start = recorder.mark;
  const flow = new Flow(lab, { addr: learnerAddr, port: learnerPort }, { addr: learnerAddr, port: 7 });

  await flow.send(SYN);
  const synAck = await recorder.next('SYN-ACK', flow.incoming(SYN | ACK), start);
  assert.equal(synAck.packet.tcp!.ack, flow.seq, 'the SYN-ACK acknowledges our SYN');
  // Loopback checksum offload: the kernel leaves only the pseudo-header sum.
  assert.equal(synAck.packet.tcpChecksum, 'partial');
  assert.equal(synAck.packet.ip!.src, learnerAddr);
  assert.equal(synAck.packet.ip!.dst, learnerAddr);
  flow.ack = (synAck.packet.tcp!.seq + 1) >>> 0;
  await recorder.next('SYN-RECV', (e) => e.type === 'state' && flow.ofPeerSocket(e) && e.to === 'SYN-RECV', start);

  let mark = recorder.mark;
  await flow.send(ACK);
  await recorder.next('accepted', (e) => e.type === 'app' && e.kind === 'accepted' && flow.ofPeerSocket(e), mark);
  await recorder.next('ESTABLISHED', (e) => e.type === 'state' && flow.ofPeerSocket(e) && e.to === 'ESTABLISHED', mark);

  mark = recorder.mark;
  await flow.send(PSH | ACK, new TextEncoder().encode('hello'));
  const received = await recorder.next('received', (e) => e.type === 'app' && e.kind === 'received' && flow.ofPeerSocket(e), mark);
  assert.equal(received.type === 'app' && text(received.data), 'hello');
  const echo = await recorder.next('echo', flow.incoming(ACK, (e) => text(e.packet.tcp!.payload) === 'hello'), mark);
  assert.equal(echo.packet.tcp!.ack, flow.seq, 'the echo acknowledges our five bytes');
  flow.ack = (echo.packet.tcp!.seq + 5) >>> 0;

  mark = recorder.mark;
  await flow.send(FIN | ACK);
  await recorder.next('peer-closed', (e) => e.type === 'app' && e.kind === 'peer-closed' && flow.ofPeerSocket(e), mark);
  const theirFin = await recorder.next('FIN from the server', flow.incoming(FIN | ACK), mark);
  assert.equal(theirFin.packet.tcp!.ack, flow.seq, 'their FIN acknowledges ours');
  flow.ack = (theirFin.packet.tcp!.seq + 1) >>> 0;

  const finSent = mark;
  mark = recorder.mark;
  await flow.send(ACK);
  // The application's socket is closed as soon as both FINs are through; the kernel's lasts
  // until our last ACK.
  await recorder.next('closed', (e) => e.type === 'app' && e.kind === 'closed' && flow.ofPeerSocket(e), finSent);
  await recorder.next('CLOSED', (e) => e.type === 'state' && flow.ofPeerSocket(e) && e.to === 'CLOSED', mark);

  const packets = recorder.events.slice(start).filter((e): e is PacketEvent => flow.ours(e));
  const trace = packets.map((p) => `${p.dir} ${letters(p)}`);
  // Exactly what went out, once each, in order; what came back, in between.
  assert.deepEqual(
    trace.filter((line) => line.startsWith('out')),
    ['out S', 'out .', 'out P.', 'out F.', 'out .'],
  );
  const expectInOrder = ['out S', 'in S.', 'out .', 'out P.', 'in P.', 'out F.', 'in F.', 'out .'];
  let at = 0;
  for (const line of trace) if (line === expectInOrder[at]) at++;
  assert.equal(at, expectInOrder.length, `the trace ${trace.join(', ')} holds ${expectInOrder.join(', ')} in order`);
  assert.ok(!trace.some((line) => line.includes('R')), 'no RST on a clean exchange: the kernel’s own were dropped');
  for (let i = 1; i < packets.length; i++) assert.ok(packets[i]!.t >= packets[i - 1]!.t, 'time-stamps never go back');
  const states = statesOf(recorder, flow, start);
  assert.deepEqual([states[0], states[1], states.at(-1)], ['SYN-RECV', 'ESTABLISHED', 'CLOSED']);
  assert.ok(states.includes('CLOSE-WAIT') || states.includes('LAST-ACK'), `the server went through its side of the close: ${states.join(' ')}`);
}

describe('the lab, as root or through a user namespace', { skip: unavailable }, () => {
  let lab: LabNetwork;
  let recorder: EventRecorder;
  const problems: string[] = [];

  before(async () => {
    lab = await createLabNetwork({ onProblem: (message) => problems.push(message) });
    recorder = new EventRecorder(lab, LAB_EVENT_TIMEOUT_MS);
  });
  after(async () => {
    await lab?.close();
  });

  test('describes itself as the lab', () => {
    assert.equal(lab.info.kind, 'lab');
    assert.deepEqual(lab.info.learner.ports, { first: 40000, last: 40999 });
    assert.equal(lab.host.firewall, 'nft');
    assert.equal(lab.host.ipv6, true, 'this kernel has IPv6, and so has the lab');
    assert.equal(lab.host.userNamespace, process.getuid?.() !== 0, 'root needs no user namespace; anyone else does');
    assert.equal(inLab(lab, ['cat', '/proc/sys/net/ipv4/ip_local_reserved_ports']).trim(), '40000-40999', 'the kernel never picks a learner port itself');
    assert.match(inLab(lab, ['ip', '-o', 'link', 'show', 'lo']), /state UNKNOWN|UP/);
    assert.deepEqual(inLab(lab, ['ip', '-o', 'link', 'show']).trim().split('\n').length, 1, 'loopback is the lab’s only link');
  });

  test('agrees to an ECN-setup SYN by its reserved bits and AE, as sim does', async () => {
    assert.deepEqual(await answersToOffers(lab, recorder, 40012), ECN_OFFERS.map((offer) => answerText(offer, offer.agreed)));
  });

  for (const addr of ['127.0.0.1', '::1']) {
    test(`a segment with a wrong checksum on ${addr} is carried as built, and the kernel ignores it`, async () => {
      const start = recorder.mark;
      const port = addr === '::1' ? 40091 : 40090;
      const flow = new Flow(lab, { addr, port }, { addr, port: 7 });
      const good = flow.bytes(SYN);
      const bad = Uint8Array.from(good);
      const checksumAt = (addr === '::1' ? 40 : 20) + 16;
      bad[checksumAt] = bad[checksumAt]! ^ 0xff;
      const result = await lab.send(bad);
      assert.equal(result.ok, true);
      const out = await recorder.next('our SYN', (e): e is PacketEvent => flow.ours(e) && e.dir === 'out', start);
      assert.equal(out.packet.tcpChecksum, 'bad');
      await lab.wait(300);
      assert.deepEqual(recorder.events.slice(start).filter((e) => flow.ours(e) && e.dir === 'in').map(eventSummary), [], 'no answer to a corrupt segment');
    });
  }

  test('a whole connection over IPv4: handshake, "hello" and its echo, and the four-way close', async () => {
    await echoExchange(lab, recorder, '127.0.0.1', 40001);
  });

  test('a whole connection over IPv6 on ::1', async () => {
    await echoExchange(lab, recorder, '::1', 40002);
    const synAck = recorder.events.find((e): e is PacketEvent => e.type === 'packet' && e.dir === 'in' && e.packet.tcp?.dport === 40002);
    assert.equal(synAck!.packet.ip!.version, 6);
    assert.deepEqual(synAck!.packet.issues.filter((issue) => issue.severity === 'error'), []);
  });

  for (const [addr, port] of [['127.0.0.1', 40010], ['::1', 40011]] as const) {
    test(`the learner as server on ${addr}: the bundled client connects and the learner answers its SYN`, async () => {
      const start = recorder.mark;
      const learner: Endpoint = { addr, port };
      await lab.connect(learner);
      const isSyn = (e: NetEvent): e is PacketEvent => e.type === 'packet' && e.dir === 'in' && e.packet.tcp?.dport === learner.port && e.packet.tcp.flags === SYN;
      const syn = await recorder.next('the client’s SYN', isSyn, start);
      const client: Endpoint = { addr: syn.packet.ip!.src, port: syn.packet.tcp!.sport };
      const flow = new Flow(lab, learner, client, 0x5000_0000);
      flow.ack = (syn.packet.tcp!.seq + 1) >>> 0;

      let mark = recorder.mark;
      await flow.send(SYN | ACK);
      const ack = await recorder.next('the client’s ACK', flow.incoming(ACK), mark);
      assert.equal(ack.packet.tcp!.ack, flow.seq);
      await recorder.next('connected', (e) => e.type === 'app' && e.kind === 'connected' && e.remote?.port === learner.port, start);
      await recorder.next('ESTABLISHED', (e) => e.type === 'state' && e.remote.port === learner.port && e.to === 'ESTABLISHED', start);

      mark = recorder.mark;
      await flow.send(PSH | ACK, new TextEncoder().encode('hi client'));
      const got = await recorder.next('received', (e) => e.type === 'app' && e.kind === 'received' && e.remote?.port === learner.port, mark);
      assert.equal(got.type === 'app' && text(got.data), 'hi client');

      mark = recorder.mark;
      await flow.send(FIN | ACK);
      // The client closes its side once the learner has closed: its FIN acknowledges ours.
      const fin = await recorder.next('the client’s FIN', flow.incoming(FIN | ACK), mark);
      assert.equal(fin.packet.tcp!.ack, flow.seq);
      flow.ack = (fin.packet.tcp!.seq + 1) >>> 0;
      const finSent = mark;
      mark = recorder.mark;
      await flow.send(ACK);
      await recorder.next('closed', (e) => e.type === 'app' && e.kind === 'closed' && e.remote?.port === learner.port, finSent);
      await recorder.next('CLOSED', (e) => e.type === 'state' && e.remote.port === learner.port && e.to === 'CLOSED', mark);
      assert.equal(syn.packet.ip!.dst, addr, 'the SYN is addressed to the learner');
    });
  }

  test('a RST the learner builds on purpose goes out and resets the server’s socket', async () => {
    const start = recorder.mark;
    const flow = new Flow(lab, { addr: '127.0.0.1', port: 40020 }, { addr: '127.0.0.1', port: 7 });
    await flow.send(SYN);
    const synAck = await recorder.next('SYN-ACK', flow.incoming(SYN | ACK), start);
    flow.ack = (synAck.packet.tcp!.seq + 1) >>> 0;
    await flow.send(ACK);
    await recorder.next('ESTABLISHED', (e) => e.type === 'state' && flow.ofPeerSocket(e) && e.to === 'ESTABLISHED', start);
    // Reset only once the application holds the socket; before that it never learns of it.
    await recorder.next('accepted', (e) => e.type === 'app' && e.kind === 'accepted' && flow.ofPeerSocket(e), start);

    const mark = recorder.mark;
    await flow.send(RST | ACK);
    await recorder.next('our RST on the wire', (e) => flow.ours(e) && e.dir === 'out' && (e.packet.tcp!.flags & RST) !== 0, mark);
    const error = await recorder.next('the server’s error', (e) => e.type === 'app' && e.kind === 'error' && flow.ofPeerSocket(e), mark);
    assert.match(error.type === 'app' ? (error.message ?? '') : '', /ECONNRESET/);
    await recorder.next('CLOSED', (e) => e.type === 'state' && flow.ofPeerSocket(e) && e.to === 'CLOSED', mark);
  });

  test('a packet a firewall drops on its way out comes back as EPERM, not as a packet', async () => {
    // A rule of the test's own, inside the lab's namespace only: drop what leaves from 40030.
    inLab(lab, ['nft', 'add', 'rule', 'inet', 'tcplab', 'kernel-resets', 'tcp', 'sport', '40030', 'drop']);
    const start = recorder.mark;
    const flow = new Flow(lab, { addr: '127.0.0.1', port: 40030 }, { addr: '127.0.0.1', port: 7 });
    const result = await lab.send(flow.bytes(SYN));
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.reason, /EPERM/);
    await lab.wait(100);
    assert.equal(recorder.events.slice(start).filter((e) => flow.ours(e)).length, 0, 'a dropped packet is not reported as sent');
  });

  test('bad input never reaches the kernel and says why', async () => {
    const short = await lab.send(new Uint8Array([0x45, 0, 0]));
    assert.deepEqual(short.ok ? null : short.reason, 'an IPv4 packet needs at least its 20-byte header; this one has 3 bytes');
    const notIp = await lab.send(new Uint8Array(40).fill(0x20));
    assert.match(notIp.ok ? '' : notIp.reason, /ip\.version is 2/);
    await assert.rejects(lab.connect({ addr: '127.0.0.1', port: 8080 }), /40000-40999/);
    await assert.rejects(lab.setServer({ name: 'close-after', bytes: -1 } as never), /bytes/);
  });

  test('a hostile or malformed message to the host is refused and the lab carries on', async () => {
    // Straight onto the host's channel, past everything LabNetwork checks on its side.
    const channel = (lab as unknown as { child: { stdio: Array<NodeJS.WritableStream> } }).child.stdio[3]!;
    channel.write(Buffer.from([0, 0, 0, 3, 0xde, 0xad, 0x00]));
    const body = serialize({ type: 'send', id: 999_999, bytes: 'rm -rf /' });
    const header = Buffer.alloc(4);
    header.writeUInt32BE(body.length);
    channel.write(Buffer.concat([header, body]));
    const start = recorder.mark;
    const flow = new Flow(lab, { addr: '127.0.0.1', port: 40060 }, { addr: '127.0.0.1', port: 7 });
    await flow.send(SYN);
    await recorder.next('SYN-ACK', flow.incoming(SYN | ACK), start);
    await flow.send(RST);
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0]!, /^the lab host refused a message: an unreadable lab message/);
    assert.match(problems[1]!, /^the lab host refused a message: an invalid lab message: bytes: /);
  });

  test('setServer answers with the behaviour’s port', async () => {
    assert.deepEqual(await lab.setServer({ name: 'line' }), { port: 7002 });
  });

  test('the kernel’s timers run: an unanswered SYN-ACK is sent again, later each time', async () => {
    const start = recorder.mark;
    const flow = new Flow(lab, { addr: '127.0.0.1', port: 40040 }, { addr: '127.0.0.1', port: 7 });
    await flow.send(SYN);
    const first = await recorder.next('SYN-ACK', flow.incoming(SYN | ACK), start);
    const again = await recorder.next('the SYN-ACK again', flow.incoming(SYN | ACK, (e) => e !== first), start, 4000);
    assert.equal(again.packet.tcp!.seq, first.packet.tcp!.seq, 'the same SYN-ACK, retransmitted');
    // Linux's initial retransmission timeout is one second.
    assert.ok(again.t - first.t >= 900, `retransmitted after ${(again.t - first.t).toFixed(0)} ms`);
  });
});

describe('a lab whose host dies under it', { skip: unavailable }, () => {
  test('says so once, and every request from then on fails with the reason', async () => {
    const problems: string[] = [];
    const lab = await createLabNetwork({ onProblem: (message) => problems.push(message) });
    try {
      process.kill(lab.host.pid, 'SIGKILL');
      const deadline = Date.now() + 3000;
      while (lab.stoppedBecause === null && Date.now() < deadline) await lab.wait(10);
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0]!, /^the lab host (ended \(SIGKILL\)|closed its channel)/);
      const result = await lab.send(new Flow(lab, { addr: '127.0.0.1', port: 40080 }, { addr: '127.0.0.1', port: 7 }).bytes(SYN));
      assert.equal(result.ok, false);
      assert.equal(result.ok ? '' : result.reason, problems[0]);
      await assert.rejects(lab.connect({ addr: '127.0.0.1', port: 40080 }), (error: Error) => error.message === problems[0]);
    } finally {
      await lab.close();
    }
  });
});

describe('the lab with its rule installed by iptables instead of nft', { skip: unavailable }, () => {
  test('a handshake and echo over IPv4 and IPv6 (the rule is in iptables and ip6tables)', async () => {
    const lab = await createLabNetwork({ firewall: 'iptables' });
    try {
      assert.equal(lab.host.firewall, 'iptables');
      const recorder = new EventRecorder(lab, LAB_EVENT_TIMEOUT_MS);
      await echoExchange(lab, recorder, '127.0.0.1', 40070);
      await echoExchange(lab, recorder, '::1', 40071);
    } finally {
      await lab.close();
    }
  });
});

describe('the lab through a user namespace, as an unprivileged user gets it', { skip: unavailable }, () => {
  test('a handshake and echo through unshare --user --map-root-user --net', async () => {
    const problems: string[] = [];
    const lab = await createLabNetwork({ userNamespace: true, onProblem: (message) => problems.push(message) });
    try {
      assert.equal(lab.host.userNamespace, true);
      const recorder = new EventRecorder(lab, LAB_EVENT_TIMEOUT_MS);
      await echoExchange(lab, recorder, '127.0.0.1', 40050);
    } finally {
      await lab.close();
    }
    assert.deepEqual(problems, [], 'a lab that is used and closed as it should be has nothing to complain of');
    assert.equal(lab.stoppedBecause, 'the lab is closed');
    const after = await lab.send(new Uint8Array(40));
    assert.deepEqual(after.ok ? null : after.reason, 'the lab is closed');
  });
});
