import { createRequire } from 'node:module';
import { readIpv4Address, readIpv6Address } from '../../wire/ip-address.js';

// The learner's raw sockets, IPPROTO_TCP for IPv4 and IPv6, opened inside the lab's
// namespace. They send packets exactly as the learner built them (header included) and
// receive a copy of every TCP packet in the namespace, the learner's own included (on
// loopback every packet is also received). Filtering is someone else's job: see
// learner-traffic.ts.

const SOL_SOCKET = 1;
const SO_MARK = 36;
const IPPROTO_IP = 0;
const IP_HDRINCL = 3;
const IPPROTO_IPV6 = 41;
const IPV6_HDRINCL = 36;
const IPPROTO_TCP = 6;
/** The addon's default of 4,096 bytes cuts longer packets short. */
const RECEIVE_BUFFER_BYTES = 65_535;

/** The part of @neuralegion/raw-socket (same API as raw-socket 1.8) that the lab uses. */
interface RawSocketAddon {
  createSocket(options: { protocol: number; addressFamily: number; bufferSize: number }): RawSocket;
  AddressFamily: { IPv4: number; IPv6: number };
}

interface RawSocket {
  /** The native socket and the receive buffer the addon reads into (its own fields). */
  wrap: {
    recv(buffer: Buffer, received: (buffer: Buffer, bytes: number, source: string) => void): void;
    send(buffer: Buffer, offset: number, length: number, address: string, sent: (bytes: number) => void): void;
  };
  buffer: Buffer;
  setOption(level: number, option: number, value: number): void;
  send(
    buffer: Buffer,
    offset: number,
    length: number,
    address: string,
    before: () => void,
    after: (error: Error | null, bytes: number) => void,
  ): void;
  on(event: 'message', listener: (buffer: Buffer, source: string) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  close(): void;
}

export const RAW_SOCKET_PACKAGE = '@neuralegion/raw-socket';

export type AddonLoad = { ok: true; addon: RawSocketAddon } | { ok: false; reason: string; fix: string };

let loaded: AddonLoad | undefined;

/** The addon is optional: without it tcplab still runs (on sim) and says why the lab cannot. */
export function loadRawSocketAddon(): AddonLoad {
  if (loaded) return loaded;
  try {
    const addon = createRequire(import.meta.url)(RAW_SOCKET_PACKAGE) as RawSocketAddon;
    loaded = { ok: true, addon };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    loaded =
      code === 'MODULE_NOT_FOUND'
        ? {
            ok: false,
            reason: `the raw socket addon (${RAW_SOCKET_PACKAGE}) is not installed`,
            fix: `npm install ${RAW_SOCKET_PACKAGE} (in tcplab's folder)`,
          }
        : {
            ok: false,
            reason: `the raw socket addon (${RAW_SOCKET_PACKAGE}) does not load on ${process.platform}-${process.arch}: ${(error as Error).message}`,
            fix: `npm rebuild ${RAW_SOCKET_PACKAGE} (needs python3, make and a C++ compiler when no prebuilt binary fits)`,
          };
  }
  return loaded;
}

/** What the raw sockets received: IPv6 raw sockets hand over only what follows the IP header. */
export type RawDatagram = { family: 4; packet: Buffer } | { family: 6; source: string; segment: Buffer };

export type RawSendOutcome = { ok: true; t: number } | { ok: false; t: number; reason: string };

export class RawSocketError extends Error {
  override name = 'RawSocketError';
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

export class RawChannel {
  private listener: (datagram: RawDatagram) => void = () => {};
  private failure: (error: Error) => void = () => {};

  private constructor(
    private readonly v4: RawSocket,
    /** Null on a kernel without IPv6. */
    private readonly v6: RawSocket | null,
    private readonly clock: () => number,
  ) {
    v4.on('message', (buffer) => this.listener({ family: 4, packet: Buffer.from(buffer) }));
    v6?.on('message', (buffer, source) => this.listener({ family: 6, source, segment: Buffer.from(buffer) }));
    // A read that finds nothing (EAGAIN, after a drain emptied the socket) is no failure.
    const failed = (error: Error) => {
      if (!/temporarily unavailable/i.test(error.message)) this.failure(error);
    };
    v4.on('error', failed);
    v6?.on('error', failed);
  }

  /**
   * Opens both sockets (the IPv6 one only when `ipv6`); every packet they send carries
   * `mark` (SO_MARK), which the firewall lets through.
   */
  static open(mark: number, clock: () => number, ipv6: boolean): RawChannel {
    const load = loadRawSocketAddon();
    if (!load.ok) throw new RawSocketError(load.reason, load.fix);
    const { addon } = load;
    const opened: RawSocket[] = [];
    try {
      const v4 = addon.createSocket({ protocol: IPPROTO_TCP, addressFamily: addon.AddressFamily.IPv4, bufferSize: RECEIVE_BUFFER_BYTES });
      opened.push(v4);
      v4.setOption(IPPROTO_IP, IP_HDRINCL, 1);
      v4.setOption(SOL_SOCKET, SO_MARK, mark);
      if (!ipv6) return new RawChannel(v4, null, clock);
      const v6 = addon.createSocket({ protocol: IPPROTO_TCP, addressFamily: addon.AddressFamily.IPv6, bufferSize: RECEIVE_BUFFER_BYTES });
      opened.push(v6);
      // With the header included the learner's traffic class, flow label and hop limit go
      // out as built, and the kernel computes no checksum: the learner's stands.
      v6.setOption(IPPROTO_IPV6, IPV6_HDRINCL, 1);
      v6.setOption(SOL_SOCKET, SO_MARK, mark);
      return new RawChannel(v4, v6, clock);
    } catch (error) {
      for (const socket of opened) socket.close();
      const message = (error as Error).message;
      throw new RawSocketError(
        `a raw TCP socket could not be opened: ${message}`,
        /not permitted/i.test(message)
          ? 'raw sockets need CAP_NET_RAW: tcplab gets it inside its own namespace; run `tcplab doctor` to see what stops that'
          : 'run `tcplab doctor` to see which requirement is missing',
      );
    }
  }

  /**
   * Reads whatever the sockets hold right now, without waiting for the event loop to say
   * they are readable. The kernel queues a packet to raw sockets before TCP handles it, so
   * after a drain every packet behind a TCP state the kernel now shows has been delivered:
   * draining before reading /proc/net/tcp keeps a state change from overtaking its cause.
   */
  drain(): void {
    this.drainOne(this.v4, (buffer) => this.listener({ family: 4, packet: buffer }));
    if (this.v6 !== null) this.drainOne(this.v6, (buffer, source) => this.listener({ family: 6, source, segment: buffer }));
  }

  private drainOne(socket: RawSocket, deliver: (buffer: Buffer, source: string) => void): void {
    for (;;) {
      let got: { buffer: Buffer; source: string } | null = null;
      try {
        socket.wrap.recv(socket.buffer, (buffer, bytes, source) => (got = { buffer: Buffer.from(buffer.subarray(0, bytes)), source }));
      } catch {
        return; // EAGAIN: nothing more queued (or the socket is closed).
      }
      if (got === null) return;
      const { buffer, source } = got;
      deliver(buffer, source);
    }
  }

  onDatagram(listener: (datagram: RawDatagram) => void): void {
    this.listener = listener;
  }

  onFailure(listener: (error: Error) => void): void {
    this.failure = listener;
  }

  /**
   * Sends one IP packet, header included, to the destination its header names. `done` runs
   * synchronously after the kernel took (or refused) it, before anything the raw sockets
   * receive next is delivered, so the sender can note the packet before its copy arrives.
   */
  send(bytes: Uint8Array, done: (outcome: RawSendOutcome) => void): void {
    const destination = destinationOf(bytes);
    if ('reason' in destination) {
      done({ ok: false, t: this.clock(), reason: destination.reason });
      return;
    }
    const socket = destination.family === 4 ? this.v4 : this.v6;
    if (socket === null) {
      done({ ok: false, t: this.clock(), reason: 'this kernel has IPv6 turned off: only IPv4 packets can be sent in this lab' });
      return;
    }
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let t = this.clock();
    // Straight to sendto(): the addon's own send() waits for the event loop to report the
    // socket writable, which costs 10 ms and more while the loop has other work. A raw
    // socket is nearly always writable; only when it is not does the packet join the queue.
    try {
      socket.wrap.send(buffer, 0, buffer.length, destination.addr, () => {});
      done({ ok: true, t });
      return;
    } catch (error) {
      if (!/temporarily unavailable|no buffer space/i.test((error as Error).message)) {
        done({ ok: false, t, reason: sendFailure((error as Error).message, destination.addr) });
        return;
      }
    }
    socket.send(
      buffer,
      0,
      buffer.length,
      destination.addr,
      () => (t = this.clock()),
      (error) => done(error ? { ok: false, t, reason: sendFailure(error.message, destination.addr) } : { ok: true, t }),
    );
  }

  close(): void {
    this.v4.close();
    this.v6?.close();
  }
}

function destinationOf(bytes: Uint8Array): { family: 4 | 6; addr: string } | { reason: string } {
  if (bytes.length === 0) return { reason: 'an empty packet cannot be sent' };
  const version = bytes[0]! >> 4;
  if (version === 4) {
    if (bytes.length < 20) return { reason: `an IPv4 packet needs at least its 20-byte header; this one has ${bytes.length} bytes` };
    return { family: 4, addr: readIpv4Address(bytes, 16) };
  }
  if (version === 6) {
    if (bytes.length < 40) return { reason: `an IPv6 packet needs at least its 40-byte header; this one has ${bytes.length} bytes` };
    return { family: 6, addr: readIpv6Address(bytes, 24) };
  }
  return { reason: `ip.version is ${version}: only IPv4 (4) and IPv6 (6) packets can be sent` };
}

function sendFailure(message: string, addr: string): string {
  if (/not permitted/i.test(message)) return `the packet never left: a firewall rule in the lab dropped it (EPERM: ${message})`;
  if (/unreachable/i.test(message)) return `the packet never left: there is no route to ${addr} in the lab (${message})`;
  if (/invalid argument/i.test(message)) return `the kernel refused the packet as malformed (EINVAL: ${message})`;
  if (/too long/i.test(message)) return `the packet is longer than the lab's link allows (EMSGSIZE: ${message})`;
  return `the kernel refused to send the packet: ${message}`;
}
