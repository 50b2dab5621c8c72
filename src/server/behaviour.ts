import { z } from 'zod';

/** What the bundled server does with a connection; chosen by a lesson or with the REPL's `server`. */
export const ServerBehaviourSpecSchema = z.discriminatedUnion('name', [
  /** Send back every byte received (the classic echo service). */
  z.object({ name: z.literal('echo') }),
  /** Read and throw away. */
  z.object({ name: z.literal('discard') }),
  /** The server speaks first: a greeting line as soon as the connection is accepted. */
  z.object({ name: z.literal('banner'), text: z.string().default('220 tcplab ready\r\n') }),
  /** Echo, but close (FIN) after this many bytes have been received: the server closes first. */
  z.object({ name: z.literal('close-after'), bytes: z.number().int().min(0) }),
  /** Messages end at "\n"; each complete line is answered with one reply line. */
  z.object({ name: z.literal('line') }),
  /** Messages carry a 2-byte big-endian length first; each complete one is answered framed the same way. */
  z.object({ name: z.literal('length-prefixed') }),
  /** Accepts but reads slowly (or not at all), so its receive window fills up. */
  z.object({ name: z.literal('slow-reader'), bytesPerSecond: z.number().int().min(0).default(0) }),
  /** No listener: the kernel answers a SYN with RST. */
  z.object({ name: z.literal('refuse') }),
]);

export type ServerBehaviourSpec = z.infer<typeof ServerBehaviourSpecSchema>;
export type ServerBehaviourName = ServerBehaviourSpec['name'];

/** Each behaviour has a port of its own, so several can listen at once; echo keeps the classic 7. */
export const BEHAVIOUR_PORTS: Record<ServerBehaviourName, number> = {
  echo: 7,
  discard: 9,
  banner: 13,
  'close-after': 7001,
  line: 7002,
  'length-prefixed': 7003,
  'slow-reader': 7004,
  refuse: 7005,
};

/**
 * The application's side of one accepted connection, as a behaviour sees it. Implemented
 * over node:net for lab and over the embedded TCP endpoint for sim, so one behaviour
 * serves both networks.
 */
export interface AppConnection {
  write(data: Uint8Array): void;
  /** Half-close: our FIN. */
  end(): void;
  /** Abort: our RST. */
  destroy(): void;
  /** Stop reading, so received bytes pile up and the advertised window shrinks. */
  pause(): void;
  resume(): void;
  onData(listener: (data: Uint8Array) => void): void;
  /** The peer's FIN arrived. */
  onEnd(listener: () => void): void;
}
