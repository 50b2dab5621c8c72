import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEntry } from '../../src/session/log-entry.js';
import { KeyHelp } from '../../src/ui/key-help.js';
import { insertText, createEditor, applyEdit } from '../../src/ui/line-editor.js';
import { LogLine } from '../../src/ui/packet-log-line.js';
import { Prompt, PROMPT_SIGN } from '../../src/ui/prompt.js';
import { StatusBar, statusText, type StatusInfo } from '../../src/ui/status-bar.js';
import { textWidth } from '../../src/session/text-width.js';
import { TooSmall } from '../../src/ui/too-small.js';
import { renderInk } from './ink-harness.js';

async function frame(node: React.ReactNode, columns = 80, rows = 24): Promise<string> {
  const rendered = await renderInk(node, { columns, rows });
  const text = rendered.lastFrame();
  rendered.unmount();
  return text;
}

const lines = (text: string) => text.split('\n').map((line) => line.trimEnd());

const status: StatusInfo = {
  network: 'sim',
  me: '127.0.0.1:40000',
  server: '127.0.0.1:7',
  learnerState: 'SYN-SENT',
  serverState: 'SYN-RECV',
  busy: null,
};

describe('StatusBar', () => {
  it('shows the network, both ends and both states in 80 columns', async () => {
    const text = await frame(<StatusBar info={status} width={80} />);
    assert.match(text, /sim/);
    assert.match(text, /127\.0\.0\.1:40000 → 127\.0\.0\.1:7/);
    assert.ok(textWidth(lines(text)[0]!) <= 80);
    assert.match(text, /you: SYN-SENT {2}server: SYN-RECV/);
  });

  it('keeps the states and drops the addresses when narrow, never wider than the terminal', () => {
    for (const width of [40, 50, 60, 80, 120]) {
      const text = statusText(status, width);
      assert.equal(textWidth(text), width);
      assert.match(text, /SYN-SENT/);
    }
    assert.doesNotMatch(statusText(status, 40), /40000/);
    assert.match(statusText({ ...status, serverState: null, busy: 'recv' }, 80), /server: - {2}running recv…/);
  });
});

const packetEntry = (dir: 'in' | 'out', index: number, line: string): LogEntry =>
  ({ kind: 'packet', id: index, t: 12, index, dir, line, relativeLine: line.replace('1000', '0'), bases: {}, tracked: true }) as unknown as LogEntry;

describe('LogLine', () => {
  it('writes a packet on one line with its direction, number and time', async () => {
    const text = await frame(<LogLine entry={packetEntry('out', 1, '127.0.0.1.40000 > 127.0.0.1.7: Flags [S], seq 1000, length 0')} />);
    assert.equal(lines(text)[0], '→ #1   0.012 127.0.0.1.40000 > 127.0.0.1.7: Flags [S], seq 1000, length 0');
  });

  it('shows sequence numbers relative to the ISN when asked', async () => {
    const text = await frame(<LogLine relative entry={packetEntry('in', 2, '127.0.0.1.7 > 127.0.0.1.40000: Flags [S.], seq 1000')} />);
    assert.match(text, /^← #2 {3}0\.012 .*seq 0$/m);
  });

  it('wraps a long packet under its own text, keeping the arrow column clear', async () => {
    const long = '127.0.0.1.7 > 127.0.0.1.40000: Flags [S.], seq 2693262067, ack 1001, win 65495, options [mss 65495,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0';
    const text = lines(await frame(<LogLine entry={packetEntry('in', 2, long)} />, 60));
    assert.ok(text.length >= 3);
    for (const line of text) assert.ok(textWidth(line) <= 60);
    for (const line of text.slice(1).filter((l) => l !== '')) assert.match(line, /^ {13}\S/);
  });

  it('puts a caret under the column of an error, aligned with the command just above', async () => {
    const command = { kind: 'command', id: 0, t: 0, line: 'send tcp flgs=S' } as LogEntry;
    const error = { kind: 'error', id: 1, t: 0, message: "unknown field 'flgs' at column 10", input: 'send tcp flgs=S', column: 10, length: 4 } as LogEntry;
    const text = lines(
      await frame(
        <>
          <LogLine entry={command} />
          <LogLine entry={error} previous={command} />
        </>,
      ),
    );
    assert.equal(text[0], '› send tcp flgs=S');
    assert.equal(text[1], '           ^^^^');
    assert.match(text[2]!, /✗ unknown field 'flgs'/);
  });

  it('names the side of a state change and what the application did', async () => {
    const learner = { kind: 'state', id: 0, t: 0, side: 'learner', local: { addr: '127.0.0.1', port: 40000 }, remote: null, from: 'SYN-SENT', to: 'ESTABLISHED' } as LogEntry;
    const bundled = { kind: 'state', id: 1, t: 0, side: 'bundled', local: { addr: '127.0.0.1', port: 7 }, remote: { addr: '127.0.0.1', port: 40000 }, from: null, to: 'SYN-RECV' } as LogEntry;
    const text = await frame(
      <>
        <LogLine entry={learner} />
        <LogLine entry={bundled} />
      </>,
    );
    assert.match(text, /your side: SYN-SENT → ESTABLISHED/);
    assert.match(text, /server socket 127\.0\.0\.1:7: new → SYN-RECV/);
  });

  it('lays out a failed check: each wrong field expected over actual, then both packets', async () => {
    const check = {
      kind: 'check', id: 0, t: 0, command: 'expect', outcome: 'fail', summary: '#2 differs in ack', index: 2, matcher: 'ack=1001',
      fields: [{ field: 'ack', ok: false, expected: '1001', actual: '1000', expectedNote: 'your ISN + 1', actualNote: 'your ISN + 0' }],
      expected: { segment: 'tcp flags=SA ack=1001', line: 'x > y: Flags [S.], ack 1001' },
      actual: { segment: 'tcp flags=SA ack=1000', line: 'x > y: Flags [S.], ack 1000' },
    } as LogEntry;
    const text = lines(await frame(<LogLine entry={check} />));
    assert.match(text[0]!, /✗ expect: #2 differs in ack/);
    assert.equal(text[1], '      ack  expected 1001  = your ISN + 1');
    assert.equal(text[2], '           actual   1000  = your ISN + 0');
    assert.match(text[3]!, /^ {6}expected {2}tcp flags=SA ack=1001$/);
    assert.match(text[5]!, /^ {6}actual {4}tcp flags=SA ack=1000$/);
  });
});

describe('Prompt', () => {
  it('draws the sign and the line, and a caret under the mistake while the line is unchanged', async () => {
    const editor = insertText(createEditor(), 'send tcp flgs=S');
    const error = { message: "unknown field 'flgs'", input: 'send tcp flgs=S', column: 10, length: 4 };
    const text = lines(await frame(<Prompt editor={editor} width={80} error={error} completions={[]} />));
    assert.equal(text[0], `${PROMPT_SIGN}send tcp flgs=S`);
    assert.equal(text[1], `${' '.repeat(PROMPT_SIGN.length + 9)}^^^^`);
    assert.match(text[2]!, /✗ unknown field 'flgs'/);
    const edited = applyEdit(editor, { type: 'insert', text: 'x' });
    const after = lines(await frame(<Prompt editor={edited} width={80} error={error} completions={[]} />));
    assert.doesNotMatch(after.join('\n'), /\^/);
  });

  it('counts wide characters before the mistake as two columns each', async () => {
    const input = 'send tcp data="日本語" flgs=S';
    const editor = insertText(createEditor(), input);
    const error = { message: "unknown field 'flgs'", input, column: input.indexOf('flgs') + 1, length: 4 };
    const text = lines(await frame(<Prompt editor={editor} width={80} error={error} completions={[]} />));
    const caretAt = text[1]!.indexOf('^');
    assert.equal(caretAt, textWidth(`${PROMPT_SIGN}send tcp data="日本語" `));
    assert.equal(textWidth(text[0]!.slice(0, text[0]!.indexOf('flgs'))), caretAt);
  });

  it('lists completions in columns under the line', async () => {
    const editor = insertText(createEditor(), 'sr1 tcp s');
    const text = await frame(<Prompt editor={editor} width={80} error={null} completions={['src=', 'sport=', 'seq=']} />);
    assert.match(text, /src= {4}sport= {2}seq=/);
  });

  it('never draws wider than its width, however long the line', async () => {
    const editor = insertText(createEditor(), `send tcp data="${'日本語'.repeat(30)}"`);
    for (const line of lines(await frame(<Prompt editor={editor} width={40} error={null} completions={[]} />, 40))) {
      assert.ok(textWidth(line) <= 40, line);
    }
  });
});

describe('KeyHelp', () => {
  it('lists the keys, fitting 80 columns', async () => {
    const text = lines(await frame(<KeyHelp width={80} maxRows={18} />));
    assert.match(text.join('\n'), /Ctrl-C +clear the line; on an empty line, quit/);
    assert.match(text.join('\n'), /Tab +complete/);
    for (const line of text) assert.ok(textWidth(line) < 80);
  });

  it('cuts the list on a short terminal and says where the rest is', async () => {
    const text = lines(await frame(<KeyHelp width={40} maxRows={5} />, 40, 10)).filter((l) => l !== '');
    assert.equal(text.length, 5);
    assert.match(text[4]!, /more/);
  });
});

describe('TooSmall', () => {
  it('says so in one line, whole at 39 columns', async () => {
    const whole = lines(await frame(<TooSmall columns={39} rows={24} />, 39, 24)).filter((l) => l !== '');
    assert.deepEqual(whole, ['Terminal too small: 39x24, needs 40x10']);
  });

  it('cuts that line to fit a narrower terminal', async () => {
    const text = lines(await frame(<TooSmall columns={30} rows={8} />, 30, 8)).filter((l) => l !== '');
    assert.equal(text.length, 1);
    assert.match(text[0]!, /^Terminal too small/);
    assert.ok(textWidth(text[0]!) < 30);
  });
});
