/**
 * Urgent data as Linux receives it by default (tcp_stdurg = 0, SO_OOBINLINE off): the byte
 * just before the urgent pointer is out of band, so the application's reads stop short of it
 * and step over it. Most go to the discard server, whose reads are the whole story; one to
 * echo. Ports 40220-40239.
 */
import { handshake, ts } from './learner.js';
import { replies, type Scenario, send, server, wait } from './scenario.js';

/** "hello" as the learner's first data, with URG and this urgent pointer. */
const urgentHello = (urp: number): string => `tcp flags=PAU seq=$tx.seq ack=$rx.seq+1 win=512 urp=${urp} ${ts(1002)} data="hello"`;

export const URGENT: Scenario[] = [
  {
    name: 'urgent data: the byte before the urgent pointer is taken out of the stream',
    port: 40220,
    family: 4,
    steps: [...handshake, send(urgentHello(3)), replies(2), wait(50), send('tcp flags=R seq=$tx.seq+5')],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '4: P. seq 1 ack 6 win 64 [nop,nop,TS] "he"',
      ],
      app: ['accepted', 'received "he"', 'received "lo"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    // Nagle holds "lo", the second read's echo, until "he" is acknowledged.
    name: 'urgent data to echo: the two reads come back as two segments, the second once the first is ACKed',
    port: 40221,
    family: 4,
    steps: [...handshake, send(urgentHello(3)), replies(2), send(`tcp flags=A seq=$tx.seq+5 ack=$rx.seq+$rx.len win=512 ${ts(1003)}`), replies(1), wait(50), send('tcp flags=R seq=$tx.seq')],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '4: P. seq 1 ack 6 win 64 [nop,nop,TS] "he"',
        '6: P. seq 3 ack 6 win 64 [nop,nop,TS] "lo"',
      ],
      app: ['accepted', 'received "he"', 'received "lo"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'urgent pointer 1: the first byte is the urgent one, and one read takes the rest',
    port: 40222,
    family: 4,
    steps: [server({ name: 'discard' }), ...handshake, send(urgentHello(1)), replies(1), wait(50), send('tcp flags=R seq=$tx.seq+5')],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 6 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "ello"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'URG with urgent pointer 0: the first byte is urgent all the same',
    port: 40223,
    family: 4,
    steps: [server({ name: 'discard' }), ...handshake, send(urgentHello(0)), replies(1), wait(50), send('tcp flags=R seq=$tx.seq+5')],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 6 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "ello"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'an urgent pointer without URG means nothing: "hello" is read whole',
    port: 40224,
    family: 4,
    steps: [server({ name: 'discard' }), ...handshake, send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 urp=3 ${ts(1002)} data="hello"`), replies(1), wait(50), send('tcp flags=R seq=$tx.seq+5')],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 6 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "hello"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'the urgent byte last: it wakes no reader alone, and the next data is read without it',
    port: 40225,
    family: 4,
    steps: [
      server({ name: 'discard' }),
      ...handshake,
      send(urgentHello(5)),
      replies(1),
      wait(100),
      send(`tcp flags=PA seq=$tx.seq+5 ack=$tx.ack win=512 ${ts(1003)} data="XY"`),
      replies(1),
      wait(100),
      send('tcp flags=R seq=$tx.seq+2'),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '8: . seq 1 ack 8 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "hell"', 'received "XY"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'the urgent byte last, then the FIN: the reader gets the EOF and never the byte',
    port: 40226,
    family: 4,
    steps: [
      server({ name: 'discard' }),
      ...handshake,
      send(urgentHello(5)),
      replies(1),
      wait(100),
      send(`tcp flags=FA seq=$tx.seq+5 ack=$tx.ack win=512 ${ts(1003)}`),
      replies(1),
      send(`tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=512 ${ts(1004)}`),
      wait(100),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '8: F. seq 1 ack 7 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "hell"', 'peer-closed', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSE-WAIT?', 'LAST-ACK', 'CLOSED'],
    },
  },
  {
    name: 'an urgent pointer past the segment: the first byte of the next segment is the urgent one',
    port: 40227,
    family: 4,
    steps: [
      server({ name: 'discard' }),
      ...handshake,
      send(urgentHello(6)),
      replies(1),
      wait(100),
      send(`tcp flags=PA seq=$tx.seq+5 ack=$tx.ack win=512 ${ts(1003)} data="XY"`),
      replies(1),
      wait(100),
      send('tcp flags=R seq=$tx.seq+2'),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '8: . seq 1 ack 8 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "hello"', 'received "Y"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'URG on a pure ACK marks a byte of the data to come',
    port: 40228,
    family: 4,
    steps: [
      server({ name: 'discard' }),
      ...handshake,
      send(`tcp flags=AU seq=$tx.seq ack=$rx.seq+1 win=512 urp=3 ${ts(1002)}`),
      wait(50),
      send(`tcp flags=PA seq=$tx.seq ack=$tx.ack win=512 ${ts(1003)} data="hello"`),
      replies(1),
      wait(50),
      send('tcp flags=R seq=$tx.seq+5'),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '7: . seq 1 ack 6 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "he"', 'received "lo"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'a second urgent mark in later data: each takes its own byte',
    port: 40229,
    family: 4,
    steps: [
      server({ name: 'discard' }),
      ...handshake,
      send(urgentHello(3)),
      replies(1),
      wait(50),
      send(`tcp flags=PAU seq=$tx.seq+5 ack=$tx.ack win=512 urp=2 ${ts(1003)} data="world"`),
      replies(1),
      wait(50),
      send('tcp flags=R seq=$tx.seq+5'),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '8: . seq 1 ack 11 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "he"', 'received "lo"', 'received "w"', 'received "rld"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'an urgent mark on data received already is ignored',
    port: 40230,
    family: 4,
    steps: [
      server({ name: 'discard' }),
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)} data="hello"`),
      replies(1),
      wait(50),
      send(`tcp flags=PAU seq=$tx.seq ack=$tx.ack win=512 urp=3 ${ts(1003)} data="hello"`),
      replies(1),
      wait(50),
      send(`tcp flags=PA seq=$tx.seq+5 ack=$tx.ack win=512 ${ts(1004)} data="abc"`),
      replies(1),
      wait(50),
      send('tcp flags=R seq=$tx.seq+3'),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '8: . seq 1 ack 6 win 64 [nop,nop,TS,nop,nop,sack 1-6]',
        '11: . seq 1 ack 9 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "hello"', 'received "abc"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'urgent data out of order: once the hole is filled, the reader stops short of the urgent byte',
    port: 40231,
    family: 4,
    steps: [
      server({ name: 'discard' }),
      ...handshake,
      send(`tcp flags=PAU seq=$tx.seq+3 ack=$rx.seq+1 win=512 urp=2 ${ts(1002)} data="lo"`),
      replies(1),
      wait(50),
      send(`tcp flags=PA seq=$tx[-2].seq ack=$tx.ack win=512 ${ts(1003)} data="hel"`),
      replies(1),
      wait(50),
      send('tcp flags=R seq=$tx.seq+5'),
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 1 win 64 [nop,nop,TS,nop,nop,sack 4-6]',
        '8: . seq 1 ack 6 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "hell"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
];
