// A run cell: REPL commands the lesson runs itself, one per line, before the learner acts
// (`connect` so the bundled client opens a connection to a learner playing the server,
// `server close-after=5` to change what the server does, `wait 61s` to let TIME-WAIT pass).

import { didYouMean } from '../../lang/suggest.js';
import { parseDuration } from './duration.js';
import { sourceText } from './expectation-cells.js';
import { parseSegmentAt } from './lang-text.js';
import type { LessonError, Position } from './lesson-error.js';
import type { SourceLine } from './markdown-cells.js';
import type { RunCommand } from './schema.js';
import { parseServerBehaviour } from './server-spec.js';
import { tryParse } from './source-errors.js';

/** The commands a run cell takes, with their synopsis, for messages and the reference. */
export const RUN_COMMANDS = [
  { name: 'server', synopsis: 'server BEHAVIOUR', description: "switch the bundled server's behaviour, e.g. server close-after=5" },
  { name: 'connect', synopsis: 'connect', description: 'the bundled client opens a connection to you (when you play the server)' },
  { name: 'send', synopsis: 'send tcp ...', description: 'send a segment as the lesson, not as the learner' },
  { name: 'wait', synopsis: 'wait DURATION', description: 'let time pass, e.g. wait 61s for TIME-WAIT to end' },
  { name: 'reset', synopsis: 'reset', description: 'forget the packets received so far, for $rx and recv' },
] as const;

const NAMES: readonly string[] = RUN_COMMANDS.map((command) => command.name);

export function readRunCell(file: string, at: Position, body: readonly SourceLine[], errors: LessonError[]): RunCommand[] {
  const commands: RunCommand[] = [];
  let lines = 0;
  for (const raw of body) {
    const indent = raw.text.length - raw.text.trimStart().length;
    const source: SourceLine = { text: raw.text.trim(), line: raw.line, column: raw.column + indent };
    if (source.text === '' || source.text.startsWith('#')) continue;
    lines += 1;
    const command = readRunLine(file, source, errors);
    if (command !== null) commands.push(command);
  }
  if (lines === 0) {
    errors.push({ file, ...at, message: 'a run cell is empty: write a command per line, e.g. connect' });
  }
  return commands;
}

function readRunLine(file: string, source: SourceLine, errors: LessonError[]): RunCommand | null {
  const name = /^\S+/.exec(source.text)?.[0] ?? '';
  const restOffset = source.text.slice(name.length).search(/\S/);
  const restColumn = restOffset === -1 ? source.text.length + 1 : name.length + restOffset + 1;
  const rest: SourceLine = { text: source.text.slice(restColumn - 1), line: source.line, column: source.column + restColumn - 1 };
  const line = sourceText(source);
  const fail = (message: string, column = source.column): null => {
    errors.push({ file, line: source.line, column, message });
    return null;
  };

  switch (name) {
    case 'server': {
      if (rest.text === '') return fail('server needs a behaviour, e.g. server close-after=5', rest.column);
      const behaviour = tryParse(file, rest, errors, () => parseServerBehaviour(rest.text));
      return behaviour === null ? null : { command: 'server', behaviour, line };
    }
    case 'connect':
    case 'reset':
      if (rest.text !== '') return fail(`${name} takes nothing after it`, rest.column);
      return { command: name, line };
    case 'wait': {
      if (rest.text === '') return fail('wait needs how long, e.g. wait 61s', rest.column);
      const ms = tryParse(file, rest, errors, () => parseDuration(rest.text, 1, 'a duration'));
      return ms === null ? null : { command: 'wait', ms, line };
    }
    case 'send': {
      if (rest.text === '') return fail('send needs a segment, e.g. send tcp flags=R seq=$tx.seq+1', rest.column);
      const spec = parseSegmentAt(file, rest, errors);
      return spec === null ? null : { command: 'send', segment: sourceText(rest), line };
    }
    default: {
      const elsewhere =
        name === 'recv' || name === 'expect' ? 'replies to wait for go in an expect cell' : didYouMean(name, NAMES) ?? `a run cell takes ${NAMES.join(', ')}`;
      return fail(`unknown command '${name}' in a run cell; ${elsewhere}`);
    }
  }
}
