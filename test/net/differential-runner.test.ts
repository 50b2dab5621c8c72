// The differential suite's own machinery, on sim only: the catalogue's ports and
// expectations are well formed, the trace keeps what it should and nothing else, a
// difference reads as step, field and both packets, and a port still in TIME-WAIT is refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TcpState } from '../../src/net/network.js';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { decodePacket, encodePacket } from '../../src/wire/packet.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import { CLOSING } from './scenarios/closing.js';
import { SCENARIOS, SUITE_PORTS } from './scenarios/index.js';
import { PortLedger, runScenario, ScenarioError } from './scenarios/run-scenario.js';
import { ACTIONS, replies, type Scenario, send } from './scenarios/scenario.js';
import { diffExpected, diffRuns, formatTracePacket, isSubsequence, payloadText, statesMatch, tracePacket } from './scenarios/trace.js';

const STATES: ReadonlySet<string> = new Set<TcpState>([
  'ESTABLISHED', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSED', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING', 'NEW-SYN-RECV',
]);

describe('the catalogue', () => {
  test('every scenario has a learner port of its own, inside the suite’s range', () => {
    const ports = SCENARIOS.map((scenario) => scenario.port);
    assert.equal(new Set(ports).size, ports.length, 'no two scenarios share a port (TIME-WAIT would hold it)');
    for (const scenario of SCENARIOS) {
      assert.ok(scenario.port >= SUITE_PORTS.first && scenario.port <= SUITE_PORTS.last, `${scenario.name}: port ${scenario.port}`);
    }
    assert.equal(new Set(SCENARIOS.map((scenario) => scenario.name)).size, SCENARIOS.length, 'names are unique: they name the tests');
  });

  test('every expected reply is put down against an action, and every expected state is a TCP state', () => {
    for (const scenario of SCENARIOS) {
      for (const line of scenario.expected.packets) {
        const step = Number.parseInt(line, 10);
        const found = scenario.steps[step - 1];
        assert.ok(found !== undefined && ACTIONS.has(found.kind), `${scenario.name}: "${line}" names step ${step}, which is ${found?.kind ?? 'missing'}`);
      }
      for (const state of scenario.expected.states) assert.ok(STATES.has(state.replace(/\?$/, '')), `${scenario.name}: ${state}`);
    }
  });

  test('covers what the suite promises', () => {
    const names = SCENARIOS.map((scenario) => scenario.name).join('\n');
    for (const topic of [/Linux's SYN options/, /no options at all/, /"hello" to echo/, /four-way close, the learner closing first/, /server closing first/, /refuse/, /RST aborts/, /out-of-window segment/, /in-window SYN in ESTABLISHED/, /bad checksum/, /learner as server/, /unanswered SYN-ACK/, /line framing: a line split/, /length-prefixed framing: a message split/, /IPv6: the handshake/, /ECN-setup SYN/, /data marked CE/, /urgent data: the byte before the urgent pointer/]) {
      assert.match(names, topic);
    }
  });
});

describe('the trace', () => {
  const synAck = decodePacket(
    encodePacket({
      ip: { version: 4, src: '127.0.0.1', dst: '127.0.0.1', tos: 0, id: 77, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array() },
      tcp: {
        sport: 7,
        dport: 40100,
        seq: 0xfffffff0,
        ack: 1001,
        flags: TcpFlag.SYN | TcpFlag.ACK,
        window: 65483,
        urgent: 0,
        options: [{ kind: 'mss', value: 65495 }, { kind: 'sackok' }, { kind: 'ts', tsval: 123456, tsecr: 1000 }, { kind: 'nop' }, { kind: 'wscale', value: 10 }, { kind: 'sack', blocks: [[1001, 1006]] }],
        payload: new Uint8Array(),
      },
    }),
  );

  test('keeps numbers relative to each side’s ISN, across the wrap, and no TS values or IP ids', () => {
    const packet = tracePacket(3, synAck, 0xfffffff0, 1000);
    assert.equal(formatTracePacket(packet), '3: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10,sack 1-6]');
    const later = tracePacket(3, synAck, 0xffffffe0, 1000);
    assert.equal(later.seq, 16, 'seq 0xfffffff0 is 16 past an ISN of 0xffffffe0');
    assert.equal(tracePacket(1, synAck, null, null).ack, 1001, 'as sent, when nothing is known to be relative to');
  });

  test('writes a long payload short, with enough to tell two apart', () => {
    const long = new Uint8Array(1000).fill(0x61);
    const other = long.slice();
    other[999] = 0x62;
    assert.match(payloadText(long), /^"aaaaaaaaaaaaaaaa"\.\.\. \(1000 bytes, sha256 [0-9a-f]{12}\)$/);
    assert.notEqual(payloadText(long), payloadText(other));
    assert.equal(payloadText(new TextEncoder().encode('hi\n')), '"hi\\n"');
  });

  test('lets the lab miss only the states marked as short-lived, and sim none', () => {
    const expected = ['SYN-RECV', 'ESTABLISHED', 'CLOSE-WAIT?', 'LAST-ACK', 'CLOSED'];
    assert.ok(statesMatch(['SYN-RECV', 'ESTABLISHED', 'LAST-ACK', 'CLOSED'], expected, false));
    assert.ok(statesMatch(['SYN-RECV', 'ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED'], expected, false));
    assert.ok(!statesMatch(['SYN-RECV', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED'], expected, false), 'ESTABLISHED is not optional');
    assert.ok(!statesMatch(['SYN-RECV', 'ESTABLISHED', 'LAST-ACK', 'CLOSED', 'SYN-RECV'], expected, false), 'nothing extra');
    assert.ok(!statesMatch(['SYN-RECV', 'ESTABLISHED', 'LAST-ACK', 'CLOSED'], expected, true), 'sim reports every change');
    assert.ok(isSubsequence(['SYN-RECV', 'LAST-ACK'], ['SYN-RECV', 'CLOSE-WAIT', 'LAST-ACK']));
    assert.ok(!isSubsequence(['LAST-ACK', 'SYN-RECV'], ['SYN-RECV', 'CLOSE-WAIT', 'LAST-ACK']));
  });
});

describe('the runner on sim', () => {
  const fourWay = CLOSING.find((scenario) => /four-way close, the learner closing first/.test(scenario.name))!;

  test('gives the same trace whatever ISNs sim draws', async () => {
    for (const scenario of SCENARIOS) {
      const a = await runScenario(createSimNetwork({ seed: 11 }), scenario);
      const b = await runScenario(createSimNetwork({ seed: 0xdeadbeef }), scenario);
      assert.deepEqual(diffRuns(scenario, a, b), [], scenario.name);
    }
  });

  test('says where two runs differ: the step, the field, both values and both packets', async () => {
    const a = await runScenario(createSimNetwork({ seed: 1 }), fourWay);
    const b = await runScenario(createSimNetwork({ seed: 2 }), fourWay);
    b.trace.packets[3] = { ...b.trace.packets[3]!, flags: 'FP.', win: 63 };
    b.trace.app = b.trace.app.slice(0, -1);
    b.trace.states = b.trace.states.filter((state) => state !== 'LAST-ACK');
    a.network = 'lab';
    const diff = diffRuns(fourWay, a, b);
    assert.match(diff[0]!, /^reply 4, step 6 \(send tcp flags=FA seq=\$tx\.seq\+\$tx\.len /);
    assert.equal(diff[1], '  flags: lab F., sim FP.');
    assert.equal(diff[2], '  win: lab 64, sim 63');
    assert.match(diff[3]!, /^ {2}lab: 127\.0\.0\.1\.7 > 127\.0\.0\.1\.40150: Flags \[F\.\], seq 6, ack 7, win 64/);
    assert.match(diff[4]!, /^ {2}sim: 127\.0\.0\.1\.7 > 127\.0\.0\.1\.40150: Flags \[F\.\], seq 6, ack 7/);
    assert.ok(diff.includes('application events differ:'));
    assert.ok(diff.some((line) => line.startsWith("socket states: sim's do not contain lab's")));
    // A reply one side never sent is named as such.
    b.trace.packets.pop();
    assert.ok(diffRuns(fourWay, a, b).some((line) => /^reply 4, step 6 .*: only lab sent 6: F\. seq 6 ack 7 win 64/.test(line)));
  });

  test('holds a run to its expectation line by line', async () => {
    const run = await runScenario(createSimNetwork({ seed: 3 }), fourWay);
    assert.deepEqual(diffExpected(fourWay, run, true), []);
    const wrong: Scenario = { ...fourWay, expected: { ...fourWay.expected, packets: fourWay.expected.packets.map((line) => line.replace('win 64', 'win 65')) } };
    const diff = diffExpected(wrong, run, true);
    assert.match(diff[0]!, /^reply 2, step 4 /);
    assert.equal(diff[1], '  expected: 4: . seq 1 ack 6 win 65 [nop,nop,TS]');
    assert.equal(diff[2], '  sim: 4: . seq 1 ack 6 win 64 [nop,nop,TS]');
  });

  test('refuses a port whose last connection is still in TIME-WAIT', async () => {
    const serverFirst = CLOSING.find((scenario) => /server closing first/.test(scenario.name))!;
    const sim = createSimNetwork({ seed: 4 });
    const ledger = new PortLedger(sim);
    try {
      const run = await runScenario(sim, serverFirst, { ledger });
      assert.equal(run.trace.states.at(-1), 'TIME-WAIT');
      await assert.rejects(runScenario(sim, serverFirst, { ledger, portWaitMs: 50 }), (error: Error) => {
        assert.ok(error instanceof ScenarioError);
        assert.match(error.message, /^port 40151 is still in use: 127\.0\.0\.1\.7001 TIME-WAIT/);
        return true;
      });
      await sim.wait(60_000);
      await runScenario(sim, serverFirst, { ledger, portWaitMs: 50 });
    } finally {
      ledger.close();
    }
  });

  test('names the scenario, network and step when a segment cannot be built or sent', async () => {
    const base = { port: 40198, family: 4 as const, expected: { packets: [], app: [], states: [] } };
    await assert.rejects(runScenario(createSimNetwork({ seed: 5 }), { ...base, name: 'too early', steps: [send('tcp flags=A ack=$rx.seq+1')] }), /^ScenarioError: too early on sim, step 1 \(send tcp flags=A ack=\$rx\.seq\+1\): unknown variable \$rx\.seq/);
    await assert.rejects(runScenario(createSimNetwork({ seed: 5 }), { ...base, name: 'nowhere', steps: [send('tcp flags=S dst=10.1.2.3'), replies(1)] }), /nowhere on sim: send tcp flags=S dst=10\.1\.2\.3 did not go out: ENETUNREACH/);
    await assert.rejects(runScenario(createSimNetwork({ seed: 5 }), { ...base, port: 39999, name: 'outside', steps: [] }), /port 39999 is not one of the learner's \(40000-40999\)/);
  });
});
