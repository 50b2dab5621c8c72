// What a ladder's words are measured by in the tests of its languages.
import { textWidth } from '../../src/session/text-width.js';

/**
 * The English words left in a ladder once the protocol's own are taken out: fields with their
 * values (seq=0, win=0), flags, TCP state names, "TCP" and errno names (every word in capitals).
 */
export function englishWordsIn(ladder: string): string[] {
  const left: string[] = [];
  for (const line of ladder.split('\n')) {
    const rest = line.replace(/\S+=\S+/g, ' ').replace(/\b[A-Z][A-Z0-9]*(-[A-Z0-9]+)*\b/g, ' ');
    left.push(...(rest.match(/[A-Za-z]+/g) ?? []));
  }
  return left;
}

/** The lines wider than `width` terminal columns, each with its width. */
export function linesWiderThan(ladder: string, width: number): string[] {
  return ladder
    .split('\n')
    .filter((line) => textWidth(line) > width)
    .map((line) => `${textWidth(line)} columns: ${JSON.stringify(line)}`);
}

/** The margin notes of a ladder drawn without colour: what stands right of the right lifeline. */
export function notesIn(ladder: string): string[] {
  return ladder
    .split('\n')
    .map((line) => /^\|.*\| {2}(.*)$/.exec(line)?.[1])
    .filter((note): note is string => note !== undefined);
}
