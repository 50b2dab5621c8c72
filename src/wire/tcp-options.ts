import { z } from 'zod';

// The option kinds a learner meets in Linux handshakes, plus a byte-for-byte escape hatch
// so that any kind a capture holds survives a decode and re-encode unchanged.
export const TcpOptionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('eol') }),
  z.object({ kind: z.literal('nop') }),
  z.object({ kind: z.literal('mss'), value: z.number().int().min(0).max(0xffff) }),
  z.object({ kind: z.literal('wscale'), value: z.number().int().min(0).max(0xff) }),
  z.object({ kind: z.literal('sackok') }),
  z.object({
    kind: z.literal('sack'),
    blocks: z.array(z.tuple([z.number().int().min(0).max(0xffffffff), z.number().int().min(0).max(0xffffffff)])).max(4),
  }),
  z.object({
    kind: z.literal('ts'),
    tsval: z.number().int().min(0).max(0xffffffff),
    tsecr: z.number().int().min(0).max(0xffffffff),
  }),
  z.object({
    kind: z.literal('unknown'),
    type: z.number().int().min(0).max(0xff),
    data: z.instanceof(Uint8Array),
  }),
]);

export type TcpOption = z.infer<typeof TcpOptionSchema>;

export const TCP_OPTION_KIND = {
  eol: 0,
  nop: 1,
  mss: 2,
  wscale: 3,
  sackok: 4,
  sack: 5,
  ts: 8,
} as const;
