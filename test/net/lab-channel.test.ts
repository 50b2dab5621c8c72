import assert from 'node:assert/strict';
import { Duplex, PassThrough } from 'node:stream';
import test from 'node:test';
import { serialize } from 'node:v8';
import { LabChannel, MAX_FRAME_BYTES } from '../../src/net/lab/lab-channel.js';
import { type LabMessage, LabMessageSchema, type LabRequest, LabRequestSchema } from '../../src/net/lab/lab-protocol.js';

/** Two ends of a pipe, as the parent and the host hold them. */
function pipe(): { parentSide: Duplex; hostSide: Duplex } {
  const toHost = new PassThrough();
  const toParent = new PassThrough();
  // Destroying one end aborts the streams beneath it; that is the point, not a failure.
  for (const stream of [toHost, toParent]) stream.on('error', () => {});
  const parentSide = Duplex.from({ readable: toParent, writable: toHost });
  const hostSide = Duplex.from({ readable: toHost, writable: toParent });
  parentSide.on('error', () => {});
  return { parentSide, hostSide };
}

interface Heard {
  messages: LabRequest[];
  problems: Array<{ message: string; id: number | null }>;
  ended: boolean;
}

function hostListening(stream: Duplex): Heard {
  const heard: Heard = { messages: [], problems: [], ended: false };
  new LabChannel<LabRequest, LabMessage>(stream, LabRequestSchema, {
    message: (message) => heard.messages.push(message),
    problem: (message, id) => heard.problems.push({ message, id }),
    end: () => (heard.ended = true),
  });
  return heard;
}

function frame(body: Uint8Array): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('a request crosses intact, its bytes still bytes', async () => {
  const { parentSide, hostSide } = pipe();
  const heard = hostListening(hostSide);
  const parent = new LabChannel<LabMessage, LabRequest>(parentSide, LabMessageSchema, { message() {}, problem() {}, end() {} });
  parent.send({ type: 'send', id: 7, bytes: new Uint8Array([0x45, 0, 0, 20]) });
  parent.send({ type: 'connect', id: 8, target: { addr: '::1', port: 40001 } });
  await settle();
  assert.equal(heard.messages.length, 2);
  const [send, connect] = heard.messages;
  assert.equal(send!.type, 'send');
  assert.deepEqual(send!.type === 'send' ? [...send!.bytes] : null, [0x45, 0, 0, 20]);
  assert.deepEqual(connect, { type: 'connect', id: 8, target: { addr: '::1', port: 40001 } });
});

test('frames split across chunks, one byte at a time, are put back together', async () => {
  const { parentSide, hostSide } = pipe();
  const heard = hostListening(hostSide);
  const bytes = frame(serialize({ type: 'close', id: 1 }));
  for (const byte of bytes) parentSide.write(Buffer.from([byte]));
  await settle();
  assert.deepEqual(heard.messages, [{ type: 'close', id: 1 }]);
});

test('a message of the wrong shape is refused, naming the field and keeping the id to answer', async () => {
  const { parentSide, hostSide } = pipe();
  const heard = hostListening(hostSide);
  parentSide.write(frame(serialize({ type: 'send', id: 3, bytes: 'not bytes' })));
  parentSide.write(frame(serialize({ type: 'connect', id: 4, target: { addr: 'example.com', port: 99999 } })));
  parentSide.write(frame(serialize({ type: 'format-disk', id: 5 })));
  await settle();
  assert.equal(heard.messages.length, 0);
  assert.deepEqual(
    heard.problems.map((p) => p.id),
    [3, 4, 5],
  );
  assert.match(heard.problems[0]!.message, /^an invalid lab message: bytes: /);
  assert.match(heard.problems[1]!.message, /target\.addr/);
  assert.match(heard.problems[1]!.message, /target\.port/);
  assert.match(heard.problems[2]!.message, /type/);
});

test('a packet longer than IP allows is refused', async () => {
  const { parentSide, hostSide } = pipe();
  const heard = hostListening(hostSide);
  parentSide.write(frame(serialize({ type: 'send', id: 1, bytes: new Uint8Array(70_000) })));
  await settle();
  assert.equal(heard.messages.length, 0);
  assert.match(heard.problems[0]!.message, /at most 65535 bytes/);
});

test('bytes that are no message at all are refused, and the next good frame still gets through', async () => {
  const { parentSide, hostSide } = pipe();
  const heard = hostListening(hostSide);
  // V8's format: version 15, then an object whose first key is cut off.
  parentSide.write(frame(new Uint8Array([0xff, 0x0f, 0x6f, 0x22, 0x05, 0x61])));
  parentSide.write(frame(serialize({ type: 'close', id: 2 })));
  await settle();
  assert.equal(heard.problems.length, 1);
  assert.match(heard.problems[0]!.message, /^an unreadable lab message/);
  assert.equal(heard.problems[0]!.id, null);
  assert.deepEqual(heard.messages, [{ type: 'close', id: 2 }]);
});

test('a frame claiming more than the limit ends the channel instead of waiting for it', async () => {
  const { parentSide, hostSide } = pipe();
  const heard = hostListening(hostSide);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(MAX_FRAME_BYTES + 1);
  parentSide.write(header);
  await settle();
  assert.match(heard.problems[0]!.message, /longer than the 1048576 allowed/);
  assert.equal(heard.ended, true);
});

test('the host’s messages are checked the same way on the parent’s side', async () => {
  const { parentSide, hostSide } = pipe();
  const problems: string[] = [];
  const messages: LabMessage[] = [];
  new LabChannel<LabMessage, LabRequest>(parentSide, LabMessageSchema, {
    message: (message) => messages.push(message),
    problem: (message) => problems.push(message),
    end() {},
  });
  hostSide.write(frame(serialize({ type: 'event', event: { type: 'state', t: 1, local: { addr: '127.0.0.1', port: 7 }, remote: { addr: '127.0.0.1', port: 40000 }, from: null, to: 'SYN-RECV' } })));
  hostSide.write(frame(serialize({ type: 'event', event: { type: 'state', t: 1, local: { addr: '127.0.0.1', port: 7 }, remote: { addr: '127.0.0.1', port: 40000 }, from: null, to: 'HALF-DONE' } })));
  hostSide.write(frame(serialize({ type: 'sent', id: 1, result: { ok: false, t: 2 } })));
  await settle();
  assert.equal(messages.length, 1);
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /event\.to/);
  assert.match(problems[1]!, /result/);
});
