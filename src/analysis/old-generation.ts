/**
 * The main thread's old generation kept near what it holds while it merges a parallel scan's
 * parts and derives the chains, cycles and findings from them.
 *
 * That step allocates a burst of objects that live a little while (every kept event unpacked,
 * the chains being built, a hit per pending chain for the rules), and the main thread's young
 * generation is small (young-generation.ts), so most of them are promoted and die in the old
 * generation. After each full collection V8 lets that generation grow by a factor it picks from
 * how cheap collecting was, here up to ~2-4x what was live: the main thread's heap reached 58 MB
 * with 18-26 MB live at 2 GiB and 125 MB with ~40 MB live at 4 GiB, where it became the scan's
 * peak (212 MB; the parts peaked at ~150). `--heap-growing-percent` (read at every full
 * collection, so it applies when set at run time) caps the factor: at 4 GiB the heap stays near
 * 40 MB and the peak near 150 MB, for ~70-200 ms more collecting (bench/RESULTS.md, round 9).
 * 20 % measured the same peak as 50 % and collected more often.
 *
 * Process-wide and kept: what follows in a scan (the report) allocates little that lives; a scan
 * that reads everything again in this thread after a worker failed reads with it too (slower,
 * smaller).
 */
import { setFlagsFromString } from 'node:v8';

/** How much V8 may let the old generation grow past what the last full collection kept. */
export const MERGE_HEAP_GROWING_PERCENT = 50;

/** Caps old-generation growth for every isolate from now on (the parts' workers are done). */
export function tightenOldGeneration(): void {
  setFlagsFromString(`--heap-growing-percent=${MERGE_HEAP_GROWING_PERCENT}`);
}
