import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './project-root.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `bin/tcplab` (the compiled CLI) as a user would, with optional stdin. */
export function runCli(args: string[], options: { input?: string | Uint8Array; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const root = projectRoot();
  const result = spawnSync(process.execPath, [join(root, 'bin', 'tcplab'), ...args], {
    cwd: root,
    input: options.input,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export const fixturePath = (...parts: string[]) => join(projectRoot(), 'test', 'fixtures', ...parts);
