// A failed expect as a learner reads it, to the character: each wrong field in decimal and
// hex with its distance from the ISN, then the packet the check describes and the one that
// came, in the segment language and as tcpdump's one-liner. The kernel's ISN is read from the
// session, so only the layout is pinned here, not the simulator's random numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simSession } from './sim-session.js';

test('a failed expect on a SYN-ACK', async () => {
  const sim = await simSession(7);
  try {
    await sim.one('sr1 tcp flags=S seq=1000 opts=mss:1460');
    const { status, entries } = await sim.one('expect flags=S ack=1000 win=1000..2000 opts=mss:1460,ts:*');
    assert.equal(status, 'failed');
    const isn = sim.session.connection.peerIsn!;
    assert.equal(
      sim.text(entries),
      [
        '> expect flags=S ack=1000 win=1000..2000 opts=mss:1460,ts:*',
        '  FAILED: expect: #2 does not match: 4 of 4 fields differ',
        '    flags  expected S',
        '           actual   SA',
        '    ack    expected 1000 (0x3e8)  = your ISN + 0',
        '           actual   1001 (0x3e9)  = your ISN + 1',
        '    win    expected 1000..2000 (0x3e8..0x7d0)',
        '           actual   65495 (0xffd7)',
        '    opts   expected mss:1460,ts:*:*',
        '           actual   mss:65495',
        '           mss is 65495 (0xffd7), expected 1460',
        '           no ts option',
        `    expected  tcp seq=${isn} ack=1000 flags=S win=1000 opts=mss:1460,ts:0:0`,
        `              127.0.0.1.7 > 127.0.0.1.40000: Flags [S], seq ${isn}, win 1000, options [mss 1460,TS val 0 ecr 0,eol], length 0`,
        `    actual    tcp seq=${isn} ack=1001 flags=SA win=65495 opts=mss:65495`,
        `              127.0.0.1.7 > 127.0.0.1.40000: Flags [S.], seq ${isn}, ack 1001, win 65495, options [mss 65495], length 0`,
      ].join('\n'),
    );
  } finally {
    await sim.close();
  }
});

test('a failed expect on data, with their ISN', async () => {
  const sim = await simSession(7);
  try {
    await sim.run('sr1 tcp flags=S seq=1000', 'send tcp flags=A seq=1001 ack=$rx.seq+1', 'send tcp flags=PA seq=1001 ack=$rx.seq+1 data="hello"', 'recv flags=PA');
    const { status, entries } = await sim.one('expect seq=$rx[-2].seq+1 data="HELLO"');
    assert.equal(status, 'failed');
    const isn = sim.session.connection.peerIsn!;
    const seq = isn + 1;
    const id = sim.session.currentRx()!.packet.ip!.version === 4 ? (sim.session.currentRx()!.packet.ip as { id: number }).id : 0;
    assert.equal(
      sim.text(entries),
      [
        `> expect seq=$rx[-2].seq+1 data="HELLO"`,
        '  FAILED: expect: #6 does not match: 2 of 2 fields differ',
        `    seq   expected ${seq + 1} (0x${(seq + 1).toString(16)})  = their ISN + 2`,
        `          actual   ${seq} (0x${seq.toString(16)})  = their ISN + 1`,
        '    data  expected "HELLO" (5 bytes)',
        '          actual   "hello" (5 bytes)',
        `    expected  tcp id=${id} seq=${seq + 1} ack=1006 flags=PA win=65490 data="HELLO"`,
        `              127.0.0.1.7 > 127.0.0.1.40000: Flags [P.], seq ${seq + 1}:${seq + 6}, ack 1006, win 65490, length 5`,
        `    actual    tcp id=${id} seq=${seq} ack=1006 flags=PA win=65490 data="hello"`,
        `              127.0.0.1.7 > 127.0.0.1.40000: Flags [P.], seq ${seq}:${seq + 5}, ack 1006, win 65490, length 5`,
      ].join('\n'),
    );
  } finally {
    await sim.close();
  }
});

test('an error points at its column under the line', async () => {
  const sim = await simSession(7);
  try {
    const { entries } = await sim.one('send tcp flgs=S');
    assert.equal(sim.text(entries), ["> send tcp flgs=S", "  error: unknown field 'flgs' at column 10; did you mean 'flags'?", '    send tcp flgs=S', '             ^^^^'].join('\n'));
  } finally {
    await sim.close();
  }
});

test('a recv that times out shows how the closest packet fell short', async () => {
  const sim = await simSession(7);
  try {
    await sim.one('send tcp flags=S seq=1000');
    const { status, entries } = await sim.one('recv flags=R timeout=0.25');
    assert.equal(status, 'timeout');
    const text = sim.text(entries).split('\n');
    assert.deepEqual(text.slice(0, 4), [
      '> recv flags=R timeout=0.25',
      '  TIMEOUT: recv: nothing from the peer matched flags=R within 0.25 s; the closest was #2',
      '    flags  expected R',
      '           actual   SA',
    ]);
  } finally {
    await sim.close();
  }
});
