// The lesson browser's state and its rows as text: what the learner sees and where the
// cursor goes, without a terminal.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HomeController, type HomeChoice, type HomeLesson, type HomePack } from '../../src/ui/home/home-controller.js';
import { rowLine, visibleRows } from '../../src/ui/home/home-rows.js';
import { textWidth } from '../../src/session/text-width.js';

const UP = '\u001b[A';
const DOWN = '\u001b[B';

function lesson(id: string, extra: Partial<HomeLesson> = {}): HomeLesson {
  return { id, title: id.replace(/-/g, ' '), summary: `About ${id}.`, networks: ['lab', 'sim'], steps: 3, passed: false, resumeStep: null, ...extra };
}

function pack(title: string, lessons: HomeLesson[], extra: Partial<HomePack> = {}): HomePack {
  return { dir: `/packs/${title}`, title, language: 'en', lessons, problem: null, current: null, updatedAt: null, ...extra };
}

function controller(packs: HomePack[]) {
  const chosen: HomeChoice[] = [];
  const home = new HomeController({ packs, onChoose: (choice) => chosen.push(choice) });
  const selectedText = () => {
    const view = home.getSnapshot();
    return rowLine(view, view.selected, home.strings, 80).text;
  };
  return { home, chosen, selectedText };
}

describe('the lesson browser', () => {
  test('starts at the lesson the learner was in last, in the pack used most recently', () => {
    const { selectedText } = controller([
      pack('basics', [lesson('anatomy', { passed: true }), lesson('handshake', { resumeStep: 2 })], { current: 'handshake', updatedAt: '2026-11-01T00:00:00Z' }),
      pack('more', [lesson('options'), lesson('framing', { resumeStep: 1 })], { current: 'framing', updatedAt: '2026-11-20T00:00:00Z' }),
    ]);
    assert.match(selectedText(), /^› ● {2}2\. framing +step 1\/3$/);
  });

  test('after a passed lesson the cursor waits on the next one not yet passed; with no progress, on the first', () => {
    const after = controller([pack('basics', [lesson('anatomy', { passed: true }), lesson('handshake')], { current: 'anatomy', updatedAt: '2026-11-01T00:00:00Z' })]);
    assert.match(after.selectedText(), /handshake/);
    const fresh = controller([pack('basics', [lesson('anatomy'), lesson('handshake')])]);
    assert.match(fresh.selectedText(), /1\. anatomy/);
  });

  test('arrows skip pack headings and problems; Enter opens the lesson; r the REPL; q quits', () => {
    const packs = [
      pack('basics', [lesson('anatomy'), lesson('handshake')]),
      pack('broken', [], { problem: { count: 2, first: 'a.md:3:1: unknown cell' } }),
      pack('more', [lesson('options')]),
    ];
    const { home, chosen, selectedText } = controller(packs);
    home.input(DOWN);
    assert.match(selectedText(), /handshake/);
    home.input(DOWN);
    assert.match(selectedText(), /options/);
    home.input(DOWN);
    assert.match(selectedText(), /REPL/);
    home.input(DOWN);
    assert.match(selectedText(), /REPL/);
    home.input(UP + UP);
    assert.match(selectedText(), /handshake/);
    home.input('\r');
    assert.deepEqual(chosen.map((c) => (c.kind === 'lesson' ? c.lesson.id : c.kind)), ['handshake']);
    const other = controller(packs);
    other.home.input('r');
    assert.equal(other.chosen[0]?.kind, 'repl');
    const third = controller(packs);
    third.home.input('q');
    assert.equal(third.chosen[0]?.kind, 'quit');
  });

  test('a broken pack shows its first mistake; a lesson that needs another network says so instead of opening', () => {
    const { home, chosen } = controller([
      pack('broken', [], { problem: { count: 2, first: 'a.md:3:1: unknown cell' } }),
      pack('sim only', [lesson('checksums', { networks: ['sim'] })]),
    ]);
    const view = home.getSnapshot();
    const problem = view.rows.findIndex((row) => row.kind === 'problem');
    assert.equal(rowLine(view, problem, home.strings, 80).text, '  ✗ this pack has 2 mistakes; the first: a.md:3:1: unknown cell');
    home.setNetwork({ text: 'network: lab', kind: 'lab', state: 'ready' });
    home.input('\r');
    assert.equal(chosen.length, 0);
    assert.match(home.getSnapshot().message ?? '', /runs on sim only, and this tcplab runs on lab: start it with --net sim/);
  });

  test('rows fit the width, in Chinese too, with marks and progress', () => {
    const zh = pack('亲手写 TCP', [lesson('anatomy', { title: '报文段的结构', passed: true }), lesson('handshake', { title: '三次握手：建立一条很长很长很长很长很长很长很长很长很长很长的连接', resumeStep: 2 })], {
      language: 'zh-CN',
    });
    const { home } = controller([zh]);
    const view = home.getSnapshot();
    for (const width of [40, 80]) {
      view.rows.forEach((_, i) => assert.ok(textWidth(rowLine(view, i, home.strings, width).text) <= width));
    }
    assert.equal(rowLine(view, 0, home.strings, 80).text, '亲手写 TCP  ·  已通过 1/2');
    assert.match(rowLine(view, 2, home.strings, 80).text, /第 2\/3 步$/);
    assert.equal(home.strings.keyBar, '↑/↓ 选择 · Enter 打开 · r REPL · q 退出 · ? 按键');
  });

  test('a long list keeps the chosen row in view, with counts of what is cut', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ kind: 'lesson' as const, pack: 0, lesson: i }));
    const top = visibleRows(rows, 0, 10);
    assert.deepEqual(top, { first: 0, last: 7, above: 0, below: 22 });
    const middle = visibleRows(rows, 15, 10);
    assert.ok(middle.first <= 15 && middle.last >= 15);
    assert.equal(middle.above + (middle.last - middle.first + 1) + middle.below, 30);
    const end = visibleRows(rows, 29, 10);
    assert.equal(end.last, 29);
  });
});
