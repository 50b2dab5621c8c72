import { spawn } from 'node:child_process';

/** How an external tool (ip, nft, unshare...) ended. */
export type ToolOutcome =
  | { ok: true; stdout: string; stderr: string }
  | { ok: false; missing: boolean; code: number | null; stdout: string; stderr: string; message: string };

/**
 * Runs a tool to completion without a shell, feeding it `input` on stdin. Never throws:
 * a tool that is not installed, fails or hangs past `timeoutMs` is an outcome to report.
 */
export function runTool(command: string, args: string[], options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ToolOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: options.timeoutMs ?? 10_000, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    let spawnError: NodeJS.ErrnoException | null = null;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => (spawnError = error));
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
    child.on('close', (code, signal) => {
      if (spawnError) {
        const missing = spawnError.code === 'ENOENT';
        const message = missing ? `${command} is not installed (not found on PATH)` : `${command} could not start: ${spawnError.message}`;
        resolve({ ok: false, missing, code: null, stdout, stderr, message });
      } else if (code === 0) {
        resolve({ ok: true, stdout, stderr });
      } else {
        const why = signal ? `was stopped by ${signal}` : `exited with status ${code}`;
        const said = firstLine(stderr) || firstLine(stdout);
        resolve({ ok: false, missing: false, code, stdout, stderr, message: `${command} ${why}${said ? `: ${said}` : ''}` });
      }
    });
  });
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
