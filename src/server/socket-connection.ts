import type { Socket } from 'node:net';
import type { AppConnection } from './behaviour.js';

/**
 * AppConnection over a node:net socket. The socket must arrive paused and not yet reading
 * (a server with pauseOnConnect): reading starts with startReading(), after the behaviour
 * has had its say, so a slow reader that pauses at once never takes a byte off the kernel's
 * receive queue and the window the learner sees really shrinks.
 */
export class SocketAppConnection implements AppConnection {
  private paused = false;

  constructor(private readonly socket: Socket) {}

  write(data: Uint8Array): void {
    if (this.socket.writable) this.socket.write(data);
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    // close() alone sends FIN unless data is unread; an abort must be an RST.
    if (!this.socket.destroyed) this.socket.resetAndDestroy();
  }

  pause(): void {
    this.paused = true;
    this.socket.pause();
  }

  resume(): void {
    this.paused = false;
    this.socket.resume();
  }

  onData(listener: (data: Uint8Array) => void): void {
    this.socket.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  }

  onEnd(listener: () => void): void {
    this.socket.on('end', listener);
  }

  /** Starts taking bytes off the kernel's queue, unless the behaviour paused. */
  startReading(): void {
    if (!this.paused) this.socket.resume();
  }
}
