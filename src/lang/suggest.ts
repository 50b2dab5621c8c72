/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment),
 * because swapped letters (`sqe` for `seq`) are the commonest slip at a keyboard.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate closest to what was typed, ignoring case, if it is close enough to be a
 * likely typo: one edit for short words, two for longer ones.
 */
export function suggest(typed: string, candidates: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  const allowed = word.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate.toLowerCase());
    // On a tie, a candidate with the same first letter is the likelier intent (SIN -> SYN).
    const better =
      distance < bestDistance ||
      (distance === bestDistance && best !== undefined && candidate[0]?.toLowerCase() === word[0] && best[0]?.toLowerCase() !== word[0]);
    if (better) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= allowed && bestDistance < word.length ? best : undefined;
}

/** "did you mean 'flags'?" as the tail of an error message, or undefined when nothing is close. */
export function didYouMean(typed: string, candidates: readonly string[], quote = (s: string) => `'${s}'`): string | undefined {
  const match = suggest(typed, candidates);
  return match === undefined ? undefined : `did you mean ${quote(match)}?`;
}
