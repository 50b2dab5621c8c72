// The writers against golden files, and write -> read round trips.
//
// The golden files were made by test/fixtures/pcap/write-golden.ts and accepted only after
// tshark 4.0.17 read each with exit 0 and nothing on stderr, listing all six frames with
// the expected times, addresses, TCP flags and comments, and capinfos reported raw IP
// encapsulation, time resolution 0x06/0x09 and the capture application written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CaptureWriteError, readCapture, writePcap, writePcapng } from '../../src/wire/capture.js';
import { fixtureBytes, goldenPackets } from '../fixtures/pcap/fixtures.js';

function hex(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes).toString('hex');
}

describe('writePcapng', () => {
  it('writes the golden microsecond file byte for byte', () => {
    assert.equal(hex(writePcapng(goldenPackets())), hex(fixtureBytes('written-usec.pcapng')));
  });

  it('writes the golden nanosecond file byte for byte', () => {
    const written = writePcapng(goldenPackets(), { resolution: 'nanoseconds', application: 'tcplab lesson 3' });
    assert.equal(hex(written), hex(fixtureBytes('written-nsec.pcapng')));
  });

  it('names tcplab as the application in the section header', () => {
    const text = Buffer.from(writePcapng([])).toString('latin1');
    assert.ok(text.includes('tcplab'));
  });

  it('reads back the packets, times and comments it wrote', () => {
    for (const resolution of ['microseconds', 'nanoseconds'] as const) {
      const capture = readCapture(writePcapng(goldenPackets(), { resolution }));
      assert.equal(capture.format, 'pcapng');
      assert.deepEqual(capture.issues, []);
      const expected = goldenPackets();
      assert.equal(capture.frames.length, expected.length);
      capture.frames.forEach((frame, index) => {
        const packet = expected[index]!;
        assert.equal(frame.linkType, 101);
        assert.equal(hex(frame.ip), hex(packet.ip));
        assert.equal(frame.issue, null);
        assert.deepEqual(frame.comments, packet.comment ? [packet.comment] : []);
        assert.ok(Math.abs(frame.timestampMs! - packet.timestampMs) < 0.0005, `${resolution} frame ${index}`);
      });
    }
  });

  it('round-trips any packets: bytes exact, times to the microsecond', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            timestampMs: fc.double({ min: 0, max: 4102444800000, noNaN: true }),
            ip: fc.uint8Array({ maxLength: 80 }),
            comment: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
          }),
          { maxLength: 6 },
        ),
        (packets) => {
          const capture = readCapture(writePcapng(packets));
          assert.equal(capture.frames.length, packets.length);
          capture.frames.forEach((frame, index) => {
            const packet = packets[index]!;
            assert.equal(hex(frame.frame), hex(packet.ip));
            assert.equal(frame.originalLength, packet.ip.length);
            assert.deepEqual(frame.comments, packet.comment ? [packet.comment] : []);
            // Half a microsecond of rounding, and half a double step (0.24 µs) reading it back.
            assert.ok(Math.abs(frame.timestampMs! - packet.timestampMs) <= 0.00075);
          });
        },
      ),
    );
  });

  it('refuses what it cannot write, naming the packet and field', () => {
    assert.throws(
      () => writePcapng([{ timestampMs: 1, ip: new Uint8Array(20) }, { timestampMs: -5, ip: new Uint8Array(20) }]),
      (error: unknown) => error instanceof CaptureWriteError && /\[1\]\.timestampMs/.test(error.message) && /writePcapng/.test(error.message),
    );
    assert.throws(
      () => writePcapng([{ timestampMs: Number.NaN, ip: new Uint8Array(20) }]),
      (error: unknown) => error instanceof CaptureWriteError && /\[0\]\.timestampMs/.test(error.message),
    );
    assert.throws(
      () => writePcapng([{ timestampMs: 0, ip: 'not bytes' as unknown as Uint8Array }]),
      (error: unknown) => error instanceof CaptureWriteError && /\[0\]\.ip/.test(error.message),
    );
    assert.throws(
      () => writePcapng([{ timestampMs: 0, ip: new Uint8Array(1), comment: 'x'.repeat(70000) }]),
      (error: unknown) => error instanceof CaptureWriteError && /65535 bytes of UTF-8/.test(error.message),
    );
  });
});

describe('writePcap', () => {
  it('writes the golden classic file byte for byte', () => {
    assert.equal(hex(writePcap(goldenPackets())), hex(fixtureBytes('written.pcap')));
  });

  it('reads back the packets and times it wrote', () => {
    const capture = readCapture(writePcap(goldenPackets()));
    assert.equal(capture.format, 'pcap');
    assert.deepEqual(
      capture.frames.map((f) => [f.linkType, hex(f.ip), Math.round(f.timestampMs! * 1000)]),
      goldenPackets().map((p) => [101, hex(p.ip), Math.round(p.timestampMs * 1000)]),
    );
  });

  it('refuses a time past what 32-bit seconds hold', () => {
    assert.throws(
      () => writePcap([{ timestampMs: 2 ** 32 * 1000, ip: new Uint8Array(20) }]),
      (error: unknown) => error instanceof CaptureWriteError && /2106/.test(error.message),
    );
  });
});
