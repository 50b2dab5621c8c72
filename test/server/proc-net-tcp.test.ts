// The /proc/net/tcp parser, over real lines from this machine's kernel.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseProcNetTcp, ProcNetTcpError, type SocketEntry } from '../../src/server/proc-net-tcp.js';
import { PROC_NET_TCP, PROC_NET_TCP6, PROC_NET_TCP_CLOSING } from './proc-net-tcp-fixtures.js';

const brief = (entry: SocketEntry): string =>
  `${entry.local.addr}:${entry.local.port} ${entry.remote.addr}:${entry.remote.port} ${entry.state} tx=${entry.txQueue} rx=${entry.rxQueue}`;

describe('parseProcNetTcp', () => {
  test('IPv4: addresses in host byte order, every state this kernel printed, the queues', () => {
    assert.deepEqual(parseProcNetTcp(PROC_NET_TCP, { endianness: 'LE' }).map(brief), [
      '127.0.0.1:5000 0.0.0.0:0 LISTEN tx=0 rx=0',
      '127.0.0.1:5001 0.0.0.0:0 LISTEN tx=0 rx=0',
      // The peer's FIN counts one in the receive queue.
      '127.0.0.1:5000 127.0.0.1:33452 CLOSE-WAIT tx=0 rx=1',
      '127.0.0.1:60392 127.0.0.1:5004 ESTABLISHED tx=0 rx=0',
      // 100 bytes the application has not read.
      '127.0.0.1:5000 127.0.0.1:33438 ESTABLISHED tx=0 rx=100',
      '127.0.0.1:33438 127.0.0.1:5000 ESTABLISHED tx=0 rx=0',
      '127.0.0.1:33452 127.0.0.1:5000 FIN-WAIT-2 tx=0 rx=0',
      '127.0.0.1:33456 127.0.0.1:5000 TIME-WAIT tx=0 rx=0',
      // An unanswered SYN counts one in the send queue.
      '127.0.0.1:49608 127.0.0.1:5001 SYN-SENT tx=1 rx=0',
      // A half-open connection: the kernel prints its request socket as 03, SYN-RECV.
      '127.0.0.1:5001 127.0.0.1:49608 SYN-RECV tx=0 rx=0',
    ]);
  });

  test('IPv6: four host-order words, RFC 5952 text, IPv4-mapped addresses as node reports them', () => {
    assert.deepEqual(parseProcNetTcp(PROC_NET_TCP6, { endianness: 'LE' }).map(brief), [
      ':::5004 :::0 LISTEN tx=0 rx=0',
      '::1:5000 :::0 LISTEN tx=0 rx=0',
      '::1:5003 :::0 LISTEN tx=0 rx=0',
      '::1:56798 ::1:5000 ESTABLISHED tx=0 rx=0',
      '::1:56802 ::1:5000 TIME-WAIT tx=0 rx=0',
      '::1:5003 ::1:34786 SYN-RECV tx=0 rx=0',
      '::1:34786 ::1:5003 SYN-SENT tx=1 rx=0',
      '::1:5000 ::1:56798 ESTABLISHED tx=0 rx=100',
      '::ffff:127.0.0.1:5004 ::ffff:127.0.0.1:60392 ESTABLISHED tx=0 rx=0',
    ]);
    assert.ok(parseProcNetTcp(PROC_NET_TCP6).every((entry) => entry.family === 6));
  });

  test('the closing states', () => {
    assert.deepEqual(
      parseProcNetTcp(PROC_NET_TCP_CLOSING, { endianness: 'LE' }).map((entry) => entry.state),
      ['LISTEN', 'FIN-WAIT-2', 'FIN-WAIT-1', 'TIME-WAIT', 'LAST-ACK', 'TIME-WAIT', 'ESTABLISHED'],
    );
  });

  test('both files at once, with uid and inode; request and TIME-WAIT sockets have inode 0', () => {
    const entries = parseProcNetTcp(PROC_NET_TCP + PROC_NET_TCP6);
    assert.equal(entries.length, 19);
    assert.deepEqual(
      entries.filter((entry) => entry.inode === 0).map((entry) => entry.state),
      ['TIME-WAIT', 'SYN-RECV', 'TIME-WAIT', 'SYN-RECV'],
    );
    assert.equal(entries[0]!.inode, 14799);
    assert.equal(entries[0]!.uid, 0);
  });

  test('every state code, 01 to 0C', () => {
    const line = (code: string): string => `   0: 0100007F:1770 0100007F:C454 ${code} 00000000:00000000 00:00000000 00000000     0        0 1 1\n`;
    const codes = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '0A', '0B', '0C'];
    assert.deepEqual(
      codes.map((code) => parseProcNetTcp(line(code))[0]!.state),
      ['ESTABLISHED', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSED', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING', 'NEW-SYN-RECV'],
    );
  });

  test("a big-endian machine's text reads the words as they are", () => {
    const line = '   0: 7F000001:1388 C0000201:D431 01 00000000:00000000 00:00000000 00000000     0        0 1 1\n';
    const [entry] = parseProcNetTcp(line, { endianness: 'BE' });
    assert.deepEqual([entry!.local, entry!.remote], [
      { addr: '127.0.0.1', port: 5000 },
      { addr: '192.0.2.1', port: 54321 },
    ]);
    const line6 = '   0: 20010DB8000000000000000000000001:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n';
    assert.equal(parseProcNetTcp(line6, { endianness: 'BE' })[0]!.local.addr, '2001:db8::1');
    assert.equal(parseProcNetTcp(line6, { endianness: 'LE' })[0]!.local.addr, 'b80d:120::100:0');
  });

  test('a malformed line names its line number and the field', () => {
    const bad = [
      ['   0: 0100007F:1388 00000000:0000 0A', /line 2: expected "N: local remote/],
      ['   0: 0100007G:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1', /line 2: local_address "0100007G:1388" is not HEX:PORT/],
      ['   0: 0100007F:1388 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1', /line 2: local_address and rem_address differ/],
      ['   0: 0100007F:1388 00000000:0000 0D 00000000:00000000 00:00000000 00000000 0 0 1', /line 2: st "0D" is not a TCP state code/],
      ['   0: 0100007F:1388 00000000:0000 0A 0000:00000000 00:00000000 00000000 0 0 1', /line 2: tx_queue:rx_queue "0000:00000000"/],
      ['   0: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 x', /line 2: inode "x" is not a number/],
    ] as const;
    for (const [line, message] of bad) {
      assert.throws(() => parseProcNetTcp(`  sl  local_address\n${line}\n`), (error: unknown) => error instanceof ProcNetTcpError && message.test(error.message));
    }
  });

  test('header lines and blank lines are no sockets', () => {
    assert.deepEqual(parseProcNetTcp(''), []);
    assert.deepEqual(parseProcNetTcp(PROC_NET_TCP.split('\n')[0]! + '\n\n'), []);
  });
});
