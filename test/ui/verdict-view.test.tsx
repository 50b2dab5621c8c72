// <VerdictView>, <HintView> and <SolutionView> as a learner sees them: real verdicts from
// lessons played on sim, drawn by Ink at several widths. Colour is forced on before Ink
// loads, to see what a terminal would.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ReactNode } from 'react';
import type { Lesson } from '../../src/lesson/format/schema.js';
import { projectRoot } from '../support/project-root.js';

process.env.FORCE_COLOR = '1';
const { VerdictView } = await import('../../src/ui/verdict/verdict-view.js');
const { HintView } = await import('../../src/ui/verdict/hint-view.js');
const { SolutionView } = await import('../../src/ui/verdict/solution-view.js');
const { caretWindow } = await import('../../src/ui/verdict/caret-window.js');
const { parseLesson } = await import('../../src/lesson/format/parse-lesson.js');
const { LessonRun } = await import('../../src/lesson/runner/lesson-run.js');
const { createSimNetwork } = await import('../../src/net/sim/index.js');
const { textWidth } = await import('../../src/session/text-width.js');
const { THEME } = await import('../../src/ui/theme.js');
const { renderInk } = await import('./ink-harness.js');

const WIDTHS = [40, 60, 80, 120];
const FENCE = '```';

function lessonAt(path: string): Lesson {
  const parsed = parseLesson(readFileSync(join(projectRoot(), path), 'utf8'), path);
  assert.ok(parsed.ok, path);
  return parsed.lesson;
}

const runs: { close(): Promise<void> }[] = [];
after(async () => {
  for (const run of runs) await run.close();
});

/** A run of `lesson` on its own seeded sim network, its ladder drawn for a view `width` wide. */
async function open(lesson: Lesson, width = 80) {
  const network = createSimNetwork({ seed: 7 });
  const run = await LessonRun.open(lesson, network, { width: width - 4 });
  runs.push({ close: async () => (await run.close(), await network.close()) });
  return run;
}

async function draw(node: ReactNode, width: number): Promise<{ lines: string[]; raw: string }> {
  const rendered = await renderInk(node, { columns: width, rows: 200 });
  const raw = rendered.stdout.writes[rendered.stdout.writes.length - 1]!;
  const lines = rendered.lastFrame().split('\n').map((line) => line.trimEnd());
  rendered.unmount();
  return { lines, raw };
}

/** The SGR colour (30-97) in force where `marker` first appears. */
function colourAt(raw: string, marker: string): string | undefined {
  const at = raw.indexOf(marker);
  assert.notEqual(at, -1, `'${marker}' is drawn`);
  return raw.slice(0, at).match(/\u001b\[(3\d|9\d)m[^\u001b]*$/)?.[1];
}

const SGR: Record<string, string> = { red: '31', green: '32', yellow: '33', blue: '34', magenta: '35', cyan: '36' };

function assertFits(lines: string[], width: number): void {
  for (const line of lines) assert.ok(textWidth(line) <= width, `wider than ${width}: ${line}`);
}

/** The frame read as running text, however it wrapped: each fragment found after the one before. */
function assertInOrder(lines: string[], fragments: string[]): void {
  const text = lines.map((line) => line.trim()).join(' ').replace(/\s+/g, ' ');
  let from = 0;
  for (const fragment of fragments) {
    const at = text.indexOf(fragment, from);
    assert.notEqual(at, -1, `'${fragment}' after position ${from} in:\n${lines.join('\n')}`);
    from = at + fragment.length;
  }
}

describe('<VerdictView>: a check that does not hold', async () => {
  const handshake = lessonAt('lessons/02-three-way-handshake.md');
  const run = await open(handshake);
  const wrongSeq = await run.submit('tcp flags=S seq=999');
  await run.submit('tcp flags=S seq=1000');
  await run.next();
  const isn = run.session.currentRx()!.packet.tcp!.seq;
  const wrongAck = await run.submit('tcp flags=A seq=1001 ack=$rx.seq');

  it("leads with a red ✗ and the lesson's sentence, then the check, the field and both segments", async () => {
    const { lines, raw } = await draw(<VerdictView verdict={wrongSeq} file={handshake.file} width={100} />, 100);
    assert.deepEqual(lines, [
      '✗ FAILED before sending: 1 check does not hold, so nothing was sent',
      '  Take 1000 as your ISN in this lesson: the numbers that follow are easier to check.',
      '    check seq=1000 (lessons/02-three-way-handshake.md:46:1)',
      '    seq  expected 1000 (0x3e8)',
      '         actual   999 (0x3e7)',
      '    expected  tcp seq=1000 flags=S',
      '              127.0.0.1.40000 > 127.0.0.1.7: Flags [S], seq 1000, win 64240, length 0',
      '    yours     tcp seq=999 flags=S',
      '              127.0.0.1.40000 > 127.0.0.1.7: Flags [S], seq 999, win 64240, length 0',
      '  try 1: tcp flags=S seq=999',
    ]);
    assert.equal(colourAt(raw, '✗'), SGR[THEME.fail]);
    assert.equal(colourAt(raw, 'tcp seq=999'), SGR[THEME.learner]);
    assert.equal(colourAt(raw, '1000 (0x3e8)'), SGR[THEME.pass]);
    assert.equal(colourAt(raw, '999 (0x3e7)'), SGR[THEME.fail]);
    const sentence = raw.indexOf('Take 1000');
    assert.match(raw.slice(0, sentence), /\u001b\[1m[^\u001b]*$/, 'the sentence is bold');
  });

  it('lines up the ISN notes of expected and actual, and fits every width', async () => {
    for (const width of WIDTHS) {
      const { lines } = await draw(<VerdictView verdict={wrongAck} file={handshake.file} width={width} />, width);
      assertFits(lines, width);
      assert.match(lines[0]!, /^✗ FAILED/);
      const expected = lines.findIndex((line) => line.includes(`expected ${isn + 1} `));
      assert.notEqual(expected, -1, `the expected ack at ${width}`);
      if (width >= 60) {
        assert.equal(lines[expected], `    ack  expected ${isn + 1} (0x${(isn + 1).toString(16)})  = their ISN + 1`);
        assert.equal(lines[expected + 1], `         actual   ${isn} (0x${isn.toString(16)})${' '.repeat(String(isn + 1).length - String(isn).length)}  = their ISN + 0`);
      } else {
        // Too narrow for the note beside the value: it has a line of its own, not split.
        assert.ok(lines.some((line) => /^ += their ISN \+ 1$/.test(line)), lines.join('\n'));
      }
      assertInOrder(lines, ['✗ FAILED before sending: 1 check does not hold, so nothing was sent', "Acknowledge the server's ISN plus one", 'check ack=$rx.seq+1', `expected ${isn + 1}`, `actual ${isn}`, 'yours tcp seq=1001 ack=', 'try 1: tcp flags=A seq=1001 ack=$rx.seq']);
    }
  });

  it('tells a Chinese lesson\'s verdict with Chinese labels', async () => {
    const zh = lessonAt('lessons/zh-CN/02-three-way-handshake.md');
    const zhRun = await open(zh);
    await zhRun.submit('tcp flags=S seq=1000');
    await zhRun.next();
    const verdict = await zhRun.submit('tcp flags=A seq=1001 ack=$rx.seq');
    for (const width of WIDTHS) {
      const { lines } = await draw(<VerdictView verdict={verdict} file={zh.file} language={zh.meta.language} width={width} />, width);
      assertFits(lines, width);
      const joined = lines.join('\n');
      assert.match(lines[0]!, /^✗ 未通过：发送前有 1 项/);
      assertInOrder(lines, ['✗ 未通过：', '确认号是服务器的 ISN', '检查 ack=$rx.seq+1', '期望', '实际', '你的 tcp seq=1001', '第 1 次尝试：tcp flags=A']);
      assert.match(joined, /检查 ack=\$rx\.seq\+1/);
      assert.match(joined, /ack {2}期望 \d+ \(0x[0-9a-f]+\)/);
      assert.match(joined, /\n {9}实际 \d+/);
      assert.match(joined, /= 对方的 ISN \+ 1/);
      assert.match(joined, /你的 {2}tcp seq=1001/);
      assert.match(joined, /第 1 次尝试：tcp flags=A/);
      assert.doesNotMatch(joined, /FAILED|expected|actual|yours|their ISN/);
    }
  });
});

describe('<VerdictView>: a pass', async () => {
  const handshake = lessonAt('lessons/02-three-way-handshake.md');

  it("shows a green ✓, the lesson's ok: sentences and the exchange so far, in both colours", async () => {
    for (const width of WIDTHS) {
      const run = await open(handshake, width);
      const verdict = await run.submit('tcp flags=S seq=1000');
      const { lines, raw } = await draw(<VerdictView verdict={verdict} file={handshake.file} width={width} />, width);
      assertFits(lines, width);
      assert.equal(lines[0], '✓ PASSED');
      assert.match(lines[1]!, /^ {2}• The kernel answered with SYN-ACK/);
      const joined = lines.join('\n');
      assert.match(joined, /\n {2}the exchange so far:\n {4}learner +server\n/);
      assert.match(joined, /\n {4}\|-+ S seq=0 -+>\|( +SYN-RECV)?\n {4}\|<-+ SA seq=0 ack=1 -+\|\n/);
      assert.match(joined, /\n {2}try 1: tcp flags=S seq=1000$/);
      assert.equal(colourAt(raw, '✓'), SGR[THEME.pass]);
      assert.equal(colourAt(raw, '|---'), SGR[THEME.learner]);
      assert.equal(colourAt(raw, '|<--'), SGR[THEME.server]);
    }
  });

  it('says when the solution passed the step, and why the connection is fresh', async () => {
    const run = await open(handshake);
    await run.submit('tcp flags=S seq=1000');
    await run.next();
    const solved = await run.playSolution();
    const { lines } = await draw(<VerdictView verdict={solved} file={handshake.file} width={80} />, 80);
    assert.equal(lines[0], '✓ PASSED (by its solution)');
    assert.equal(lines[lines.length - 1], '  the solution: tcp flags=A seq=1001 ack=$rx.seq+1');
    await run.back();
    const again = await run.submit('tcp flags=S seq=1000');
    const fresh = await draw(<VerdictView verdict={again} file={handshake.file} width={80} />, 80);
    assert.deepEqual(fresh.lines.slice(-2), ['  try 2: tcp flags=S seq=1000', `  (a fresh start on port ${run.session.me.port})`]);
  });
});

describe('<VerdictView>: what came back, or did not', async () => {
  const lesson = (server: string, cells: string) => {
    const parsed = parseLesson(`---\nid: one-syn\ntitle: One SYN\nsummary: A SYN.\nlanguage: en\nserver: ${server}\n---\n\n## Step 1: SYN\n\n${FENCE}tcplab send\ntcp flags=S seq=1000\n${FENCE}\n\n${cells}\n\n${FENCE}tcplab solution\ntcp flags=S seq=1000\n${FENCE}\n`, 'one.md');
    assert.ok(parsed.ok);
    return parsed.lesson;
  };

  it("a reply that is not the one expected: the sentence, the summary, the server's packets in its colour, then the segment sent", async () => {
    const run = await open(lesson('refuse', `${FENCE}tcplab expect\nrecv flags=SA ack=$tx.seq+1 -- The server should accept the connection.\n${FENCE}`));
    const verdict = await run.submit();
    for (const width of WIDTHS) {
      const { lines, raw } = await draw(<VerdictView verdict={verdict} file="one.md" width={width} />, width);
      assertFits(lines, width);
      assertInOrder(lines, ['✗ FAILED: what followed was not what the lesson expects', 'The server should accept the connection.', 'recv flags=SA ack=$tx.seq+1', 'nothing from the peer matched', 'flags expected SA', 'actual RA', 'expected tcp ack=1001 flags=SA', 'actual tcp ack=1001 flags=RA', 'your segment, as sent: tcp seq=1000 flags=S', 'try 1: tcp flags=S seq=1000']);
      const joined = lines.join('\n');
      assert.match(joined, /flags {2}expected SA\n {11}actual {3}RA/);
      assert.match(joined, /\n {2}your segment, as sent:\n {4}tcp seq=1000 flags=S\n/);
      if (width >= 60) assert.equal(lines[1], '  The server should accept the connection.');
      assert.equal(colourAt(raw, 'tcp ack=1001 flags=RA'), SGR[THEME.server]);
      assert.equal(colourAt(raw, 'tcp seq=1000 flags=S'), SGR[THEME.learner]);
    }
  });

  it('a silence that was broken: the packet that came, in the server colour', async () => {
    const run = await open(lesson('echo', `${FENCE}tcplab silence 1s\nfail: The server answered your SYN.\n${FENCE}`));
    const verdict = await run.submit();
    const { lines, raw } = await draw(<VerdictView verdict={verdict} file="one.md" width={80} />, 80);
    assert.equal(lines[1], '  The server answered your SYN.');
    assert.match(lines.join('\n'), /\n {4}silence \(one\.md:\d+:1\)\n {4}#\d+ came from the peer, where nothing should have within 1 s\n {4}came {6}tcp seq=\d+ ack=1001 flags=SA/);
    assert.equal(colourAt(raw, 'flags=SA'), SGR[THEME.server]);
  });

  it('a socket state without a sentence of the lesson: what happened comes first', async () => {
    const run = await open(lesson('echo', `${FENCE}tcplab events\nstate ESTABLISHED timeout=0.3\n${FENCE}`));
    const verdict = await run.submit();
    const { lines } = await draw(<VerdictView verdict={verdict} file="one.md" width={100} />, 100);
    assert.match(lines[1]!, /^ {2}the server's socket facing you is (NEW-)?SYN-RECV, not ESTABLISHED/);
    assert.match(lines[2]!, /^ {4}state ESTABLISHED timeout=0\.3 \(one\.md:\d+:1\)$/);
  });
});

describe('<VerdictView>: text that cannot be read', async () => {
  const handshake = lessonAt('lessons/02-three-way-handshake.md');
  const run = await open(handshake);
  const long = 'tcp flags=S sq=1000 win=64240 opts=mss:1460,sackok,ts:1:0,nop,wscale:7 data="hello, world"';
  const verdict = await run.submit(long);
  const late = await run.submit('tcp flags=S seq=1000 win=64240 opts=mss:1460,sackok,ts:1:0,nop,wscale:7 dta="x"');

  it('puts a caret under the column of the mistake, at every width', async () => {
    for (const [tried, word] of [
      [verdict, 'sq'],
      [late, 'dta'],
    ] as const) {
      for (const width of WIDTHS) {
        const { lines } = await draw(<VerdictView verdict={tried} file={handshake.file} width={width} />, width);
        assertFits(lines, width);
        assertInOrder(lines, ['✗ FAILED: the segment cannot be built as written, so nothing was sent', `error: unknown field '${word}'`]);
        const caret = lines.findIndex((line) => /^ +\^+$/.test(line));
        assert.notEqual(caret, -1, lines.join('\n'));
        const column = lines[caret]!.indexOf('^');
        assert.equal(lines[caret - 1]!.slice(column, column + word.length), word, `the caret points at ${word} at ${width}:\n${lines.join('\n')}`);
        assert.equal(lines[caret]!.trim().length, word.length);
      }
    }
  });
});

describe('caretWindow', () => {
  it('keeps short text whole, and windows long text around the mistake with …', () => {
    assert.deepEqual(caretWindow('tcp flgs=S', 5, 4, 40), { text: 'tcp flgs=S', caret: '    ^^^^' });
    const text = `tcp ${'x'.repeat(50)} bad=1 ${'y'.repeat(50)}`;
    const at = text.indexOf('bad') + 1;
    const shown = caretWindow(text, at, 3, 30);
    assert.ok(textWidth(shown.text) <= 30 && textWidth(shown.caret) <= 30);
    assert.ok(shown.text.startsWith('…') && shown.text.endsWith('…'));
    assert.equal(shown.text.slice(shown.caret.indexOf('^'), shown.caret.indexOf('^') + 3), 'bad');
  });

  it('points past the end of the text, and under wide characters by their columns', () => {
    const end = caretWindow(`tcp data="${'数'.repeat(30)}"`, 42, 1, 20);
    assert.ok(textWidth(end.text) <= 20 && textWidth(end.caret) <= 20, JSON.stringify(end));
    assert.equal(end.caret.indexOf('^'), textWidth(end.text));
    const wide = caretWindow('tcp data="数据" flgs=S', 15, 4, 40);
    assert.equal(wide.caret, `${' '.repeat(textWidth('tcp data="数据" '))}^^^^`);
  });
});

describe('<HintView> and <SolutionView>', () => {
  const handshake = lessonAt('lessons/02-three-way-handshake.md');
  const hints = handshake.steps[0]!.hints;

  it("labels a hint with its place among the step's hints, and draws its Markdown", async () => {
    const { lines, raw } = await draw(<HintView hint={hints[0]!} index={1} total={hints.length} width={40} />, 40);
    assert.deepEqual(lines, ['hint 1 of 2', '  A SYN has only the S flag: flags=S.']);
    assert.equal(colourAt(raw, 'flags=S'), SGR[THEME.code]);
    const zh = lessonAt('lessons/zh-CN/02-three-way-handshake.md').steps[0]!.hints[0]!;
    const chinese = await draw(<HintView hint={zh} index={1} total={2} language="zh-CN" width={30} />, 30);
    assert.equal(chinese.lines[0], '提示 1/2');
    assertFits(chinese.lines, 30);
    assert.match(chinese.lines.map((line) => line.trim()).join(''), /SYN 报文段只有 S 一个标志位：flags=S。/);
  });

  it("shows the solution as written, and with this connection's numbers", async () => {
    const run = await open(handshake);
    await run.submit('tcp flags=S seq=1000');
    await run.next();
    const isn = run.session.currentRx()!.packet.tcp!.seq;
    const solution = run.solution()!;
    const { lines, raw } = await draw(<SolutionView solution={solution} width={60} />, 60);
    assert.deepEqual(lines, ['solution: tcp flags=A seq=1001 ack=$rx.seq+1', "  with this connection's numbers:", `    tcp seq=1001 ack=${isn + 1} flags=A`]);
    assert.equal(colourAt(raw, 'tcp flags=A'), SGR[THEME.learner]);
    const chinese = await draw(<SolutionView solution={solution} language="zh-CN" width={30} />, 30);
    assertFits(chinese.lines, 30);
    assert.equal(chinese.lines[0], '参考答案：tcp flags=A seq=1001');
    assert.ok(chinese.lines.includes('  代入本连接的实际数值：'), chinese.lines.join('\n'));
  });

  it('shows only the text when it cannot be built on this connection yet', async () => {
    const { lines } = await draw(<SolutionView solution={{ text: 'tcp flags=A ack=$rx.seq+1', at: { line: 1, column: 1 }, resolved: null }} width={60} />, 60);
    assert.deepEqual(lines, ['solution: tcp flags=A ack=$rx.seq+1']);
  });
});
