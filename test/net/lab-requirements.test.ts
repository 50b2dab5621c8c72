import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import test from 'node:test';
import { doctorCommand } from '../../src/cli/commands/doctor.js';
import { iptablesRule, nftRuleset } from '../../src/net/lab/firewall.js';
import { createLabNetwork, LabStartError } from '../../src/net/lab/lab-network.js';
import { hostExecArgv, labSpawnPlan } from '../../src/net/lab/namespace.js';
import { checkLabRequirements, labAvailability } from '../../src/net/lab/requirements.js';

async function runDoctor(args: string[]): Promise<{ status: number; out: string }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const status = await doctorCommand.action(args, { stdout, stderr: new PassThrough(), stdin: new PassThrough() });
  return { status, out };
}

/** Runs `body` with PATH holding nothing: unshare and setpriv (in /usr/bin) cannot be found. */
async function withoutUtilLinux<T>(body: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    return await body();
  } finally {
    process.env.PATH = saved;
  }
}

test('the firewall rule drops only unmarked RSTs from the learner’s ports', () => {
  const rules = nftRuleset({ first: 40000, last: 40999 }, 0x7c1ab);
  assert.match(rules, /type filter hook output priority filter; policy accept;/);
  assert.match(rules, /tcp sport 40000-40999 tcp flags & rst == rst meta mark != 0x7c1ab drop/);
  assert.deepEqual(iptablesRule({ first: 1, last: 2 }, 255).join(' '), '-w -A OUTPUT -p tcp --sport 1:2 --tcp-flags RST RST -m mark ! --mark 0xff -j DROP');
});

test('the host starts in a namespace of its own, dying with its parent, with the parent’s loader', () => {
  const plan = labSpawnPlan({ ports: { first: 40000, last: 40999 }, mark: 1, userNamespace: true }, ['--import', 'tsx', '--test', '--inspect=9229']);
  const line = [plan.command, ...plan.args].join(' ');
  assert.match(line, /^setpriv --pdeathsig KILL -- unshare --user --map-root-user --net -- sh -c .+ tcplab-lab \S+ --import tsx \S+lab-host\.(js|ts) --lab-options /);
  assert.match(plan.args.find((arg) => arg.includes('tcp_child_ehash_entries'))!, /^echo 1024 > \/proc\/sys\/net\/ipv4\/tcp_child_ehash_entries 2>\/dev\/null; exec unshare --net -- "\$@"$/);
  assert.ok(!line.includes('--test') && !line.includes('--inspect'), 'the test runner and debugger stay with the parent');
  assert.deepEqual(hostExecArgv(['-e', 'code', '--require', 'x.cjs']), ['--require', 'x.cjs']);
  const root = labSpawnPlan({ ports: { first: 40000, last: 40999 }, mark: 1, userNamespace: false }, []);
  assert.deepEqual(root.args.slice(0, 6), ['--pdeathsig', 'KILL', '--', 'unshare', '--net', '--']);
});

test('every requirement is checked, and on this machine (or in CI) every required one holds', async (t) => {
  const checks = await checkLabRequirements();
  const ids = checks.map((check) => check.id);
  if (process.platform !== 'linux') return t.skip('not Linux');
  assert.deepEqual(ids, ['linux', 'unshare', 'setpriv', 'namespaces', 'iproute2', 'firewall', 'raw-socket-addon', 'raw-socket']);
  const failed = checks.filter((check) => check.required && !check.ok);
  if (failed.length > 0 && !process.env.CI) return t.skip(`the lab cannot run here: ${failed.map((f) => f.detail).join('; ')}`);
  assert.deepEqual(failed, []);
  assert.deepEqual(await labAvailability(), { ok: true });
});

test('a missing tool fails its check with the command that installs it', async () => {
  const checks = await withoutUtilLinux(() => checkLabRequirements());
  const unshare = checks.find((check) => check.id === 'unshare');
  assert.deepEqual(unshare, { id: 'unshare', title: 'unshare (util-linux)', required: true, ok: false, detail: 'unshare is not installed', fix: 'sudo apt-get install util-linux' });
  const availability = await withoutUtilLinux(() => labAvailability());
  assert.deepEqual(availability, { ok: false, reason: 'unshare (util-linux): unshare is not installed', fix: 'sudo apt-get install util-linux' });
});

test('a lab that cannot start says which step failed and what fixes it, without a stack trace', async () => {
  const error = await withoutUtilLinux(() => createLabNetwork().then(() => null, (e: unknown) => e));
  assert.ok(error instanceof LabStartError);
  assert.equal(error.stage, 'spawn');
  assert.match(error.message, /could not be started: .*ENOENT/);
  assert.equal(error.fix, 'sudo apt-get install util-linux');
  await assert.rejects(createLabNetwork({ ports: { first: 41000, last: 40000 } }), (e: unknown) => e instanceof LabStartError && /first port/.test(e.message));
});

test('doctor prints each failure with its fix, and says the simulator will be used', async () => {
  const { status, out } = await withoutUtilLinux(() => runDoctor([]));
  assert.equal(status, 1);
  assert.match(out, /FAIL {2}unshare \(util-linux\) +unshare is not installed\n +fix: sudo apt-get install util-linux\n/);
  assert.match(out, /uses the simulator \(--net sim\)/);
  const json = await withoutUtilLinux(() => runDoctor(['--json']));
  const parsed = JSON.parse(json.out) as { lab: boolean; checks: Array<{ id: string; ok: boolean; fix?: string }> };
  assert.equal(parsed.lab, false);
  assert.equal(parsed.checks.find((check) => check.id === 'unshare')?.fix, 'sudo apt-get install util-linux');
});

test('doctor on a machine that has it all ends by starting a lab for real', async (t) => {
  const availability = await labAvailability();
  if (!availability.ok && !process.env.CI) return t.skip(availability.reason);
  const { status, out } = await runDoctor([]);
  assert.match(out, /ok +a lab starts and stops +started /);
  assert.equal(status, 0, out);
});
