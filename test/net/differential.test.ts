// The differential suite: every scenario of test/net/scenarios run on the real kernel (the
// lab) and on sim, and the learner-visible traces compared. Where they differ, Linux is right.
// Each lab run is also held to the scenario's expected trace on its own, so an expectation
// wrong in the same way as sim cannot pass; and sim is held to the expectations even where
// the lab cannot run.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLabNetwork, type LabNetwork } from '../../src/net/lab/lab-network.js';
import { createSimNetwork } from '../../src/net/sim/index.js';
import { SCENARIOS } from './scenarios/index.js';
import { whyNoLab } from '../support/lab-availability.js';
import { PortLedger, runScenario } from './scenarios/run-scenario.js';
import { diffExpected, diffRuns } from './scenarios/trace.js';

const unavailable = await whyNoLab();

function report(title: string, lines: string[]): string {
  return `${title}\n${lines.map((line) => `  ${line}`).join('\n')}`;
}

describe('sim against the traces Linux is expected to show', () => {
  for (const [index, scenario] of SCENARIOS.entries()) {
    test(scenario.name, { todo: scenario.simDiffers }, async () => {
      // A seed of its own per scenario: the traces hold whatever ISNs sim draws.
      const run = await runScenario(createSimNetwork({ seed: 1 + index }), scenario);
      const diff = diffExpected(scenario, run, true);
      if (diff.length > 0) assert.fail(report(`sim differs from the expected trace (seed ${1 + index}):`, diff));
    });
  }
});

describe('lab against sim, scenario by scenario', { skip: unavailable }, () => {
  let lab: LabNetwork;
  let ledger: PortLedger;

  before(async () => {
    lab = await createLabNetwork();
    ledger = new PortLedger(lab);
  });
  after(async () => {
    ledger?.close();
    await lab?.close();
  });

  for (const [index, scenario] of SCENARIOS.entries()) {
    test(scenario.name, async (t) => {
      const labRun = await runScenario(lab, scenario, { ledger });
      const seed = 1000 + index;
      const simRun = await runScenario(createSimNetwork({ seed }), scenario);

      await t.test('the lab shows the expected trace', () => {
        const diff = diffExpected(scenario, labRun, false);
        if (diff.length > 0) assert.fail(report('the lab differs from the expected trace:', diff));
      });
      await t.test('sim answers as the lab did', { todo: scenario.simDiffers }, () => {
        const diff = diffRuns(scenario, labRun, simRun);
        if (diff.length > 0) assert.fail(report(`sim (seed ${seed}) differs from the lab, which is right:`, diff));
      });
    });
  }
});
