/**
 * A step's solution, once the learner asks for it: the line as the lesson wrote it, and,
 * when it names numbers of the connection ($rx.seq+1 and the like), the same line with this
 * connection's numbers put in, which is what the learner can send now.
 */
import type { SolutionView as Solution } from '../../lesson/runner/lesson-run.js';
import { verdictStrings } from '../../lesson/runner/verdict-strings.js';
import { indented, type ToneLine } from './tone.js';
import { ToneLines } from './tone-lines.js';

export interface SolutionViewProps {
  solution: Solution;
  language?: string;
  width: number;
}

export function SolutionView({ solution, language, width }: SolutionViewProps) {
  return <ToneLines lines={layoutSolution(solution, language, width)} width={width} />;
}

export function layoutSolution(solution: Solution, language: string | undefined, width: number): ToneLine[] {
  const s = verdictStrings(language);
  const lines: ToneLine[] = [
    ...indented([{ text: `${s.solution}${s.colon}`, style: 'label' }, { text: solution.text, style: 'learner' }], width, 0, 2),
  ];
  if (solution.resolved !== null && solution.resolved !== solution.text) {
    lines.push(...indented([{ text: `${s.withThisConnection}${s.colon}`, style: 'dim' }], width, 2, 2));
    lines.push(...indented([{ text: solution.resolved, style: 'learner' }], width, 4, 2));
  }
  return lines;
}
