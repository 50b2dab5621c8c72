import { SegmentSyntaxError, type Span } from './syntax-error.js';

/** An address field whose IP version is known, and where it was written. */
export interface VersionedField {
  name: 'src' | 'dst';
  version: 4 | 6;
  span: Span;
}

/** src and dst must agree; the error points at whichever was written second. */
export function checkSameVersion(a: VersionedField | null, b: VersionedField | null): void {
  if (a === null || b === null || a.version === b.version) return;
  const [first, second] = a.span.column <= b.span.column ? [a, b] : [b, a];
  throw new SegmentSyntaxError(
    `${second.name} is IPv${second.version} but ${first.name} is IPv${first.version}`,
    second.span,
    `${first.name} at column ${first.span.column} makes this an IPv${first.version} packet; use one IP version for both`,
  );
}

/** `id` and `df` live in the IPv4 header only; `because` says what made the packet IPv6. */
export function checkIpv4Only(fields: ReadonlyArray<{ name: 'id' | 'df'; span: Span } | null>, because: string): void {
  for (const field of fields) {
    if (field === null) continue;
    throw new SegmentSyntaxError(`${field.name} is IPv4-only`, field.span, `this packet is IPv6 because ${because}`);
  }
}
