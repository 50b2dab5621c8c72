// Fitting text into the 80 columns of a terminal.

export const SCREEN_WIDTH = 80;

/**
 * Splits `text` into lines of at most `width` characters, breaking after a space or comma
 * where there is one and mid-word only where there is not.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    let cut = -1;
    for (let i = width; i > 0; i--) {
      const char = rest[i - 1];
      if (char === ' ' || char === ',') {
        cut = i;
        break;
      }
    }
    if (cut <= 0) cut = width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return lines;
}

/** Packs pieces that must not be split (escapes, hex pairs) into lines of at most `width`. */
export function packPieces(pieces: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const piece of pieces) {
    if (line.length + piece.length > width && line !== '') {
      lines.push(line);
      line = '';
    }
    line += piece;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}
