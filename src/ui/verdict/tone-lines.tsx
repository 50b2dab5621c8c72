/** Toned lines drawn as laid out: each already fits `width`, so Ink never wraps one again. */
import { StyledLines } from '../styled-lines.js';
import { toneLook, type ToneLine } from './tone.js';

export function ToneLines({ lines, width }: { lines: readonly ToneLine[]; width: number }) {
  return <StyledLines lines={lines} width={width} look={toneLook} />;
}
