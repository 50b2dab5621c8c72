// Every piece of Markdown in the bundled course (English and Chinese), laid out at 40, 80
// and 120 columns: no line wider than the terminal, every word of the source on screen,
// every code block line for line as written (cut with … only where it is wider).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseLesson } from '../../src/lesson/format/parse-lesson.js';
import { layoutProse } from '../../src/ui/prose/layout-prose.js';
import { lineText, lineWidth, type ProseLine } from '../../src/ui/prose/prose-line.js';
import { textWidth } from '../../src/session/text-width.js';
import { projectRoot } from '../support/project-root.js';

const WIDTHS = [40, 80, 120];

interface Piece {
  where: string;
  markdown: string;
}

function coursePieces(dir: string): Piece[] {
  const root = join(projectRoot(), dir);
  const files = readdirSync(root).filter((name) => /^\d\d-.*\.md$/.test(name));
  assert.ok(files.length >= 4, `lessons in ${dir}`);
  return files.flatMap((name) => {
    const parsed = parseLesson(readFileSync(join(root, name), 'utf8'), join(dir, name));
    assert.ok(parsed.ok, `${dir}/${name} parses`);
    const { lesson } = parsed;
    return [
      { where: `${dir}/${name} intro`, markdown: lesson.intro },
      ...lesson.steps.flatMap((step) => [
        { where: `${dir}/${name} step ${step.number} prose`, markdown: step.prose },
        { where: `${dir}/${name} step ${step.number} notes`, markdown: step.notes },
        ...step.hints.map((hint, n) => ({ where: `${dir}/${name} step ${step.number} hint ${n + 1}`, markdown: hint.markdown })),
      ]),
      { where: `${dir}/${name} outro`, markdown: lesson.outro },
    ].filter((piece) => piece.markdown.trim() !== '');
  });
}

/** What is left of text once Markdown's punctuation and all spacing are taken out, to compare source and screen. */
const bare = (text: string) => text.replace(/[\s*_`|\\[\]()<>#]/gu, '');

/** The source's words outside code blocks and comments, list and quote markers, and table rules. */
function sourceWords(markdown: string): string[] {
  const words: string[] = [];
  let fence: string | null = null;
  const text = markdown.replace(/<!--[\s\S]*?-->/g, '');
  for (const line of text.split('\n')) {
    const fenceMark = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fenceMark !== undefined && (fence === null || fenceMark.startsWith(fence))) {
      fence = fence === null ? fenceMark : null;
      continue;
    }
    if (fence !== null) continue;
    const content = line.replace(/^\s*(?:>\s*)*(?:[-*+]\s+|\d{1,9}[.)]\s+)?/, '');
    for (const token of content.split(/\s+/)) {
      const word = bare(token);
      if (word !== '' && !/^[-:=]+$/.test(word)) words.push(word);
    }
  }
  return words;
}

/** Top-level fenced code blocks, line by line. */
function codeBlocks(markdown: string): string[][] {
  const blocks: string[][] = [];
  let current: string[] | null = null;
  let fence = '';
  for (const line of markdown.split('\n')) {
    const mark = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (current === null && mark !== undefined) {
      current = [];
      fence = mark;
    } else if (current !== null && mark !== undefined && mark.startsWith(fence) && line.trim() === mark) {
      blocks.push(current);
      current = null;
    } else if (current !== null) {
      current.push(line);
    }
  }
  return blocks;
}

/** The text a reader sees, bullets and bars and rules left out. */
function shownText(lines: ProseLine[]): string {
  return lines.map((line) => line.filter((span) => span.style.mark === undefined).map((span) => span.text).join('')).join('');
}

for (const dir of ['lessons', 'lessons/zh-CN']) {
  describe(`the course in ${dir}, as prose`, () => {
    const pieces = coursePieces(dir);
    for (const width of WIDTHS) {
      it(`fits ${width} columns and loses no word of the source`, () => {
        for (const { where, markdown } of pieces) {
          const lines = layoutProse(markdown, width);
          for (const [n, line] of lines.entries()) {
            assert.ok(lineWidth(line) <= width, `${where}, line ${n + 1} is ${lineWidth(line)} columns wide at ${width}: ${lineText(line)}`);
            assert.equal(textWidth(lineText(line)), lineWidth(line));
          }
          const shown = bare(shownText(lines));
          for (const word of sourceWords(markdown)) assert.ok(shown.includes(word), `${where} at ${width} columns: '${word}' is not shown`);
        }
      });

      it(`keeps every code block verbatim at ${width} columns`, () => {
        let seen = 0;
        for (const { where, markdown } of pieces) {
          const texts = layoutProse(markdown, width).map(lineText);
          for (const block of codeBlocks(markdown)) {
            seen++;
            const expected = block.map((line) => {
              if (line === '') return '';
              const indented = `  ${line}`;
              return textWidth(indented) <= width ? indented : null;
            });
            const start = texts.findIndex((text, i) => expected.every((line, k) => (line === null ? texts[i + k]!.endsWith('…') && texts[i + k]!.length > 2 : texts[i + k] === line)));
            assert.notEqual(start, -1, `${where}: the code block starting '${block[0]}' is not shown as written at ${width} columns`);
            for (const [k, line] of block.entries()) {
              const shown = texts[start + k]!;
              if (expected[k] === null) assert.ok(`  ${line}`.startsWith(shown.slice(0, -1)), `${where}: a cut code line is the start of the line`);
            }
          }
        }
        assert.ok(seen > 0, 'the course has code blocks in its prose');
      });
    }
  });
}

describe('the course in Chinese, wrapped', () => {
  it('never starts a line with closing Chinese punctuation where the sentence could break elsewhere', () => {
    for (const { where, markdown } of coursePieces('lessons/zh-CN')) {
      for (const width of WIDTHS) {
        for (const line of layoutProse(markdown, width)) {
          if (line.some((span) => span.style.codeBlock)) continue;
          assert.doesNotMatch(lineText(line), /^[，。、；：！？）」』”’]/u, `${where} at ${width}: ${lineText(line)}`);
        }
      }
    }
  });
});
