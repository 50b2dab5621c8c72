import { UsageError } from './command.js';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
  /** Every value of a flag that may be given more than once, in order (`--pack A --pack B`). */
  lists: Map<string, string[]>;
}

/**
 * Splits `--name value`, `--name=value` and bare `--switch` from positionals. Which flags
 * take a value is declared, so a positional after a switch is never swallowed.
 */
export function parseArgs(args: string[], spec: { values?: string[]; switches?: string[]; repeatable?: string[] }): ParsedArgs {
  const repeatable = new Set(spec.repeatable ?? []);
  const values = new Set([...(spec.values ?? []), ...repeatable]);
  const lists = new Map<string, string[]>();
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
        if (repeatable.has(name)) lists.set(name, [...(lists.get(name) ?? []), value]);
      } else {
        throw new UsageError(`unknown option ${arg}`);
      }
    } else {
      positional.push(arg);
    }
  }
  return { positional, flags, lists };
}
