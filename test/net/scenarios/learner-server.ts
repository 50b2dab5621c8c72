/**
 * The learner as server: the bundled client connects to the learner's port and the learner
 * answers its SYN by hand. Ports 40190-40199.
 */
import { ts } from './learner.js';
import { app, connect, replies, type Scenario, send, wait } from './scenario.js';

export const LEARNER_SERVER: Scenario[] = [
  {
    // Data first: a FIN straight after the handshake would race the client's FIN against the
    // ACK Linux arms for the next tick (see the four-way close).
    name: "the learner as server: the client's SYN, the learner's SYN-ACK, the client's ACK, then data and the close",
    port: 40190,
    family: 4,
    steps: [
      connect(),
      replies(1, 2000),
      send('tcp flags=SA seq=5000 ack=$rx.seq+1 win=65483 opts=mss:65495,sackok,ts:7000:$rx.tsval,nop,wscale:7'),
      replies(1),
      app('connected'),
      send(`tcp flags=PA seq=$tx.seq+1 ack=$rx.seq win=512 ${ts(7001)} data="hi client"`),
      replies(1),
      send(`tcp flags=FA seq=$tx.seq+$tx.len ack=$rx.seq win=512 ${ts(7002)}`),
      replies(1),
      send(`tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=512 ${ts(7003)}`),
      app('closed'),
    ],
    expected: {
      packets: [
        '1: S seq 0 win 65495 [mss 65495,sackOK,TS,nop,wscale 10]',
        '3: . seq 1 ack 1 win 64 [nop,nop,TS]',
        '6: . seq 1 ack 10 win 64 [nop,nop,TS]',
        '8: F. seq 1 ack 11 win 64 [nop,nop,TS]',
      ],
      app: ['connected', 'received "hi client"', 'peer-closed', 'closed'],
      states: ['SYN-SENT', 'ESTABLISHED', 'CLOSE-WAIT?', 'LAST-ACK', 'CLOSED'],
    },
  },
  {
    name: 'simultaneous open: the learner answers the SYN with a SYN of its own',
    port: 40191,
    family: 4,
    steps: [
      connect(),
      replies(1, 2000),
      send('tcp flags=S seq=5000 win=65483 opts=mss:65495,sackok,ts:7000:0,nop,wscale:7'),
      replies(1, 300),
      send('tcp flags=SA seq=5000 ack=$rx.seq+1 win=65483 opts=mss:65495,sackok,ts:7001:$rx.tsval,nop,wscale:7'),
      replies(1, 300),
      app('connected'),
      wait(100),
      send('tcp flags=R seq=5001'),
    ],
    expected: {
      packets: [
        '1: S seq 0 win 65495 [mss 65495,sackOK,TS,nop,wscale 10]',
        '3: S. seq 0 ack 1 win 65495 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 1 win 64 [nop,nop,TS,nop,nop,sack 0-1]',
      ],
      app: ['connected', 'error', 'closed'],
      states: ['SYN-SENT', 'SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: "the learner refuses the client: RST-ACK to its SYN, and its connect fails",
    port: 40192,
    family: 4,
    steps: [connect(), replies(1, 2000), send('tcp flags=RA seq=0 ack=$rx.seq+1'), app('closed'), wait(100)],
    expected: {
      packets: [
        '1: S seq 0 win 65495 [mss 65495,sackOK,TS,nop,wscale 10]',
      ],
      app: ['error', 'closed'],
      states: ['SYN-SENT', 'CLOSED'],
    },
  },
  {
    name: "the client's unanswered SYN is sent again after 1 s",
    port: 40193,
    family: 4,
    timing: true,
    steps: [connect(), replies(1, 2000), replies(2, 1500), send('tcp flags=RA seq=0 ack=$rx.seq+1'), app('closed'), wait(100)],
    expected: {
      packets: [
        '1: S seq 0 win 65495 [mss 65495,sackOK,TS,nop,wscale 10] +0.00s',
        '1: S seq 0 win 65495 [mss 65495,sackOK,TS,nop,wscale 10] +1.00s',
      ],
      app: ['error', 'closed'],
      states: ['SYN-SENT', 'CLOSED'],
    },
  },
  {
    name: 'IPv6: the learner as server on ::1',
    port: 40194,
    family: 6,
    steps: [
      connect(),
      replies(1, 2000),
      send('tcp flags=SA seq=5000 ack=$rx.seq+1 win=65464 opts=mss:65476,sackok,ts:7000:$rx.tsval,nop,wscale:7'),
      replies(1),
      app('connected'),
      wait(50),
      send('tcp flags=R seq=5001'),
      app('closed'),
    ],
    expected: {
      packets: [
        '1: S seq 0 win 65476 [mss 65476,sackOK,TS,nop,wscale 10]',
        '3: . seq 1 ack 1 win 64 [nop,nop,TS]',
      ],
      app: ['connected', 'error', 'closed'],
      states: ['SYN-SENT', 'ESTABLISHED', 'CLOSED'],
    },
  },
];
