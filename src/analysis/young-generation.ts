/**
 * Young generations that stay the size they start at, for a scan process with workers.
 *
 * V8 grows an isolate's young generation (two semi-spaces) when much of it survives a scavenge,
 * up to its limit, and does not give it back. In a big scan that cost ~30 MB at the peak: each
 * part worker's grew to its limit (isolated.ts WORKER_YOUNG_MB), and the main thread's, idle at
 * 3 MB while the parts ran, grew to 32 MB while it merged them and wrote the report, which
 * allocates a burst of short-lived objects. V8's `--semi-space-growth-factor=1` stops the growth
 * for every isolate; `--min-semi-space-size` makes the workers start at a size that does not
 * slow them. Measured in bench/RESULTS.md (round 7): 1 GiB 164 → 137 MB, the same time.
 *
 * V8 reads both flags at run time, but setting up an isolate's heap puts a growth factor below 2
 * back to 2: so the factor is set again once each worker is running.
 *
 * Each isolate also collects its young generation alone (`--no-parallel-scavenge`, read at every
 * collection by V8's ScavengerCollector::NumberOfScavengeTasks, which otherwise runs one task per
 * MB of semi-space plus one: three for a worker here): a scan runs one worker per core, so the
 * helper tasks find every core busy and the collecting thread waits for them. 1 GiB, same run, four rounds:
 * 8.90 → 8.48 s on average, less system time, the same memory (bench/RESULTS.md, round 8).
 *
 * Flags are process-wide and kept: only `scan` asks for this (the TUI's main thread reads and
 * indexes, and wants its young generation to grow).
 */
import { setFlagsFromString } from 'node:v8';
import type { Worker } from 'node:worker_threads';

/** A worker's semi-space (MB): half its young generation. 1 MB (V8's start) took ~5 % longer. */
export const STEADY_SEMI_SPACE_MB = 2;

/** Starts a worker (`start`) whose young generation, and every other isolate's, keeps its size. */
export function steadyWorker(start: () => Worker): Worker {
  setFlagsFromString(`--min-semi-space-size=${STEADY_SEMI_SPACE_MB}`);
  setFlagsFromString('--no-parallel-scavenge');
  const worker = start();
  worker.once('online', () => setFlagsFromString('--semi-space-growth-factor=1'));
  return worker;
}

/**
 * Lets young generations grow again (V8's default factor), for main-thread work after the workers
 * that allocates a record at a time and wants the room: held, `scan --records`' second pass took
 * ~9 % longer (bench/RESULTS.md, round 7).
 */
export function releaseYoungGenerations(): void {
  setFlagsFromString('--semi-space-growth-factor=2');
  // The workers are done: helpers for the one thread left find idle cores again.
  setFlagsFromString('--parallel-scavenge');
}
