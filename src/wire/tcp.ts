import { z } from 'zod';
import { TcpOptionSchema } from './tcp-options.js';

const u16 = z.number().int().min(0).max(0xffff);
const u32 = z.number().int().min(0).max(0xffffffff);

/**
 * A TCP header and its payload as plain values. Fields marked "computed" are filled in by
 * the encoder when absent, and kept as given when present, so a lesson can send a wrong one.
 */
export const TcpReprSchema = z.object({
  sport: u16,
  dport: u16,
  seq: u32,
  ack: u32,
  /** Bit mask of TcpFlag values, AE included. */
  flags: z.number().int().min(0).max(0x1ff),
  window: u16,
  urgent: u16,
  options: z.array(TcpOptionSchema),
  payload: z.instanceof(Uint8Array),
  /** The three reserved bits between the data offset and AE; zero unless set. */
  reserved: z.number().int().min(0).max(7).optional(),
  /** Computed: header length in 32-bit words. */
  dataOffset: z.number().int().min(0).max(15).optional(),
  /** Computed: the Internet checksum over the pseudo-header, header and payload. */
  checksum: u16.optional(),
});

export type TcpRepr = z.infer<typeof TcpReprSchema>;

export const TCP_PROTOCOL = 6;
export const TCP_MIN_HEADER = 20;
