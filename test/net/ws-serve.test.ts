// `tcplab lab serve`: the mistakes it catches before it starts anything, each with a reason.
// (Serving for real, and SIGTERM, are in ws-daemon.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import { labServeCommand } from '../../src/cli/commands/lab-serve.js';
import { UsageError, UserFacingError } from '../../src/cli/command.js';

const dir = mkdtempSync(join(tmpdir(), 'tcplab-serve-args-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const tokens = join(dir, 'tokens');
writeFileSync(tokens, 'c0ffee00deadbeef0123456789abcdef\n');
const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough() };

function serve(...args: string[]): Promise<number> {
  return labServeCommand.action(args, io);
}

describe('tcplab lab serve refuses', () => {
  test('to run without a subcommand, or with another', async () => {
    await assert.rejects(serve(), (error: Error) => error instanceof UsageError && /lab needs a subcommand: serve/.test(error.message));
    await assert.rejects(serve('start'), /unknown subcommand 'start'/);
  });

  test('to serve without tokens', async () => {
    await assert.rejects(serve('serve'), (error: Error) => error instanceof UsageError && /--token-file FILE is needed/.test(error.message));
    await assert.rejects(serve('serve', '--token-file', join(dir, 'missing')), (error: Error) => error instanceof UserFacingError && /cannot read the token file .*missing: ENOENT/.test(error.message));
    const weak = join(dir, 'weak');
    writeFileSync(weak, 'class-a\n');
    await assert.rejects(serve('serve', '--token-file', weak), /line 1: a token needs at least 16 characters/);
  });

  test('a certificate without its key, and numbers out of range', async () => {
    await assert.rejects(serve('serve', '--token-file', tokens, '--cert', 'cert.pem'), /--cert and --key go together/);
    await assert.rejects(serve('serve', '--token-file', tokens, '--max-sessions', '0'), /--max-sessions is a whole number from 1 to 400, not '0'/);
    await assert.rejects(serve('serve', '--token-file', tokens, '--max-sessions', '1000'), /from 1 to 400/);
    await assert.rejects(serve('serve', '--token-file', tokens, '--port', '70000'), /--port is a whole number from 0 to 65535/);
    await assert.rejects(serve('serve', '--token-file', tokens, '--idle-timeout', 'soon'), /--idle-timeout is a whole number/);
  });

  test('a certificate that does not load', async () => {
    const cert = join(dir, 'cert.pem');
    writeFileSync(cert, 'not a certificate');
    await assert.rejects(serve('serve', '--token-file', tokens, '--cert', cert, '--key', cert, '--port', '0'), (error: Error) => error instanceof UserFacingError && /the certificate or key does not load/.test(error.message));
  });

  test('a port that is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      await assert.rejects(serve('serve', '--token-file', tokens, '--host', '127.0.0.1', '--port', String(port)), (error: Error) => error instanceof UserFacingError && new RegExp(`port ${port} is in use: choose another with --port`).test(error.message));
    } finally {
      taken.close();
    }
  });
});
