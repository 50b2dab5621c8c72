import { z } from 'zod';

export const Ipv4AddressSchema = z.ipv4();

/** An IPv4 header as plain values; "computed" fields are filled in on encode unless set. */
export const Ipv4ReprSchema = z.object({
  version: z.literal(4),
  src: Ipv4AddressSchema,
  dst: Ipv4AddressSchema,
  tos: z.number().int().min(0).max(0xff),
  id: z.number().int().min(0).max(0xffff),
  df: z.boolean(),
  mf: z.boolean(),
  fragOffset: z.number().int().min(0).max(0x1fff),
  ttl: z.number().int().min(0).max(0xff),
  protocol: z.number().int().min(0).max(0xff),
  /** IP options, raw, without padding; the encoder pads them to a multiple of four. */
  options: z.instanceof(Uint8Array),
  /** The reserved ("evil") bit of the flags; false unless set. */
  reservedBit: z.boolean().optional(),
  /** Computed: header length in 32-bit words. */
  ihl: z.number().int().min(0).max(15).optional(),
  /** Computed: header plus payload, in bytes. */
  totalLength: z.number().int().min(0).max(0xffff).optional(),
  /** Computed: the header checksum. */
  checksum: z.number().int().min(0).max(0xffff).optional(),
});

export type Ipv4Repr = z.infer<typeof Ipv4ReprSchema>;

export const IPV4_MIN_HEADER = 20;
