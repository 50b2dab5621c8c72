// Colour is decided when the colour library loads, from the real terminal; here it is forced
// on before anything loads it, to see the colours a terminal would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

process.env.FORCE_COLOR = '1';
const { LogLine } = await import('../../src/ui/packet-log-line.js');
const { renderInk } = await import('./ink-harness.js');

const packet = (dir: 'in' | 'out', index: number) =>
  ({ kind: 'packet', id: index, t: 0, index, dir, line: `packet ${index}`, relativeLine: '', bases: {}, tracked: true }) as never;

/** The SGR colour code in force at the first occurrence of `marker`. */
function colourAt(raw: string, marker: string): string | undefined {
  return raw.slice(0, raw.indexOf(marker)).match(/\u001b\[(3\d|9\d)m[^\u001b]*$/)?.[1];
}

describe('log colours', () => {
  it("draws the learner's packets in one colour and the server's in another", async () => {
    const rendered = await renderInk(
      <>
        <LogLine entry={packet('out', 1)} />
        <LogLine entry={packet('in', 2)} />
        <LogLine entry={packet('out', 3)} />
      </>,
    );
    const raw = rendered.stdout.writes[rendered.stdout.writes.length - 1]!;
    rendered.unmount();
    const out = colourAt(raw, '→ #1');
    const back = colourAt(raw, '← #2');
    assert.notEqual(out, undefined);
    assert.notEqual(back, undefined);
    assert.notEqual(out, back);
    assert.equal(colourAt(raw, 'packet 3'), out);
  });
});
