// Cut and damaged captures: reading never throws anything but CaptureFormatError, and only
// when too little is left to be a capture at all; otherwise it keeps the whole frames before
// the damage and says where reading stopped.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CaptureFormatError, readCapture, sniffCaptureFormat, type Capture } from '../../src/wire/capture.js';
import { FIXTURES, fixtureBytes } from '../fixtures/pcap/fixtures.js';

/** Where the file's header ends: the classic file header, or the first Section Header Block. */
function headerLength(bytes: Uint8Array): number {
  if (sniffCaptureFormat(bytes) === 'pcap') return 24;
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, bytes[8] === 0x4d);
}

function summary(capture: Capture): string[] {
  return capture.frames.map((f) => `${f.index} ${f.timestampMs} ${f.linkType} ${Buffer.from(f.frame).toString('hex')}`);
}

describe('a capture cut at every length', () => {
  for (const name of Object.keys(FIXTURES)) {
    it(name, () => {
      const whole = fixtureBytes(name);
      const full = readCapture(whole);
      const header = headerLength(whole);
      for (let length = 0; length < whole.length; length++) {
        const cut = whole.subarray(0, length);
        let capture: Capture;
        try {
          capture = readCapture(cut);
        } catch (error) {
          assert.ok(error instanceof CaptureFormatError, `${name} cut at ${length}: ${String(error)}`);
          assert.ok(length < header, `${name} cut at ${length}, past its ${header}-byte header, threw: ${error.message}`);
          assert.match(error.message, /\d+ bytes|at byte \d+/);
          continue;
        }
        assert.ok(length >= header, `${name} cut at ${length} inside its header was read as a capture`);
        // The frames that survive are the first ones of the whole file, unchanged.
        const frames = summary(capture);
        assert.deepEqual(frames, summary(full).slice(0, frames.length), `${name} cut at ${length}`);
        const atBoundary = capture.issues.length === 0;
        if (atBoundary) continue;
        assert.equal(capture.issues.length, 1, `${name} cut at ${length}: ${JSON.stringify(capture.issues)}`);
        const [issue] = capture.issues;
        assert.ok(issue!.offset <= length, `${name} cut at ${length}: issue at ${issue!.offset}`);
        assert.match(issue!.message, /file ends/, `${name} cut at ${length}`);
      }
    });
  }

  it('says how far into a record the file ends', () => {
    const whole = fixtureBytes('raw-le-usec.pcap');
    const capture = readCapture(whole.subarray(0, 24 + 16 + 52 + 10));
    assert.equal(capture.frames.length, 1);
    assert.deepEqual(capture.issues, [
      { offset: 92, message: 'file ends 10 bytes into the 16-byte header of a record' },
    ]);
    const inData = readCapture(whole.subarray(0, 24 + 16 + 30));
    assert.deepEqual(inData.issues, [
      { offset: 24, message: 'record says it holds 52 bytes but the file ends 30 bytes into them' },
    ]);
  });

  it('refuses what is not a capture, saying what it found', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(0), /0 bytes long, too short to hold a capture's magic number/],
      [Buffer.from('GET / HTTP/1.1\r\n'), /starts with 0x47455420, which is neither a pcap nor a pcapng magic number/],
      [Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, 2, 0), /pcap file ends after 6 bytes, inside its 24-byte file header/],
      [Uint8Array.of(0x34, 0xcd, 0xb2, 0xa1), /modified pcap/],
      [Uint8Array.of(0x1f, 0x8b, 0x08, 0x00), /gzip-compressed file, once decompressed: file is 0 bytes long/],
      [Uint8Array.of(0x1f, 0x8b, 0x07, 0x00), /gzip-compressed but does not decompress: .*compression method/i],
    ];
    for (const [bytes, message] of cases) {
      assert.throws(() => readCapture(bytes), (error: unknown) => {
        assert.ok(error instanceof CaptureFormatError);
        assert.match(error.message, message);
        return true;
      });
    }
    const version3 = fixtureBytes('raw-le-usec.pcap').slice();
    version3[4] = 3;
    assert.throws(() => readCapture(version3), /pcap version 3.4 is not 2.x/);
    const badMagic = fixtureBytes('raw-commented.pcapng').slice();
    badMagic[8] = 0;
    assert.throws(() => readCapture(badMagic), /byte-order magic 0x1a2b3c00/);
  });
});

describe('a capture damaged in the middle', () => {
  it('stops at a pcapng block whose trailing length disagrees, keeping the frames before', () => {
    const bytes = fixtureBytes('raw-commented.pcapng').slice();
    const full = readCapture(bytes);
    // The third block from the end of the file is the second packet's EPB: find its start.
    const view = new DataView(bytes.buffer);
    const offsets: number[] = [];
    for (let offset = 0; offset < bytes.length; offset += view.getUint32(offset + 4, true)) offsets.push(offset);
    const epbs = offsets.filter((offset) => view.getUint32(offset, true) === 6);
    const second = epbs[1]!;
    const length = view.getUint32(second + 4, true);
    view.setUint32(second + length - 4, length + 4, true);
    const damaged = readCapture(bytes);
    assert.deepEqual(summary(damaged), summary(full).slice(0, 1));
    assert.deepEqual(damaged.issues, [
      { offset: second, message: `Enhanced Packet Block starts with length ${length} but ends with length ${length + 4}` },
    ]);
  });

  it('stops at a packet block naming an interface its section never defined', () => {
    const bytes = fixtureBytes('raw-commented.pcapng').slice();
    const view = new DataView(bytes.buffer);
    let offset = 0;
    while (view.getUint32(offset, true) !== 6) offset += view.getUint32(offset + 4, true);
    view.setUint32(offset + 8, 3, true);
    const damaged = readCapture(bytes);
    assert.equal(damaged.frames.length, 0);
    assert.deepEqual(damaged.issues, [
      { offset, message: 'Enhanced Packet Block names interface 3 but its section defines only 0 to 0' },
    ]);
  });

  it('stops at a classic record longer than any frame can be', () => {
    const bytes = fixtureBytes('raw-le-usec.pcap').slice();
    new DataView(bytes.buffer).setUint32(24 + 16 + 52 + 8, 0x7fffffff, true);
    const damaged = readCapture(bytes);
    assert.equal(damaged.frames.length, 1);
    assert.match(damaged.issues[0]!.message, /holds 2147483647 bytes, more than the snap length 262144/);
  });

  it('survives any bytes changed anywhere, in every fixture', () => {
    const names = Object.keys(FIXTURES);
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (name, changes) => {
          const bytes = fixtureBytes(name).slice();
          for (const [at, value] of changes) bytes[at % bytes.length] = value;
          try {
            const capture = readCapture(bytes);
            for (const frame of capture.frames) {
              assert.ok(frame.frame.length <= bytes.length);
              if (frame.ip !== null) assert.ok(frame.ip.length <= frame.frame.length);
            }
          } catch (error) {
            if (!(error instanceof CaptureFormatError)) throw error;
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
