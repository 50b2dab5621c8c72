import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusText, type StatusInfo } from '../../src/ui/status-text.js';
import { textWidth } from '../../src/session/text-width.js';

const starting: StatusInfo = { network: 'lab', me: '', server: '', learnerState: '', serverState: null, busy: null, starting: true };

describe('statusText while the network starts', () => {
  it('names the network as starting, with no addresses or states yet, at every width', () => {
    assert.equal(statusText(starting, 40), ' lab starting…  │ ? keys'.padEnd(40));
    for (const width of [80, 30, 16]) {
      const text = statusText(starting, width);
      assert.equal(textWidth(text), width);
      assert.match(text, /^ lab starting…/);
      assert.doesNotMatch(text, /you:|CLOSED/);
    }
  });

  it('says which line waits for it, and drops that first when narrow', () => {
    const waiting = { ...starting, busy: 'sr1' };
    assert.match(statusText(waiting, 80), /^ lab starting… {2}sr1 waits for it {2}│ \? keys +$/);
    assert.equal(statusText(waiting, 33), ' lab starting…  sr1 waits for it ');
    assert.equal(statusText(waiting, 20), ' lab starting…      ');
  });
});
