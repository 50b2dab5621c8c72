/**
 * A step's verdict for a learner at a terminal: a ✓ or ✗ headline, the lesson's sentence
 * first, then the facts, every line within `width` (see verdict-lines.ts), labels in the
 * lesson's language.
 */
import { useMemo } from 'react';
import type { StepVerdict } from '../../lesson/runner/verdict.js';
import { ToneLines } from './tone-lines.js';
import { layoutVerdict } from './verdict-lines.js';

export interface VerdictViewProps {
  verdict: StepVerdict;
  /** The lesson file, for the places the verdict names. */
  file: string;
  /** The lesson's language tag. */
  language?: string;
  width: number;
}

export function VerdictView({ verdict, file, language, width }: VerdictViewProps) {
  const lines = useMemo(() => layoutVerdict(verdict, { file, width, ...(language !== undefined ? { language } : {}) }), [verdict, file, language, width]);
  return <ToneLines lines={lines} width={width} />;
}
