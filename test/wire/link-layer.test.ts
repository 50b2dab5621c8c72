// Frames built byte by byte around the fixtures' packets, for the cases no capture here holds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LinkType, ipFromLinkFrame, linkTypeName } from '../../src/wire/link-layer.js';
import { packet } from '../fixtures/pcap/fixtures.js';

const SYN = packet('v4-syn');
const V6_DATA = packet('v6-data');

function bytes(...parts: Array<Uint8Array | number[]>): Uint8Array {
  return new Uint8Array(Buffer.concat(parts.map((p) => Uint8Array.from(p))));
}

const MACS = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];

function hex(value: Uint8Array | null): string | null {
  return value === null ? null : Buffer.from(value).toString('hex');
}

function assertIp(result: { ip: Uint8Array | null }, expected: Uint8Array): void {
  assert.equal(hex(result.ip), hex(expected));
}

describe('ipFromLinkFrame', () => {
  it('takes a raw IP frame as it is, and refuses one of another version', () => {
    const result = ipFromLinkFrame(LinkType.RAW, SYN);
    assertIp(result, SYN);
    assert.equal(result.issue, null);
    assert.deepEqual(ipFromLinkFrame(LinkType.RAW, Uint8Array.of(0x50, 0)), {
      ip: null,
      issue: 'raw IP frame starts with IP version 5, not 4 or 6',
    });
    assert.deepEqual(ipFromLinkFrame(LinkType.IPV6, SYN), { ip: null, issue: 'raw IPv6 frame starts with IP version 4' });
    assert.deepEqual(ipFromLinkFrame(LinkType.RAW, new Uint8Array(0)), { ip: null, issue: 'frame is empty' });
  });

  it('leaves out, and mentions, bytes after the end of a raw IP packet', () => {
    const result = ipFromLinkFrame(LinkType.IPV4, bytes(SYN, [0xde, 0xad]));
    assertIp(result, SYN);
    assert.equal(result.issue, '2 bytes after the end of the IP packet were left out');
  });

  it('cuts Ethernet padding and FCS without a word', () => {
    const short = Uint8Array.from(packet('v4-ack'));
    const frame = bytes(MACS, [0x08, 0x00], short, new Array(6).fill(0), [0x11, 0x22, 0x33, 0x44]);
    const result = ipFromLinkFrame(LinkType.ETHERNET, frame);
    assertIp(result, short);
    assert.equal(result.issue, null);
  });

  it('follows stacked VLAN tags, and says when one is cut off', () => {
    const frame = bytes(MACS, [0x91, 0x00, 0x00, 0x64, 0x88, 0xa8, 0x00, 0x0a, 0x81, 0x00, 0x00, 0x05, 0x86, 0xdd], V6_DATA);
    assertIp(ipFromLinkFrame(LinkType.ETHERNET, frame), V6_DATA);
    assert.deepEqual(ipFromLinkFrame(LinkType.ETHERNET, bytes(MACS, [0x81, 0x00, 0x00])), {
      ip: null,
      issue: 'VLAN tag at byte 14 is cut off: the frame ends at byte 15',
    });
  });

  it('names what an Ethernet frame carries when it is not IP', () => {
    assert.deepEqual(ipFromLinkFrame(LinkType.ETHERNET, bytes(MACS, [0x08, 0x06], new Array(28).fill(0))), {
      ip: null,
      issue: 'Ethernet type 0x0806 is not IP',
    });
    assert.deepEqual(ipFromLinkFrame(LinkType.ETHERNET, bytes(MACS, [0x00, 0x26], new Array(38).fill(0))), {
      ip: null,
      issue: '802.3 frame (length field 38) is not Ethernet II, so not IP',
    });
    assert.deepEqual(ipFromLinkFrame(LinkType.ETHERNET, bytes(MACS, [0x08, 0x00], V6_DATA)), {
      ip: null,
      issue: 'Ethernet type 0x0800 announces IPv4 but byte 14 holds IP version 6',
    });
    assert.deepEqual(ipFromLinkFrame(LinkType.ETHERNET, Uint8Array.from(MACS)), {
      ip: null,
      issue: 'Ethernet frame of 12 bytes is shorter than its 14-byte header',
    });
  });

  it('reads the protocol of Linux cooked headers, v1 and v2', () => {
    const sll = bytes([0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00], SYN);
    assertIp(ipFromLinkFrame(LinkType.LINUX_SLL, sll), SYN);
    const sll2 = bytes([0x86, 0xdd, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0], V6_DATA);
    assertIp(ipFromLinkFrame(LinkType.LINUX_SLL2, sll2), V6_DATA);
    assert.deepEqual(ipFromLinkFrame(LinkType.LINUX_SLL2, sll2.subarray(0, 19)), {
      ip: null,
      issue: 'Linux cooked v2 (SLL2) frame of 19 bytes is shorter than its 20-byte header',
    });
  });

  it('reads a NULL header in either byte order and a LOOP header in network order', () => {
    assertIp(ipFromLinkFrame(LinkType.NULL, bytes([2, 0, 0, 0], SYN)), SYN);
    assertIp(ipFromLinkFrame(LinkType.NULL, bytes([0, 0, 0, 2], SYN)), SYN);
    assertIp(ipFromLinkFrame(LinkType.NULL, bytes([10, 0, 0, 0], V6_DATA)), V6_DATA);
    assertIp(ipFromLinkFrame(LinkType.LOOP, bytes([0, 0, 0, 28], V6_DATA)), V6_DATA);
    assert.deepEqual(ipFromLinkFrame(LinkType.LOOP, bytes([2, 0, 0, 0], SYN)), {
      ip: null,
      issue: 'loopback address family 33554432 is not IP',
    });
    assert.deepEqual(ipFromLinkFrame(LinkType.NULL, bytes([2, 0, 0, 0], V6_DATA)), {
      ip: null,
      issue: 'loopback address family 2: raw IPv4 frame starts with IP version 6',
    });
  });

  it('keeps what a snapped frame holds and says the IP packet is incomplete', () => {
    const result = ipFromLinkFrame(LinkType.RAW, SYN.subarray(0, 30));
    assertIp(result, SYN.subarray(0, 30));
    assert.equal(result.issue, 'IP packet says it is 52 bytes but the frame holds only 30 of them');
  });

  it('keeps every byte when the IP length field cannot be right', () => {
    const broken = Uint8Array.from(SYN);
    broken[2] = 0;
    broken[3] = 8;
    const result = ipFromLinkFrame(LinkType.RAW, broken);
    assertIp(result, broken);
    assert.equal(result.issue, 'IPv4 total length 8 is shorter than its header; kept all 52 bytes');
    // A zero IPv6 payload length before a Hop-by-Hop header may be a jumbogram.
    const jumbo = Uint8Array.from(V6_DATA);
    jumbo[4] = 0;
    jumbo[5] = 0;
    jumbo[6] = 0;
    assert.deepEqual(ipFromLinkFrame(LinkType.RAW, jumbo), { ip: jumbo, issue: null });
  });

  it('says which link types it does not read', () => {
    assert.deepEqual(ipFromLinkFrame(127, SYN), { ip: null, issue: 'link type 127 is not one tcplab reads' });
    assert.equal(linkTypeName(LinkType.LINUX_SLL2), 'Linux cooked v2 (SLL2)');
    assert.equal(linkTypeName(147), 'link type 147');
  });
});
