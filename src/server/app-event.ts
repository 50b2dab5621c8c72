import type { AppEventKind, Endpoint } from '../net/network.js';

/**
 * What the bundled server's or client's application saw on one socket (or listener), before
 * a network stamps it with its clock and turns it into a NetEvent of type 'app'.
 */
export interface AppEvent {
  kind: AppEventKind;
  /** Our end: the listener's address for 'listening', the socket's local end otherwise. */
  local: Endpoint;
  /** The peer; null for a listener. */
  remote: Endpoint | null;
  /** The bytes read, for 'received'. */
  data?: Uint8Array;
  /** One line for a learner: what happened, or what failed and why. */
  message?: string;
}

/** "127.0.0.1:7", "[::1]:7". */
export function formatEndpoint(endpoint: Endpoint): string {
  return endpoint.addr.includes(':') ? `[${endpoint.addr}]:${endpoint.port}` : `${endpoint.addr}:${endpoint.port}`;
}

/** Socket failures as a learner should read them: the errno, then what it means for TCP. */
const SOCKET_ERRORS: Record<string, string> = {
  ECONNRESET: 'the peer reset the connection (RST)',
  ECONNREFUSED: 'the peer refused the connection (RST in answer to our SYN)',
  EPIPE: 'the connection is gone: written to after the peer reset it',
  ETIMEDOUT: 'no answer: the kernel gave up retransmitting',
  EHOSTUNREACH: 'no route to the peer',
  ENETUNREACH: "no route to the peer's network",
  EADDRINUSE: 'the address and port are already in use',
  EADDRNOTAVAIL: 'no interface has that address',
  EACCES: 'ports below 1024 need privileges',
};

export function describeSocketError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const meaning = SOCKET_ERRORS[code];
  if (meaning !== undefined) return `${code}: ${meaning}`;
  const message = error instanceof Error ? error.message : String(error);
  return code !== '' && !message.includes(code) ? `${code}: ${message}` : message;
}
