/**
 * Data both ways on an established connection: the echo and its ACK, the framing behaviours
 * with a message split in two, SACK and D-SACK, segmentation by MSS and by the learner's
 * window, retransmission of what the learner never acknowledges. Ports 40120-40139.
 */
import { abort, bytes, handshake, LINUX_SYN, ts } from './learner.js';
import { replies, type Scenario, send, server, wait } from './scenario.js';

export const DATA: Scenario[] = [
  {
    name: 'data "hello" to echo: an immediate ACK, the echo, and nothing after the echo is ACKed',
    port: 40120,
    family: 4,
    steps: [
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)} data="hello"`),
      replies(2),
      send(`tcp flags=A seq=$tx.seq+$tx.len ack=$rx.seq+$rx.len win=512 ${ts(1003)}`),
      wait(300),
      abort,
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '4: P. seq 1 ack 6 win 64 [nop,nop,TS] "hello"',
      ],
      app: ['accepted', 'received "hello"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'data on the handshake’s last ACK is taken and echoed',
    port: 40121,
    family: 4,
    steps: [send(LINUX_SYN), replies(1), send(`tcp flags=PA seq=$tx.seq+1 ack=$rx.seq+1 win=512 ${ts(1001)} data="hello"`), replies(2), wait(100), abort],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '3: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '3: P. seq 1 ack 6 win 64 [nop,nop,TS] "hello"',
      ],
      app: ['accepted', 'received "hello"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'line framing: a line split across two segments is answered once it is whole',
    port: 40122,
    family: 4,
    steps: [
      server({ name: 'line' }),
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)} data="hel"`),
      replies(1),
      wait(100),
      send(`tcp flags=PA seq=$tx.seq+$tx.len ack=$tx.ack win=512 ${ts(1003)} data="lo\\n"`),
      replies(2),
      wait(100),
      send(`tcp flags=A seq=$tx.seq+$tx.len ack=$rx.seq+$rx.len win=512 ${ts(1004)}`),
      wait(100),
      abort,
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 4 win 64 [nop,nop,TS]',
        '8: . seq 1 ack 7 win 64 [nop,nop,TS]',
        '8: P. seq 1 ack 7 win 64 [nop,nop,TS] "#1 hello\\n"',
      ],
      app: ['accepted', 'received "hel"', 'received "lo\\n"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'length-prefixed framing: a message split across two segments is answered once it is whole',
    port: 40123,
    family: 4,
    steps: [
      server({ name: 'length-prefixed' }),
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)} data="\\x00\\x05he"`),
      replies(1),
      wait(100),
      send(`tcp flags=PA seq=$tx.seq+$tx.len ack=$tx.ack win=512 ${ts(1003)} data="llo"`),
      replies(2),
      wait(100),
      send(`tcp flags=A seq=$tx.seq+$tx.len ack=$rx.seq+$rx.len win=512 ${ts(1004)}`),
      wait(100),
      abort,
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '5: . seq 1 ack 5 win 64 [nop,nop,TS]',
        '8: . seq 1 ack 8 win 64 [nop,nop,TS]',
        '8: P. seq 1 ack 8 win 64 [nop,nop,TS] "\\x00\\x08#1 hello"',
      ],
      app: ['accepted', 'received 0x00056865', 'received "llo"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'banner: the server speaks first',
    port: 40124,
    family: 4,
    steps: [
      server({ name: 'banner', text: '220 tcplab ready\r\n' }),
      ...handshake,
      replies(1),
      send(`tcp flags=A seq=$tx.seq ack=$rx.seq+$rx.len win=512 ${ts(1002)}`),
      wait(100),
      abort,
    ],
    expected: {
      packets: [
        '2: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: P. seq 1 ack 1 win 64 [nop,nop,TS] "220 tcplab ready\\r\\n"',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'discard: data is ACKed and nothing comes back',
    port: 40125,
    family: 4,
    steps: [server({ name: 'discard' }), ...handshake, send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)} data="hello"`), replies(1, 300), wait(100), abort],
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
    name: 'a bad checksum is dropped without a word; the same segment with a good one is echoed',
    port: 40126,
    family: 4,
    steps: [
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)} data="hello" chksum=0xdead`),
      wait(300),
      send(`tcp flags=PA seq=$tx.seq ack=$tx.ack win=512 ${ts(1003)} data="hello"`),
      replies(2),
      wait(50),
      abort,
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '6: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '6: P. seq 1 ack 6 win 64 [nop,nop,TS] "hello"',
      ],
      app: ['accepted', 'received "hello"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'data without the ACK flag is dropped',
    port: 40127,
    family: 4,
    steps: [...handshake, send(`tcp flags=P seq=$tx.seq win=512 ${ts(1002)} data="hello"`), wait(300), send('tcp flags=R seq=$tx.seq')],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'out of order: the hole is SACKed, and filling it draws the ACK of everything and the echo',
    port: 40128,
    family: 4,
    steps: [
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq+3 ack=$rx.seq+1 win=512 ${ts(1002)} data="lo"`),
      replies(1, 300),
      send(`tcp flags=PA seq=$tx[-2].seq ack=$tx.ack win=512 ${ts(1003)} data="hel"`),
      replies(2, 300),
      wait(100),
      send('tcp flags=R seq=$tx.seq+5'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 1 win 64 [nop,nop,TS,nop,nop,sack 4-6]',
        '6: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '6: P. seq 1 ack 6 win 64 [nop,nop,TS] "hello"',
      ],
      app: ['accepted', 'received "hello"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    // Only up to the SACK: once the hole is filled, whether the application has read before
    // the ACK is built decides an unscaled window (65490 or 65495), and that is a race.
    name: 'out of order without timestamps: the SACK block comes alone',
    port: 40129,
    family: 4,
    steps: [
      send('tcp flags=S seq=1000 win=65495 opts=mss:65495,nop,nop,sackok'),
      replies(1),
      send('tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=65495'),
      send('tcp flags=PA seq=$tx.seq+3 ack=$tx.ack win=65495 data="lo"'),
      replies(1, 300),
      wait(100),
      send('tcp flags=R seq=$tx[-2].seq'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65495 [mss 65495,nop,nop,sackOK]',
        '4: . seq 1 ack 1 win 65495 [nop,nop,sack 4-6]',
      ],
      app: ['accepted', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'data sent twice is D-SACKed',
    port: 40130,
    family: 4,
    steps: [
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)} data="hello"`),
      replies(2),
      send(`tcp flags=A seq=$tx.seq+5 ack=$rx.seq+5 win=512 ${ts(1003)}`),
      wait(600),
      send(`tcp flags=PA seq=$tx[-2].seq ack=$tx.ack win=512 ${ts(1004)} data="hello"`),
      replies(1, 300),
      wait(100),
      send('tcp flags=R seq=$tx.seq+5'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 6 win 64 [nop,nop,TS]',
        '4: P. seq 1 ack 6 win 64 [nop,nop,TS] "hello"',
        '8: . seq 6 ack 6 win 64 [nop,nop,TS,nop,nop,sack 1-6]',
      ],
      app: ['accepted', 'received "hello"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'an MSS of 100 with timestamps: the echo comes back 88 bytes at a time',
    port: 40131,
    family: 4,
    steps: [
      send('tcp flags=S seq=1000 win=65495 opts=mss:100,sackok,ts:1000:0,nop,wscale:7'),
      replies(1),
      send(`tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=512 ${ts(1001)}`),
      send(`tcp flags=PA seq=$tx.seq ack=$tx.ack win=512 ${ts(1002)} data="${'abcdefghij'.repeat(30)}"`),
      replies(5, 300),
      // At once: a tail loss probe for the last piece would follow some 50 ms on.
      send(`tcp flags=A seq=$tx.seq+$tx.len ack=$rx.seq+$rx.len win=512 ${ts(1003)}`),
      wait(300),
      send('tcp flags=R seq=$tx.seq'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 301 win 64 [nop,nop,TS]',
        '4: . seq 1 ack 301 win 64 [nop,nop,TS] "abcdefghijabcdef"... (88 bytes, sha256 9e28e21ad783)',
        '4: . seq 89 ack 301 win 64 [nop,nop,TS] "ijabcdefghijabcd"... (88 bytes, sha256 8f20dd80d53d)',
        '4: . seq 177 ack 301 win 64 [nop,nop,TS] "ghijabcdefghijab"... (88 bytes, sha256 a1cccbd69270)',
        '4: P. seq 265 ack 301 win 64 [nop,nop,TS] "efghijabcdefghijabcdefghijabcdefghij"',
      ],
      app: ['accepted', 'received "abcdefghijabcdef"... (300 bytes, sha256 49d53cf12804)', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'a 40000-byte echo to a window of 65536: segments of half the window',
    port: 40132,
    family: 4,
    steps: [
      ...handshake,
      send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)} data=${bytes(40000)}`),
      replies(5, 300),
      wait(50),
      send(`tcp flags=A seq=$tx.seq+$tx.len ack=$rx.seq+$rx.len win=512 ${ts(1003)}`),
      wait(100),
      send('tcp flags=R seq=$tx.seq'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 40001 win 25 [nop,nop,TS]',
        '4: . seq 1 ack 40001 win 64 [nop,nop,TS]',
        '4: . seq 1 ack 40001 win 64 [nop,nop,TS] "aaaaaaaaaaaaaaaa"... (32768 bytes, sha256 b217b65e6f20)',
        '4: P. seq 32769 ack 40001 win 64 [nop,nop,TS] "aaaaaaaaaaaaaaaa"... (7232 bytes, sha256 53a86412bdbc)',
        '4: P. seq 32769 ack 40001 win 64 [nop,nop,TS] "aaaaaaaaaaaaaaaa"... (7232 bytes, sha256 53a86412bdbc)',
      ],
      app: ['accepted', 'received "aaaaaaaaaaaaaaaa"... (40000 bytes, sha256 72a2f8d26433)', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'a 40000-byte echo to a window of 131072: one segment',
    port: 40133,
    family: 4,
    steps: [
      send(LINUX_SYN),
      replies(1),
      send(`tcp flags=A seq=$tx.seq+1 ack=$rx.seq+1 win=1024 ${ts(1001)}`),
      send(`tcp flags=PA seq=$tx.seq ack=$tx.ack win=1024 ${ts(1002)} data=${bytes(40000)}`),
      replies(3, 300),
      wait(50),
      send(`tcp flags=A seq=$tx.seq+$tx.len ack=$rx.seq+$rx.len win=1024 ${ts(1003)}`),
      wait(100),
      send('tcp flags=R seq=$tx.seq'),
    ],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10]',
        '4: . seq 1 ack 40001 win 25 [nop,nop,TS]',
        '4: . seq 1 ack 40001 win 64 [nop,nop,TS]',
        '4: P. seq 1 ack 40001 win 64 [nop,nop,TS] "aaaaaaaaaaaaaaaa"... (40000 bytes, sha256 72a2f8d26433)',
      ],
      app: ['accepted', 'received "aaaaaaaaaaaaaaaa"... (40000 bytes, sha256 72a2f8d26433)', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'an echo never ACKed: a tail loss probe, then the retransmission timeout',
    port: 40134,
    family: 4,
    timing: true,
    steps: [...handshake, send(`tcp flags=PA seq=$tx.seq ack=$rx.seq+1 win=512 ${ts(1002)} data="hello"`), replies(2), wait(650), send('tcp flags=R seq=$tx.seq+5')],
    expected: {
      packets: [
        '1: S. seq 0 ack 1 win 65483 [mss 65495,sackOK,TS,nop,wscale 10] +0.00s',
        '4: . seq 1 ack 6 win 64 [nop,nop,TS] +0.00s',
        '4: P. seq 1 ack 6 win 64 [nop,nop,TS] "hello" +0.00s',
        '4: P. seq 1 ack 6 win 64 [nop,nop,TS] "hello" +0.25s',
        '4: P. seq 1 ack 6 win 64 [nop,nop,TS] "hello" +0.50s',
      ],
      app: ['accepted', 'received "hello"', 'error', 'closed'],
      states: ['SYN-RECV', 'ESTABLISHED', 'CLOSED'],
    },
  },
];
