import { closeSync, openSync, readSync } from 'node:fs';

// /proc/net/tcp and /proc/net/tcp6 of the lab's namespace, kept open and read again from the
// start for each snapshot: a positioned read of an open file costs a fifth of what opening,
// reading and closing it by name does (0.03 ms against 0.15 ms here), and the host takes a
// snapshot after every burst of packets.

export class ProcNetTcpFiles {
  private buffer = Buffer.alloc(64 * 1024);
  private readonly v4: number;
  private readonly v6: number | null;

  constructor() {
    this.v4 = openSync('/proc/net/tcp', 'r');
    try {
      this.v6 = openSync('/proc/net/tcp6', 'r');
    } catch {
      this.v6 = null; // A kernel without IPv6.
    }
  }

  /** The text of /proc/net/tcp, and of /proc/net/tcp6 after it when `ipv6`. */
  read(ipv6: boolean): string {
    const v4 = this.readAll(this.v4);
    return ipv6 && this.v6 !== null ? v4 + this.readAll(this.v6) : v4;
  }

  close(): void {
    closeSync(this.v4);
    if (this.v6 !== null) closeSync(this.v6);
  }

  private readAll(fd: number): string {
    let length = 0;
    for (;;) {
      const got = readSync(fd, this.buffer, length, this.buffer.length - length, length);
      length += got;
      // The kernel fills the buffer as far as it can: a short read is the end of the file.
      if (got === 0 || length < this.buffer.length) break;
      const bigger = Buffer.alloc(this.buffer.length * 2);
      this.buffer.copy(bigger, 0, 0, length);
      this.buffer = bigger;
    }
    return this.buffer.toString('latin1', 0, length);
  }
}
