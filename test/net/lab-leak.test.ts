// Nothing of a lab outlives the tcplab that made it, however that tcplab ends: no host
// process, no namespace, no firewall rule. The test runs this same file a second time as
// "tcplab" (TCPLAB_LEAK_CHILD says how it should end), lets it open a lab with a half-open
// connection in it, ends it, and then looks for what might remain.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { createLabNetwork } from '../../src/net/lab/lab-network.js';
import { hostExecArgv, onPath, toolEnv } from '../../src/net/lab/namespace.js';
import { encodePacket } from '../../src/wire/packet.js';
import { whyNoLab } from '../support/lab-availability.js';

type Ending = 'sigkill' | 'exit' | 'crash' | 'sigint';
const childEnding = process.env.TCPLAB_LEAK_CHILD as Ending | undefined;

if (childEnding !== undefined) {
  await runAsTcplab(childEnding);
} else {
  const unavailable = await whyNoLab();
  describe('a lab leaves nothing behind', { skip: unavailable }, () => {
    for (const ending of ['sigkill', 'sigint', 'exit', 'crash'] as const) {
      test(`when tcplab ends by ${ending}`, async () => {
        const tablesBefore = hostNftTables();
        const { hostPid, netns, end, exited } = await startTcplab(ending);
        if (ending === 'sigkill' || ending === 'sigint') {
          assert.ok(processAlive(hostPid), 'the lab host runs while tcplab does');
          assert.deepEqual(processesIn(netns), [hostPid], 'the lab has a network namespace of its own, with only its host in it');
          end();
        }
        assert.notEqual(netns, readlinkSync('/proc/self/ns/net'));
        await exited;
        await until(() => !processAlive(hostPid), 3000, `the lab host (pid ${hostPid}) is still running`);
        assert.deepEqual(processesIn(netns), [], `no process is left in the lab's namespace ${netns}`);
        // Only root may read the host's rules (and only root could have changed them).
        if (tablesBefore !== null) {
          assert.deepEqual(hostNftTables(), tablesBefore, 'the host’s own firewall is as it was');
          assert.ok(!hostNftTables()!.includes('tcplab'), 'no tcplab table on the host');
        }
      });
    }
  });
}

/** The child: opens a lab, leaves a SYN-RECV socket in it (kernel timers running), reports, then ends as told. */
async function runAsTcplab(ending: Ending): Promise<void> {
  const lab = await createLabNetwork();
  const ip = { version: 4 as const, src: '127.0.0.1', dst: '127.0.0.1', tos: 0, id: 1, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array() };
  const tcp = { sport: 40500, dport: 7, seq: 1, ack: 0, flags: 0x02, window: 1024, urgent: 0, options: [], payload: new Uint8Array() };
  await lab.send(encodePacket({ ip, tcp }));
  const netns = readlinkSync(`/proc/${lab.host.pid}/ns/net`);
  process.stdout.write(`LAB ${JSON.stringify({ hostPid: lab.host.pid, netns })}\n`);
  if (ending === 'exit') setTimeout(() => process.exit(0), 100);
  if (ending === 'crash') setTimeout(() => {
    throw new Error('tcplab crashed on purpose');
  }, 100);
  // sigkill and sigint: wait for the test to send it.
  setInterval(() => {}, 1000);
}

function startTcplab(ending: Ending): Promise<{ hostPid: number; netns: string; end: () => void; exited: Promise<void> }> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...hostExecArgv(), self], {
    env: { ...process.env, TCPLAB_LEAK_CHILD: ending },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child tcplab did not report its lab: ${stderr}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('LAB '));
      if (line === undefined) return;
      clearTimeout(timer);
      const report = JSON.parse(line.slice(4)) as { hostPid: number; netns: string };
      const end = () => child.kill(ending === 'sigint' ? 'SIGINT' : 'SIGKILL');
      resolve({ ...report, end, exited });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the child tcplab ended (status ${code}) before it reported its lab: ${stderr}`));
    });
  });
}

/** Alive means running: a zombie has already given up its namespaces. */
function processAlive(pid: number): boolean {
  try {
    const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return state !== undefined && state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function processesIn(netns: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/ns/net`) === netns) pids.push(Number(name));
    } catch {
      // Gone meanwhile, or not ours to look at.
    }
  }
  return pids;
}

function hostNftTables(): string | null {
  if (process.getuid?.() !== 0) return null;
  if (!onPath('nft')) return '';
  return execFileSync('nft', ['list', 'tables'], { encoding: 'utf8', env: toolEnv() });
}

async function until(condition: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(message);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
