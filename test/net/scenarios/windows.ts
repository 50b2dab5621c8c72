/**
 * The receive window a slow reader (one that never reads) offers as its buffer fills, for
 * segments of several sizes, with and without window scaling; and the zero-window probes
 * sent to a learner whose own window is shut. Ports 40140-40149.
 */
import { bytes, handshake, LINUX_SYN, ts } from './learner.js';
import { replies, type Scenario, type Step, send, server, wait } from './scenario.js';

/**
 * `count` segments of `size` bytes to the reader that never reads, each answered by an ACK
 * whose window shows what is left; then the learner resets at the last byte ACKed.
 */
function fill(size: number, count: number, options: { scale: boolean }): Step[] {
  const open = options.scale
    ? handshake
    : [send('tcp flags=S seq=1000 opts=mss:65495'), replies(1), send('tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=65535')];
  const steps: Step[] = [server({ name: 'slow-reader', bytesPerSecond: 0 }), ...open];
  for (let i = 0; i < count; i++) {
    const letter = String.fromCharCode(0x61 + i);
    const seq = i === 0 ? '$tx.seq' : '$tx.seq+$tx.len';
    const ack = i === 0 ? '$rx.seq+1' : '$tx.ack';
    const tail = options.scale ? `win=512 ${ts(1002 + i)}` : 'win=65535';
    steps.push(send(`tcp flags=A seq=${seq} ack=${ack} ${tail} data=${bytes(size, letter)}`), replies(1, 300));
  }
  // The reset goes where the last ACK says the stream stands: rcv_nxt exactly.
  return [...steps, wait(100), send('tcp flags=R seq=$rx.ack')];
}

export const WINDOWS: Scenario[] = [
  {
    name: 'a reader that never reads, 200-byte segments: the window stays where it was',
    port: 40140,
    family: 4,
    steps: fill(200, 6, { scale: true }),
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 201 win 64 [nop,nop,TS]',
        '7: . seq 1 ack 401 win 64 [nop,nop,TS]',
        '9: . seq 1 ack 601 win 64 [nop,nop,TS]',
        '11: . seq 1 ack 801 win 64 [nop,nop,TS]',
        '13: . seq 1 ack 1001 win 64 [nop,nop,TS]',
        '15: . seq 1 ack 1201 win 64 [nop,nop,TS]',
      ],
      app: ['accepted'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'a reader that never reads, 1000-byte segments with window scaling',
    port: 40141,
    family: 4,
    steps: fill(1000, 6, { scale: true }),
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 1001 win 63 [nop,nop,TS]',
        '7: . seq 1 ack 2001 win 63 [nop,nop,TS]',
        '9: . seq 1 ack 3001 win 63 [nop,nop,TS]',
        '11: . seq 1 ack 4001 win 63 [nop,nop,TS]',
        '13: . seq 1 ack 5001 win 63 [nop,nop,TS]',
        '15: . seq 1 ack 6001 win 63 [nop,nop,TS]',
      ],
      app: ['accepted'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'a reader that never reads, 10000-byte segments with window scaling, until the window is nearly shut',
    port: 40142,
    family: 4,
    steps: fill(10000, 9, { scale: true }),
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 10001 win 67 [nop,nop,TS]',
        '7: . seq 1 ack 20001 win 58 [nop,nop,TS]',
        '9: . seq 1 ack 30001 win 49 [nop,nop,TS]',
        '11: . seq 1 ack 40001 win 40 [nop,nop,TS]',
        '13: . seq 1 ack 50001 win 31 [nop,nop,TS]',
        '15: . seq 1 ack 60001 win 22 [nop,nop,TS]',
        '17: . seq 1 ack 70001 win 13 [nop,nop,TS]',
        '19: . seq 1 ack 80001 win 4 [nop,nop,TS]',
        '21: . seq 1 ack 80001 win 4 [nop,nop,TS]',
      ],
      app: ['accepted'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'a reader that never reads, 30000-byte segments with window scaling: the fourth no longer fits',
    port: 40143,
    family: 4,
    steps: fill(30000, 4, { scale: true }),
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 30001 win 87 [nop,nop,TS]',
        '7: . seq 1 ack 60001 win 58 [nop,nop,TS]',
        '9: . seq 1 ack 90001 win 29 [nop,nop,TS]',
        '11: . seq 1 ack 90001 win 29 [nop,nop,TS]',
      ],
      app: ['accepted'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'a reader that never reads, 1460-byte segments without window scaling',
    port: 40144,
    family: 4,
    steps: fill(1460, 6, { scale: false }),
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65495 [mss 65495]',
        '5: . seq 1 ack 1461 win 65535',
        '7: . seq 1 ack 2921 win 65535',
        '9: . seq 1 ack 4381 win 65535',
        '11: . seq 1 ack 5841 win 65535',
        '13: . seq 1 ack 7301 win 65535',
        '15: . seq 1 ack 8761 win 65535',
      ],
      app: ['accepted'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'a reader that never reads, 30000-byte segments without window scaling',
    port: 40145,
    family: 4,
    steps: fill(30000, 4, { scale: false }),
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65495 [mss 65495]',
        '5: . seq 1 ack 30001 win 65495',
        '7: . seq 1 ack 60001 win 35495',
        '9: . seq 1 ack 90001 win 5495',
        '11: . seq 1 ack 90001 win 5495',
      ],
      app: ['accepted'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'a learner whose window is shut is probed, at the RTO and twice that later',
    port: 40146,
    family: 4,
    timing: true,
    steps: [
      server({ name: 'banner', text: '220 tcplab ready\r\n' }),
      send(LINUX_SYN),
      replies(1),
      send(`tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=0 ${ts(1001)}`),
      wait(1000),
      send(`tcp flags=A seq=$tx.seq ack=$tx.ack win=512 ${ts(1002)}`),
      replies(1, 300),
      wait(50),
      send('tcp flags=R seq=$tx.seq'),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10] +0.00s',
        '4: . seq 0 ack 1 win 64 [nop,nop,TS] +0.25s',
        '4: . seq 0 ack 1 win 64 [nop,nop,TS] +0.75s',
        '6: P. seq 1 ack 1 win 64 [nop,nop,TS] "220 tcplab ready\\r\\n" +0.00s',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
];
