// A verdict, a hint and a solution as a learner sees them in the lesson view.
export { VerdictView, type VerdictViewProps } from './verdict-view.js';
export { HintView, type HintViewProps } from './hint-view.js';
export { SolutionView, layoutSolution, type SolutionViewProps } from './solution-view.js';
export { layoutVerdict, type VerdictLayoutOptions } from './verdict-lines.js';
export { ToneLines } from './tone-lines.js';
export type { Tone, ToneLine, ToneSpan } from './tone.js';
