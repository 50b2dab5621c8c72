// The session's variables: `$rx`, `$tx`, `$pkt[N]` (packets) and `$server`, `$me`, `$peer`
// (endpoints). Whatever cannot be answered is a SegmentSyntaxError at the variable, saying
// why in the learner's terms ("nothing has come from the peer yet"), never a bare "unknown".

import type { VariableRef } from '../lang/expression.js';
import { didYouMean } from '../lang/suggest.js';
import { SegmentSyntaxError } from '../lang/syntax-error.js';
import type { Endpoint } from '../net/network.js';
import type { DecodedPacket } from '../wire/packet.js';

/** What the variables read; the session provides it. */
export interface VariableScope {
  /** `$rx[n]` (n null for `$rx`). */
  rx(n: number | null): DecodedPacket | undefined;
  /** `$tx[n]` (n null for `$tx`). */
  tx(n: number | null): DecodedPacket | undefined;
  /** `$pkt[N]`, N from 1, or back from the latest for N < 0. */
  pkt(n: number): DecodedPacket | undefined;
  counts(): { rx: number; tx: number; pkt: number };
  server(): Endpoint;
  me(): Endpoint;
  /** The other end of the learner's connection; null before a SYN named it. */
  peer(): Endpoint | null;
}

export const PACKET_VARIABLES = ['rx', 'tx', 'pkt'] as const;
export const ENDPOINT_VARIABLES = ['server', 'me', 'peer'] as const;
const VARIABLE_NAMES: readonly string[] = [...PACKET_VARIABLES, ...ENDPOINT_VARIABLES];

/** Every variable with what it stands for, for `ls vars`, help and completion. */
export const SESSION_VARIABLES: ReadonlyArray<{ name: string; description: string }> = [
  { name: '$rx', description: 'the packet the last sr1 or recv returned, or a later arrival from the peer' },
  { name: '$tx', description: 'the last packet you sent' },
  { name: '$rx[-2]', description: 'counting back from $rx: [-1] is $rx itself; [0] is the first from the peer' },
  { name: '$tx[-2]', description: 'counting back from $tx; [0] is the first you sent' },
  { name: '$pkt[N]', description: 'packet N of the session, either way, as the log numbers it' },
  { name: '$server', description: "the bundled server: .addr and .port" },
  { name: '$me', description: 'you: .addr and .port' },
  { name: '$peer', description: 'the other end of your connection: the server, or the bundled client after connect' },
];

export const PACKET_FIELDS = ['seq', 'ack', 'len', 'win', 'flags', 'sport', 'dport', 'urp', 'ttl', 'src', 'dst', 'tsval', 'tsecr'] as const;
const ENDPOINT_FIELDS = ['addr', 'port'] as const;

export function sessionResolver(scope: VariableScope): (ref: VariableRef) => number | string {
  return (ref) => {
    const name = ref.name;
    if ((ENDPOINT_VARIABLES as readonly string[]).includes(name)) return endpointValue(scope, ref);
    if ((PACKET_VARIABLES as readonly string[]).includes(name)) return packetValue(ref, packetOf(scope, ref));
    const hint = didYouMean(name, VARIABLE_NAMES, (s) => `'$${s}'`) ?? `variables are ${VARIABLE_NAMES.map((v) => `$${v}`).join(' ')}`;
    throw new SegmentSyntaxError(`unknown variable $${name}`, ref.span, hint);
  };
}

function endpointValue(scope: VariableScope, ref: VariableRef): number | string {
  if (ref.index !== null) throw new SegmentSyntaxError(`$${ref.name} is one endpoint: it takes no [index]`, ref.span, `write $${ref.name}.port or $${ref.name}.addr`);
  if (ref.field === null) throw new SegmentSyntaxError(`$${ref.name} is an endpoint; name its .addr or .port`, ref.span, `e.g. $${ref.name}.port`);
  if (!(ENDPOINT_FIELDS as readonly string[]).includes(ref.field)) {
    throw new SegmentSyntaxError(`$${ref.name} has no .${ref.field}`, ref.span, `an endpoint has .addr and .port`);
  }
  const endpoint = ref.name === 'server' ? scope.server() : ref.name === 'me' ? scope.me() : scope.peer();
  if (endpoint === null) {
    throw new SegmentSyntaxError(`${ref.text} has no value yet: no connection has named the other end`, ref.span, 'send a SYN, or connect and receive one');
  }
  return ref.field === 'addr' ? endpoint.addr : endpoint.port;
}

function packetOf(scope: VariableScope, ref: VariableRef): DecodedPacket {
  const counts = scope.counts();
  if (ref.name === 'pkt') {
    if (ref.index === null) throw new SegmentSyntaxError('$pkt needs a packet number', ref.span, 'e.g. $pkt[1].seq for the first packet of the session');
    if (ref.index === 0) throw new SegmentSyntaxError('packets are numbered from 1', ref.span, 'write $pkt[1] for the first, $pkt[-1] for the latest');
    const packet = scope.pkt(ref.index);
    if (packet === undefined) throw new SegmentSyntaxError(`${ref.text} is not there: the session has ${plural(counts.pkt, 'packet')} so far`, ref.span);
    return packet;
  }
  const rx = ref.name === 'rx';
  const packet = rx ? scope.rx(ref.index) : scope.tx(ref.index);
  if (packet !== undefined) return packet;
  const count = rx ? counts.rx : counts.tx;
  if (count === 0) {
    throw rx
      ? new SegmentSyntaxError(`${ref.text} has no value yet: nothing has come from the peer`, ref.span, 'wait for a reply with recv or sr1')
      : new SegmentSyntaxError(`${ref.text} has no value yet: you have sent nothing`, ref.span, 'send a segment first');
  }
  const what = rx ? `${plural(count, 'packet')} from the peer` : `${plural(count, 'packet')} sent`;
  throw new SegmentSyntaxError(`${ref.text} is not there: there ${count === 1 ? 'is' : 'are'} ${what} so far`, ref.span);
}

function packetValue(ref: VariableRef, packet: DecodedPacket): number | string {
  if (ref.field === null) throw new SegmentSyntaxError(`$${ref.name} is a packet; name one of its fields`, ref.span, `e.g. ${ref.text}.seq`);
  const { ip, tcp } = packet;
  const need = <T>(value: T | null, what: string): T => {
    if (value === null) throw new SegmentSyntaxError(`${ref.text} cannot be read: the packet has no ${what}`, ref.span);
    return value;
  };
  switch (ref.field) {
    case 'src':
      return need(ip, 'IP header').src;
    case 'dst':
      return need(ip, 'IP header').dst;
    case 'ttl': {
      const header = need(ip, 'IP header');
      return header.version === 4 ? header.ttl : header.hopLimit;
    }
    case 'seq':
      return need(tcp, 'TCP header').seq;
    case 'ack':
      return need(tcp, 'TCP header').ack;
    case 'len':
      return need(tcp, 'TCP header').payload.length;
    case 'win':
      return need(tcp, 'TCP header').window;
    case 'flags':
      return need(tcp, 'TCP header').flags;
    case 'sport':
      return need(tcp, 'TCP header').sport;
    case 'dport':
      return need(tcp, 'TCP header').dport;
    case 'urp':
      return need(tcp, 'TCP header').urgent;
    case 'tsval':
    case 'tsecr': {
      const ts = need(tcp, 'TCP header').options.find((option) => option.kind === 'ts');
      if (ts === undefined || ts.kind !== 'ts') throw new SegmentSyntaxError(`${ref.text} cannot be read: the packet has no timestamp option`, ref.span);
      return ts[ref.field];
    }
    default:
      throw new SegmentSyntaxError(`${ref.text}: a packet has no .${ref.field}`, ref.span, `.addr and .port belong to $server, $me and $peer; a packet has .${PACKET_FIELDS.join(' .')}`);
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
