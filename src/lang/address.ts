import { canonicalIpv6Address } from '../wire/ip-address.js';
import { Ipv4AddressSchema } from '../wire/ipv4.js';
import { Ipv6AddressSchema } from '../wire/ipv6.js';
import { parseVariableRef, type Resolver, type VariableRef } from './expression.js';
import { Scanner } from './lexer.js';
import { SegmentSyntaxError, type Span } from './syntax-error.js';

export type AddressValue =
  | { kind: 'address'; version: 4 | 6; address: string; span: Span }
  | { kind: 'variable'; ref: VariableRef; span: Span };

export interface ResolvedAddress {
  version: 4 | 6;
  address: string;
}

/**
 * An address string checked and in the form the decoder writes (RFC 5952 for IPv6), so a
 * packet built from `dst=FE80:0::1` compares equal to the one read back off the wire.
 * Null when it is not an address.
 */
export function normalizeAddress(address: string): ResolvedAddress | null {
  if (Ipv4AddressSchema.safeParse(address).success) return { version: 4, address };
  if (!Ipv6AddressSchema.safeParse(address).success) return null;
  const canonical = canonicalIpv6Address(address);
  return canonical === null ? null : { version: 6, address: canonical };
}

/** `10.0.0.1`, `fe80::1`, or a variable standing for one (`$server.addr`). */
export function parseAddress(scanner: Scanner): AddressValue {
  if (scanner.peek() === '$') {
    const ref = parseVariableRef(scanner);
    return { kind: 'variable', ref, span: ref.span };
  }
  const start = scanner.pos;
  const text = scanner.takeWhile((ch) => /[0-9A-Za-z.:%]/.test(ch));
  const span = scanner.spanFrom(start);
  if (text === '') {
    scanner.fail(`expected an IPv4 or IPv6 address or $variable, got ${scanner.describeNext()}`);
  }
  const normal = normalizeAddress(text);
  if (normal !== null) return { kind: 'address', ...normal, span };
  if (text.includes(':')) {
    const hint = text.includes('%') ? 'zone ids such as %eth0 are not supported' : 'e.g. fe80::1 or ::1';
    throw new SegmentSyntaxError(`'${text}' is not an IPv6 address`, span, hint);
  }
  if (/^[0-9.]+$/.test(text)) {
    throw new SegmentSyntaxError(`'${text}' is not an IPv4 address`, span, 'write four numbers 0..255, e.g. 10.0.0.1');
  }
  throw new SegmentSyntaxError(`expected an IPv4 or IPv6 address or $variable, got '${text}'`, span, 'names are not looked up');
}

export function resolveAddress(value: AddressValue, resolve: Resolver): ResolvedAddress {
  if (value.kind === 'address') return { version: value.version, address: value.address };
  const { ref } = value;
  const resolved = resolve(ref);
  if (resolved === undefined) throw new SegmentSyntaxError(`unknown variable ${ref.text}`, ref.span);
  if (typeof resolved === 'number') {
    throw new SegmentSyntaxError(`expected an address but ${ref.text} is ${resolved}`, ref.span);
  }
  const normal = normalizeAddress(resolved);
  if (normal === null) throw new SegmentSyntaxError(`expected an address but ${ref.text} is '${resolved}'`, ref.span);
  return normal;
}
