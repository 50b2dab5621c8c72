/**
 * What the parts of a verdict are, for drawing: a pass or a failure, the lesson's sentence,
 * the learner's and the server's packets, expected and actual values, what is only context.
 * Lines of toned spans are laid out to a width here and drawn by <ToneLines>.
 */
import { wrapStyled, type Styled } from '../prose/wrap-spans.js';
import { THEME } from '../theme.js';

export type Tone =
  | 'plain'
  | 'pass'
  | 'fail'
  /** The lesson's own sentence: the first thing a learner should read. */
  | 'sentence'
  /** Context: where the lesson says it, labels, notes, the try's text. */
  | 'dim'
  /** A field's name, a hint's or solution's label. */
  | 'label'
  | 'learner'
  | 'learnerLine'
  | 'server'
  | 'serverLine'
  | 'expected'
  | 'actual'
  | 'caret';

export type ToneSpan = Styled<Tone>;
export type ToneLine = ToneSpan[];

const sameTone = (a: Tone, b: Tone) => a === b;

/**
 * `spans` wrapped into `width` columns, `indent` columns in; lines after the first hang
 * `hang` columns further in. A hang that would leave too little room is dropped.
 */
export function indented(spans: readonly ToneSpan[], width: number, indent: number, hang = 0): ToneLine[] {
  const room = Math.max(1, width - indent);
  const hanging = room - hang >= 12 ? hang : 0;
  const lines = wrapStyled(spans, room, room - hanging, sameTone);
  return lines.map((line, i) => {
    const pad = indent + (i === 0 ? 0 : hanging);
    return pad > 0 && line.length > 0 ? [{ text: ' '.repeat(pad), style: 'plain' as const }, ...line] : line;
  });
}

export interface ToneLook {
  color?: string;
  bold?: boolean;
  dimColor?: boolean;
}

export function toneLook(tone: Tone): ToneLook {
  switch (tone) {
    case 'plain':
      return {};
    case 'pass':
      return { color: THEME.pass, bold: true };
    case 'fail':
      return { color: THEME.fail, bold: true };
    case 'sentence':
      return { bold: true };
    case 'dim':
      return { dimColor: true };
    case 'label':
      return { bold: true };
    case 'learner':
      return { color: THEME.learner };
    case 'learnerLine':
      return { color: THEME.learner, dimColor: true };
    case 'server':
      return { color: THEME.server };
    case 'serverLine':
      return { color: THEME.server, dimColor: true };
    case 'expected':
      return { color: THEME.pass };
    case 'actual':
      return { color: THEME.fail };
    case 'caret':
      return { color: THEME.error, bold: true };
  }
}
