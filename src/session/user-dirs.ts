// tcplab's folders in the user's home, as the XDG Base Directory spec places them: state
// (history, progress) and configuration (the packs a learner added). A relative value of the
// variable is invalid by the spec, and ignored.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** $XDG_STATE_HOME/tcplab, or ~/.local/state/tcplab. */
export function tcplabStateDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return join(baseDir(env.XDG_STATE_HOME, join(home, '.local', 'state')), 'tcplab');
}

/** $XDG_CONFIG_HOME/tcplab, or ~/.config/tcplab. */
export function tcplabConfigDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return join(baseDir(env.XDG_CONFIG_HOME, join(home, '.config')), 'tcplab');
}

function baseDir(value: string | undefined, fallback: string): string {
  return value !== undefined && value !== '' && isAbsolute(value) ? value : fallback;
}
