import type { Writable } from 'node:stream';

/**
 * Holds a stream's writes back until `later` runs, so that everything written meanwhile
 * leaves in one system call. Under load a session's events arrive by the dozen in one turn
 * (a packet out, the answers, a state change, the reply), and on a 2-core machine one writev
 * for them all instead of one write each is the difference between keeping up and not.
 * Returns the function to call before each write.
 */
export function batchWrites(stream: Writable, later: (flush: () => void) => void = process.nextTick): () => void {
  let held = false;
  const flush = (): void => {
    held = false;
    if (stream.writableCorked > 0) stream.uncork();
  };
  return () => {
    if (held || stream.destroyed) return;
    held = true;
    stream.cork();
    later(flush);
  };
}
