import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { Session } from '../../src/session/session.js';
import { EarlyPrompt } from '../../src/ui/early-prompt.js';
import { ReplController } from '../../src/ui/repl-controller.js';
import { stripAnsi } from '../../src/session/text-width.js';
import { FrameStdout, KeyStdin, settle } from './ink-harness.js';

describe('EarlyPrompt', () => {
  it('draws the status bar and the prompt, takes keys into the controller, and erases itself for the screen', async () => {
    const network = createSimNetwork({ seed: 3 });
    const session = await Session.open(network);
    const exits: string[] = [];
    const controller = new ReplController({ session, onExit: (reason) => exits.push(reason) });
    const stdin = new KeyStdin();
    const stdout = new FrameStdout(80, 24);
    try {
      const early = new EarlyPrompt(controller, stdin as unknown as NodeJS.ReadStream, stdout as unknown as NodeJS.WriteStream);
      const first = stripAnsi(stdout.writes.join(''));
      assert.match(first, /sim .*127\.0\.0\.1:40000 → 127\.0\.0\.1:7 .*you: CLOSED/);
      assert.match(first, /\ntcplab> {2}$/, "the prompt, and the cursor on the empty line");

      stdin.write('sr1 tcp flags=S\r');
      await settle(30);
      stdin.write('ls');
      await settle(30);
      assert.equal(controller.getSnapshot().editor.text, 'ls');
      const last = stdout.writes[stdout.writes.length - 1]!;
      // Each redraw goes back over the two lines it drew before.
      assert.ok(last.startsWith('\r\u001b[1A\u001b[J'));
      assert.match(stripAnsi(last), /you: ESTABLISHED[\s\S]*\ntcplab> ls $/);

      const before = stdout.writes.length;
      early.stop();
      assert.deepEqual(stdout.writes.slice(before), ['\r\u001b[1A\u001b[J\u001b[?25h'], 'erased, and the terminal\'s cursor back');
      // Keys after the hand-over are left for the screen's own reader.
      stdin.write('x');
      await settle(30);
      assert.equal(controller.getSnapshot().editor.text, 'ls');
      assert.equal(stdin.read()?.toString(), 'x');
      assert.deepEqual(exits, []);
    } finally {
      controller.dispose();
      session.close();
      await network.close();
    }
  });
});
