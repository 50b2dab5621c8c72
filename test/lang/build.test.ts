import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPacket, type SegmentContext } from '../../src/lang/build.js';
import { ENCODE_DEFAULTS, SegmentDefaultsSchema, type SegmentDefaults } from '../../src/lang/defaults.js';
import type { VariableRef } from '../../src/lang/expression.js';
import { parseSegment } from '../../src/lang/segment-parser.js';
import { encodePacket, PacketSchema, type Packet } from '../../src/wire/packet.js';
import { TcpFlag } from '../../src/wire/tcp-flags.js';
import { expectSyntaxError } from './expect-error.js';

const encodeContext: SegmentContext = { defaults: ENCODE_DEFAULTS, resolve: () => undefined };

function build(text: string, context: SegmentContext = encodeContext): Packet {
  const packet = buildPacket(parseSegment(text), context);
  PacketSchema.parse(packet);
  return packet;
}

function hexOf(packet: Packet): string {
  return Buffer.from(encodePacket(packet)).toString('hex');
}

test('the encode defaults are valid defaults', () => {
  assert.deepEqual(SegmentDefaultsSchema.parse(ENCODE_DEFAULTS), ENCODE_DEFAULTS);
});

test('a bare tcp takes every field from the defaults', () => {
  assert.deepEqual(build('tcp'), {
    ip: {
      version: 4,
      src: '127.0.0.1',
      dst: '127.0.0.1',
      tos: 0,
      id: 0,
      df: true,
      mf: false,
      fragOffset: 0,
      ttl: 64,
      protocol: 6,
      options: new Uint8Array(0),
    },
    tcp: {
      sport: 40000,
      dport: 7,
      seq: 0,
      ack: 0,
      flags: 0,
      window: 64240,
      urgent: 0,
      options: [],
      payload: new Uint8Array(0),
    },
  });
});

test('every field lands in its place', () => {
  const packet = build(
    'tcp src=10.0.0.1 dst=10.0.0.2 ttl=3 id=0x10 tos=16 df=0 sport=1 dport=2 seq=3 ack=4 flags=FA win=5 urp=6 ' +
      'opts=nop,eol data=0x00ff chksum=7',
  );
  assert.deepEqual(packet, {
    ip: { version: 4, src: '10.0.0.1', dst: '10.0.0.2', tos: 16, id: 16, df: false, mf: false, fragOffset: 0, ttl: 3, protocol: 6, options: new Uint8Array(0) },
    tcp: {
      sport: 1,
      dport: 2,
      seq: 3,
      ack: 4,
      flags: TcpFlag.FIN | TcpFlag.ACK,
      window: 5,
      urgent: 6,
      options: [{ kind: 'nop' }, { kind: 'eol' }],
      payload: Uint8Array.of(0, 0xff),
      checksum: 7,
    },
  });
});

test('an IPv6 address makes an IPv6 packet: ttl is the hop limit, tos the traffic class', () => {
  const packet = build('tcp dst=fd00::2 ttl=9 tos=3');
  assert.deepEqual(packet.ip, {
    version: 6,
    src: '::1',
    dst: 'fd00::2',
    trafficClass: 3,
    flowLabel: 0,
    hopLimit: 9,
    nextHeader: 6,
  });
});

// Each built with Debian's python3-scapy 2.5.0, e.g.
// bytes(IP(src='127.0.0.1',dst='127.0.0.1',ttl=64,id=0,flags='DF')/TCP(sport=40000,dport=7,seq=0,ack=0,flags='S',window=64240)).hex()
const SCAPY: Array<[string, string, string]> = [
  ['a SYN with the encode defaults', 'tcp flags=S', '450000280000400040063cce7f0000017f0000019c40000700000000000000005002faf01aa80000'],
  [
    // TCP(sport=40001,dport=7,seq=1000,flags='S',window=64240,options=[('MSS',1460),('SAckOK',b''),('Timestamp',(100,0)),('NOP',None),('WScale',7)])
    "Linux's SYN, options in Linux's order",
    'tcp src=10.0.0.1 dst=10.0.0.2 sport=40001 seq=1000 flags=S opts=mss:1460,sackok,ts:100:0,nop,wscale:7',
    '4500003c00004000400626ba0a0000010a0000029c410007000003e800000000a002faf098780000020405b40402080a000000640000000001030307',
  ],
  [
    // TCP(sport=40000,dport=7,seq=1001,ack=5001,flags='PA',window=64240)/Raw(b'hello\r\n')
    'data with escapes',
    'tcp seq=1001 ack=5001 flags=PA data="hello\\r\\n"',
    '4500002f0000400040063cc77f0000017f0000019c400007000003e9000013895018faf0b539000068656c6c6f0d0a',
  ],
  [
    // IPv6(src='fd00::1',dst='fd00::2',hlim=64)/TCP(sport=40000,dport=7,flags='S',window=64240,options=[('MSS',1440)])
    'an IPv6 SYN',
    'tcp src=fd00::1 dst=fd00::2 flags=S opts=mss:1440',
    '6000000000180640fd000000000000000000000000000001fd0000000000000000000000000000029c40000700000000000000006002faf006fe0000020405a0',
  ],
  [
    // TCP(sport=40000,dport=7,seq=5,flags='R',window=0,chksum=0xdead)
    'a deliberately wrong checksum',
    'tcp seq=5 flags=R win=0 chksum=0xdead',
    '450000280000400040063cce7f0000017f0000019c400007000000050000000050040000dead0000',
  ],
];

for (const [what, text, bytes] of SCAPY) {
  test(`${what} encodes to the bytes scapy builds`, () => assert.equal(hexOf(build(text)), bytes));
}

const session: SegmentDefaults = {
  ...ENCODE_DEFAULTS,
  ipv4: { src: '10.99.0.1', dst: '10.99.0.2' },
  ipv6: { src: 'fd99::1', dst: 'fd99::2' },
  sport: 40123,
  dport: 7,
};

function sessionContext(vars: Record<string, number | string>, defaults: SegmentDefaults = session): SegmentContext & { asked: VariableRef[] } {
  const asked: VariableRef[] = [];
  return {
    defaults,
    asked,
    resolve(ref) {
      asked.push(ref);
      return vars[ref.text];
    },
  };
}

test('variables come from the resolver; sequence numbers wrap', () => {
  const context = sessionContext({ '$rx.seq': 0xffffffff, '$tx.seq': 1000, '$tx.len': 5, '$server.addr': '10.99.0.2', '$server.port': 9 });
  const packet = build('tcp dst=$server.addr dport=$server.port seq=$tx.seq+$tx.len ack=$rx.seq+1 flags=A', context);
  assert.equal(packet.ip.dst, '10.99.0.2');
  assert.equal(packet.ip.src, '10.99.0.1');
  assert.equal(packet.tcp.dport, 9);
  assert.equal(packet.tcp.sport, 40123);
  assert.equal(packet.tcp.seq, 1005);
  assert.equal(packet.tcp.ack, 0);
  assert.deepEqual(
    context.asked.map((ref) => ref.text),
    ['$server.addr', '$server.port', '$tx.seq', '$tx.len', '$rx.seq'],
  );
});

test('a variable resolving to an IPv6 address makes the packet IPv6, with IPv6 defaults', () => {
  const context = sessionContext({ '$peer': 'FD99:0::2' });
  const packet = build('tcp dst=$peer', context);
  assert.equal(packet.ip.version, 6);
  assert.equal(packet.ip.src, 'fd99::1');
  assert.equal(packet.ip.dst, 'fd99::2');
});

test('variables in options and flags', () => {
  const context = sessionContext({ '$rx.tsval': 777, '$rx.flags': TcpFlag.SYN | TcpFlag.ACK, '$rx.seq': 10 });
  const packet = build('tcp flags=$rx.flags opts=ts:1:$rx.tsval,sack:$rx.seq-($rx.seq+5)', context);
  assert.equal(packet.tcp.flags, TcpFlag.SYN | TcpFlag.ACK);
  assert.deepEqual(packet.tcp.options, [
    { kind: 'ts', tsval: 1, tsecr: 777 },
    { kind: 'sack', blocks: [[10, 15]] },
  ]);
});

test('defaults for IPv6 make an address-less line IPv6', () => {
  const packet = build('tcp flags=S', sessionContext({}, { ...session, version: 6 }));
  assert.equal(packet.ip.version, 6);
  assert.equal(packet.ip.dst, 'fd99::2');
});

test('resolution errors point at the variable', () => {
  expectSyntaxError(() => build('tcp ack=$rx.seq+1'), 9, 'unknown variable $rx.seq at column 9', 7);
  expectSyntaxError(() => build('tcp flags=$rx[-2].flags'), 11, 'unknown variable $rx[-2].flags at column 11');
  expectSyntaxError(() => build('tcp dst=$server.addr'), 9, 'unknown variable $server.addr at column 9');
  const context = sessionContext({ '$rx.seq': 5, '$me.addr': 'nowhere', '$v6': '::2', '$rx.flags': 4096, '$port': 65535 });
  expectSyntaxError(() => build('tcp dst=$rx.seq', context), 9, 'expected an address but $rx.seq is 5 at column 9');
  expectSyntaxError(() => build('tcp src=$me.addr', context), 9, "expected an address but $me.addr is 'nowhere' at column 9");
  expectSyntaxError(() => build('tcp flags=$rx.flags', context), 11, 'expected flags but $rx.flags is 4096 at column 11');
  expectSyntaxError(() => build('tcp sport=$port+1', context), 11, 'sport must be 0..65535, got 65536 from $port+1 at column 11');
  expectSyntaxError(
    () => build('tcp src=10.0.0.1 dst=$v6', context),
    22,
    'dst is IPv6 but src is IPv4 at column 22; src at column 9 makes this an IPv4 packet; use one IP version for both',
  );
  expectSyntaxError(() => build('tcp dst=$v6 id=1', context), 13, 'id is IPv4-only at column 13; this packet is IPv6 because of dst at column 9');
  expectSyntaxError(
    () => build('tcp df=0', sessionContext({}, { ...session, version: 6 })),
    5,
    'df is IPv4-only at column 5; this packet is IPv6 because the defaults for this line are IPv6',
  );
});

test('a payload larger than one packet holds is refused at the data field', () => {
  const room = 0xffff - 20 - 20 - 4;
  assert.equal(build(`tcp opts=mss:1 data=0x${'00'.repeat(room)}`).tcp.payload.length, room);
  expectSyntaxError(
    () => build(`tcp opts=mss:1 data=0x${'00'.repeat(room + 1)}`),
    21,
    `data is ${room + 1} bytes, more than one IPv4 packet can carry at column 21; at most ${room} bytes fit after the headers`,
  );
  assert.equal(build(`tcp dst=::1 data=0x${'00'.repeat(0xffff - 20)}`).tcp.payload.length, 0xffff - 20);
});
