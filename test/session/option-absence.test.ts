// Option absence and SACK blocks checked on what a real stack sends: the SYN-ACK that
// answers a SYN with no options carries an MSS and nothing else, on the lab's kernel and on
// sim alike, and a check that says otherwise fails with the option shown as it came.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLabNetwork, type LabNetwork } from '../../src/net/lab/lab-network.js';
import type { Network } from '../../src/net/network.js';
import { createSimNetwork, type SimNetwork } from '../../src/net/sim/index.js';
import { renderEntryText } from '../../src/session/render-text.js';
import { Session } from '../../src/session/session.js';
import { whyNoLab } from '../support/lab-availability.js';

/** Runs the lines in one session and returns each one's status and the text it printed. */
async function run(network: Network, port: number | undefined, lines: string[]): Promise<Array<{ status: string; text: string }>> {
  const session = await Session.open(network, port === undefined ? {} : { port });
  try {
    const outcomes = [];
    for (const line of lines) {
      const outcome = await session.execute(line);
      outcomes.push({ status: outcome.status, text: outcome.entries.map((entry) => renderEntryText(entry)).join('\n') });
    }
    return outcomes;
  } finally {
    session.close();
  }
}

function scenarios(network: () => Network, port: (i: number) => number | undefined): void {
  test('a SYN with no options gets a SYN-ACK with an MSS and nothing else', async () => {
    const [sr1, expect] = await run(network(), port(0), ['sr1 tcp flags=S seq=1000', 'expect flags=SA opts=mss:*,!wscale,!sackok,!ts,!sack']);
    assert.equal(sr1?.status, 'ok', sr1?.text);
    assert.equal(expect?.status, 'ok', expect?.text);
    assert.match(expect!.text, /ok: expect: #2 matches flags=SA opts=mss:\*,!wscale,!sackok,!ts,!sack/);
  });

  test('a check that rules out what came fails, showing it and the packet without it', async () => {
    const [, expect] = await run(network(), port(1), ['sr1 tcp flags=S seq=1000', 'expect opts=!mss']);
    assert.equal(expect?.status, 'failed', expect?.text);
    const lines = expect!.text.split('\n').map((line) => line.trim());
    assert.deepEqual(lines.slice(0, 5), [
      '> expect opts=!mss',
      'FAILED: expect: #2 does not match: 1 of 1 field differs',
      'opts  expected !mss',
      'actual   mss:65495',
      'mss:65495 is there, expected !mss',
    ]);
    assert.match(lines[5]!, /^expected {2}tcp seq=\d+ ack=1001 flags=SA win=65495$/, 'the expected packet has no options');
    assert.match(lines[7]!, /^actual {4}tcp seq=\d+ ack=1001 flags=SA win=65495 opts=mss:65495$/);
  });

  test('a SYN with all four gets them back, and a hole is reported by its SACK block', async () => {
    const outcomes = await run(network(), port(2), [
      'sr1 tcp flags=S seq=2000 opts=mss:1460,sackok,ts:100:0,nop,wscale:7',
      'expect flags=SA opts=mss:*,sackok,ts:*:100,wscale:*',
      'send tcp flags=A seq=2001 ack=$rx.seq+1 opts=nop,nop,ts:101:$rx.tsval',
      'send tcp flags=PA seq=2006 ack=$rx.seq+1 data="world" opts=nop,nop,ts:102:$rx.tsval',
      'recv flags=A ack=2001 opts=sack:2001-2006 timeout=0.5',
      'expect opts=sack:$tx.seq-($tx.seq+$tx.len)',
    ]);
    assert.deepEqual(outcomes.map((o) => o.status), ['ok', 'ok', 'ok', 'ok', 'timeout', 'ok'], outcomes.map((o) => o.text).join('\n'));
    assert.match(outcomes[4]!.text, /sack is 2006-2011, expected 2001-2006/);
  });
}

describe('option absence and SACK blocks on sim', () => {
  const networks: SimNetwork[] = [];
  after(() => Promise.all(networks.map((network) => network.close())));
  const fresh = (): SimNetwork => {
    const network = createSimNetwork({ seed: 11 + networks.length });
    networks.push(network);
    return network;
  };
  scenarios(fresh, () => undefined);
});

const noLab = await whyNoLab();

describe('option absence and SACK blocks on the lab', { skip: noLab }, () => {
  let lab: LabNetwork;
  before(async () => (lab = await createLabNetwork()));
  after(() => lab?.close());
  // Each test on a port of its own, so one test's half-open connection never meets the next.
  scenarios(() => lab, (i) => lab.info.learner.ports.first + 30 + i);
});
