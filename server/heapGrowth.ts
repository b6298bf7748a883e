import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection kept, in percent.
 *
 * Measured (bench, /work/notes/memory.md): after a full collection the app holds ~36 MB of live
 * heap in every phase. Under load, requests in flight (Bolt copies its argument object once per
 * middleware) survive two scavenges and are promoted; V8 sizes the next full collection against
 * its heap limit (4 GB on a machine with 16 GB or more), not against what is live, and let the
 * old generation fill with ~200 MB of dead objects before it collected: peak RSS 280–350 MB for
 * ~40 MB of live data. A fixed growing factor of 1.3 collects at ~1.3 × live instead.
 *
 * It is not a cap: the limit follows the live size up, so a larger working set only means more
 * frequent full collections, never an out-of-memory crash. V8's own factor is 1.1 to 4 (chosen
 * from its GC and allocation speeds); the cost measured here is a few more full collections per
 * second under load (mostly concurrent marking), within the noise of CPU per request.
 */
export const HEAP_GROWING_PERCENT = 30;

/** Applies HEAP_GROWING_PERCENT to this process (read by V8 at each full collection, so it takes effect at once). */
export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  if (!Number.isInteger(percent) || percent <= 0) throw new Error('the heap growing percent must be a positive integer');
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
