// The remote lab's protocol: what each side accepts, and events crossing it unchanged.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromWireEvent, toWireEvent } from '../../src/net/ws/event-wire.js';
import { ClientRequestSchema, closeReason, DaemonMessageSchema, HelloSchema, PROTOCOL_VERSION, WireEventSchema } from '../../src/net/ws/protocol.js';
import { encodePacket } from '../../src/wire/packet.js';

const syn = encodePacket({
  ip: { version: 4, src: '127.0.0.1', dst: '127.0.0.1', tos: 0, id: 1, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, options: new Uint8Array() },
  tcp: { sport: 20000, dport: 7, seq: 1000, ack: 0, flags: 0x02, window: 64240, urgent: 0, options: [{ kind: 'mss', value: 1460 }], payload: new Uint8Array() },
});
const base64 = Buffer.from(syn).toString('base64');

describe('client messages', () => {
  test('a hello names the protocol and carries the token, and may resume a session', () => {
    assert.ok(HelloSchema.safeParse({ type: 'hello', protocol: PROTOCOL_VERSION, token: 'x'.repeat(32) }).success);
    assert.ok(HelloSchema.safeParse({ type: 'hello', protocol: 1, token: 't', client: 'tcplab 0.1.0', resume: { session: 'abc_-9', secret: 'Zz09', after: 12 } }).success);
  });

  test('a hello with fields it does not know, or a resume that is not base64url, is refused', () => {
    assert.ok(!HelloSchema.safeParse({ type: 'hello', protocol: 1, token: 't', admin: true }).success);
    assert.ok(!HelloSchema.safeParse({ type: 'hello', protocol: 1, token: 't', resume: { session: '../etc', secret: 'x', after: 0 } }).success);
    assert.ok(!HelloSchema.safeParse({ type: 'hello', protocol: 1, token: 'x'.repeat(1025) }).success);
  });

  test('requests carry an id from 1 and may acknowledge what came', () => {
    assert.ok(ClientRequestSchema.safeParse({ type: 'send', id: 1, bytes: base64 }).success);
    assert.ok(ClientRequestSchema.safeParse({ type: 'send', id: 2, bytes: base64, ack: 40 }).success);
    assert.ok(ClientRequestSchema.safeParse({ type: 'set-server', id: 3, behaviour: { name: 'close-after', bytes: 5 } }).success);
    assert.ok(ClientRequestSchema.safeParse({ type: 'connect', id: 4, target: { addr: '127.0.0.1', port: 20000 } }).success);
    assert.ok(ClientRequestSchema.safeParse({ type: 'close', id: 5 }).success);
    assert.ok(ClientRequestSchema.safeParse({ type: 'ack', seq: 9 }).success);
  });

  test('bad requests are refused: no id, bytes that are not base64, a packet past 65,535 bytes, an unknown type', () => {
    for (const bad of [
      { type: 'send', bytes: base64 },
      { type: 'send', id: 0, bytes: base64 },
      { type: 'send', id: 1.5, bytes: base64 },
      { type: 'send', id: 1, bytes: 'not base64!' },
      { type: 'send', id: 1, bytes: '' },
      { type: 'send', id: 1, bytes: Buffer.alloc(65_536).toString('base64') },
      { type: 'set-server', id: 1, behaviour: { name: 'rm -rf' } },
      { type: 'connect', id: 1, target: { addr: 'localhost', port: 20000 } },
      { type: 'shell', id: 1 },
      { type: 'hello', protocol: 1, token: 't' },
    ]) {
      assert.ok(!ClientRequestSchema.safeParse(bad).success, JSON.stringify(bad).slice(0, 80));
    }
    assert.ok(ClientRequestSchema.safeParse({ type: 'send', id: 1, bytes: Buffer.alloc(65_535).toString('base64') }).success, 'the largest packet fits');
  });
});

describe('daemon messages', () => {
  test('a welcome says which session, its secret, the learner’s ports and the limits', () => {
    const welcome = {
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      session: 'Vrh67Xyqa1UBEOPH',
      secret: 'c2VjcmV0',
      resumed: false,
      missed: 0,
      now: 1_700_000_000_000.5,
      info: { kind: 'ws', description: 'ws: ...', learner: { addr4: '127.0.0.1', addr6: '::1', ports: { first: 20000, last: 20099 } }, server: { addr4: '127.0.0.1', addr6: '::1' } },
      limits: { maxMessageBytes: 131072, packetsPerSecond: 100, packetBurst: 200, messagesPerSecond: 400, graceMs: 60000, idleTimeoutMs: 1800000 },
    };
    assert.ok(DaemonMessageSchema.safeParse(welcome).success);
    assert.ok(!DaemonMessageSchema.safeParse({ ...welcome, protocol: 2 }).success, 'another version');
    assert.ok(DaemonMessageSchema.safeParse({ type: 'bye', code: 4001, reason: 'unauthorized' }).success);
    assert.ok(DaemonMessageSchema.safeParse({ type: 'sent', seq: 3, id: 1, result: { ok: false, t: 1, reason: 'rate limit' } }).success);
    assert.ok(!DaemonMessageSchema.safeParse({ type: 'sent', id: 1, result: { ok: true, t: 1 } }).success, 'no seq');
  });

  test('a close frame’s reason is cut to 123 bytes, never inside a character', () => {
    const long = `${'é'.repeat(100)}`;
    const cut = closeReason(long);
    assert.ok(Buffer.byteLength(cut) <= 123);
    assert.ok(!cut.includes('\ufffd'));
    assert.equal(closeReason('short'), 'short');
  });
});

describe('events cross the socket unchanged', () => {
  test('a packet, as bytes, decoded on the learner’s side', () => {
    const wire = toWireEvent({ type: 'packet', t: 12.5, dir: 'out', bytes: syn });
    assert.ok(WireEventSchema.safeParse(JSON.parse(JSON.stringify(wire))).success);
    const event = fromWireEvent(wire);
    assert.equal(event.type, 'packet');
    if (event.type !== 'packet') return;
    assert.deepEqual([...event.packet.bytes], [...syn]);
    assert.equal(event.packet.tcp?.seq, 1000);
    assert.equal(event.t, 12.5);
  });

  test('an application event with the bytes it read', () => {
    const data = new TextEncoder().encode('hello\n');
    const wire = toWireEvent({ type: 'app', t: 3, kind: 'received', local: { addr: '127.0.0.1', port: 7 }, remote: { addr: '127.0.0.1', port: 20000 }, data, message: 'echoed 6 bytes' });
    const event = fromWireEvent(WireEventSchema.parse(JSON.parse(JSON.stringify(wire))));
    assert.ok(event.type === 'app' && event.kind === 'received');
    assert.equal(Buffer.from(event.data!).toString(), 'hello\n');
    assert.equal(event.message, 'echoed 6 bytes');
  });
});
