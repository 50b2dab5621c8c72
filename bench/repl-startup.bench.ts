// How long `tcplab repl` takes from launch to its first prompt on the screen, as a person at
// a terminal waits for it: the real binary in a pseudo-terminal (util-linux `script`), the
// clock stopped when the prompt's text comes out of the terminal. The default network is the
// lab wherever it runs, so the lab's set-up is inside the time. The target is 400 ms.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './measure.js';

/** The repository: above bench/ when run from source, above dist/bench/ when compiled. */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'bin', 'tcplab'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('bin/tcplab not found above the bench');
    dir = parent;
  }
  return dir;
}

const root = repositoryRoot();
const binary = join(root, 'bin', 'tcplab');
const RUNS = 9;
const PROMPT = 'tcplab>';
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[()][0-9A-B]|\u001b[=>]/g;

/** One launch: milliseconds until the prompt shows, and which network the REPL chose. */
function firstPrompt(args: readonly string[]): Promise<{ ms: number; network: string }> {
  return new Promise((resolve, reject) => {
    const quoted = [process.execPath, binary, 'repl', ...args].map((word) => `'${word}'`).join(' ');
    const started = performance.now();
    // The pseudo-terminal `script` makes has no size until stty gives it one.
    const child = spawn('script', ['-qfec', `stty cols 80 rows 24; exec ${quoted}`, '/dev/null'], {
      cwd: root,
      env: { ...process.env, TERM: 'xterm-256color', XDG_STATE_HOME: join(root, 'dist', 'bench-state') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no prompt within 20 s; the terminal showed: ${output.replace(ANSI, '').slice(-400)}`)), 20_000);
    function finish(result: Error | { ms: number; network: string }) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (result instanceof Error) {
        child.kill('SIGKILL');
        reject(result);
        return;
      }
      // Leave as a learner would (Ctrl-D), so the lab is closed before the next launch.
      child.stdin.write('\u0004');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve(result);
      });
    }
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const plain = output.replace(ANSI, '');
      if (plain.includes(PROMPT)) {
        const ms = performance.now() - started;
        // The status bar, drawn with the prompt, starts with the network the REPL chose.
        const network = /(?:^|[\r\n]) (lab|sim) /.exec(plain)?.[1] ?? 'unknown';
        finish({ ms, network });
      }
    });
    child.once('error', (error) => finish(error));
    child.once('exit', (code) => finish(new Error(`tcplab repl exited (${code}) before its prompt: ${output.replace(ANSI, '').slice(-400)}`)));
  });
}

async function series(args: readonly string[]): Promise<{ median: number; max: number; network: string }> {
  // One launch first, so the file cache is warm as it is for anyone who ran tcplab before.
  await firstPrompt(args);
  const samples: number[] = [];
  let network = 'unknown';
  for (let i = 0; i < RUNS; i++) {
    const run = await firstPrompt(args);
    samples.push(run.ms);
    network = run.network;
  }
  const sorted = samples.sort((a, b) => a - b);
  return { median: percentile(sorted, 50), max: sorted[sorted.length - 1]!, network };
}

export default async function bench(): Promise<Record<string, number>> {
  const sim = await series(['--net', 'sim']);
  const lab = await series(['--net', 'lab']).catch(() => null);
  const chosen = await series([]);
  const result: Record<string, number> = {
    replFirstPromptMs: chosen.median,
    replFirstPromptMaxMs: chosen.max,
    replFirstPromptSimMs: sim.median,
  };
  if (lab !== null) result.replFirstPromptLabMs = lab.median;
  // Says which network the default launch got: 1 when it was the lab, 0 when the lab cannot run here.
  result.replFirstPromptOnLab = chosen.network === 'lab' ? 1 : 0;
  return result;
}
