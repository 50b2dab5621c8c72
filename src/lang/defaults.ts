import { z } from 'zod';
import { Ipv4AddressSchema } from '../wire/ipv4.js';
import { Ipv6AddressSchema } from '../wire/ipv6.js';

const u8 = z.number().int().min(0).max(0xff);
const u16 = z.number().int().min(0).max(0xffff);
const u32 = z.number().int().min(0).max(0xffffffff);

/**
 * What an unset field takes, keyed by the language's field names. Both address families
 * are given, because one IPv6 address in a line makes the whole packet IPv6.
 */
export const SegmentDefaultsSchema = z.object({
  /** The IP version of a line that names no address. */
  version: z.union([z.literal(4), z.literal(6)]),
  ipv4: z.object({ src: Ipv4AddressSchema, dst: Ipv4AddressSchema }),
  ipv6: z.object({ src: Ipv6AddressSchema, dst: Ipv6AddressSchema }),
  sport: u16,
  dport: u16,
  seq: u32,
  ack: u32,
  flags: z.number().int().min(0).max(0x1ff),
  win: u16,
  urp: u16,
  ttl: u8,
  id: u16,
  tos: u8,
  df: z.boolean(),
});

export type SegmentDefaults = z.infer<typeof SegmentDefaultsSchema>;

/** For `tcplab encode` outside a session: loopback, an ephemeral port to echo, Linux's window. */
export const ENCODE_DEFAULTS: SegmentDefaults = {
  version: 4,
  ipv4: { src: '127.0.0.1', dst: '127.0.0.1' },
  ipv6: { src: '::1', dst: '::1' },
  sport: 40000,
  dport: 7,
  seq: 0,
  ack: 0,
  flags: 0,
  win: 64240,
  urp: 0,
  ttl: 64,
  id: 0,
  tos: 0,
  df: true,
};
