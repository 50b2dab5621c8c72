import { connect, isIPv6, type Socket } from 'node:net';
import type { Endpoint } from '../net/network.js';
import { type AppEvent, describeSocketError, formatEndpoint } from './app-event.js';

export interface BundledClientOptions {
  /** Written once, as soon as the handshake completes. */
  greeting?: string | Uint8Array;
  /** Bind to this address (and localPort) before connecting, so our end is known at once. */
  localAddress?: string;
  localPort?: number;
  /**
   * Close our side (FIN) once the learner has closed theirs, as a well-behaved client with
   * nothing left to say does. True by default; false leaves us in CLOSE-WAIT until end().
   */
  endOnPeerClose?: boolean;
}

/** The bundled client's connection, for a lesson to drive after the handshake. */
export interface BundledClientHandle {
  readonly remote: Endpoint;
  /** Our end, once the kernel has bound it; null before that and for a refused connect. */
  local(): Endpoint | null;
  write(data: string | Uint8Array): void;
  /** Half-close: our FIN. */
  end(): void;
  /** Abort: our RST (or, before the handshake completes, just give up). */
  destroy(): void;
  /** Resolves once the socket is closed, however it ended. */
  readonly closed: Promise<void>;
}

/**
 * The learner as server: a kernel socket connects to the learner's port, so the learner
 * answers a real SYN by hand. The socket is half-open capable, so the learner's FIN shows
 * as 'peer-closed' and our FIN follows only by choice (endOnPeerClose, or end()).
 */
export function connectBundledClient(target: Endpoint, onEvent: (event: AppEvent) => void, options: BundledClientOptions = {}): BundledClientHandle {
  const family = isIPv6(target.addr) ? 6 : 4;
  const socket: Socket = connect({
    host: target.addr,
    port: target.port,
    family,
    allowHalfOpen: true,
    noDelay: true,
    ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
    ...(options.localPort !== undefined ? { localPort: options.localPort } : {}),
  });
  let local: Endpoint | null = null;
  const learnLocal = (): void => {
    if (local === null && socket.localAddress !== undefined && socket.localPort !== undefined) {
      local = { addr: socket.localAddress, port: socket.localPort };
    }
  };
  // The kernel binds our end when connect() is issued, a tick after net.connect returns.
  socket.on('connectionAttempt', learnLocal);
  setImmediate(learnLocal);
  const ours = (): Endpoint => local ?? { addr: family === 6 ? '::' : '0.0.0.0', port: options.localPort ?? 0 };
  const emit = (event: Omit<AppEvent, 'local' | 'remote'>): void => onEvent({ ...event, local: ours(), remote: target });

  socket.on('connect', () => {
    local = null;
    learnLocal();
    emit({ kind: 'connected', message: `connected to ${formatEndpoint(target)}` });
    if (options.greeting !== undefined) socket.write(options.greeting);
  });
  socket.on('data', (chunk: Buffer) => {
    emit({ kind: 'received', data: new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), message: `read ${chunk.byteLength} byte${chunk.byteLength === 1 ? '' : 's'}` });
  });
  socket.on('end', () => {
    if (options.endOnPeerClose ?? true) {
      emit({ kind: 'peer-closed', message: 'the learner closed; closing our side too (FIN)' });
      socket.end();
    } else {
      emit({ kind: 'peer-closed', message: 'the learner closed; keeping our side open' });
    }
  });
  socket.on('error', (error) => emit({ kind: 'error', message: describeSocketError(error) }));
  const closed = new Promise<void>((resolve) => {
    socket.on('close', (hadError) => {
      emit({ kind: 'closed', message: hadError ? 'closed after an error' : 'closed' });
      resolve();
    });
  });

  return {
    remote: target,
    local: () => local,
    write(data) {
      if (socket.writable) socket.write(data);
    },
    end() {
      socket.end();
    },
    destroy() {
      if (socket.destroyed) return;
      if (socket.connecting) socket.destroy();
      else socket.resetAndDestroy();
    },
    closed,
  };
}
