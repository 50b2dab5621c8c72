// The ladder's headings in another language: the names over the two lifelines, wide
// characters and all, with the rest of the diagram as it is in English.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderLadder } from '../../src/session/ladder.js';
import { textWidth } from '../../src/session/text-width.js';
import { RenderOptionsError } from '../../src/wire/render/render-options.js';
import { echoExchange, simExchange } from './net-events.js';

const ZH = { learner: '你', server: '服务器', client: '客户端' };

describe('ladder headings', () => {
  test('over the lifelines, the right one flush with its edge, and nothing else changed', () => {
    const english = renderLadder(echoExchange()).split('\n');
    const chinese = renderLadder(echoExchange(), { headings: ZH }).split('\n');
    assert.equal(english[0], 'learner                                      server');
    assert.equal(chinese[0], `你${' '.repeat(textWidth(english[0]!) - textWidth('你') - textWidth('服务器'))}服务器`);
    assert.equal(textWidth(chinese[0]!), textWidth(english[0]!));
    assert.deepEqual(chinese.slice(1), english.slice(1));
  });

  test('the bundled client, when the learner serves', async () => {
    const events = await simExchange(async (s) => {
      await s.connectToLearner();
      const isn = s.rx().seq;
      await s.send(`tcp flags=SA seq=3000 ack=${isn + 1} dport=${s.rx().sport}`);
    });
    assert.match(renderLadder(events, { headings: ZH }).split('\n')[0]!, /^你 +客户端$/);
  });

  test('a heading missing is a clear error', () => {
    assert.throws(() => renderLadder(echoExchange(), { headings: { learner: 'you', server: 'server' } as never }), (error: unknown) => error instanceof RenderOptionsError && /ladder option headings\.client/.test(error.message));
  });
});
