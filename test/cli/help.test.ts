// tcplab help and the dispatcher: what the user reads, and that reading it loads no command's code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { commands } from '../../src/cli/registry.js';
import { projectRoot } from '../support/project-root.js';
import { runCli } from '../support/run-cli.js';

describe('tcplab help', () => {
  it('lists every command with its one-line description, in the registry order', () => {
    const run = runCli(['help']);
    assert.equal(run.status, 0);
    const width = Math.max(...commands.map((c) => c.name.length));
    const expected = [
      'tcplab: a terminal classroom for TCP',
      '',
      'Commands:',
      ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.description}`),
      '',
      'tcplab help COMMAND shows its usage.',
      '',
    ].join('\n');
    assert.equal(run.stdout, expected);
    assert.match(run.stdout, /^ {2}repl {4}build TCP segments by hand, send them and see every reply checked; or run a script of commands$/m);
    assert.equal(runCli(['--help']).stdout, expected);
    assert.equal(runCli(['-h']).stdout, expected);
  });

  it('prints a command\'s description and usage for help COMMAND', () => {
    const run = runCli(['help', 'lab']);
    assert.equal(run.status, 0);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], 'serve labs over WebSocket: each learner who connects (tcplab --net ws://HOST:PORT) gets a lab of their own on this Linux host');
    assert.deepEqual(lines.slice(1, 4), ['', 'Usage:', '  tcplab lab serve --token-file FILE [--port 7777] [--host ADDR] [--cert FILE --key FILE]']);
    // The daemon's defaults are quoted without loading the daemon.
    assert.match(run.stdout, /--max-sessions N {6}learners at once \(200\)/);
    assert.match(run.stdout, /--idle-timeout S {6}end a session after S seconds without a request \(1800\)/);
    for (const command of commands) {
      const usage = runCli(['help', command.name]).stdout;
      assert.equal(usage, `${command.description}\n\nUsage:\n${command.usage.map((line) => `  ${line}`).join('\n')}\n`);
    }
  });

  it('says a command is unknown, lists the commands, and exits 2', () => {
    const run = runCli(['nosuch']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^tcplab: unknown command 'nosuch'\n\ntcplab: a terminal classroom for TCP\n/);
  });

  it('prints a usage mistake with the command\'s usage, from the command\'s own code', () => {
    const run = runCli(['decode']);
    assert.equal(run.status, 2);
    assert.equal(run.stderr.split('\n').slice(0, 3).join('\n'), 'tcplab decode: which file?\nUsage:\n  tcplab decode FILE            one tcpdump-style line per packet (FILE is pcap or pcapng; - reads stdin)');
  });
});

describe('what the dispatcher loads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcplab-imports-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // A module resolve hook that writes down every module tcplab's own code loads.
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (resolved.url.startsWith('file:')) appendFileSync(process.env.TCPLAB_IMPORT_TRACE, resolved.url + '\\n');
  return resolved;
}
`,
  );
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);

  /** The compiled modules under dist/src that `tcplab ARGS` loaded, relative to dist/src. */
  function loadedBy(args: string[], name: string): string[] {
    const trace = join(dir, `${name}.trace`);
    writeFileSync(trace, '');
    const root = projectRoot();
    const run = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, join(root, 'bin', 'tcplab'), ...args], {
      cwd: root,
      env: { ...process.env, TCPLAB_IMPORT_TRACE: trace },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.notEqual(run.status, null, run.stderr);
    const prefix = pathToFileURL(join(root, 'dist', 'src')).href + '/';
    return [...new Set(readFileSync(trace, 'utf8').split('\n'))].filter((url) => url.startsWith(prefix)).map((url) => url.slice(prefix.length));
  }

  it('loads only the command list for tcplab help: no command\'s code, no network, no lesson', () => {
    const loaded = loadedBy(['help'], 'help');
    assert.ok(loaded.includes('cli/main.js'), `the trace saw main.js: ${loaded.join(' ')}`);
    const heavy = loaded.filter((path) => path.startsWith('cli/actions/') || /^(net\/(lab|sim)|lesson|session|ui|wire|lang)\//.test(path));
    assert.deepEqual(heavy, []);
  });

  it('loads a command\'s code when it runs, and no other command\'s', () => {
    const loaded = loadedBy(['decode'], 'decode');
    assert.deepEqual(
      loaded.filter((path) => path.startsWith('cli/actions/')),
      ['cli/actions/decode.js'],
    );
    assert.ok(!loaded.some((path) => path.startsWith('lesson/')), loaded.join(' '));
  });
});
