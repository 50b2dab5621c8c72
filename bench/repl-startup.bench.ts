// How long `tcplab repl` takes from launch to its first prompt on the screen, as a person at
// a terminal waits for it: the real binary in a pseudo-terminal (util-linux `script`), the
// clock stopped when the prompt's text comes out of the terminal. The target is 400 ms.
//
// The prompt is drawn while the network starts (the status bar says "lab starting…"), so a
// second clock runs until the status bar shows the network ready: its addresses and states.
// Every run also checks that the prompt it timed takes keys: it types "xy", Ctrl-A, "z" and
// waits for the line editor's "zxy" (a terminal still in line mode would echo "xy^Az").
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

/** The status bar once the network is up: it names the network and shows the learner's state. */
const READY_STATUS = /(?:^|[\r\n]) (lab|sim|ws) [^\r\n]*│ you: /;
/** The line editor's rendering of "xy", Ctrl-A, "z". */
const EDITED = 'tcplab> zxy';

interface Launch {
  /** Until the prompt shows. */
  promptMs: number;
  /** Until the status bar shows the network ready. */
  readyMs: number;
  /** The network the REPL ended up on. */
  network: string;
}

/** One launch: milliseconds until the prompt shows and until the network is ready. */
function firstPrompt(args: readonly string[]): Promise<Launch> {
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
    let promptMs: number | null = null;
    let ready: { ms: number; network: string } | null = null;
    const timer = setTimeout(() => finish(new Error(`no prompt taking keys and no ready network within 20 s; the terminal showed: ${output.replace(ANSI, '').slice(-400)}`)), 20_000);
    function finish(result: Error | Launch) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (result instanceof Error) {
        child.kill('SIGKILL');
        reject(result);
        return;
      }
      // Leave as a learner would (Ctrl-E and Ctrl-U to clear the line, Ctrl-D), so the lab is closed before the next launch.
      child.stdin.write('\u0005\u0015\u0004');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve(result);
      });
    }
    child.stdout.on('data', (chunk: Buffer) => {
      const now = performance.now() - started;
      output += chunk.toString('utf8');
      const plain = output.replace(ANSI, '');
      if (promptMs === null && plain.includes(PROMPT)) {
        promptMs = now;
        child.stdin.write('xy\u0001z');
      }
      const status = ready === null ? READY_STATUS.exec(plain) : null;
      if (status !== null) ready = { ms: now, network: status[1]! };
      if (promptMs !== null && ready !== null && plain.includes(EDITED)) finish({ promptMs, readyMs: ready.ms, network: ready.network });
    });
    child.once('error', (error) => finish(error));
    child.once('exit', (code) => finish(new Error(`tcplab repl exited (${code}) before its prompt: ${output.replace(ANSI, '').slice(-400)}`)));
  });
}

interface Series {
  median: number;
  max: number;
  readyMedian: number;
  network: string;
}

async function series(args: readonly string[]): Promise<Series> {
  // One launch first, so the file cache is warm as it is for anyone who ran tcplab before.
  await firstPrompt(args);
  const prompts: number[] = [];
  const readies: number[] = [];
  let network = 'unknown';
  for (let i = 0; i < RUNS; i++) {
    const run = await firstPrompt(args);
    prompts.push(run.promptMs);
    readies.push(run.readyMs);
    network = run.network;
  }
  prompts.sort((a, b) => a - b);
  readies.sort((a, b) => a - b);
  return { median: percentile(prompts, 50), max: prompts[prompts.length - 1]!, readyMedian: percentile(readies, 50), network };
}

export default async function bench(): Promise<Record<string, number>> {
  const sim = await series(['--net', 'sim']);
  const lab = await series(['--net', 'lab']).catch(() => null);
  const chosen = await series([]);
  const result: Record<string, number> = {
    replFirstPromptMs: chosen.median,
    replFirstPromptMaxMs: chosen.max,
    // The prompt comes before the network: this is when the network is ready as well.
    replNetworkReadyMs: chosen.readyMedian,
    replFirstPromptSimMs: sim.median,
    replNetworkReadySimMs: sim.readyMedian,
  };
  if (lab !== null) {
    result.replFirstPromptLabMs = lab.median;
    result.replNetworkReadyLabMs = lab.readyMedian;
  }
  // Says which network the default launch got: 1 when it was the lab, 0 when the lab cannot run here.
  result.replFirstPromptOnLab = chosen.network === 'lab' ? 1 : 0;
  return result;
}
