/**
 * Big scans analyze in a worker thread with a V8 heap limit. The analysis' live memory is
 * bounded (the rule engine keeps bounded stores and a scan keeps no events: ~35 MB live for a
 * 1 GB log), but V8 lets a heap grow lazily towards its default limit when allocation is fast,
 * and a 1 GB scan peaked at ~350 MB RSS. Node cannot lower the main thread's heap limit once
 * running; a worker's it can, and V8 then collects within it.
 *
 * Should the worker still run out of memory (a log with a vast number of device actions, each
 * of which is reported), the caller gets null and analyzes in its own thread without a limit.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { totalBytes, type InputProblem, type LogicalSource } from '../ingest/discover.js';
import type { AnalysisResult, AnalyzeOptions } from './analyze.js';
import type { SpillJob, SpillState } from './event-spill.js';

/** Inputs at least this big are analyzed in a worker; below, the worker's start costs more than it saves. */
export const ISOLATE_BYTES = 256 * 1024 * 1024;
/**
 * The worker's old-generation limit. A scan's live set is ~20 MB for a 1 GB log, plus what its
 * device actions add (each is kept to be reported): a 2 GB log with 18,000 actions needs more than 64.
 */
export const WORKER_HEAP_MB = 128;

/**
 * The worker's young-generation limit (MB). Records are framed 32 KiB at a time (read.ts
 * FRAME_BYTES), so little of what a worker allocates survives a scavenge, and a bigger young
 * generation only adds resident pages: V8's default let a 1 GiB scan's worker peak 15–25 MB higher
 * at the same speed, and 16 MB 8–10 MB higher than 8 at the same speed. Smaller than 8 MB saves
 * nothing more. With 256 KiB frames, 8 MB took 75 % longer (survivors promoted, old-generation
 * collections). Measured in bench/RESULTS.md (rounds 5 and 6). A scan's workers stay below it:
 * their young generations keep the size they start at (young-generation.ts).
 */
export const WORKER_YOUNG_MB = 8;

/** A scan worker's V8 limits: `heapMb` for the old generation, WORKER_YOUNG_MB for the young one. */
export function workerLimits(heapMb: number): ResourceLimits {
  return { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_MB };
}

/** What a worker can be given: plain data, no callbacks. */
export type IsolatedOptions = Omit<AnalyzeOptions, 'keepEvent' | 'onRecords' | 'onProgress' | 'onEvents'>;

export interface IsolatedJob {
  sources: LogicalSource[];
  problems: InputProblem[];
  opts: IsolatedOptions;
  /** Spill every event for an NDJSON listing (event-spill.ts). */
  spill?: SpillJob;
}

/** What the worker posts back: the analysis without events, and the spill it was asked for. */
export interface IsolatedResult extends AnalysisResult {
  spill?: SpillState;
}

/** Whether these sources are big enough to analyze in a worker. */
export function worthIsolating(sources: readonly LogicalSource[], from = ISOLATE_BYTES): boolean {
  return totalBytes(sources) >= from;
}

/**
 * Runs the analysis in a worker (`workerFile`: the built analyze-worker.js) with a heap limit
 * (`heapMb`; `steady`: young generations that keep their size, young-generation.ts).
 * Resolves to null when the worker ran out of memory; rejects on any other failure.
 */
export async function analyzeIsolated(workerFile: string, job: IsolatedJob, { heapMb = WORKER_HEAP_MB, steady = false } = {}): Promise<IsolatedResult | null> {
  const start = (): Worker => new Worker(workerFile, { workerData: job, resourceLimits: workerLimits(heapMb) });
  // Imported only here: a small scan's start-up need not load node:v8.
  const worker = steady ? (await import('./young-generation.js')).steadyWorker(start) : start();
  return new Promise((resolve, reject) => {
    let result: IsolatedResult | null = null;
    worker.once('message', (m: IsolatedResult) => (result = m));
    worker.once('error', (e: Error & { code?: string }) => (e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? resolve(null) : reject(e)));
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else if (code !== 0) resolve(null);
      else reject(new Error('the analysis worker ended without a result'));
    });
  });
}
