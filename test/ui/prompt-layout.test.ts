import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { caretLine, layoutPromptRow } from '../../src/ui/prompt-layout.js';
import { graphemes, textWidth } from '../../src/session/text-width.js';

const rowWidth = (row: ReturnType<typeof layoutPromptRow>) => textWidth(row.before) + textWidth(row.atCursor) + textWidth(row.after);

describe('layoutPromptRow', () => {
  it('shows a short line whole, with the cursor cell after its end', () => {
    assert.deepEqual(layoutPromptRow('send', 4, 20), { before: 'send', atCursor: ' ', after: '', cursorColumn: 4 });
    assert.deepEqual(layoutPromptRow('send', 1, 20), { before: 's', atCursor: 'e', after: 'nd', cursorColumn: 1 });
  });

  it('puts the cursor on a whole wide character and counts its columns', () => {
    const row = layoutPromptRow('a日本', 1, 20);
    assert.deepEqual(row, { before: 'a', atCursor: '日', after: '本', cursorColumn: 1 });
    assert.equal(layoutPromptRow('日本x', 2, 20).cursorColumn, 4);
  });

  it('scrolls a long line so the cursor stays in view, marking hidden text with …', () => {
    const text = 'send tcp flags=S seq=1000 ack=0 win=64240 opts=mss:1460,sackok,ts:1:0,nop,wscale:7';
    const end = layoutPromptRow(text, text.length, 30);
    assert.ok(end.before.startsWith('…'));
    assert.ok(end.before.endsWith('wscale:7'));
    assert.equal(end.after, '');
    assert.equal(rowWidth(end), 30);
    const start = layoutPromptRow(text, 0, 30);
    assert.equal(start.before, '');
    assert.ok(start.after.endsWith('…'));
    assert.equal(rowWidth(start), 30);
  });

  it('never overflows its width, never splits a cluster, and always shows the cursor', () => {
    const pieces = fc.constantFrom('a', 'b', ' ', '=', '日', '本', '😀', 'e\u0301', 'ｱ', '한');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), fc.nat(), fc.integer({ min: 2, max: 50 }), (parts, at, width) => {
        const text = parts.join('');
        const clusters = graphemes(text);
        const index = clusters.length === 0 ? 0 : at % (clusters.length + 1);
        const cursor = clusters.slice(0, index).join('').length;
        const row = layoutPromptRow(text, cursor, width);
        assert.ok(rowWidth(row) <= Math.max(width, textWidth(row.atCursor) + 2), `${rowWidth(row)} > ${width}`);
        assert.equal(row.atCursor, clusters[index] ?? ' ');
        assert.equal(row.cursorColumn, textWidth(row.before));
        const shown = (row.before + row.atCursor + row.after).replace(/…/g, '');
        assert.ok((text + ' ').includes(shown.trimEnd()) || shown.trim() === '');
      }),
    );
  });
});

describe('caretLine', () => {
  it('points at a 1-based column with as many carets as the span', () => {
    assert.equal(caretLine('send tcp flgs=S', 10, 4), '         ^^^^');
    assert.equal(caretLine('send', 1), '^');
  });

  it('counts wide characters before and under the span as two columns', () => {
    assert.equal(caretLine('send tcp data="日本" flgs=S', 21, 4), `${' '.repeat(22)}^^^^`);
    assert.equal(caretLine('x 日本', 3, 2), '  ^^^^');
  });

  it('points past the end for a missing part', () => {
    assert.equal(caretLine('sr1', 5, 1), '   ^');
  });
});
