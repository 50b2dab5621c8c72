/**
 * Ending a connection: the four-way close from either side, FIN and data after it, TIME-WAIT
 * answering a retransmitted FIN, a new SYN and an RST. Ports 40150-40169.
 */
import { handshake, ts } from './learner.js';
import { app, replies, type Scenario, send, server, wait } from './scenario.js';

export const CLOSING: Scenario[] = [
  {
    // After data, the ACK of the learner's FIN waits (40 ms) and the server's FIN carries it.
    // A FIN straight after the handshake would race: Linux arms that ACK for the next tick
    // (no data yet, so no ACK timeout learnt), and whether the application's FIN beats it
    // depends on how fast the bundled server runs.
    name: 'the four-way close, the learner closing first',
    port: 40150,
    family: 4,
    steps: [
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)} data="hello"`),
      replies(2),
      send(`tcp flags=FA seq=$tx.seq+$tx.len ack=$rx.seq+$rx.len win=512 ${ts(1003)}`),
      replies(1),
      send(`tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=512 ${ts(1004)}`),
      app('closed'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '4: P. seq 1 ack 6 win 64 [nop,nop,TS] "hello"',
        '6: F. seq 6 ack 7 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "hello"', 'peer-closed', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSE-WAIT?', 'LAST-ACK', 'CLOSED'],
    },
  },
  {
    name: 'the server closing first (close-after=5): FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT',
    port: 40151,
    family: 4,
    steps: [
      server({ name: 'close-after', bytes: 5 }),
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)} data="hello"`),
      replies(3),
      send(`tcp flags=A seq=$tx.seq+$tx.len ack=$rx.seq+1 win=512 ${ts(1003)}`),
      wait(50),
      send(`tcp flags=FA seq=$tx.seq ack=$tx.ack win=512 ${ts(1004)}`),
      replies(1),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '5: P. seq 1 ack 6 win 64 [nop,nop,TS] "hello"',
        '5: F. seq 6 ack 6 win 64 [nop,nop,TS]',
        '9: . seq 7 ack 7 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "hello"', 'peer-closed', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT'],
    },
  },
  {
    name: 'IPv6: echo and the four-way close on ::1',
    port: 40152,
    family: 6,
    steps: [
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)} data="hello"`),
      replies(2),
      send(`tcp flags=FA seq=$tx.seq+$tx.len ack=$rx.seq+$rx.len win=512 ${ts(1003)}`),
      replies(1),
      send(`tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=512 ${ts(1004)}`),
      app('closed'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65464 [mss 65476,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '4: P. seq 1 ack 6 win 64 [nop,nop,TS] "hello"',
        '6: F. seq 6 ack 7 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "hello"', 'peer-closed', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSE-WAIT?', 'LAST-ACK', 'CLOSED'],
    },
  },
  {
    name: 'a FIN to a reader that never reads is ACKed at the next tick; its reset goes unheard by the application',
    port: 40153,
    family: 4,
    steps: [
      server({ name: 'slow-reader', bytesPerSecond: 0 }),
      ...handshake,
      send(`tcp flags=FA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)}`),
      replies(1, 300),
      wait(100),
      send('tcp flags=R seq=$tx.seq+1'),
      wait(100),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 2 win 64 [nop,nop,TS]',
      ],
      app: ['accepted'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSE-WAIT', 'CLOSED'],
    },
  },
  {
    name: 'data after the learner’s FIN is not taken',
    port: 40154,
    family: 4,
    steps: [
      server({ name: 'slow-reader', bytesPerSecond: 0 }),
      ...handshake,
      send(`tcp flags=FA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)}`),
      replies(1, 100),
      send(`tcp flags=PA seq=$tx.seq+1 ack=$tx.ack win=512 ${ts(1003)} data="late"`),
      replies(1, 300),
      wait(50),
      send('tcp flags=R seq=$tx[-2].seq+1'),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 2 win 64 [nop,nop,TS]',
      ],
      app: ['accepted'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSE-WAIT', 'CLOSED'],
    },
  },
  {
    name: 'TIME-WAIT ACKs a retransmitted FIN, and a new SYN above the old sequence reopens the pair',
    port: 40155,
    family: 4,
    steps: [
      server({ name: 'close-after', bytes: 0 }),
      ...handshake,
      replies(1),
      send(`tcp flags=FA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)}`),
      replies(1),
      wait(100),
      send(`tcp flags=FA seq=$tx[-2].seq ack=$tx.ack win=512 ${ts(1003)}`),
      replies(1, 300),
      wait(100),
      send('tcp flags=S seq=$tx.seq+100000 win=65495 opts=mss:65495,sackok,ts:2000:0,nop,wscale:7'),
      replies(1, 300),
      send('tcp flags=R seq=$tx.seq+1'),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: F. seq 1 ack 1 win 64 [nop,nop,TS]',
        '6: . seq 2 ack 2 win 64 [nop,nop,TS]',
        '9: . seq 2 ack 2 win 64 [nop,nop,TS]',
        '12: S. seq 65539 ack 100002 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
      ],
      app: ['accepted', 'peer-closed', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2?', 'TIME-WAIT', 'CLOSED?', 'SYN-RECV', 'CLOSED'],
    },
  },
  {
    name: 'an RST ends TIME-WAIT (tcp_rfc1337 off); the next ACK meets no socket and is reset',
    port: 40156,
    family: 4,
    steps: [
      server({ name: 'close-after', bytes: 0 }),
      ...handshake,
      replies(1),
      send(`tcp flags=FA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)}`),
      replies(1),
      wait(50),
      send('tcp flags=R seq=$tx.seq+1'),
      wait(100),
      send(`tcp flags=A seq=$tx[-2].seq+1 ack=$tx[-2].ack win=512 ${ts(1003)}`),
      replies(1, 300),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: F. seq 1 ack 1 win 64 [nop,nop,TS]',
        '6: . seq 2 ack 2 win 64 [nop,nop,TS]',
        '11: R seq 2 win 0',
      ],
      app: ['accepted', 'peer-closed', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2?', 'TIME-WAIT', 'CLOSED'],
    },
  },
  {
    name: 'a FIN never ACKed: a tail loss probe, then the retransmission timeout',
    port: 40157,
    family: 4,
    timing: true,
    steps: [server({ name: 'close-after', bytes: 0 }), ...handshake, replies(1), wait(650), send('tcp flags=R seq=$tx.seq')],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10] +0.00s',
        '4: F. seq 1 ack 1 win 64 [nop,nop,TS] +0.00s',
        '4: F. seq 1 ack 1 win 64 [nop,nop,TS] +0.25s',
        '4: F. seq 1 ack 1 win 64 [nop,nop,TS] +0.50s',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'FIN-WAIT-1', 'CLOSED'],
    },
  },
  {
    name: 'line framing gives up on a line longer than 4096 bytes: error line and FIN',
    port: 40158,
    family: 4,
    steps: [
      server({ name: 'line' }),
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)} data=0x${'61'.repeat(5000)}`),
      replies(3, 300),
      send(`tcp flags=FA seq=$tx.seq+$tx.len ack=$rx.seq+1 win=512 ${ts(1003)}`),
      replies(1, 300),
      wait(100),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 5001 win 71 [nop,nop,TS]',
        '5: P. seq 1 ack 5001 win 71 [nop,nop,TS] "error: line longer than 4096 bytes\\n"',
        '5: F. seq 36 ack 5001 win 71 [nop,nop,TS]',
        '7: . seq 37 ack 5002 win 71 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "aaaaaaaaaaaaaaaa"... (5000 bytes, sha256 c526c6222044)', 'peer-closed', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2?', 'TIME-WAIT'],
    },
  },
];
