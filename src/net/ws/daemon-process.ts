// The lab daemon as a program: started by daemon-launcher.ts in a network namespace of its
// own, with node's IPC channel to the launcher. It sets the namespace up (lab-space.ts), then
// serves learners on the listening socket the launcher hands it, which belongs to the host's
// namespace: learners reach it over the host's network while every lab lives in here.
import type { Server as NetServer, Socket } from 'node:net';
import { describeIssues } from '../lab/lab-channel.js';
import { type DaemonConfig, type FromDaemon, type ToDaemon, ToDaemonSchema } from './daemon-ipc.js';
import { LabDaemon } from './lab-daemon.js';
import { LabSetupError, LabSpace } from './lab-space.js';

function tell(message: FromDaemon): void {
  // The launcher may be gone already; then there is nobody to tell.
  if (process.connected) process.send!(message);
}

let daemon: LabDaemon | null = null;
let starting = false;
let stopping: Promise<void> | null = null;
const adoptLater: Socket[] = [];

function stop(reason: string, status = 0): void {
  stopping ??= (daemon?.close(reason) ?? Promise.resolve()).finally(() => {
    // Give the last log line a moment to leave.
    setTimeout(() => process.exit(status), 20);
  });
}

async function start(config: DaemonConfig, listener: NetServer): Promise<void> {
  let space: LabSpace;
  try {
    space = await LabSpace.open(config.mark);
  } catch (error) {
    const stage = error instanceof LabSetupError ? error.stage : 'setup';
    const fix = error instanceof LabSetupError ? error.fix : undefined;
    tell({ type: 'failed', stage, message: (error as Error).message, ...(fix !== undefined ? { fix } : {}) });
    setTimeout(() => process.exit(1), 20);
    return;
  }
  try {
    daemon = await LabDaemon.start(listener, space, config, (line) => tell({ type: 'log', line }));
  } catch (error) {
    await space.close();
    tell({ type: 'failed', stage: 'listen', message: (error as Error).message });
    setTimeout(() => process.exit(1), 20);
    return;
  }
  for (const socket of adoptLater.splice(0)) daemon.adopt(socket);
  // Every learner has been told (the daemon ends their sessions); the launcher hears it too, and exits non-zero.
  space.onFailure((message) => {
    tell({ type: 'failed', stage: 'running', message });
    stop(`the lab failed: ${message}`, 1);
  });
  tell({ type: 'ready', pid: process.pid, firewall: space.setup.firewall, ipv6: space.setup.ipv6 });
}

process.on('message', (value: unknown, handle: unknown) => {
  const parsed = ToDaemonSchema.safeParse(value);
  if (!parsed.success) {
    tell({ type: 'log', line: `${new Date().toISOString()} ignored a message from the launcher: ${describeIssues(parsed.error)}` });
    return;
  }
  const message: ToDaemon = parsed.data;
  switch (message.type) {
    case 'start':
      if (starting || handle === undefined) return;
      starting = true;
      // The socket listens already: whoever connects while the namespace is set up waits here.
      (handle as NetServer).on('connection', (socket) => (daemon === null ? adoptLater.push(socket) : daemon.adopt(socket)));
      void start(message.config, handle as NetServer);
      return;
    case 'connection':
      if (handle === undefined) return;
      if (daemon === null) adoptLater.push(handle as Socket);
      else daemon.adopt(handle as Socket);
      return;
    case 'tokens':
      daemon?.setTokens(message.tokens);
      return;
    case 'stop':
      stop(message.reason);
      return;
  }
});

// The launcher is gone: so is every lab (the kernel also kills us then: setpriv --pdeathsig).
process.on('disconnect', () => stop('the lab daemon is shutting down (its launcher ended)'));
process.on('SIGTERM', () => stop('the lab daemon is shutting down (SIGTERM)'));
process.on('SIGINT', () => stop('the lab daemon is shutting down (SIGINT)'));
process.on('uncaughtException', (error) => {
  tell({ type: 'failed', stage: 'running', message: `the lab daemon failed: ${error.stack ?? error.message}` });
  setTimeout(() => process.exit(1), 20);
});
