import type { DecodedPacket } from '../wire/packet.js';

/** Which way a packet travelled, seen from the learner. */
export type Direction = 'out' | 'in';

/** TCP states as Linux names them in /proc/net/tcp (and `ss`), plus CLOSED for a socket that is gone. */
export const TCP_STATES = [
  'ESTABLISHED',
  'SYN-SENT',
  'SYN-RECV',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'TIME-WAIT',
  'CLOSED',
  'CLOSE-WAIT',
  'LAST-ACK',
  'LISTEN',
  'CLOSING',
  'NEW-SYN-RECV',
] as const;

export type TcpState = (typeof TCP_STATES)[number];

export interface Endpoint {
  addr: string;
  port: number;
}

/** What the bundled server's (or bundled client's) application saw on its socket. */
export type AppEventKind = 'listening' | 'accepted' | 'connected' | 'received' | 'peer-closed' | 'closed' | 'error';

export type NetEvent =
  | {
      type: 'packet';
      /** Milliseconds on the network's clock (real for lab and ws, virtual for sim). */
      t: number;
      dir: Direction;
      packet: DecodedPacket;
    }
  | {
      type: 'app';
      t: number;
      kind: AppEventKind;
      /** The bundled side's socket: its local and remote ends. */
      local: Endpoint;
      remote: Endpoint | null;
      /** Bytes received, for 'received'. */
      data?: Uint8Array;
      /** Human-readable detail, for 'error' and the rest. */
      message?: string;
    }
  | {
      type: 'state';
      t: number;
      local: Endpoint;
      remote: Endpoint;
      /** Null the first time a socket is seen. */
      from: TcpState | null;
      to: TcpState;
    };

export type SendResult =
  | { ok: true; t: number }
  /** The packet never left: e.g. EPERM when a firewall rule dropped it, or a refused destination. */
  | { ok: false; t: number; reason: string };

export interface NetworkInfo {
  kind: 'lab' | 'sim' | 'ws';
  /** One line that says which network this is and why it was chosen. */
  description: string;
  learner: { addr4: string; addr6: string; ports: { first: number; last: number } };
  server: { addr4: string; addr6: string };
}

/**
 * Where a learner's segments go. The REPL, the lessons and the UI use only this, so a lesson
 * runs unchanged on any network. A network knows nothing of lessons.
 */
export interface Network {
  readonly info: NetworkInfo;
  /** Milliseconds on this network's clock. */
  now(): number;
  /**
   * Let time pass: real time on lab and ws; on sim the virtual clock advances and every
   * timer due in that span fires first, so waiting is instant and deterministic.
   */
  wait(ms: number): Promise<void>;
  /** Send one IP packet (IPv4 or IPv6, header included) as the learner. */
  send(bytes: Uint8Array): Promise<SendResult>;
  /** Every packet on the learner's flows both ways, app events and socket states, in order. */
  subscribe(listener: (event: NetEvent) => void): () => void;
  /** Switch what the bundled server does on its port; returns that port. */
  setServer(behaviour: ServerBehaviourSpec): Promise<{ port: number }>;
  /** Learner as server: the bundled client opens a connection to the learner's port. */
  connect(target: Endpoint): Promise<void>;
  close(): Promise<void>;
}

export type { ServerBehaviourSpec } from '../server/behaviour.js';
import type { ServerBehaviourSpec } from '../server/behaviour.js';
