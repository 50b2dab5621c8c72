import { decodePacket } from '../../wire/packet.js';
import type { LabEvent } from '../lab/lab-protocol.js';
import type { NetEvent } from '../network.js';
import type { WireEvent } from './protocol.js';

// A lab event as it crosses the WebSocket: the same fields, bytes as base64. Packets stay
// bytes all the way to the learner's machine, which decodes them itself, exactly as a local
// lab's parent decodes what its host sends.

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(text: string): Uint8Array {
  const buffer = Buffer.from(text, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Daemon side: what the lab reported, ready for JSON. */
export function toWireEvent(event: LabEvent): WireEvent {
  switch (event.type) {
    case 'packet':
      return { type: 'packet', t: event.t, dir: event.dir, bytes: toBase64(event.bytes) };
    case 'app': {
      const { data, message, ...rest } = event;
      return { ...rest, ...(data !== undefined ? { data: toBase64(data) } : {}), ...(message !== undefined ? { message } : {}) };
    }
    case 'state':
      return event;
  }
}

/** Client side: a validated wire event as the Network interface delivers it. */
export function fromWireEvent(event: WireEvent): NetEvent {
  switch (event.type) {
    case 'packet':
      return { type: 'packet', t: event.t, dir: event.dir, packet: decodePacket(fromBase64(event.bytes)) };
    case 'app': {
      const { data, message, ...rest } = event;
      return { ...rest, ...(data !== undefined ? { data: fromBase64(data) } : {}), ...(message !== undefined ? { message } : {}) };
    }
    case 'state':
      return event;
  }
}
