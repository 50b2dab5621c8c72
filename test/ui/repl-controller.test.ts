import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createSimNetwork, type SimNetwork } from '../../src/net/sim/index.js';
import { Session } from '../../src/session/session.js';
import { completionSource } from '../../src/ui/completion.js';
import { sessionCompletionData } from '../../src/ui/completion-data.js';
import { ReplController, type ExitReason } from '../../src/ui/repl-controller.js';
import type { ReplSession } from '../../src/ui/repl-session.js';
import { settle } from './ink-harness.js';

const ENTER = '\r';
const open: Array<{ network: SimNetwork; session: Session; controller: ReplController }> = [];

afterEach(async () => {
  for (const { network, session, controller } of open.splice(0)) {
    controller.dispose();
    session.close();
    await network.close();
  }
});

async function start(options: { history?: string[]; wrap?: (session: Session) => ReplSession } = {}) {
  const network = createSimNetwork({ seed: 7 });
  const session = await Session.open(network);
  const exits: ExitReason[] = [];
  const added: string[] = [];
  const controller = new ReplController({
    session: options.wrap?.(session) ?? session,
    history: options.history ?? [],
    historySink: { add: (line) => added.push(line) },
    complete: completionSource(sessionCompletionData()),
    onExit: (reason) => exits.push(reason),
  });
  open.push({ network, session, controller });
  /** Types raw input and lets the commands it ran finish. */
  const type = async (input: string) => {
    controller.input(input);
    await settle(30);
  };
  return { controller, session, exits, added, type, view: () => controller.getSnapshot() };
}

describe('ReplController', () => {
  it('runs a handshake typed at the prompt and shows every packet and state change in order', async () => {
    const { type, view, added } = await start();
    await type(`sr1 tcp flags=S seq=1000${ENTER}`);
    await type(`send tcp flags=A seq=1001 ack=$rx.seq+1${ENTER}`);
    const kinds = view().items.map(({ entry }) => (entry.kind === 'packet' ? `${entry.dir}#${entry.index}` : entry.kind));
    assert.deepEqual(kinds.filter((k) => k.includes('#')), ['out#1', 'in#2', 'out#3']);
    assert.ok(kinds.includes('check'));
    assert.equal(view().status.learnerState, 'ESTABLISHED');
    assert.equal(view().status.serverState, 'ESTABLISHED');
    assert.equal(view().status.network, 'sim');
    assert.equal(view().status.busy, null);
    assert.deepEqual(added, ['sr1 tcp flags=S seq=1000', 'send tcp flags=A seq=1001 ack=$rx.seq+1']);
    assert.equal(view().editor.text, '');
  });

  it('puts a line with a mistake back, cursor on the mistake, with the error and its column', async () => {
    const { type, view } = await start();
    await type(`send tcp flgs=S${ENTER}`);
    const { editor, error } = view();
    assert.equal(editor.text, 'send tcp flgs=S');
    assert.equal(editor.cursor, 9);
    assert.equal(error?.column, 10);
    assert.match(error!.message, /unknown field 'flgs'/);
    // Fixing it and running it again clears the error.
    await type(`\u001b[C\u001b[Ca${ENTER}`);
    assert.equal(view().error, null);
    assert.equal(view().editor.text, '');
    assert.ok(view().items.some(({ entry }) => entry.kind === 'command' && entry.line === 'send tcp flags=S'));
  });

  it('shows an error without a column under the prompt and leaves the line empty', async () => {
    const { type, view } = await start();
    await type(`pcap save /no/such/folder/x.pcapng${ENTER}`);
    const error = view().error!;
    assert.match(error.message, /could not write/);
    assert.equal(error.column, undefined);
    assert.equal(view().editor.text, '');
  });

  it('turns an exception thrown by a command into an error line, and goes on', async () => {
    const { type, view } = await start({
      // The real session, with a fault injected for one line.
      wrap: (session) =>
        Object.assign(Object.create(session) as Session, {
          execute: (line: string) => (line === 'boom' ? Promise.reject(new Error('disk on fire')) : session.execute(line)),
        }),
    });
    await type(`boom${ENTER}`);
    assert.match(view().error!.message, /internal error: disk on fire/);
    const last = view().items[view().items.length - 1]!.entry;
    assert.equal(last.kind, 'error');
    await type(`sr1 tcp flags=S seq=5${ENTER}`);
    assert.equal(view().status.learnerState, 'ESTABLISHED');
  });

  it('edits with the readline keys and goes through history', async () => {
    const { type, view } = await start({ history: ['ls', 'help'] });
    await type('send tcp seq=1');
    await type('\u0001'); // Ctrl-A
    await type('x');
    assert.equal(view().editor.text, 'xsend tcp seq=1');
    await type('\u0005\u0017'); // Ctrl-E, Ctrl-W
    assert.equal(view().editor.text, 'xsend tcp ');
    await type('\u001b[A');
    assert.equal(view().editor.text, 'help');
    await type('\u001b[A\u001b[A');
    assert.equal(view().editor.text, 'ls');
    await type('\u001b[B\u001b[B');
    assert.equal(view().editor.text, 'xsend tcp ');
    await type('\u007f\u007f');
    assert.equal(view().editor.text, 'xsend tc');
  });

  it('completes with Tab, and lists the candidates when there are several', async () => {
    const { type, view } = await start();
    await type('sr\t');
    assert.equal(view().editor.text, 'sr1 ');
    await type('tcp fl\t');
    assert.equal(view().editor.text, 'sr1 tcp flags=');
    await type(' s\t');
    assert.deepEqual(view().completions, ['src=', 'sport=', 'seq=']);
    await type('e');
    assert.deepEqual(view().completions, []);
  });

  it('toggles the keys with ? on an empty line, and types ? anywhere else', async () => {
    const { type, view } = await start();
    await type('?');
    assert.equal(view().helpVisible, true);
    await type('?');
    assert.equal(view().helpVisible, false);
    await type('a?');
    assert.equal(view().editor.text, 'a?');
    assert.equal(view().helpVisible, false);
  });

  it('clears a line on Ctrl-C and quits on Ctrl-C at an empty prompt', async () => {
    const { type, view, exits } = await start();
    await type('send tcp');
    await type('\u0003');
    assert.equal(view().editor.text, '');
    assert.deepEqual(exits, []);
    await type('\u0003');
    assert.deepEqual(exits, ['interrupt']);
    assert.equal(view().exiting, true);
    await type('\u0003');
    assert.deepEqual(exits, ['interrupt'], 'leaving happens once');
  });

  it('deletes on Ctrl-D inside a line and quits on Ctrl-D at an empty prompt', async () => {
    const { type, view, exits } = await start();
    await type('ab\u0001\u0004');
    assert.equal(view().editor.text, 'b');
    assert.deepEqual(exits, []);
    await type('\u0005\u0015\u0004');
    assert.deepEqual(exits, ['end-of-input']);
  });

  it('leaves when the quit command runs', async () => {
    const { type, exits } = await start();
    await type(`quit${ENTER}`);
    assert.deepEqual(exits, ['quit']);
  });

  it('bumps the redraw epoch on Ctrl-L and when the keys are hidden', async () => {
    const { type, view } = await start();
    await type('\u000c');
    assert.equal(view().epoch, 1);
    await type('?');
    await type('?');
    assert.equal(view().epoch, 2);
  });
});
