import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scanMarkdown, type Fence } from '../../src/lesson/format/markdown-cells.js';

const scan = (text: string, firstLine = 1) => scanMarkdown(text.split('\n'), firstLine);
const fences = (text: string): Fence[] => scan(text).blocks.flatMap((block) => (block.kind === 'fence' ? [block.fence] : []));
const only = (text: string): Fence => {
  const found = fences(text);
  assert.equal(found.length, 1, `expected one fence, found ${found.length}`);
  return found[0]!;
};

describe('fences', () => {
  test('a backtick fence: info string, body lines with their file positions, closing line', () => {
    const fence = only(['prose', '```tcplab send', 'tcp flags=S', '```', 'more'].join('\n'));
    assert.deepEqual(fence, {
      marker: '```',
      line: 2,
      column: 1,
      info: 'tcplab send',
      infoColumn: 4,
      body: [{ text: 'tcp flags=S', line: 3, column: 1 }],
      closed: true,
      endLine: 4,
    });
  });

  test('lines are numbered from firstLine, as after a front-matter', () => {
    const fence = scan('```tcplab send\ntcp\n```', 11).blocks[0];
    assert.equal(fence?.kind, 'fence');
    assert.equal(fence.kind === 'fence' && fence.fence.body[0]?.line, 12);
  });

  test('tildes, and spaces between the marker and the info string', () => {
    const fence = only('~~~   tcplab expect  \nrecv flags=SA\n~~~');
    assert.equal(fence.marker, '~~~');
    assert.equal(fence.info, 'tcplab expect');
    assert.equal(fence.infoColumn, 7);
  });

  test('a longer fence holds a shorter one as content', () => {
    const fence = only(['````markdown', '```tcplab send', 'tcp', '```', '````'].join('\n'));
    assert.equal(fence.info, 'markdown');
    assert.deepEqual(
      fence.body.map((line) => line.text),
      ['```tcplab send', 'tcp', '```'],
    );
  });

  test('a closing fence may be longer, indented up to three spaces, and followed by spaces', () => {
    assert.equal(only('```\nx\n`````').closed, true);
    assert.equal(only('```\nx\n   ```  ').closed, true);
    assert.equal(only('```\nx\n    ```').closed, false, 'four spaces in is content');
  });

  test('a shorter run, the other character, or a run with text after it does not close', () => {
    const fence = only(['````', '```', '~~~~', '```` x', 'y'].join('\n'));
    assert.equal(fence.closed, false);
    assert.equal(fence.body.length, 4);
    assert.equal(fence.endLine, 5);
  });

  test('an indented fence removes up to its own indentation from each content line, and the columns say so', () => {
    const fence = only(['  ```tcplab check', '  flags=S -- x', ' one space', '    four spaces', '  ```'].join('\n'));
    assert.equal(fence.column, 3);
    assert.equal(fence.infoColumn, 6);
    assert.deepEqual(fence.body, [
      { text: 'flags=S -- x', line: 2, column: 3 },
      { text: 'one space', line: 3, column: 2 },
      { text: '  four spaces', line: 4, column: 3 },
    ]);
  });

  test('four spaces of indentation is not a fence', () => {
    assert.deepEqual(fences('    ```\n    code\n    ```'), []);
  });

  test('a backtick info string may not hold a backtick (that is inline code); a tilde one may', () => {
    assert.deepEqual(fences('```tcplab send``` opens a step'), []);
    assert.equal(only('~~~ a`b\nx\n~~~').info, 'a`b');
  });

  test('prose between fences keeps its first line number', () => {
    const { blocks } = scan(['a', 'b', '```', 'x', '```', '', 'c'].join('\n'));
    assert.deepEqual(
      blocks.map((block) => (block.kind === 'prose' ? [block.line, block.text] : ['fence', block.fence.line])),
      [
        [1, 'a\nb'],
        ['fence', 3],
        [6, '\nc'],
      ],
    );
  });

  test('a fence inside an HTML comment is prose: the rendered page does not show it', () => {
    const { blocks } = scan(['<!--', '```tcplab send', 'tcp', '```', '-->', '```tcplab hint', 'h', '```'].join('\n'));
    assert.equal(blocks.length, 2);
    assert.equal(blocks[0]?.kind, 'prose');
    assert.equal(blocks[1]?.kind === 'fence' && blocks[1].fence.line, 6);
  });

  test('a one-line comment ends where it starts', () => {
    assert.equal(fences('<!-- note -->\n```tcplab send\n```').length, 1);
  });
});

describe('cells the document would lose', () => {
  test('tcplab fences inside a list item, a quote, or indented four spaces are reported with their place', () => {
    const { strays, blocks } = scan(
      ['- ```tcplab send', '  tcp', '  ```', '> ```tcplab hint', '> h', '> ```', '    ~~~tcplab check', '', '1. ```tcplab expect', '   recv', '   ```'].join('\n'),
    );
    assert.deepEqual(
      strays.map((line) => [line.line, line.column, line.text]),
      [
        [1, 3, '```tcplab send'],
        [4, 3, '```tcplab hint'],
        [7, 5, '~~~tcplab check'],
        [9, 4, '```tcplab expect'],
      ],
    );
    assert.ok(blocks.every((block) => block.kind === 'prose'));
  });

  test('ordinary code blocks in lists, and inline mentions of a cell, are not', () => {
    assert.deepEqual(scan(['- ```js', '  x', '  ```', '```tcplab send``` opens a step'].join('\n')).strays, []);
  });

  test('lines inside a fence are content, never strays', () => {
    assert.deepEqual(scan(['````', '    ```tcplab send', '````'].join('\n')).strays, []);
  });
});

describe('fences inside list items and quotes', () => {
  test("a fence opened on a list item's line ends at its own closing line, which opens nothing", () => {
    const text = ['- ```js', '  x', '  ```', '', '```tcplab send', 'tcp', '```'].join('\n');
    const found = fences(text);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.info, 'tcplab send');
    assert.equal(found[0]?.line, 5);
  });

  test('the same in a quote', () => {
    const found = fences(['> ```', '> code', '> ```', '```tcplab hint', 'h', '```'].join('\n'));
    assert.deepEqual(
      found.map((fence) => fence.line),
      [4],
    );
  });
});
