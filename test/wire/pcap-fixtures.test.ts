// Reads every committed capture and compares each frame with what the file was made to hold
// (make-fixtures.py) and with what tshark read from it: time, lengths and comments.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readCapture } from '../../src/wire/capture.js';
import { FIXTURES, fixtureBytes, packet, type FixtureFrame } from '../fixtures/pcap/fixtures.js';

/** tshark's seconds with nine decimals, as milliseconds computed without float error. */
function epochToMs(epoch: string): number {
  const [seconds, fraction = ''] = epoch.split('.');
  const nanos = BigInt(seconds!) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
  return Number(nanos / 1_000_000n) + Number(nanos % 1_000_000n) / 1e6;
}

function hex(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes).toString('hex');
}

describe('readCapture on files written by real tools', () => {
  for (const [name, fixture] of Object.entries(FIXTURES)) {
    it(`${name}: ${fixture.frames.length} frames as tshark sees them`, () => {
      const capture = readCapture(fixtureBytes(name));
      assert.equal(capture.format, fixture.format);
      assert.deepEqual(capture.issues, []);
      assert.equal(capture.frames.length, fixture.frames.length);
      capture.frames.forEach((frame, index) => {
        const expected: FixtureFrame = fixture.frames[index]!;
        const where = `${name} frame ${index}`;
        assert.equal(frame.index, index, where);
        assert.equal(frame.linkType, expected.linkType, where);
        assert.equal(frame.originalLength, expected.length, where);
        assert.equal(frame.frame.length, expected.capturedLength, where);
        assert.deepEqual(frame.comments, expected.comments, where);
        if (expected.timeEpoch === '') {
          assert.equal(frame.timestampMs, null, where);
        } else {
          // A double keeps about a quarter microsecond at today's dates.
          const ms = epochToMs(expected.timeEpoch);
          assert.ok(frame.timestampMs !== null && Math.abs(frame.timestampMs - ms) < 0.0005, `${where}: ${frame.timestampMs} vs ${ms}`);
        }
        if (expected.packet === null) {
          assert.equal(frame.ip, null, where);
        } else {
          const whole = packet(expected.packet);
          const ipLength = expected.ipLength ?? whole.length;
          assert.equal(hex(frame.ip), hex(whole.subarray(0, ipLength)), where);
        }
        if (expected.issue === null) assert.equal(frame.issue, null, where);
        else assert.ok(frame.issue?.includes(expected.issue), `${where}: issue ${JSON.stringify(frame.issue)} lacks "${expected.issue}"`);
      });
    });
  }

  it('keeps microseconds exactly and nanoseconds to within a quarter microsecond', () => {
    const usec = readCapture(fixtureBytes('raw-le-usec.pcap')).frames[0]!;
    assert.equal(Math.round(usec.timestampMs! * 1000), 1700000000123456);
    const nsec = readCapture(fixtureBytes('raw-le-nsec.pcap')).frames[0]!;
    assert.ok(Math.abs(nsec.timestampMs! - 1700000000123.456789) < 0.00025);
  });

  it('applies a binary if_tsresol and an if_tsoffset', () => {
    // Interface 0 of crafted-blocks.pcapng counts 2^-20 s and adds 10 s to every time.
    const first = readCapture(fixtureBytes('crafted-blocks.pcapng')).frames[0]!;
    assert.equal(first.timestampMs, 1700000000500);
  });

  it('names the link type of each interface of a merged file', () => {
    const types = new Set(readCapture(fixtureBytes('merged-interfaces.pcapng')).frames.map((f) => f.linkType));
    assert.deepEqual([...types].sort((a, b) => a - b), [1, 101, 229]);
  });

  it('reads a gzip-compressed capture as Wireshark does', async () => {
    const { gzipSync } = await import('node:zlib');
    const plain = readCapture(fixtureBytes('sll.pcap'));
    const zipped = readCapture(gzipSync(fixtureBytes('sll.pcap')));
    assert.deepEqual(zipped.frames.map((f) => hex(f.ip)), plain.frames.map((f) => hex(f.ip)));
  });
});
