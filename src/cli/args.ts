import { UsageError } from './command.js';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * Splits `--name value`, `--name=value` and bare `--switch` from positionals. Which flags
 * take a value is declared, so a positional after a switch is never swallowed.
 */
export function parseArgs(args: string[], spec: { values?: string[]; switches?: string[] }): ParsedArgs {
  const values = new Set(spec.values ?? []);
  const switches = new Set(spec.switches ?? []);
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') || (arg.startsWith('-') && arg.length === 2 && arg !== '-')) {
      const eq = arg.indexOf('=');
      const name = (eq === -1 ? arg : arg.slice(0, eq)).replace(/^--?/, '');
      if (switches.has(name)) {
        if (eq !== -1) throw new UsageError(`option --${name} takes no value`);
        flags.set(name, true);
      } else if (values.has(name)) {
        const value = eq !== -1 ? arg.slice(eq + 1) : args[++i];
        if (value === undefined) throw new UsageError(`option --${name} needs a value`);
        flags.set(name, value);
      } else {
        throw new UsageError(`unknown option ${arg}`);
      }
    } else {
      positional.push(arg);
    }
  }
  return { positional, flags };
}
