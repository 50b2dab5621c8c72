/**
 * ECN (RFC 3168) as Linux answers it with its default net.ipv4.tcp_ecn = 2: agreed when the
 * learner's SYN asks, refused when that SYN is itself ECT, then ECT(0) on new data, ECE after
 * a CE mark until the learner's CWR, and CWR after the learner's ECE or a timeout. IPv4's ECN
 * field is in the trace (as tos); IPv6's is not, as the lab cannot see it. Ports 40200-40219.
 */
import { ts } from './learner.js';
import { replies, type Scenario, send, wait } from './scenario.js';

/** Linux's own SYN options, with ECE and CWR: an ECN-setup SYN. */
const ECN_SYN = 'tcp flags=SEC seq=1000 win=65495 opts=mss:65495,sackok,ts:1000:0,nop,wscale:7';
const OPTIONS = 'win=65495 opts=mss:65495,sackok,ts:1000:0,nop,wscale:7';

/** The handshake with ECN agreed; afterwards $tx.seq is the learner's next sequence number. */
const ecnHandshake = [send(ECN_SYN), replies(1), send(`tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=512 ${ts(1001)}`)];

export const ECN: Scenario[] = [
  {
    name: 'an ECN-setup SYN (ECE, CWR): Linux agrees with ECE on its SYN-ACK and marks its data ECT(0)',
    port: 40200,
    family: 4,
    steps: [
      send(ECN_SYN),
      replies(1),
      send(`tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=512 ${ts(1001)}`),
      send(`tcp flags=PA seq=$tx.seq ack=$tx.ack win=512 ${ts(1002)} data="hello"`),
      replies(2),
      wait(50),
      send('tcp flags=R seq=$tx.seq+5'),
    ],
    expected: {
      packets: [
        '1: S.E seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '4: P. seq 1 ack 6 win 64 tos 0x2 [nop,nop,TS] "hello"',
      ],
      app: ['accepted', 'received "hello"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'an accurate-ECN SYN (AE, CWR, ECE) to a kernel with tcp_ecn=2: classic ECN is agreed',
    port: 40201,
    family: 4,
    steps: [send(`tcp flags=SEC|AE seq=1000 ${OPTIONS}`), replies(1), send('tcp flags=R seq=$tx.seq+1')],
    expected: {
      packets: [
        '1: S.E seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
      ],
      app: [],
      states: ['SYN-RECV', 'CLOSED'],
    },
  },
  {
    name: 'ECE without CWR on a SYN asks for nothing: no ECE on the SYN-ACK',
    port: 40202,
    family: 4,
    steps: [send(`tcp flags=SE seq=1000 ${OPTIONS}`), replies(1), send('tcp flags=R seq=$tx.seq+1')],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
      ],
      app: [],
      states: ['SYN-RECV', 'CLOSED'],
    },
  },
  {
    name: 'an ECN-setup SYN that is itself ECT(0) is refused: RFC 3168 SYNs go not-ECT',
    port: 40203,
    family: 4,
    steps: [send(`tcp flags=SEC seq=1000 tos=2 ${OPTIONS}`), replies(1), send('tcp flags=R seq=$tx.seq+1')],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
      ],
      app: [],
      states: ['SYN-RECV', 'CLOSED'],
    },
  },
  {
    name: 'an ECT(0) SYN with AE as well is agreed: AE marks a sender that may send ECT SYNs',
    port: 40204,
    family: 4,
    steps: [send(`tcp flags=SEC|AE seq=1000 tos=2 ${OPTIONS}`), replies(1), send('tcp flags=R seq=$tx.seq+1')],
    expected: {
      packets: [
        '1: S.E seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
      ],
      app: [],
      states: ['SYN-RECV', 'CLOSED'],
    },
  },
  {
    name: 'the SYN sent again without ECE and CWR still draws ECE: the request remembers the first',
    port: 40205,
    family: 4,
    steps: [send(ECN_SYN), replies(1), wait(50), send(`tcp flags=S seq=1000 ${OPTIONS}`), replies(1, 300), send('tcp flags=R seq=$tx.seq+1')],
    expected: {
      packets: [
        '1: S.E seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: S.E seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
      ],
      app: [],
      states: ['SYN-RECV', 'CLOSED'],
    },
  },
  {
    name: 'data marked CE: ECE on every segment until a CWR, which Linux takes on a pure ACK too',
    port: 40206,
    family: 4,
    steps: [
      ...ecnHandshake,
      send(`tcp flags=PA seq=$tx.seq ack=$tx.ack win=512 tos=3 ${ts(1002)} data="hello"`),
      replies(2),
      send(`tcp flags=AC seq=$tx.seq+5 ack=$rx.seq+5 win=512 ${ts(1003)}`),
      wait(50),
      // Not-ECT after ECT data was seen looks like a retransmission: it is ACKed at once.
      send(`tcp flags=PA seq=$tx.seq ack=$tx.ack win=512 ${ts(1004)} data="abc"`),
      replies(2),
      send(`tcp flags=A seq=$tx.seq+3 ack=$rx.seq+3 win=512 ${ts(1005)}`),
      wait(50),
      send('tcp flags=R seq=$tx.seq'),
    ],
    expected: {
      packets: [
        '1: S.E seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: .E seq 1 ack 6 win 64 [nop,nop,TS]',
        '4: P.E seq 1 ack 6 win 64 tos 0x2 [nop,nop,TS] "hello"',
        '8: . seq 6 ack 9 win 64 [nop,nop,TS]',
        '8: P. seq 6 ack 9 win 64 tos 0x2 [nop,nop,TS] "abc"',
      ],
      app: ['accepted', 'received "hello"', 'received "abc"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'CWR on data is ACKed at once, and ECE stops',
    port: 40207,
    family: 4,
    steps: [
      ...ecnHandshake,
      send(`tcp flags=PA seq=$tx.seq ack=$tx.ack win=512 tos=3 ${ts(1002)} data="hello"`),
      replies(2),
      send(`tcp flags=A seq=$tx.seq+5 ack=$rx.seq+5 win=512 ${ts(1003)}`),
      wait(50),
      send(`tcp flags=PAC seq=$tx.seq ack=$tx.ack win=512 tos=2 ${ts(1004)} data="abc"`),
      replies(2),
      send(`tcp flags=A seq=$tx.seq+3 ack=$rx.seq+3 win=512 ${ts(1005)}`),
      wait(50),
      send('tcp flags=R seq=$tx.seq'),
    ],
    expected: {
      packets: [
        '1: S.E seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: .E seq 1 ack 6 win 64 [nop,nop,TS]',
        '4: P.E seq 1 ack 6 win 64 tos 0x2 [nop,nop,TS] "hello"',
        '8: . seq 6 ack 9 win 64 [nop,nop,TS]',
        '8: P. seq 6 ack 9 win 64 tos 0x2 [nop,nop,TS] "abc"',
      ],
      app: ['accepted', 'received "hello"', 'received "abc"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'the learner’s ECE while the echo is outstanding: CWR on the next new data, and no more for an ECE with nothing outstanding',
    port: 40208,
    family: 4,
    steps: [
      ...ecnHandshake,
      send(`tcp flags=PA seq=$tx.seq ack=$tx.ack win=512 tos=2 ${ts(1002)} data="hello"`),
      replies(2),
      send(`tcp flags=PAE seq=$tx.seq+5 ack=$rx.seq+5 win=512 tos=2 ${ts(1003)} data="abc"`),
      replies(1),
      send(`tcp flags=A seq=$tx.seq+3 ack=$rx.seq+3 win=512 ${ts(1004)}`),
      wait(50),
      send(`tcp flags=PAE seq=$tx.seq ack=$tx.ack win=512 tos=2 ${ts(1005)} data="def"`),
      replies(1),
      send(`tcp flags=A seq=$tx.seq+3 ack=$rx.seq+3 win=512 ${ts(1006)}`),
      wait(50),
      send('tcp flags=R seq=$tx.seq'),
    ],
    expected: {
      packets: [
        '1: S.E seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '4: P. seq 1 ack 6 win 64 tos 0x2 [nop,nop,TS] "hello"',
        '6: P.W seq 6 ack 9 win 64 tos 0x2 [nop,nop,TS] "abc"',
        '10: P. seq 9 ack 12 win 64 tos 0x2 [nop,nop,TS] "def"',
      ],
      app: ['accepted', 'received "hello"', 'received "abc"', 'received "def"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'a retransmission timeout counts as congestion: retransmissions go not-ECT, and the next new data carries CWR',
    port: 40209,
    family: 4,
    timing: true,
    steps: [
      ...ecnHandshake,
      send(`tcp flags=PA seq=$tx.seq ack=$tx.ack win=512 ${ts(1002)} data="hello"`),
      replies(2),
      wait(650),
      send(`tcp flags=PA seq=$tx.seq+5 ack=$rx.seq+5 win=512 ${ts(1003)} data="abc"`),
      replies(1, 300),
      wait(50),
      send('tcp flags=R seq=$tx.seq+3'),
    ],
    expected: {
      packets: [
        '1: S.E seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10] +0.00s',
        '4: . seq 1 ack 6 win 64 [nop,nop,TS] +0.00s',
        '4: P. seq 1 ack 6 win 64 tos 0x2 [nop,nop,TS] "hello" +0.00s',
        '4: P. seq 1 ack 6 win 64 [nop,nop,TS] "hello" +0.25s',
        '4: P. seq 1 ack 6 win 64 [nop,nop,TS] "hello" +0.50s',
        '7: P.W seq 6 ack 9 win 64 tos 0x2 [nop,nop,TS] "abc" +0.00s',
      ],
      app: ['accepted', 'received "hello"', 'received "abc"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'CE on out-of-order data: the SACK already carries ECE',
    port: 40210,
    family: 4,
    steps: [
      ...ecnHandshake,
      send(`tcp flags=PA seq=$tx.seq+3 ack=$tx.ack win=512 tos=3 ${ts(1002)} data="lo"`),
      replies(1, 300),
      send(`tcp flags=PA seq=$tx[-2].seq ack=$tx.ack win=512 tos=2 ${ts(1003)} data="hel"`),
      replies(2, 300),
      wait(50),
      send('tcp flags=R seq=$tx.seq+5'),
    ],
    expected: {
      packets: [
        '1: S.E seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: .E seq 1 ack 1 win 64 [nop,nop,TS,nop,nop,sack 4-6]',
        '6: .E seq 1 ack 6 win 64 [nop,nop,TS]',
        '6: P.E seq 1 ack 6 win 64 tos 0x2 [nop,nop,TS] "hello"',
      ],
      app: ['accepted', 'received "hello"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'data and FIN marked CE: the echo and the server’s FIN both carry ECE',
    port: 40211,
    family: 4,
    steps: [
      ...ecnHandshake,
      send(`tcp flags=FPA seq=$tx.seq ack=$tx.ack win=512 tos=3 ${ts(1002)} data="hello"`),
      replies(2, 300),
      send(`tcp flags=A seq=$tx.seq+6 ack=$rx.seq+1 win=512 ${ts(1003)}`),
      wait(100),
    ],
    expected: {
      packets: [
        '1: S.E seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: P.E seq 1 ack 7 win 64 tos 0x2 [nop,nop,TS] "hello"',
        '4: F.E seq 6 ack 7 win 64 [nop,nop,TS]',
      ],
      app: ['accepted', 'received "hello"', 'peer-closed', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED?', 'CLOSE-WAIT?', 'LAST-ACK', 'CLOSED'],
    },
  },
  {
    name: 'IPv6: ECN is agreed on ::1 and CE draws ECE',
    port: 40212,
    family: 6,
    steps: [
      ...ecnHandshake,
      send(`tcp flags=PA seq=$tx.seq ack=$tx.ack win=512 tos=3 ${ts(1002)} data="hello"`),
      replies(2),
      wait(50),
      send('tcp flags=R seq=$tx.seq+5'),
    ],
    expected: {
      packets: [
        '1: S.E seq 0 ack 1 win 65464 [mss 65476,sackOK,TS,nop,wscale 10]',
        '4: .E seq 1 ack 6 win 64 [nop,nop,TS]',
        '4: P.E seq 1 ack 6 win 64 [nop,nop,TS] "hello"',
      ],
      app: ['accepted', 'received "hello"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
];
