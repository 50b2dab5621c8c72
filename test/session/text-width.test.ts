import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import stringWidth from 'string-width';
import {
  fitWidth,
  graphemes,
  graphemeWidth,
  padStartWidth,
  padWidth,
  stripAnsi,
  textWidth,
  truncateWidth,
  wrapWidth,
} from '../../src/session/text-width.js';

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
    const width = (codePoint: number) => textWidth(String.fromCodePoint(codePoint));
    assert.equal(width(0x10ff), 1);
    assert.equal(width(0x1100), 2); // Hangul leading jamo: wide
    // The choseong filler ends that range, but it is default-ignorable: Ink gives it no column
    // (tmux 3.3 draws it two wide; it only ever stands before a vowel that it pads).
    assert.equal(width(0x115f), 0);
    assert.equal(width(0x1160), 0);
    assert.equal(width(0xac00), 2);
    assert.equal(width(0xd7a3), 2);
    assert.equal(width(0xd7a4), 1);
    assert.equal(width(0x20000), 2);
    assert.equal(width(0x3fffd), 2);
    assert.equal(width(0x3fffe), 1);
  });

  it('counts a keycap written without its emoji selector two columns, as Ink lays it out', () => {
    // A terminal may draw '1⃣' one column wide; what matters is that a cursor lands where Ink drew.
    assert.equal(textWidth('1\u20e3'), 2);
    assert.equal(textWidth('1\ufe0f\u20e3'), 2);
  });

  it('measures every string exactly as Ink does, ASCII fast path or not', () => {
    const anyAscii = fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code));
    const text = fc.oneof(fc.string({ unit: anyAscii }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
    fc.assert(fc.property(text, (s) => textWidth(s) === stringWidth(s)));
  });

  it('is the sum of its clusters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const plain = stripAnsi(s);
        return textWidth(plain) === graphemes(plain).reduce((sum, cluster) => sum + graphemeWidth(cluster), 0);
      }),
    );
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

  it('truncates to nothing at no width', () => {
    assert.equal(truncateWidth('short', 0), '');
    assert.equal(truncateWidth('日本', 1), '…');
  });

  it('pads to an exact width', () => {
    assert.equal(padWidth('日本', 6), '日本  ');
    assert.equal(textWidth(padWidth('日本語', 5)), 5);
  });

  it('pads on the left to an exact width', () => {
    assert.equal(padStartWidth('日本', 6), '  日本');
    assert.equal(padStartWidth('日本語', 5), ' 日本');
  });

  it('keeps every fitted, truncated and padded string within its width', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 0, max: 40 }), (s, width) => {
        const text = stripAnsi(s);
        return (
          textWidth(fitWidth(text, width)) <= width &&
          textWidth(truncateWidth(text, width)) <= width &&
          textWidth(padWidth(text, width)) === width &&
          textWidth(padStartWidth(text, width)) === width
        );
      }),
    );
  });
});

describe('wrapWidth', () => {
  it('breaks at spaces, and inside a word wider than a line', () => {
    assert.deepEqual(wrapWidth('the server answers with SYN-ACK', 12), ['the server', 'answers with', 'SYN-ACK']);
    assert.deepEqual(wrapWidth('服务器回复确认', 6), ['服务器', '回复确', '认']);
    assert.deepEqual(wrapWidth('', 10), ['']);
  });

  it('never makes a line wider than the width, unless one cluster alone is', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 12 })), fc.integer({ min: 2, max: 30 }), (words, width) => {
        const text = stripAnsi(words.join(' '));
        return wrapWidth(text, width).every((line) => textWidth(line) <= width || graphemes(line).length === 1);
      }),
    );
  });
});
