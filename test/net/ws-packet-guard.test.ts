// The packet guard: the check every learner's packet passes on a lab daemon before it reaches
// the raw socket. What it lets through stays inside the learner's own slot of the lab.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { connectRefusal, packetRefusal } from '../../src/net/ws/packet-guard.js';
import { POOL, slotPorts } from '../../src/net/ws/slots.js';
import { readIpv4Address, readIpv6Address } from '../../src/wire/ip-address.js';
import { encodePacket } from '../../src/wire/packet.js';

const own = slotPorts(0);
const ranges = { own, pool: POOL };

function v4(fields: { src?: string; dst?: string; sport?: number; dport?: number; protocol?: number; mf?: boolean; fragOffset?: number } = {}): Uint8Array {
  return encodePacket({
    ip: { version: 4, src: fields.src ?? '127.0.0.1', dst: fields.dst ?? '127.0.0.1', tos: 0, id: 1, df: true, mf: fields.mf ?? false, fragOffset: fields.fragOffset ?? 0, ttl: 64, protocol: fields.protocol ?? 6, options: new Uint8Array() },
    tcp: { sport: fields.sport ?? own.first, dport: fields.dport ?? 7, seq: 1, ack: 0, flags: 0x02, window: 1024, urgent: 0, options: [], payload: new Uint8Array() },
  });
}

function v6(fields: { src?: string; dst?: string; sport?: number; dport?: number; nextHeader?: number } = {}): Uint8Array {
  return encodePacket({
    ip: { version: 6, src: fields.src ?? '::1', dst: fields.dst ?? '::1', trafficClass: 0, flowLabel: 0, hopLimit: 64, nextHeader: fields.nextHeader ?? 6 },
    tcp: { sport: fields.sport ?? own.first, dport: fields.dport ?? 7, seq: 1, ack: 0, flags: 0x02, window: 1024, urgent: 0, options: [], payload: new Uint8Array() },
  });
}

describe('packets a learner may send', () => {
  test('from their own ports to the bundled server on either loopback address', () => {
    assert.equal(packetRefusal(v4(), ranges), null);
    assert.equal(packetRefusal(v4({ sport: own.last, dport: 7005 }), ranges), null);
    assert.equal(packetRefusal(v6(), ranges), null);
  });

  test('to the bundled client (an ephemeral port outside the pool) and to their own ports', () => {
    assert.equal(packetRefusal(v4({ dport: 60123 }), ranges), null);
    assert.equal(packetRefusal(v4({ dport: own.first + 1 }), ranges), null);
  });
});

describe('packets the guard refuses, with a reason', () => {
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['to a host network', v4({ dst: '10.0.0.1' }), /ip\.dst is 10\.0\.0\.1: the remote lab reaches only its own loopback, 127\.0\.0\.1/],
    ['to the internet', v4({ dst: '8.8.8.8' }), /ip\.dst is 8\.8\.8\.8/],
    ['to another loopback address', v4({ dst: '127.0.0.2' }), /ip\.dst is 127\.0\.0\.2/],
    ['from a forged address', v4({ src: '192.168.1.5' }), /ip\.src is 192\.168\.1\.5: in the remote lab your address is 127\.0\.0\.1/],
    ['to an IPv6 host', v6({ dst: '2001:db8::1' }), /ip\.dst is 2001:db8::1: .*::1/],
    ['to a link-local address', v6({ dst: 'fe80::1' }), /ip\.dst is fe80::1/],
    ['to a mapped IPv4 address', v6({ dst: '::ffff:127.0.0.1' }), /ip\.dst is ::ffff:127\.0\.0\.1/],
    ['from another learner’s port', v4({ sport: own.last + 1 }), new RegExp(`tcp\\.sport is ${own.last + 1}: your ports in this lab are ${own.first}-${own.last}`)],
    ['from a server port', v4({ sport: 7, dport: 60000 }), /tcp\.sport is 7: your ports/],
    ['to another learner’s port', v4({ dport: 20150 }), /tcp\.dport is 20150: that port belongs to another learner's lab/],
    ['to another learner’s port over IPv6', v6({ dport: POOL.last }), /belongs to another learner's lab/],
    ['UDP', v4({ protocol: 17 }), /ip\.proto is 17: the remote lab carries TCP \(6\) only/],
    ['ICMP', v4({ protocol: 1 }), /ip\.proto is 1/],
    ['a first fragment', v4({ mf: true }), /does not send IP fragments/],
    ['a later fragment', v4({ fragOffset: 3 }), /does not send IP fragments/],
    ['an IPv6 extension header', v6({ nextHeader: 44 }), /ipv6\.nh is 44: .*without extension headers/],
  ];
  for (const [name, bytes, reason] of cases) {
    test(name, () => {
      const refusal = packetRefusal(bytes, ranges);
      assert.ok(refusal !== null, 'refused');
      assert.match(refusal, reason);
    });
  }

  test('bytes that are not a whole packet', () => {
    assert.match(packetRefusal(new Uint8Array(), ranges)!, /empty packet/);
    assert.match(packetRefusal(new Uint8Array([0x45, 0, 0, 20]), ranges)!, /at least its 20-byte header; this one has 4 bytes/);
    assert.match(packetRefusal(v4().subarray(0, 22), ranges)!, /its ports need 24 bytes and the packet has 22/);
    assert.match(packetRefusal(v6().subarray(0, 40), ranges)!, /its ports need 44 bytes/);
    assert.match(packetRefusal(new Uint8Array(40).fill(0x50), ranges)!, /ip\.version is 5/);
    const shortIhl = v4();
    shortIhl[0] = 0x44;
    assert.match(packetRefusal(shortIhl, ranges)!, /ip\.ihl is 4/);
  });

  test('whatever the bytes, a packet that passes is TCP between lab addresses from the learner’s own port', () => {
    const anyPort = fc.integer({ min: 0, max: 0xffff });
    const learnerPort = fc.integer({ min: own.first, max: own.last });
    let passed = 0;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), fc.oneof(learnerPort, anyPort), fc.oneof(fc.constant(7), learnerPort, anyPort), (noise, family6, sport, dport) => {
        // Half noise, half near-packets whose fields are then damaged by the noise.
        const base = family6 ? v6({ sport, dport }) : v4({ sport, dport });
        const bytes = noise.length > 40 ? noise : base.map((byte, i) => (i < noise.length ? byte ^ noise[i]! : byte));
        const refusal = packetRefusal(bytes, ranges);
        if (refusal !== null) return;
        passed++;
        const version = bytes[0]! >> 4;
        const at = version === 4 ? (bytes[0]! & 0x0f) * 4 : 40;
        const port = (bytes[at]! << 8) | bytes[at + 1]!;
        const toPort = (bytes[at + 2]! << 8) | bytes[at + 3]!;
        assert.ok(port >= own.first && port <= own.last, `sport ${port} is the learner's`);
        assert.ok(toPort < POOL.first || toPort > POOL.last || (toPort >= own.first && toPort <= own.last), `dport ${toPort} is no other learner's`);
        if (version === 4) {
          assert.equal(bytes[9], 6);
          assert.equal(readIpv4Address(bytes, 12), '127.0.0.1');
          assert.equal(readIpv4Address(bytes, 16), '127.0.0.1');
        } else {
          assert.equal(version, 6);
          assert.equal(bytes[6], 6);
          assert.equal(readIpv6Address(bytes, 8), '::1');
          assert.equal(readIpv6Address(bytes, 24), '::1');
        }
      }),
      { numRuns: 5000 },
    );
    // Not a vacuous property: plenty of the packets got through and were checked.
    assert.ok(passed > 200, `only ${passed} of 5000 passed`);
  });
});

describe('the bundled client’s target', () => {
  test('is the learner’s own port on a lab address', () => {
    assert.equal(connectRefusal({ addr: '127.0.0.1', port: own.first }, own), null);
    assert.equal(connectRefusal({ addr: '::1', port: own.last }, own), null);
  });

  test('is refused anywhere else', () => {
    assert.match(connectRefusal({ addr: '127.0.0.1', port: own.last + 1 }, own)!, /must be in 20000-20099/);
    assert.match(connectRefusal({ addr: '10.1.2.3', port: own.first }, own)!, /only its loopback: connect to 127\.0\.0\.1 or ::1 \(got 10\.1\.2\.3\)/);
  });
});
