// The REPL while its network starts: the prompt works, lines wait, and run in order once it is up.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createSimNetwork, type SimNetwork } from '../../src/net/sim/index.js';
import { Session } from '../../src/session/session.js';
import { ReplController, type ExitReason } from '../../src/ui/repl-controller.js';
import type { OpenedSession, ReplSession } from '../../src/ui/repl-session.js';
import { statusText } from '../../src/ui/status-text.js';
import { settle } from './ink-harness.js';

const ENTER = '\r';
const cleanup: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

/** A controller on a session that is not ready until the test says so. */
function starting() {
  let open: (opened: OpenedSession) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const ready = new Promise<OpenedSession>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  const exits: ExitReason[] = [];
  const readied: string[] = [];
  const controller = new ReplController({
    session: { starting: 'lab', ready },
    onExit: (reason) => exits.push(reason),
    onReady: (opened) => {
      readied.push(opened.note ?? '');
      if (opened.note !== undefined) controller.note(opened.note);
    },
  });
  cleanup.push(async () => controller.dispose());
  return { controller, exits, readied, open, fail, view: () => controller.getSnapshot() };
}

/** A real session on sim that records the order in which lines reach it. */
async function recordingSession(): Promise<{ session: ReplSession; executed: string[]; network: SimNetwork }> {
  const network = createSimNetwork({ seed: 11 });
  const real = await Session.open(network);
  cleanup.push(async () => {
    real.close();
    await network.close();
  });
  const executed: string[] = [];
  const session = Object.assign(Object.create(real) as Session, {
    execute: (line: string) => {
      executed.push(line);
      return real.execute(line);
    },
  });
  return { session, executed, network };
}

describe('ReplController while the network starts', () => {
  it('says the network is starting, edits lines, and runs the ones entered meanwhile once it is ready, in order', async () => {
    const { controller, view, open, readied } = starting();
    assert.equal(view().status.starting, true);
    assert.equal(view().status.network, 'lab');
    assert.match(statusText(view().status, 80), /^ lab starting… {2}│ \? keys +$/);
    assert.deepEqual(view().items, [], 'nothing in the log before the network is named');

    controller.input(`sr1 tcp flags=S seq=1000${ENTER}`);
    controller.input(`ls ip${ENTER}`);
    controller.input('send tcp fl\u0017flags=A');
    await settle(30);
    assert.equal(view().editor.text, 'send tcp flags=A', 'the line editor works meanwhile');
    assert.match(statusText(view().status, 80), /^ lab starting… {2}ls waits for it {2}│ \? keys/);

    const { session, executed } = await recordingSession();
    open({ session, note: 'network: lab: the Linux kernel in a network namespace of its own' });
    await settle(50);
    assert.deepEqual(readied, ['network: lab: the Linux kernel in a network namespace of its own']);
    assert.deepEqual(executed, ['sr1 tcp flags=S seq=1000', 'ls ip']);
    const log = view().items.map(({ entry }) => (entry.kind === 'note' ? `note: ${entry.text}` : entry.kind === 'command' ? `› ${entry.line}` : entry.kind));
    assert.equal(log[0], 'note: network: lab: the Linux kernel in a network namespace of its own', 'the note naming the network comes first');
    const commands = log.filter((line) => line.startsWith('›'));
    assert.deepEqual(commands, ['› sr1 tcp flags=S seq=1000', '› ls ip']);
    assert.ok(log.indexOf('› ls ip') > log.indexOf('› sr1 tcp flags=S seq=1000'));
    assert.equal(view().status.starting, undefined);
    // The status bar names the network the session is on: sim here, whatever was being started.
    assert.equal(view().status.network, 'sim');
    assert.equal(view().status.learnerState, 'ESTABLISHED');
    assert.equal(view().status.busy, null);
    assert.equal(view().editor.text, 'send tcp flags=A', 'the line being typed is untouched');

    controller.input(ENTER);
    await settle(30);
    assert.deepEqual(executed, ['sr1 tcp flags=S seq=1000', 'ls ip', 'send tcp flags=A']);
  });

  it('lets the learner leave before the network is up', async () => {
    const { controller, exits, view } = starting();
    controller.input('\u0004');
    assert.deepEqual(exits, ['end-of-input']);
    assert.equal(view().exiting, true);
  });

  it('lets go of the screen and drops the waiting lines when the network cannot start', async () => {
    const { controller, exits, view, fail } = starting();
    controller.input(`sr1 tcp flags=S${ENTER}`);
    fail(new Error('the lab could not start'));
    await settle(30);
    assert.equal(view().exiting, true);
    assert.deepEqual(exits, [], 'the learner did not leave: whoever started the network says why');
    assert.deepEqual(view().items, []);
    controller.input(`ls${ENTER}`);
    assert.equal(view().editor.text, '', 'keys are ignored once the screen is going');
  });
});
