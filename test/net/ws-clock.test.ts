// The daemon's clock as a learner's side reads it: a session over ws:// counts every packet
// from the moment it began on that clock, so reading it ahead of the daemon would show a packet
// that came after the session began as if it came before (the SYN at -0.002 s that a script's
// reader, or a learner, takes for missing). A daemon stub whose welcome is late to read its
// clock makes that happen every time, not once in a loaded CI run.
import assert from 'node:assert/strict';
import { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type WebSocket, WebSocketServer } from 'ws';
import { DaemonClock, MAX_CLOCK_DRIFT } from '../../src/net/ws/daemon-clock.js';
import { PROTOCOL_VERSION, type Welcome } from '../../src/net/ws/protocol.js';
import { connectWsNetwork } from '../../src/net/ws/ws-network.js';
import { runScript } from '../../src/session/script-runner.js';
import { Session } from '../../src/session/session.js';
import { decodePacket, encodePacket } from '../../src/wire/packet.js';

const clock = (): number => performance.timeOrigin + performance.now();
/** How long the stub daemon is busy between reading the hello and reading its clock for the welcome. */
const WELCOME_LATE_MS = 80;

/**
 * A lab daemon that answers the way the real one does, on this process's clock: a welcome
 * stamped only after WELCOME_LATE_MS (as when the daemon is busy with other learners), a
 * server on port 7, and for each packet sent, its report and the peer's SYN-ACK.
 */
class LateWelcomeDaemon {
  private seq = 0;
  private constructor(readonly server: WebSocketServer) {
    server.on('connection', (socket) => socket.on('message', (data) => this.answer(socket, JSON.parse(String(data)) as Record<string, unknown>)));
  }

  static async start(): Promise<LateWelcomeDaemon> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    return new LateWelcomeDaemon(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private answer(socket: WebSocket, message: Record<string, unknown>): void {
    const say = (fields: Record<string, unknown>) => socket.send(JSON.stringify({ ...fields, seq: ++this.seq }));
    switch (message.type) {
      case 'hello':
        setTimeout(() => socket.send(JSON.stringify(welcome())), WELCOME_LATE_MS);
        return;
      case 'set-server':
        say({ type: 'server-set', id: message.id, port: 7 });
        return;
      case 'send': {
        const t = clock();
        say({ type: 'event', event: { type: 'packet', t, dir: 'out', bytes: message.bytes } });
        say({ type: 'sent', id: message.id, result: { ok: true, t } });
        const syn = decodePacket(Buffer.from(String(message.bytes), 'base64'));
        say({ type: 'event', event: { type: 'packet', t: clock(), dir: 'in', bytes: Buffer.from(synAck(syn.tcp!.sport, syn.tcp!.seq)).toString('base64') } });
        return;
      }
      case 'close':
        say({ type: 'closed', id: message.id });
        socket.close(1000);
    }
  }

  close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function welcome(): Welcome {
  return {
    type: 'welcome',
    protocol: PROTOCOL_VERSION,
    session: 'stub-session',
    secret: 'stub-secret',
    resumed: false,
    missed: 0,
    now: clock(),
    info: { kind: 'ws', description: 'a stub lab daemon', learner: { addr4: '127.0.0.1', addr6: '::1', ports: { first: 20000, last: 20099 } }, server: { addr4: '127.0.0.1', addr6: '::1' } },
    limits: { maxMessageBytes: 131072, packetsPerSecond: 100, packetBurst: 200, messagesPerSecond: 400, graceMs: 0, idleTimeoutMs: 60_000 },
  };
}

function synAck(learnerPort: number, learnerSeq: number): Uint8Array {
  return encodePacket({
    ip: { version: 4, src: '127.0.0.1', dst: '127.0.0.1', tos: 0, id: 0, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array() },
    tcp: { sport: 7, dport: learnerPort, seq: 5000, ack: (learnerSeq + 1) >>> 0, flags: 0x12, window: 65495, urgent: 0, options: [{ kind: 'mss', value: 65495 }], payload: new Uint8Array() },
  });
}

describe('a session over ws:// whose daemon was late to welcome it', () => {
  let daemon: LateWelcomeDaemon;
  before(async () => (daemon = await LateWelcomeDaemon.start()));
  after(() => daemon.close());

  test('shows every packet at or after the moment the session began', async () => {
    const network = await connectWsNetwork(daemon.url, { token: 'stub-token' });
    try {
      const session = await Session.open(network);
      let output = '';
      const result = await runScript(session, ['send tcp flags=S seq=1000', 'recv flags=SA'], { write: (text) => (output += text) });
      session.close();
      assert.equal(result.exitCode, 0, output);
      const packets = output.split('\n').filter((line) => /^ +#\d/.test(line));
      assert.equal(packets.length, 2, output);
      assert.match(packets[0]!, /^ +#1 +0\.\d{3} out +127\.0\.0\.1\.20000 > 127\.0\.0\.1\.7: Flags \[S\], seq 1000,/, output);
      assert.match(packets[1]!, /^ +#2 +0\.\d{3} in +127\.0\.0\.1\.7 > 127\.0\.0\.1\.20000: Flags \[S\.\], seq 5000, ack 1001,/, output);
    } finally {
      await network.close();
    }
  });
});

describe('the daemon clock', () => {
  /** A local clock the test moves by hand. */
  function handClock(start: number): { now: () => number; advance: (ms: number) => void } {
    let t = start;
    return { now: () => t, advance: (ms) => (t += ms) };
  }

  test('reads what the welcome said as of its arrival, and moves with the local clock from there', () => {
    const local = handClock(500);
    const daemon = new DaemonClock(10_000, 500, local.now);
    assert.equal(daemon.now(), 10_000);
    local.advance(1000);
    assert.ok(Math.abs(daemon.now() - (11_000 - 1000 * MAX_CLOCK_DRIFT)) < 1e-6, String(daemon.now()));
  });

  test('a later time the daemon stamped moves it forward; an earlier one, as a replay brings, does not', () => {
    const local = handClock(500);
    const daemon = new DaemonClock(10_000, 500, local.now);
    local.advance(10);
    daemon.heard(10_025);
    assert.equal(daemon.now(), 10_025);
    daemon.heard(10_001);
    assert.equal(daemon.now(), 10_025);
    local.advance(5);
    assert.ok(daemon.now() > 10_029.9 && daemon.now() <= 10_030, String(daemon.now()));
  });

  test('never reads ahead of a daemon whose clock runs slow, and never goes back', () => {
    // The daemon's clock loses 50 ppm against ours; each message takes 2 ms to arrive.
    const local = handClock(0);
    const truth = (at: number) => 1_000_000 + at * (1 - 50e-6);
    const daemon = new DaemonClock(truth(0), 2, local.now);
    let last = daemon.now();
    for (let minute = 1; minute <= 60; minute++) {
      local.advance(60_000);
      daemon.heard(truth(local.now() - 2));
      assert.ok(daemon.now() <= truth(local.now()), `minute ${minute}: ${daemon.now()} is ahead of the daemon's ${truth(local.now())}`);
      assert.ok(daemon.now() >= last, `minute ${minute}: went back`);
      assert.ok(truth(local.now()) - daemon.now() < 3, `minute ${minute}: ${truth(local.now()) - daemon.now()} ms behind`);
      last = daemon.now();
    }
  });
});
