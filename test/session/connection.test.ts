// The learner's side of the connection, as RFC 9293 would have it, from hand-made segments.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConnectionTracker, type LearnerState } from '../../src/session/connection.js';
import type { Direction } from '../../src/net/network.js';
import { decodePacket, encodePacket } from '../../src/wire/packet.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';

const { SYN, ACK, FIN, RST, PSH } = TcpFlag;
const ME = { addr: '127.0.0.1', port: 40000 };
const PEER = { addr: '127.0.0.1', port: 7 };

function segment(dir: Direction, flags: number, seq: number, ack = 0, data = '', ports: { me?: number; peer?: number } = {}) {
  const [sport, dport] = dir === 'out' ? [ports.me ?? ME.port, ports.peer ?? PEER.port] : [ports.peer ?? PEER.port, ports.me ?? ME.port];
  return decodePacket(
    encodePacket({
      ip: { version: 4, src: '127.0.0.1', dst: '127.0.0.1', tos: 0, id: 0, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array() },
      tcp: { sport, dport, seq, ack, flags, window: 1000, urgent: 0, options: [], payload: new TextEncoder().encode(data) },
    }),
  );
}

/** Feeds the segments in order and returns the state after each. */
function states(tracker: ConnectionTracker, steps: Array<Parameters<typeof segment>>): LearnerState[] {
  return steps.map((step) => {
    tracker.observe(step[0], segment(...step));
    return tracker.view().state;
  });
}

describe('the learner opens', () => {
  test('handshake, data both ways, and a close we start: FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT', () => {
    const tracker = new ConnectionTracker(ME);
    assert.deepEqual(
      states(tracker, [
        ['out', SYN, 1000],
        ['in', SYN | ACK, 5000, 1001],
        ['out', ACK, 1001, 5001],
        ['out', PSH | ACK, 1001, 5001, 'hello'],
        ['in', PSH | ACK, 5001, 1006, 'hello'],
        ['out', FIN | ACK, 1006, 5006],
        ['in', ACK, 5006, 1007],
        ['in', FIN | ACK, 5006, 1007],
      ]),
      ['SYN-SENT', 'ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT'],
    );
    const view = tracker.view();
    assert.deepEqual(
      { isn: view.isn, peerIsn: view.peerIsn, sndUna: view.sndUna, sndNxt: view.sndNxt, rcvNxt: view.rcvNxt, peer: view.peer, role: view.role },
      { isn: 1000, peerIsn: 5000, sndUna: 1007, sndNxt: 1007, rcvNxt: 5007, peer: PEER, role: 'client' },
    );
  });

  test('a SYN-ACK that acknowledges the wrong number leaves us in SYN-SENT', () => {
    const tracker = new ConnectionTracker(ME);
    assert.deepEqual(states(tracker, [['out', SYN, 1000], ['in', SYN | ACK, 5000, 1000]]), ['SYN-SENT', 'SYN-SENT']);
    assert.equal(tracker.view().peerIsn, null);
  });

  test('the peer closes first: CLOSE-WAIT, LAST-ACK, CLOSED', () => {
    const tracker = new ConnectionTracker(ME);
    assert.deepEqual(
      states(tracker, [
        ['out', SYN, 1000],
        ['in', SYN | ACK, 5000, 1001],
        ['in', FIN | ACK, 5001, 1001],
        ['out', FIN | ACK, 1001, 5002],
        ['in', ACK, 5002, 1002],
      ]),
      ['SYN-SENT', 'ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED'],
    );
  });

  test('both close at once: CLOSING, then TIME-WAIT', () => {
    const tracker = new ConnectionTracker(ME);
    assert.deepEqual(
      states(tracker, [
        ['out', SYN, 1000],
        ['in', SYN | ACK, 5000, 1001],
        ['out', FIN | ACK, 1001, 5001],
        ['in', FIN | ACK, 5001, 1001],
        ['in', ACK, 5002, 1002],
      ]),
      ['SYN-SENT', 'ESTABLISHED', 'FIN-WAIT-1', 'CLOSING', 'TIME-WAIT'],
    );
  });

  test('both open at once: SYN-RECEIVED, then ESTABLISHED', () => {
    const tracker = new ConnectionTracker(ME);
    assert.deepEqual(
      states(tracker, [
        ['out', SYN, 1000],
        ['in', SYN, 5000],
        ['out', SYN | ACK, 1000, 5001],
        ['in', ACK, 5001, 1001],
      ]),
      ['SYN-SENT', 'SYN-RECEIVED', 'SYN-RECEIVED', 'ESTABLISHED'],
    );
  });

  test('a FIN that comes before missing data does not close anything', () => {
    const tracker = new ConnectionTracker(ME);
    assert.deepEqual(states(tracker, [['out', SYN, 1000], ['in', SYN | ACK, 5000, 1001], ['in', FIN | ACK, 5010, 1001]]), ['SYN-SENT', 'ESTABLISHED', 'ESTABLISHED']);
    assert.equal(tracker.view().rcvNxt, 5001);
  });

  test('a RST either way closes it', () => {
    const theirs = new ConnectionTracker(ME);
    assert.deepEqual(states(theirs, [['out', SYN, 1000], ['in', RST | ACK, 0, 1001]]), ['SYN-SENT', 'CLOSED']);
    const ours = new ConnectionTracker(ME);
    assert.deepEqual(states(ours, [['out', SYN, 1000], ['in', SYN | ACK, 5000, 1001], ['out', RST, 1001]]), ['SYN-SENT', 'ESTABLISHED', 'CLOSED']);
  });

  test('a new SYN with a new ISN starts over; a retransmitted one does not', () => {
    const tracker = new ConnectionTracker(ME);
    states(tracker, [['out', SYN, 1000], ['out', SYN, 1000]]);
    assert.equal(tracker.view().isn, 1000);
    states(tracker, [['in', SYN | ACK, 5000, 1001], ['out', RST, 1001], ['out', SYN, 9000]]);
    assert.deepEqual([tracker.view().state, tracker.view().isn, tracker.view().peerIsn], ['SYN-SENT', 9000, null]);
  });

  test('segments of other ports are not ours', () => {
    const tracker = new ConnectionTracker(ME);
    states(tracker, [['out', SYN, 1000]]);
    assert.deepEqual(tracker.observe('in', segment('in', SYN | ACK, 5000, 1001, '', { peer: 9 })), []);
    assert.deepEqual(tracker.observe('in', segment('in', SYN | ACK, 5000, 1001, '', { me: 40001 })), []);
    assert.equal(tracker.view().state, 'SYN-SENT');
  });

  test('bases: each side counts from its sender\'s ISN', () => {
    const tracker = new ConnectionTracker(ME);
    states(tracker, [['out', SYN, 1000], ['in', SYN | ACK, 5000, 1001]]);
    assert.deepEqual(tracker.bases('in', segment('in', ACK, 5001, 1001)), { seqBase: 5000, ackBase: 1000 });
    assert.deepEqual(tracker.bases('out', segment('out', ACK, 1001, 5001)), { seqBase: 1000, ackBase: 5000 });
    assert.deepEqual(tracker.bases('in', segment('in', ACK, 1, 1, '', { peer: 9 })), {});
  });
});

describe('the learner listens', () => {
  test('LISTEN, their SYN, our SYN-ACK, their ACK', () => {
    const tracker = new ConnectionTracker(ME);
    assert.deepEqual(tracker.listen(), [{ from: 'CLOSED', to: 'LISTEN' }]);
    const client = { peer: 51000 };
    tracker.observe('in', segment('in', SYN, 7000, 0, '', client));
    assert.deepEqual([tracker.view().state, tracker.view().peer, tracker.view().peerIsn], ['LISTEN', { addr: '127.0.0.1', port: 51000 }, 7000]);
    assert.deepEqual(tracker.observe('out', segment('out', SYN | ACK, 3000, 7001, '', client)), [{ from: 'LISTEN', to: 'SYN-RECEIVED' }]);
    assert.deepEqual(tracker.observe('in', segment('in', ACK, 7001, 3001, '', client)), [{ from: 'SYN-RECEIVED', to: 'ESTABLISHED' }]);
    assert.equal(tracker.view().role, 'server');
  });

  test('a SYN-ACK ACK that also carries a FIN moves through ESTABLISHED to CLOSE-WAIT', () => {
    const tracker = new ConnectionTracker(ME);
    tracker.listen();
    tracker.observe('in', segment('in', SYN, 7000));
    tracker.observe('out', segment('out', SYN | ACK, 3000, 7001));
    assert.deepEqual(tracker.observe('in', segment('in', FIN | ACK, 7001, 3001)), [
      { from: 'SYN-RECEIVED', to: 'ESTABLISHED' },
      { from: 'ESTABLISHED', to: 'CLOSE-WAIT' },
    ]);
  });
});
