import { z } from 'zod';

const u32 = z.number().int().min(0).max(0xffffffff);

/**
 * How a rendering reads. Sequence numbers are absolute unless a base is given: the caller
 * knows which ISN belongs to which direction, so it passes the sender's ISN as `seqBase` and
 * the receiver's as `ackBase`, and every number in that space (SACK blocks included) is
 * shown as its distance from the base.
 */
export const RenderOptionsSchema = z.object({
  seqBase: u32.optional(),
  ackBase: u32.optional(),
  /** ANSI colours; off by default so the plain text reads the same anywhere. */
  color: z.boolean().optional(),
});

export type RenderOptions = z.infer<typeof RenderOptionsSchema>;

export class RenderOptionsError extends Error {
  override name = 'RenderOptionsError';
}

/** The options checked, or a RenderOptionsError that names the bad one. */
export function checkRenderOptions(options: RenderOptions | undefined): RenderOptions {
  if (options === undefined) return {};
  const parsed = RenderOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'options';
  throw new RenderOptionsError(`render option ${where}: ${issue.message}`);
}

/** A sequence number as shown: its distance from `base` modulo 2^32, or itself without a base. */
export function relativeTo(value: number, base: number | undefined): number {
  return base === undefined ? value : (value - base) >>> 0;
}
