// A class on one lab daemon: 200 simulated learners at once, each connected over WebSocket
// with a session and a lab of its own, each doing a handshake with the echo server, ten
// exchanges of data and a close, again and again. A learner is a load generator speaking the
// protocol (protocol.ts) with as little work of its own as it can, so that the daemon is what
// is measured. The daemon runs as `tcplab lab serve` would: a launcher (this file again, with
// TCPLAB_WS_BENCH_DAEMON set) and the daemon it starts in a namespace of its own, with real
// labs; the memory of both is read from /proc.
//
// A learner at a keyboard sends a segment every few seconds. Each simulated one waits
// THINK_MS after every reply, so that 200 of them send about 2,000 segments a second, some
// twenty times what a real class of that size would. Reported: the reply latency (send to the
// reply's event arriving: the SYN-ACK, the echoed data, the server's FIN) p50 and p99, the
// exchanges per second, and the peak resident memory of the daemon, the launcher and both.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { hostExecArgv } from '../src/net/lab/namespace.js';
import { startLabDaemon } from '../src/net/ws/daemon-launcher.js';
import { PROTOCOL_VERSION } from '../src/net/ws/protocol.js';
import { encodePacket } from '../src/wire/packet.js';
import { TcpFlag } from '../src/wire/tcp-flags.js';
import { summarize } from './measure.js';

const LEARNERS = 200;
const EXCHANGES = 10;
const THINK_MS = 200;
const WARM_UP_MS = 3_000;
const MEASURE_MS = 20_000;
const REPLY_TIMEOUT_MS = 5_000;
const DAEMON_ENV = 'TCPLAB_WS_BENCH_DAEMON';

const { SYN, ACK, FIN, PSH } = TcpFlag;

if (process.env[DAEMON_ENV] !== undefined) await runDaemon(process.env[DAEMON_ENV]!);

/** The child, as `tcplab lab serve` would be: a daemon on a free port of loopback, until SIGTERM. */
async function runDaemon(token: string): Promise<void> {
  const daemon = await startLabDaemon({ port: 0, host: '127.0.0.1', tokens: token, maxSessions: LEARNERS + 10 });
  process.stdout.write(`READY ${JSON.stringify({ port: daemon.port, pid: daemon.pid })}\n`);
  process.once('SIGTERM', () => void daemon.close().then(() => process.exit(0)));
}

interface Reply {
  flags: number;
  seq: number;
  length: number;
}

/** One simulated learner: a WebSocket, the protocol by hand, and the latest reply awaited. */
class Learner {
  private nextId = 1;
  private lastSeq = 0;
  private waiting: { match: (reply: Reply) => boolean; resolve: (reply: Reply) => void } | null = null;
  ports = { first: 0, last: 0 };
  exchanges = 0;

  private constructor(private readonly socket: WebSocket) {}

  static connect(port: number, token: string): Promise<Learner> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
      const learner = new Learner(socket);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, token, client: 'ws.bench' })));
      socket.once('close', (code, reason) => reject(new Error(`a learner's connection closed (${code} ${reason.toString()})`)));
      socket.once('error', reject);
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; seq?: number; info?: { learner: { ports: { first: number; last: number } } }; event?: { type: string; dir: string; bytes: string } };
        if (message.type === 'welcome') {
          learner.ports = message.info!.learner.ports;
          resolve(learner);
          return;
        }
        if (message.seq !== undefined) learner.lastSeq = message.seq;
        const event = message.event;
        if (event?.type === 'packet' && event.dir === 'in') learner.heard(Buffer.from(event.bytes, 'base64'));
      });
    });
  }

  send(bytes: Uint8Array): void {
    this.socket.send(JSON.stringify({ type: 'send', id: this.nextId++, bytes: Buffer.from(bytes).toString('base64'), ack: this.lastSeq }));
  }

  /** Sends, and resolves with the milliseconds until a reply that matches. */
  async exchange(bytes: Uint8Array, match: (reply: Reply) => boolean): Promise<{ ms: number; reply: Reply }> {
    const started = performance.now();
    const replied = new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply within ${REPLY_TIMEOUT_MS} ms`)), REPLY_TIMEOUT_MS);
      this.waiting = {
        match,
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
      };
    });
    this.send(bytes);
    const reply = await replied;
    this.exchanges++;
    return { ms: performance.now() - started, reply };
  }

  close(): void {
    this.socket.close();
  }

  private heard(ip: Buffer): void {
    const ihl = (ip[0]! & 0x0f) * 4;
    const doff = (ip[ihl + 12]! >> 4) * 4;
    const reply = { flags: ip[ihl + 13]!, seq: ip.readUInt32BE(ihl + 4), length: ip.readUInt16BE(2) - ihl - doff };
    if (this.waiting?.match(reply)) {
      const waiting = this.waiting;
      this.waiting = null;
      waiting.resolve(reply);
    }
  }
}

function segment(sport: number, flags: number, seq: number, ack: number, payload = new Uint8Array()): Uint8Array {
  return encodePacket({
    ip: { version: 4, src: '127.0.0.1', dst: '127.0.0.1', tos: 0, id: 0, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array() },
    tcp: { sport, dport: 7, seq: seq >>> 0, ack: ack >>> 0, flags, window: 64240, urgent: 0, options: (flags & SYN) !== 0 ? [{ kind: 'mss', value: 1460 }] : [], payload },
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Handshake, EXCHANGES echoes and a close, on port after port, until `until`. */
async function learn(learner: Learner, samples: number[], measureFrom: () => number, until: () => boolean): Promise<void> {
  const data = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
  let port = learner.ports.first;
  const record = (ms: number) => {
    if (performance.now() >= measureFrom()) samples.push(ms);
  };
  while (!until()) {
    let seq = (Math.random() * 0xffffffff) >>> 0;
    await pause(Math.random() * THINK_MS);
    const synAck = await learner.exchange(segment(port, SYN, seq, 0), (r) => (r.flags & (SYN | ACK)) === (SYN | ACK));
    record(synAck.ms);
    seq += 1;
    let ack = synAck.reply.seq + 1;
    learner.send(segment(port, ACK, seq, ack));
    for (let i = 0; i < EXCHANGES; i++) {
      await pause(THINK_MS);
      const echo = await learner.exchange(segment(port, PSH | ACK, seq, ack, data), (r) => r.length > 0);
      record(echo.ms);
      seq += data.length;
      ack = echo.reply.seq + echo.reply.length;
      learner.send(segment(port, ACK, seq, ack));
    }
    await pause(THINK_MS);
    const fin = await learner.exchange(segment(port, FIN | ACK, seq, ack), (r) => (r.flags & FIN) !== 0);
    record(fin.ms);
    learner.send(segment(port, ACK, seq + 1, fin.reply.seq + 1));
    port = port === learner.ports.last ? learner.ports.first : port + 1;
  }
}

/** Resident memory of a process, in MB, or 0 once it is gone. */
function rssMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** CPU time a process has used so far, user and system, in ms. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

export default async function bench(): Promise<Record<string, number>> {
  const token = `bench-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const child = spawn(process.execPath, [...hostExecArgv(), fileURLToPath(import.meta.url)], { env: { ...process.env, [DAEMON_ENV]: token }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const { port, pid: daemonPid } = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('the lab daemon did not start within 30 s')), 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const ready = /READY (\{.*\})/.exec(out);
        if (ready) {
          clearTimeout(timer);
          resolve(JSON.parse(ready[1]!) as { port: number; pid: number });
        }
      });
      child.once('exit', (code) => reject(new Error(`the lab daemon exited (${code}) before it was ready`)));
    });

    const learners: Learner[] = [];
    for (let i = 0; i < LEARNERS; i += 20) learners.push(...(await Promise.all(Array.from({ length: Math.min(20, LEARNERS - i) }, () => Learner.connect(port, token)))));

    // The daemon serves every learner from its namespace; the launcher (`tcplab lab serve`) only waits.
    const launcherPid = child.pid!;
    let daemonPeak = 0;
    let launcherPeak = 0;
    let totalPeak = 0;
    const sample = (): void => {
      const daemon = rssMb(daemonPid);
      const launcher = rssMb(launcherPid);
      daemonPeak = Math.max(daemonPeak, daemon);
      launcherPeak = Math.max(launcherPeak, launcher);
      totalPeak = Math.max(totalPeak, daemon + launcher);
    };
    const sampler = setInterval(sample, 250);

    const samples: number[] = [];
    const cpuBefore = { daemon: cpuMs(daemonPid), learners: cpuMs(process.pid) };
    const started = performance.now();
    const measureFrom = started + WARM_UP_MS;
    const end = measureFrom + MEASURE_MS;
    const done = () => performance.now() >= end;
    await Promise.all(learners.map((learner) => learn(learner, samples, () => measureFrom, done)));
    clearInterval(sampler);
    sample();
    const elapsed = performance.now() - started;
    const cpuPercent = (before: number, after: number) => Math.round(((after - before) / elapsed) * 100);
    const cpu = { daemon: cpuPercent(cpuBefore.daemon, cpuMs(daemonPid)), learners: cpuPercent(cpuBefore.learners, cpuMs(process.pid)) };
    const exchanges = learners.reduce((sum, learner) => sum + learner.exchanges, 0);
    for (const learner of learners) learner.close();

    const { median, p99 } = summarize(samples);
    return {
      wsLearners: LEARNERS,
      wsReplyP50Ms: median,
      wsReplyP99Ms: p99,
      wsExchangesPerSecond: Math.round(exchanges / (elapsed / 1000)),
      wsDaemonRssMb: Math.round(daemonPeak),
      wsLauncherRssMb: Math.round(launcherPeak),
      wsTotalRssMb: Math.round(totalPeak),
      // Percent of one core over the run: the daemon's, and the simulated learners' (this process).
      wsDaemonCpuPercent: cpu.daemon,
      wsLearnersCpuPercent: cpu.learners,
    };
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, pause(5_000)]);
    child.kill('SIGKILL');
  }
}
