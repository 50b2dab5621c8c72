// The bundled server's behaviour as one word, the way a lesson's front-matter and a `run`
// cell's `server` line write it: `echo`, `close-after=5`, `banner="hi\r\n"`, `slow-reader=100`.
// The word is read as the REPL's `server` reads it; this words its mistakes for a lesson file.

import { behaviourWord, readServerBehaviour, type BehaviourProblem } from '../../lang/server-behaviour.js';
import { SegmentSyntaxError } from '../../lang/syntax-error.js';
import type { ServerBehaviourSpec } from '../../server/behaviour.js';
import { SERVER_BEHAVIOUR_NAMES } from '../../server/behaviour-syntax.js';

export { SERVER_BEHAVIOUR_SYNTAX } from '../../server/behaviour-syntax.js';
export { formatServerBehaviour } from '../../lang/server-behaviour.js';

/** A behaviour from its one-word form; errors carry the column within `text`. */
export function parseServerBehaviour(text: string): ServerBehaviourSpec {
  // A YAML value may hold spaces, which the REPL's lexer would have split into two words.
  const equals = text.indexOf('=');
  const typed = equals === -1 ? text : text.slice(0, equals);
  const space = typed.search(/\s/);
  if (space !== -1) {
    const name = typed.slice(0, space);
    const known = (SERVER_BEHAVIOUR_NAMES as readonly string[]).includes(name);
    const hint = known ? `write ${name}=VALUE, with no spaces` : `behaviours are ${SERVER_BEHAVIOUR_NAMES.join(' ')}`;
    throw new SegmentSyntaxError(`unexpected space in the server behaviour '${text}'`, { column: space + 1, length: 1 }, hint);
  }
  const reading = readServerBehaviour(text, behaviourWord(text));
  if (reading.ok) return reading.spec;
  throw inLessonWords(reading.problem);
}

function inLessonWords(problem: BehaviourProblem): SegmentSyntaxError {
  const { word } = problem;
  const name = { column: word.nameSpan.column, length: Math.max(1, word.nameSpan.length) };
  const value = { column: word.valueSpan.column, length: Math.max(1, word.valueSpan.length) };
  switch (problem.kind) {
    case 'no-name':
      return new SegmentSyntaxError('expected a server behaviour', name, problem.hint);
    case 'unknown':
      return new SegmentSyntaxError(`unknown server behaviour '${word.name}'`, name, problem.hint);
    case 'needs-value':
      return new SegmentSyntaxError(`${problem.syntax.name} needs a value`, { column: word.nameSpan.column + word.nameSpan.length, length: 1 }, `e.g. ${problem.setting.example}`);
    case 'takes-no-value': {
      const from = word.equals?.column ?? word.valueSpan.column;
      const to = word.valueSpan.column + word.valueSpan.length;
      return new SegmentSyntaxError(`${problem.syntax.name} takes no value`, { column: from, length: to - from }, `write just ${problem.syntax.name}`);
    }
    case 'not-a-number':
      return new SegmentSyntaxError(`${problem.syntax.name} takes a whole number, got '${word.value}'`, value, `e.g. ${problem.setting.example}`);
    case 'too-large':
      return new SegmentSyntaxError(`${problem.syntax.name}=${word.value} is too large`, value);
    case 'bad-text':
      return problem.error;
  }
}
