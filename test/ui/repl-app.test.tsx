import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { Session } from '../../src/session/session.js';
import { completionSource } from '../../src/ui/completion.js';
import { sessionCompletionData } from '../../src/ui/completion-data.js';
import { PROMPT_SIGN } from '../../src/ui/prompt.js';
import { ReplApp } from '../../src/ui/repl-app.js';
import { ReplController, type ExitReason } from '../../src/ui/repl-controller.js';
import { textWidth } from '../../src/session/text-width.js';
import { renderInk, settle, type Rendered } from './ink-harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function startApp(size: { columns: number; rows: number } = { columns: 80, rows: 24 }) {
  const network = createSimNetwork({ seed: 11 });
  const session = await Session.open(network);
  const exits: ExitReason[] = [];
  let clears = 0;
  const controller = new ReplController({
    session,
    complete: completionSource(sessionCompletionData()),
    onExit: (reason) => exits.push(reason),
    clearScreen: () => clears++,
  });
  const app = await renderInk(<ReplApp controller={controller} />, size);
  cleanups.push(async () => {
    app.unmount();
    controller.dispose();
    session.close();
    await network.close();
  });
  return { app, controller, exits, clears: () => clears };
}

const screenLines = (app: Rendered) => app.lastFrame().split('\n').map((line) => line.trimEnd());

describe('ReplApp', () => {
  it('draws the status bar and the prompt at start', async () => {
    const { app } = await startApp();
    const text = app.lastFrame();
    assert.match(text, /sim .*127\.0\.0\.1:40000 → 127\.0\.0\.1:7/);
    assert.match(text, /you: CLOSED/);
    assert.ok(screenLines(app).some((line) => line.startsWith(PROMPT_SIGN.trimEnd())));
  });

  it('shows a typed handshake above the prompt, and the states in the status bar', async () => {
    const { app } = await startApp();
    await app.type('sr1 tcp flags=S seq=1000\r');
    await settle(50);
    await app.type('send tcp flags=A seq=1001 ack=$rx.seq+1\r');
    await settle(50);
    const text = app.lastFrame();
    assert.match(text, /› sr1 tcp flags=S seq=1000/);
    assert.match(text, /→ #1 .*Flags \[S\], seq 1000/);
    assert.match(text, /← #2 .*Flags \[S\.\], seq \d+, ack\s+1001/);
    assert.match(text, /your side: SYN-SENT → ESTABLISHED/);
    assert.match(text, /→ #3 .*Flags \[\.\]/);
    assert.match(text, /you: ESTABLISHED {2}server: ESTABLISHED/);
    // The log comes before the status bar, the prompt last.
    const lines = screenLines(app);
    const statusAt = lines.findIndex((line) => line.includes('you: ESTABLISHED'));
    assert.ok(lines.findIndex((line) => line.includes('→ #3')) < statusAt);
    assert.ok(lines.slice(statusAt + 1).some((line) => line.startsWith(PROMPT_SIGN.trimEnd())));
  });

  it('shows an error under the input with a caret at its column', async () => {
    const { app } = await startApp();
    await app.type('send tcp flags=S sq=5\r');
    await settle(30);
    const lines = screenLines(app);
    const promptAt = lines.findLastIndex((line) => line.startsWith(PROMPT_SIGN));
    assert.equal(lines[promptAt], `${PROMPT_SIGN}send tcp flags=S sq=5`);
    assert.equal(lines[promptAt + 1]!.indexOf('^'), PROMPT_SIGN.length + 'send tcp flags=S '.length);
    assert.match(lines[promptAt + 2]!, /✗ unknown field 'sq'/);
  });

  it('shows the keys on ? and hides them on Esc, drawing the log again', async () => {
    const { app, clears } = await startApp();
    await app.type('?');
    assert.match(app.lastFrame(), /Keys \(\? or Esc to hide\)/);
    assert.match(app.lastFrame(), /Ctrl-U {2}Ctrl-K/);
    await app.type('\u001b');
    await settle(30);
    assert.doesNotMatch(app.lastFrame(), /Keys \(/);
    assert.equal(clears(), 1);
  });

  it('draws the whole log again at the new width after a resize', async () => {
    const { app, clears } = await startApp();
    await app.type('sr1 tcp flags=S seq=1000 opts=mss:1460,sackok,ts:1:0,nop,wscale:7\r');
    await settle(50);
    app.stdout.resize(50, 20);
    await settle(150);
    assert.equal(clears(), 1);
    // Ink's debug frames keep every static line ever drawn: the log as drawn again after the
    // screen was cleared starts at the second echo of the command.
    const frame = app.lastFrame();
    const redrawn = frame.slice(frame.lastIndexOf('› sr1')).split('\n');
    assert.notEqual(frame.indexOf('› sr1'), frame.lastIndexOf('› sr1'));
    for (const line of redrawn) assert.ok(textWidth(line.trimEnd()) <= 50, `wider than 50: ${line}`);
    assert.ok(redrawn.some((line) => line.startsWith('← #2')));
    assert.match(redrawn.join('\n'), /you: ESTABLISHED/);
  });

  it('says the terminal is too small in one line, and comes back when it grows', async () => {
    const { app } = await startApp();
    await app.type('sr1 tcp flags=S\r');
    await settle(30);
    app.stdout.resize(30, 8);
    await settle(150);
    const small = screenLines(app).filter((line) => line !== '');
    assert.equal(small[small.length - 1]!.startsWith('Terminal too small: 30x8'), true);
    assert.ok(textWidth(small[small.length - 1]!) < 30);
    assert.ok(!app.lastFrame().includes(PROMPT_SIGN.trimEnd()));
    app.stdout.resize(80, 24);
    await settle(150);
    const lines = screenLines(app);
    assert.equal(lines[lines.length - 1], PROMPT_SIGN.trimEnd());
    assert.match(lines[lines.length - 2]!, /you: ESTABLISHED/);
  });

  it('takes wide characters at the prompt and keeps the cursor on them', async () => {
    const { app, controller } = await startApp();
    await app.type('send tcp data="日本語"');
    await app.type('\u001b[D\u001b[D');
    assert.equal(controller.getSnapshot().editor.cursor, 'send tcp data="日本'.length);
    assert.match(app.lastFrame(), /tcplab> send tcp data="日本語"/);
  });

  it('leaves on Ctrl-C at an empty prompt and stops drawing the prompt', async () => {
    const { app, exits } = await startApp();
    await app.type('\u0003');
    assert.deepEqual(exits, ['interrupt']);
    assert.ok(!app.lastFrame().includes(PROMPT_SIGN.trimEnd()));
  });
});
