// textWidth against a real terminal: each line is written in tmux, and the terminal is asked
// where its cursor ended up (a cursor position report), so the columns are the terminal's own.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { textWidth } from '../../src/session/text-width.js';
import { TmuxTerminal, tmuxAvailable } from '../ui/tmux-terminal.js';

const skip = (await tmuxAvailable()) ? false : 'tmux is not installed';

// Where Ink's measure and tmux 3.3 part ways, Ink's is followed (the cursor must land where Ink
// drew), so those are not here: a keycap ('1⃣', two columns to Ink, one to tmux), an emoji
// made so by U+FE0F ('❤️'), code points Unicode has not assigned, a lone Hangul filler.
const LINES = [
  'sr1 tcp flags=S',
  '日本語',
  '한국어',
  'ＡＢ',
  '\u3000',
  'data="日本"',
  'ｱｲｳ',
  'Ωé→',
  '😀',
  '👨‍👩‍👧',
  'e\u0301',
  'a\u200bb',
  '\u001b[31m日本\u001b[0m',
  'ｶﾞ',
  '\u1100\u1161\u11a8',
  '三次握手：SYN、SYN-ACK、ACK。',
  'send tcp data="你好，世界"',
];

/**
 * Writes each line at the start of a cleared row, asks for the cursor's position (ESC [ 6 n)
 * and reads the terminal's answer from the raw keyboard, then saves the columns as JSON.
 */
const PROBE = `
const fs = require('node:fs');
const [input, output] = process.argv.slice(1);
const lines = JSON.parse(fs.readFileSync(input, 'utf8'));
const columns = [];
let pending = '';
process.stdin.setRawMode(true);
const ask = () => process.stdout.write('\\r\\u001b[2K' + lines[columns.length] + '\\u001b[6n');
process.stdin.on('data', (chunk) => {
  pending += chunk.toString('utf8');
  const report = /\\u001b\\[(\\d+);(\\d+)R/.exec(pending);
  if (report === null) return;
  pending = '';
  columns.push(Number(report[2]) - 1);
  if (columns.length < lines.length) return ask();
  fs.writeFileSync(output, JSON.stringify(columns));
  process.exit(0);
});
ask();
`;

describe('textWidth in a real terminal', { skip }, () => {
  it('puts the cursor where tmux does after each line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcplab-text-width-'));
    const term = new TmuxTerminal();
    try {
      const input = join(dir, 'lines.json');
      const output = join(dir, 'columns.json');
      writeFileSync(input, JSON.stringify(LINES));
      await term.start([process.execPath, '-e', PROBE, input, output], { columns: 80, rows: 5 });
      assert.equal(await term.waitForExit(), 0);
      const columns = JSON.parse(readFileSync(output, 'utf8')) as number[];
      assert.deepEqual(
        LINES.map((line, i) => ({ line, columns: columns[i] })),
        LINES.map((line) => ({ line, columns: textWidth(line) })),
      );
    } finally {
      await term.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
