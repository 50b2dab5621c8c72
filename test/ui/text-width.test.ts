import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitWidth, graphemes, isWideCodePoint, padWidth, stripAnsi, textWidth, truncateWidth } from '../../src/ui/text-width.js';

describe('textWidth', () => {
  it('counts ASCII one column a character', () => {
    assert.equal(textWidth('sr1 tcp flags=S'), 15);
    assert.equal(textWidth(''), 0);
  });

  it('counts East Asian Wide and Fullwidth characters two columns', () => {
    assert.equal(textWidth('日本語'), 6);
    assert.equal(textWidth('한국어'), 6);
    assert.equal(textWidth('ＡＢ'), 4);
    assert.equal(textWidth('\u3000'), 2); // ideographic space: Fullwidth
    assert.equal(textWidth('data="日本"'), 11);
  });

  it('counts halfwidth katakana, Latin, Greek and ambiguous characters one column', () => {
    assert.equal(textWidth('ｱｲｳ'), 3);
    assert.equal(textWidth('Ωé→'), 3);
  });

  it('counts an emoji two columns, even a joined family, and a combining mark none', () => {
    assert.equal(textWidth('😀'), 2);
    assert.equal(textWidth('👨‍👩‍👧'), 2);
    assert.equal(textWidth('e\u0301'), 1);
    assert.equal(textWidth('a\u200bb'), 2);
  });

  it('ignores colour escapes', () => {
    assert.equal(textWidth('\u001b[31m日本\u001b[0m'), 4);
    assert.equal(stripAnsi('\u001b[1mbold\u001b[0m'), 'bold');
  });

  it('knows the edges of the wide ranges', () => {
    assert.equal(isWideCodePoint(0x10ff), false);
    assert.equal(isWideCodePoint(0x1100), true);
    assert.equal(isWideCodePoint(0x115f), true);
    assert.equal(isWideCodePoint(0x1160), false);
    assert.equal(isWideCodePoint(0xac00), true);
    assert.equal(isWideCodePoint(0xd7a3), true);
    assert.equal(isWideCodePoint(0xd7a4), false);
    assert.equal(isWideCodePoint(0x20000), true);
    assert.equal(isWideCodePoint(0x3fffd), true);
    assert.equal(isWideCodePoint(0x3fffe), false);
  });
});

describe('graphemes', () => {
  it('keeps a cluster whole', () => {
    assert.deepEqual(graphemes('ae\u0301日'), ['a', 'e\u0301', '日']);
    assert.deepEqual(graphemes('x👨‍👩‍👧'), ['x', '👨‍👩‍👧']);
  });
});

describe('fitting text to a width', () => {
  it('never cuts a wide character in half', () => {
    assert.equal(fitWidth('ab日本', 3), 'ab');
    assert.equal(fitWidth('ab日本', 4), 'ab日');
    assert.equal(truncateWidth('日本語テキスト', 6), '日本…');
    assert.equal(truncateWidth('short', 10), 'short');
  });

  it('pads to an exact width', () => {
    assert.equal(padWidth('日本', 6), '日本  ');
    assert.equal(textWidth(padWidth('日本語', 5)), 5);
  });
});
