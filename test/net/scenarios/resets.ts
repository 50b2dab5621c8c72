/**
 * Resets and the RFC 5961 defences: a refused SYN, the learner's RST, RSTs, SYNs and ACKs
 * that do not fit the connection, old timestamps. Ports 40170-40189.
 */
import { handshake, LINUX_SYN, ts } from './learner.js';
import { app, replies, type Scenario, send, server, wait } from './scenario.js';

export const RESETS: Scenario[] = [
  {
    name: 'a SYN to a port nobody listens on (refuse) is reset',
    port: 40170,
    family: 4,
    steps: [server({ name: 'refuse' }), send(LINUX_SYN), replies(1), wait(100)],
    expected: {
      packets: [
        '2: R. seq 0 ack 1 win 0',
      ],
      app: [],
      states: [],
    },
  },
  {
    name: 'IPv6: a refused SYN is reset; a SYN with a bad checksum gets nothing, the good one a SYN-ACK',
    port: 40171,
    family: 6,
    steps: [
      server({ name: 'refuse' }),
      send('tcp flags=S seq=1000 opts=mss:1440'),
      replies(1, 300),
      server({ name: 'echo' }),
      send('tcp flags=S seq=2000 opts=mss:1440 chksum=0x1234'),
      wait(300),
      send('tcp flags=S seq=2000 opts=mss:1440'),
      replies(1),
      send('tcp flags=R seq=2001'),
    ],
    expected: {
      packets: [
        '2: R. seq 0 ack 1 win 0',
        '7: S. seq 0 ack 1001 win 65476 [mss 65476]',
      ],
      app: [],
      states: ['SYN-RECV', 'CLOSED'],
    },
  },
  {
    name: "the learner's RST aborts an established connection",
    port: 40172,
    family: 4,
    steps: [...handshake, app('accepted'), send('tcp flags=R seq=$tx.seq'), wait(100)],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'an RST inside the window but not at rcv_nxt draws a challenge ACK',
    port: 40173,
    family: 4,
    steps: [...handshake, send('tcp flags=R seq=$tx.seq+5'), replies(1, 300), wait(100), send('tcp flags=R seq=$tx[-2].seq')],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 1 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'an out-of-window segment draws a duplicate ACK',
    port: 40174,
    family: 4,
    steps: [
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq+100000 ack=$rx.seq+1 win=512 ${ts(1002)} data="zzz"`),
      replies(1),
      wait(100),
      send('tcp flags=R seq=$tx[-2].seq'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 1 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'two out-of-window ACKs within 500 ms: only the first is answered',
    port: 40175,
    family: 4,
    steps: [
      ...handshake,
      send(`tcp flags=A seq=$tx.seq+100000 ack=$rx.seq+1 win=512 ${ts(1002)}`),
      replies(1, 100),
      send(`tcp flags=A seq=$tx.seq ack=$tx.ack win=512 ${ts(1003)}`),
      replies(1, 100),
      wait(100),
      send('tcp flags=R seq=$tx[-3].seq'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 1 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'an in-window SYN in ESTABLISHED draws a challenge ACK',
    port: 40176,
    family: 4,
    steps: [...handshake, send(`tcp flags=S seq=$tx.seq+5 ${ts(1002)}`), replies(1), wait(100), send('tcp flags=R seq=$tx[-2].seq')],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 1 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'data acknowledging bytes never sent draws a challenge ACK and is not taken',
    port: 40177,
    family: 4,
    steps: [
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1000 win=512 ${ts(1002)} data="hello"`),
      replies(1, 300),
      wait(100),
      send('tcp flags=R seq=$tx[-2].seq'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 1 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'PAWS: data with a timestamp older than the last one is dropped with a duplicate ACK',
    port: 40178,
    family: 4,
    steps: [
      ...handshake,
      send('tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 opts=nop,nop,ts:500:$rx.tsval data="hello"'),
      replies(1, 300),
      wait(100),
      send('tcp flags=R seq=$tx.seq'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 1 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'a keep-alive probe (one below the next sequence number) is answered with an ACK',
    port: 40179,
    family: 4,
    steps: [...handshake, wait(100), send(`tcp flags=A seq=$tx.seq-1 ack=$tx.ack win=512 ${ts(1002)}`), replies(1, 300), wait(100), send('tcp flags=R seq=$tx.seq+1')],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 1 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
];
