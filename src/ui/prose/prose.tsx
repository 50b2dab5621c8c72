/**
 * Lesson Markdown drawn in the terminal: the lines of layoutProse, each span in the theme's
 * colour for what it is. Every line is laid out to fit `width`, so Ink never wraps one.
 */
import { useMemo } from 'react';
import { StyledLines } from '../styled-lines.js';
import { THEME } from '../theme.js';
import { layoutProse } from './layout-prose.js';
import type { ProseLine, ProseStyle } from './prose-line.js';

export function Prose({ markdown, width }: { markdown: string; width: number }) {
  const lines = useMemo(() => layoutProse(markdown, width), [markdown, width]);
  return <ProseLines lines={lines} width={width} />;
}

/** Lines already laid out (by layoutProse, or by a view that mixes prose with its own lines). */
export function ProseLines({ lines, width }: { lines: readonly ProseLine[]; width: number }) {
  return <StyledLines lines={lines} width={width} look={spanLook} />;
}

interface Look {
  color?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  dimColor?: boolean;
}

/** How a style is drawn: the one place that turns what text is into how it looks. */
export function spanLook(style: ProseStyle): Look {
  const look: Look = {};
  if (style.mark !== undefined) {
    if (style.mark === 'quote') look.color = THEME.quote;
    else look.dimColor = true;
    return look;
  }
  if (style.heading !== undefined) {
    look.color = THEME.heading;
    look.bold = true;
    if (style.heading === 1) look.underline = true;
  }
  if (style.quote) {
    look.color = THEME.quote;
    look.italic = true;
  }
  if (style.code || style.codeBlock) look.color = THEME.code;
  if (style.link) {
    look.color = THEME.link;
    look.underline = true;
  }
  if (style.url) look.dimColor = true;
  if (style.strong) look.bold = true;
  if (style.emphasis) look.italic = true;
  return look;
}
