import { parseArgs } from '../args.js';
import { UsageError, type CliIo } from '../command.js';
import { createLabNetwork, LabStartError } from '../../net/lab/lab-network.js';
import { checkLabRequirements, type RequirementCheck } from '../../net/lab/requirements.js';

export async function doctorAction(args: string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args, { switches: ['json'] });
  if (positional.length > 0) throw new UsageError(`doctor takes no arguments (got ${positional.join(' ')})`);
  const checks = await checkLabRequirements();
  // Every part may be there and the whole still fail: start a lab for real to be sure.
  if (checks.every((check) => check.ok || !check.required)) checks.push(await tryTheLab());
  const ready = checks.every((check) => check.ok || !check.required);

  if (flags.has('json')) {
    io.stdout.write(`${JSON.stringify({ lab: ready, checks })}\n`);
    return ready ? 0 : 1;
  }
  const width = Math.max(...checks.map((check) => check.title.length));
  io.stdout.write('tcplab doctor: can the lab run here?\n\n');
  for (const check of checks) {
    const mark = check.ok ? 'ok  ' : check.required ? 'FAIL' : 'warn';
    io.stdout.write(`  ${mark}  ${check.title.padEnd(width)}  ${check.detail}\n`);
    if (!check.ok && check.fix) io.stdout.write(`        ${' '.repeat(width)}  fix: ${check.fix}\n`);
  }
  io.stdout.write(
    ready
      ? '\nThe lab can run here: tcplab --net lab (the default) talks to the real kernel.\n'
      : '\nThe lab cannot run here yet: tcplab uses the simulator (--net sim) until the fixes above are made.\n',
  );
  return ready ? 0 : 1;
}

async function tryTheLab(): Promise<RequirementCheck> {
  const title = 'a lab starts and stops';
  try {
    const lab = await createLabNetwork();
    const { firewall, userNamespace } = lab.host;
    await lab.close();
    const how = userNamespace ? 'through a user namespace' : 'as root';
    return { id: 'lab', title, required: true, ok: true, detail: `started ${how}, firewall by ${firewall}, and stopped` };
  } catch (error) {
    const fix = error instanceof LabStartError ? error.fix : 'run again with TCPLAB_DEBUG=1 and report what it prints';
    return { id: 'lab', title, required: true, ok: false, detail: (error as Error).message, fix };
  }
}
