// <Prose> in a terminal: the lines Ink draws are the laid-out lines, none wrapped again,
// and each kind of text has its look. Colour is forced on before Ink loads, as a terminal
// would have it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../support/project-root.js';

process.env.FORCE_COLOR = '1';
const { Prose } = await import('../../src/ui/prose/prose.js');
const { layoutProse } = await import('../../src/ui/prose/layout-prose.js');
const { lineText } = await import('../../src/ui/prose/prose-line.js');
const { parseLesson } = await import('../../src/lesson/format/parse-lesson.js');
const { textWidth } = await import('../../src/session/text-width.js');
const { renderInk } = await import('./ink-harness.js');

async function draw(markdown: string, width: number): Promise<{ text: string; raw: string }> {
  const rendered = await renderInk(<Prose markdown={markdown} width={width} />, { columns: width, rows: 200 });
  const raw = rendered.stdout.writes[rendered.stdout.writes.length - 1]!;
  const text = rendered.lastFrame();
  rendered.unmount();
  return { text, raw };
}

/** The SGR codes in force where `marker` first appears. */
function codesAt(raw: string, marker: string): string[] {
  const before = raw.slice(0, raw.indexOf(marker));
  const codes: string[] = [];
  for (const match of before.matchAll(/\u001b\[([\d;]*)m/g)) {
    for (const code of match[1]!.split(';')) {
      if (code === '0' || code === '') codes.length = 0;
      else if (code === '39') codes.splice(0, codes.length, ...codes.filter((c) => !/^(3\d|9\d)$/.test(c)));
      else if (code === '22') codes.splice(0, codes.length, ...codes.filter((c) => c !== '1' && c !== '2'));
      else if (code === '23') codes.splice(0, codes.length, ...codes.filter((c) => c !== '3'));
      else if (code === '24') codes.splice(0, codes.length, ...codes.filter((c) => c !== '4'));
      else codes.push(code);
    }
  }
  return codes;
}

describe('<Prose>', () => {
  it('draws a Chinese lesson exactly as laid out, no line wider than the terminal', async () => {
    const parsed = parseLesson(readFileSync(join(projectRoot(), 'lessons/zh-CN/02-three-way-handshake.md'), 'utf8'), 'lesson.md');
    assert.ok(parsed.ok);
    const markdown = parsed.lesson.intro;
    for (const width of [40, 80]) {
      const { text } = await draw(markdown, width);
      const shown = text.split('\n').map((line) => line.trimEnd());
      assert.deepEqual(shown, layoutProse(markdown, width).map((line) => lineText(line).trimEnd()));
      for (const line of shown) assert.ok(textWidth(line) <= width, line);
      assert.ok(shown.includes('三次握手'));
    }
  });

  it('gives headings, code, links and their addresses each a look of their own', async () => {
    const { raw } = await draw('# Heading\n\nbody with `code` and a [link](https://example.org) and **bold**\n\n```\nblock\n```', 80);
    const body = codesAt(raw, 'body');
    const heading = codesAt(raw, 'Heading');
    assert.ok(heading.includes('1'), 'a heading is bold');
    assert.ok(heading.some((code) => /^(3\d|9\d)$/.test(code)), 'a heading has a colour');
    assert.notDeepEqual(codesAt(raw, 'code'), body);
    assert.deepEqual(codesAt(raw, 'block').filter((c) => /^(3\d|9\d)$/.test(c)), codesAt(raw, 'code').filter((c) => /^(3\d|9\d)$/.test(c)), 'code looks the same inline and in a block');
    assert.ok(codesAt(raw, 'link').includes('4'), 'a link is underlined');
    assert.ok(codesAt(raw, '(https').includes('2'), 'its address is dim');
    assert.ok(codesAt(raw, 'bold').includes('1'));
  });
});
