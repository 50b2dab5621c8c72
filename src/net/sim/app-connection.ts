/**
 * AppConnection over a simulated socket, so the bundled server's behaviours run unchanged
 * on the embedded endpoint. Like the lab's socket connection it starts not reading: the
 * host calls startReading() after the behaviour has had its say, so a slow reader that
 * pauses at once never takes a byte off the receive queue.
 */
import type { AppConnection } from '../../server/behaviour.js';
import type { TcpSocket } from './socket.js';

export interface SocketEndings {
  error(code: string): void;
  closed(hadError: boolean): void;
}

export class SimAppConnection implements AppConnection {
  private readonly dataListeners: Array<(data: Uint8Array) => void> = [];
  private readonly endListeners: Array<() => void> = [];

  constructor(
    private readonly socket: TcpSocket,
    endings: SocketEndings,
  ) {
    socket.app = {
      data: (data) => {
        for (const listener of this.dataListeners) listener(data);
      },
      end: () => {
        for (const listener of this.endListeners) listener();
      },
      error: (code) => endings.error(code),
      closed: (hadError) => endings.closed(hadError),
    };
  }

  write(data: Uint8Array): void {
    this.socket.write(data);
  }

  end(): void {
    this.socket.shutdown();
  }

  destroy(): void {
    this.socket.abort();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  onData(listener: (data: Uint8Array) => void): void {
    this.dataListeners.push(listener);
  }

  onEnd(listener: () => void): void {
    this.endListeners.push(listener);
  }

  startReading(): void {
    this.socket.startReading();
  }
}
