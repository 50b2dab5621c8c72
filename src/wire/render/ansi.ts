// The few ANSI SGR styles the renderings use. Colour is only ever added around text that is
// complete without it, so stripping the escapes gives back the plain rendering exactly.

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan';

const SGR: Record<Style, string> = {
  bold: '1',
  dim: '2',
  red: '31',
  green: '32',
  yellow: '33',
  blue: '34',
  magenta: '35',
  cyan: '36',
};

export type Painter = (text: string, style: Style) => string;

export function painter(color: boolean | undefined): Painter {
  if (!color) return (text) => text;
  return (text, style) => (text === '' ? text : `\x1b[${SGR[style]}m${text}\x1b[0m`);
}

/** Colours that tell neighbouring fields apart in the hex dump; red is kept for trouble. */
export const FIELD_PALETTE: readonly Style[] = ['cyan', 'yellow', 'green', 'magenta', 'blue'];
