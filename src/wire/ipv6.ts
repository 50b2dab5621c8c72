import { z } from 'zod';

export const Ipv6AddressSchema = z.ipv6();

/** An IPv6 fixed header as plain values; payloadLength is computed on encode unless set. */
export const Ipv6ReprSchema = z.object({
  version: z.literal(6),
  src: Ipv6AddressSchema,
  dst: Ipv6AddressSchema,
  trafficClass: z.number().int().min(0).max(0xff),
  flowLabel: z.number().int().min(0).max(0xfffff),
  hopLimit: z.number().int().min(0).max(0xff),
  nextHeader: z.number().int().min(0).max(0xff),
  /** Computed: bytes after the fixed header. */
  payloadLength: z.number().int().min(0).max(0xffff).optional(),
});

export type Ipv6Repr = z.infer<typeof Ipv6ReprSchema>;

export const IPV6_HEADER = 40;
