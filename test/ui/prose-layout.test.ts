// Lesson Markdown laid out for a terminal, one construct at a time: what the learner reads,
// line by line, and what each piece of it is (heading, strong, code, link ...).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { layoutProse } from '../../src/ui/prose/layout-prose.js';
import { lineText, lineWidth, type ProseLine, type ProseStyle } from '../../src/ui/prose/prose-line.js';

const text = (markdown: string, width = 40) => layoutProse(markdown, width).map(lineText);

/** The style of the first span whose text contains `needle`. */
function styleOf(lines: ProseLine[], needle: string): ProseStyle | undefined {
  for (const line of lines) for (const span of line) if (span.text.includes(needle)) return span.style;
  return undefined;
}

describe('paragraphs', () => {
  it('joins soft line breaks and re-wraps the words to the width', () => {
    assert.deepEqual(text('Two programs cannot\nexchange a single byte over TCP until their kernels agree.', 30), [
      'Two programs cannot exchange a',
      'single byte over TCP until',
      'their kernels agree.',
    ]);
  });

  it('separates blocks with one blank line, and collapses runs of spaces', () => {
    assert.deepEqual(text('one   two\n\n\n\nthree'), ['one two', '', 'three']);
  });

  it('keeps a hard break (two spaces or a backslash at the end of a line)', () => {
    assert.deepEqual(text('first  \nsecond\\\nthird'), ['first', 'second', 'third']);
  });

  it('cuts a word wider than the line where the line is full', () => {
    assert.deepEqual(text('see 0123456789abcdefghij', 10), ['see', '0123456789', 'abcdefghij']);
  });
});

describe('headings', () => {
  it('shows ATX and setext headings without their marks, with their level', () => {
    const lines = layoutProse('# The *three-way* handshake #\n\n### Step 1\n\nSetext\n------', 40);
    assert.deepEqual(lines.map(lineText), ['The three-way handshake', '', 'Step 1', '', 'Setext']);
    assert.equal(styleOf(lines, 'The ')?.heading, 1);
    assert.deepEqual(styleOf(lines, 'three-way'), { heading: 1, emphasis: true });
    assert.equal(styleOf(lines, 'Step 1')?.heading, 3);
    assert.equal(styleOf(lines, 'Setext')?.heading, 2);
  });
});

describe('emphasis, strong, code and escapes', () => {
  it('reads * and _ as CommonMark does, leaving snake_case words alone', () => {
    const lines = layoutProse('a **strong** and *em* and __strong__ and _em_ in ip_local_port_range, 2*3*4', 80);
    assert.deepEqual(lines.map(lineText), ['a strong and em and strong and em in ip_local_port_range, 2*3*4'.replace('2*3*4', '234')]);
    assert.deepEqual(styleOf(lines, 'strong'), { strong: true });
    assert.deepEqual(styleOf(lines, 'em'), { emphasis: true });
    assert.deepEqual(styleOf(lines, 'ip_local'), {});
  });

  it('shows inline code as written: no emphasis inside, spaces kept', () => {
    const lines = layoutProse('write `tcp  flags=*S*` then', 80);
    assert.deepEqual(lines.map(lineText), ['write tcp  flags=*S* then']);
    assert.deepEqual(styleOf(lines, 'flags'), { code: true });
  });

  it('shows escaped punctuation as itself', () => {
    assert.deepEqual(text('\\*not emphasis\\* and \\_ and \\`tick\\` and a \\\\ backslash'), ['*not emphasis* and _ and `tick` and a \\', 'backslash']);
  });

  it('nests strong code inside a sentence in Chinese', () => {
    const lines = layoutProse('- **seq 是这个报文段所带第一个字节的编号；**', 80);
    assert.deepEqual(lines.map(lineText), ['• seq 是这个报文段所带第一个字节的编号；']);
    assert.deepEqual(styleOf(lines, '编号'), { strong: true });
  });
});

describe('links', () => {
  it('shows the text, then the address dim in parentheses', () => {
    const lines = layoutProse('See [the format](docs/lesson-format.md "title") now.', 80);
    assert.deepEqual(lines.map(lineText), ['See the format (docs/lesson-format.md) now.']);
    assert.deepEqual(styleOf(lines, 'the format'), { link: true });
    assert.deepEqual(styleOf(lines, 'docs/'), { url: true });
  });

  it('does not repeat an address that is the text', () => {
    assert.deepEqual(text('<https://example.org/tcp> and [https://example.org](https://example.org)', 80), ['https://example.org/tcp and https://example.org']);
  });
});

describe('code blocks', () => {
  it('keeps lines verbatim, indented two columns, never re-wrapped', () => {
    const lines = layoutProse('Before\n\n```sh\n |  SYN      seq=x   |\n\n    indented  two  spaces\n```\n\nAfter', 30);
    assert.deepEqual(lines.map(lineText), ['Before', '', '   |  SYN      seq=x   |', '', '      indented  two  spaces', '', 'After']);
    assert.equal(styleOf(lines, 'SYN')?.codeBlock, true);
  });

  it('cuts a line wider than the terminal with …, and reads ~~~ fences and indented code', () => {
    assert.deepEqual(text('~~~\n0000  45 00 00 28 00 00 40 00  40 06\n~~~\n\n    indented code', 20), ['  0000  45 00 00 28…', '', '  indented code']);
  });

  it('never splits a wide character when cutting', () => {
    const [line] = layoutProse('```\n客户端（你）服务器\n```', 9);
    assert.equal(lineText(line!), '  客户端…');
    assert.ok(lineWidth(line!) <= 9);
  });
});

describe('lists', () => {
  it('hangs wrapped lines under the text of a bullet item', () => {
    assert.deepEqual(text('- `seq`: the number of the first thing this segment carries.\n- `ack`: the next number', 30), [
      '• seq: the number of the first',
      '  thing this segment carries.',
      '• ack: the next number',
    ]);
  });

  it('numbers an ordered list from its start, aligned on the widest number', () => {
    assert.deepEqual(text('9. nine and more words here\n10. ten', 17), [' 9. nine and more', '    words here', '10. ten']);
  });

  it('nests lists with their own bullets, and puts blank lines between the blocks of a loose list', () => {
    assert.deepEqual(text('- one\n\n- two\n  - inner\n    lazy\ncontinued'), ['• one', '', '• two', '', '  ◦ inner lazy continued']);
  });

  it('does not read a number ending a line as a list', () => {
    assert.deepEqual(text('the window is now\n2000. That is all.'), ['the window is now 2000. That is all.']);
  });
});

describe('block quotes', () => {
  it('draws a bar before every line of the quote, wrapped inside it', () => {
    const lines = layoutProse('> A SYN counts as one\nin sequence space.\n>\n> Always.', 21);
    assert.deepEqual(lines.map(lineText), ['│ A SYN counts as one', '│ in sequence space.', '│', '│ Always.']);
    assert.equal(styleOf(lines, 'Always')?.quote, true);
    assert.equal(lines[0]![0]!.style.mark, 'quote');
  });
});

describe('tables', () => {
  const table = '| Offset | Bytes | 字段 |\n| ------ | ----: | :--: |\n| 0x14 | `9c 41` | 源端口 |\n| 0x18 | `11 22 33 44` | 序号 |';

  it('aligns columns by display width, CJK counted as two columns', () => {
    assert.deepEqual(text(table, 40), ['Offset        Bytes   字段', '──────  ───────────  ──────', '0x14          9c 41  源端口', '0x18    11 22 33 44   序号']);
  });

  it('falls back to one "header: value" line per cell when the table is too wide', () => {
    assert.deepEqual(text(table, 20), ['Offset: 0x14', 'Bytes: 9c 41', '字段: 源端口', '', 'Offset: 0x18', 'Bytes: 11 22 33 44', '字段: 序号']);
    assert.deepEqual(text('| a | b |\n|---|---|\n| x | a long value that wraps |', 14), ['a: x', 'b: a long', '  value that', '  wraps']);
  });

  it('keeps an escaped pipe in its cell', () => {
    assert.deepEqual(text('| flags | meaning |\n| --- | --- |\n| `S\\|A` | both |'), ['flags  meaning', '─────  ───────', 'S|A    both']);
  });
});

describe('the rest', () => {
  it('draws a thematic break across the width', () => {
    assert.deepEqual(text('above\n\n***\n\nbelow', 12), ['above', '', '────────────', '', 'below']);
  });

  it('drops HTML comments, in a paragraph and as blocks', () => {
    assert.deepEqual(text('shown <!-- not shown --> too\n\n<!--\nnot shown\neither\n-->\n\nlast'), ['shown too', '', 'last']);
  });
});

describe('Chinese', () => {
  it('breaks between any two wide characters and never exceeds the width', () => {
    const lines = layoutProse('两个程序要通过 TCP 交换哪怕一个字节，双方内核都得先约定好各自的字节从哪个编号开始。', 20);
    for (const line of lines) assert.ok(lineWidth(line) <= 20, lineText(line));
    assert.deepEqual(lines.map(lineText), ['两个程序要通过 TCP', '交换哪怕一个字节，双', '方内核都得先约定好各', '自的字节从哪个编号开', '始。']);
  });

  it('moves a character down with the closing punctuation that would start a line', () => {
    // Ten characters fill 20 columns: "。" would begin the second line, so "十" goes down with it.
    assert.deepEqual(text('一二三四五六七八九十。', 20), ['一二三四五六七八九', '十。']);
    assert.deepEqual(text('一二三四五六七八九十）', 20), ['一二三四五六七八九', '十）']);
  });

  it('does not leave an opening quotation mark at the end of a line', () => {
    assert.deepEqual(text('一二三四五六七八九“十”', 20), ['一二三四五六七八九', '“十”']);
  });

  it('joins lines broken in the source without a space between Chinese characters, with one next to Latin', () => {
    assert.deepEqual(text('这就是\n三次握手。tcplab\n的实验环境', 80), ['这就是三次握手。tcplab 的实验环境']);
    assert.deepEqual(text('课程的 `language`：`zh-CN`\n（以及 `zh`）的课程。\nNext', 80), ['课程的 language：zh-CN（以及 zh）的课程。Next']);
  });
});

describe('whatever the Markdown', () => {
  // Fragments of every construct, so the random text opens and breaks them in odd places.
  const fragment = fc.constantFrom(
    '# ', '## ', '===', '---', '***', '```', '~~~', '    ', '- ', '* ', '1. ', '2) ', '> ', '>', '| a | b |', '|---|:-:|', '|', '*', '**', '_', '__', '`', '``',
    '\\', '\\*', '[', '](', ')', '<', '>', '<!--', '-->', '&amp;', '&#', '  \n', '\n', '\n', '\n\n', ' ', 'word', 'ip_local', '中文', '，', '。', '“', '”', '😀', 'e\u0301', '\t',
  );
  const markdown = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(''));

  it('lays out without throwing, every line within the width', () => {
    fc.assert(
      fc.property(markdown, fc.integer({ min: 1, max: 120 }), (source, width) => {
        const lines = layoutProse(source, width);
        // Each container takes up to four columns ("10. "), and a wide character needs two: with less room no layout can fit.
        const depth = (source.match(/>|- |\* |\d[.)] /g) ?? []).length;
        if (width >= 4 * depth + 2) for (const line of lines) assert.ok(lineWidth(line) <= width, `${JSON.stringify(source)} at ${width}: ${lineText(line)}`);
      }),
      { numRuns: 2000 },
    );
  });
});
