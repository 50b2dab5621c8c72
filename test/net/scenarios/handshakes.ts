/**
 * Opening a connection as the client: the SYN-ACK for each offer, what a listener ignores or
 * refuses, and the SYN-ACK's own retransmission. Ports 40101-40119.
 */
import { abort, handshake, LINUX_SYN, ts } from './learner.js';
import { replies, type Scenario, send, wait } from './scenario.js';

export const HANDSHAKES: Scenario[] = [
  {
    name: "handshake as client with Linux's SYN options (mss, sackOK, TS, nop, wscale)",
    port: 40101,
    family: 4,
    steps: [...handshake, wait(100), abort],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'handshake as client with no options at all',
    port: 40102,
    family: 4,
    steps: [send('tcp flags=S seq=1000'), replies(1), send('tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1'), wait(100), abort],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65495 [mss 65495]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'IPv6: the handshake on ::1',
    port: 40103,
    family: 6,
    steps: [...handshake, wait(100), abort],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65464 [mss 65476,sackOK,TS,nop,wscale 10]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'a window scale above 14, an MSS of 100 and an unknown option: only MSS and the scale are answered',
    port: 40104,
    family: 4,
    steps: [
      send('tcp flags=S seq=1000 win=65495 opts=mss:100,wscale:15,raw:30:0081'),
      replies(1),
      send('tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=65535'),
      send('tcp flags=PA seq=$tx.seq ack=$tx.ack win=65535 data="hello"'),
      replies(2),
      wait(50),
      send('tcp flags=R seq=$tx.seq+5'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65495 [mss 65495,nop,wscale 10]',
        '4: . seq 1 ack 6 win 64',
        '4: P. seq 1 ack 6 win 64 "hello"',
      ],
      app: ['accepted', 'received "hello"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'data on a SYN is not taken without Fast Open: the SYN-ACK acknowledges the SYN alone',
    port: 40105,
    family: 4,
    steps: [
      send('tcp flags=S seq=1000 win=65495 opts=mss:65495,sackok,ts:1000:0,nop,wscale:7 data="early"'),
      replies(1),
      send(`tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=512 ${ts(1001)}`),
      wait(100),
      abort,
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'a listener ignores SYN+FIN and SYN+RST',
    port: 40106,
    family: 4,
    steps: [send('tcp flags=SF seq=1000 win=65495 opts=mss:65495'), replies(1, 300), send('tcp flags=SR seq=1000'), replies(1, 300)],
    expected: {
      packets: [
      ],
      app: [],
      states: [],
    },
  },
  {
    name: 'a bare ACK to a listener is reset with the seq it acknowledged',
    port: 40107,
    family: 4,
    steps: [send('tcp flags=A seq=1000 ack=5000'), replies(1, 300), wait(100)],
    expected: {
      packets: [
        '1: R seq 5000 win 0',
      ],
      app: [],
      states: [],
    },
  },
  {
    name: 'the same SYN again in SYN-RECV draws the same SYN-ACK',
    port: 40108,
    family: 4,
    steps: [send(LINUX_SYN), replies(1), wait(100), send(LINUX_SYN), replies(1, 300), send('tcp flags=R seq=$tx.seq+1')],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
      ],
      app: [],
      states: ['SYN-RECV', 'CLOSED'],
    },
  },
  {
    name: 'a third segment that acknowledges the wrong number is reset',
    port: 40109,
    family: 4,
    steps: [send(LINUX_SYN), replies(1), send(`tcp flags=A seq=$tx.seq+1 ack=$rx.seq+100 win=512 ${ts(1001)}`), replies(1, 300), send('tcp flags=R seq=$tx[-2].seq+1')],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '3: R seq 100 win 0',
      ],
      app: [],
      states: ['SYN-RECV', 'CLOSED'],
    },
  },
  {
    name: 'a third segment lost to a bad checksum: the SYN sent again draws the SYN-ACK again',
    port: 40110,
    family: 4,
    steps: [
      send(LINUX_SYN),
      replies(1),
      send(`tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=512 ${ts(1001)} chksum=0x1`),
      wait(100),
      send(LINUX_SYN),
      replies(1, 300),
      send('tcp flags=R seq=$tx.seq+1'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
      ],
      app: [],
      states: ['SYN-RECV', 'CLOSED'],
    },
  },
  {
    // With data: a bare FIN here would race, as in the four-way close, the ACK Linux arms for
    // the next tick against the application's FIN.
    name: 'data and FIN on the third segment: the echo and the server’s FIN carry the ACK',
    port: 40111,
    family: 4,
    steps: [
      send(LINUX_SYN),
      replies(1),
      send(`tcp flags=FPA seq=$tx.seq+1 ack=$rx.seq+1 win=512 ${ts(1001)} data="hello"`),
      replies(2, 300),
      send(`tcp flags=A seq=$tx.seq+6 ack=$rx.seq+1 win=512 ${ts(1002)}`),
      wait(100),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '3: P. seq 1 ack 7 win 64 [nop,nop,TS] "hello"',
        '3: F. seq 6 ack 7 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "hello"', 'peer-closed', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED?', 'CLOSE-WAIT?', 'LAST-ACK', 'CLOSED'],
    },
  },
  {
    name: 'an unanswered SYN-ACK is sent again after 1 s, then 2 s later',
    port: 40112,
    family: 4,
    timing: true,
    steps: [send(LINUX_SYN), replies(1), replies(2, 1500), replies(3, 2500), send('tcp flags=R seq=$tx.seq+1')],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10] +0.00s',
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10] +1.00s',
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10] +3.00s',
      ],
      app: [],
      states: ['SYN-RECV', 'CLOSED'],
    },
  },
];
