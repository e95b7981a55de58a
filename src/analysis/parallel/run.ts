/**
 * A lean scan read by several worker threads at once (one per core, up to MAX_PARTS): the
 * input is cut into parts (plan.ts), each part read by its own core and rule engine (part.ts),
 * and their states merged here in reading order into one core and engine, whose snapshot is
 * the analysis — the same as reading everything in one thread.
 *
 * A cut inside a log (inside a file, or between two of its files) is only trusted when both
 * sides agree on it: the record before it (its offset, line and length, so line numbers after
 * the cut are right), the extractor's state and the last time there. When a check fails (a
 * block of lines open across the cut, Windows-1252 bytes near it) the two parts around it are
 * read again as one, without that cut: slower, never different. Should a worker fail, the
 * caller reads serially.
 */
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { totalBytes, type InputProblem, type LogicalSource } from '../../ingest/discover.js';
import type { FileReport } from '../../ingest/read.js';
import { loadEngine, type AnalysisResult } from '../analyze.js';
import { workerLimits } from '../isolated.js';
import { readOptionsFor } from '../bias-override.js';
import { AnalysisCore } from '../core.js';
import { planParts, type Part } from './plan.js';
import type { CutCheck, PartJob, PartOptions, PartResult } from './part.js';
import type { SpillJob, SpillState } from '../event-spill.js';

/** More parts than cores only add merge work. */
export const MAX_PARTS = 8;
/** A part below this is not worth a worker. */
export const MIN_PART_BYTES = 64 * 1024 * 1024;

export interface ParallelOptions {
  parts?: number;
  minPartBytes?: number;
  /** Each worker's old-generation limit (MB); its young generation is then limited too (isolated.ts workerLimits). */
  heapMb?: number;
  /** Each part spills every event (part.ts PartJob.spill), for an NDJSON listing. */
  spill?: SpillJob;
  /**
   * Young generations that keep their size while the parts run (young-generation.ts), and an old
   * generation that grows little while the main thread merges them (old-generation.ts): flags
   * for the whole process.
   */
  steady?: boolean;
}

export type ParallelOutcome =
  /** `spills`: each part's spilled events, in part order, when `ParallelOptions.spill` asked. */
  | { ok: true; result: AnalysisResult; parts: number; timings: string; spills?: SpillState[] }
  | { ok: false; why: string; outOfMemory: boolean };

/**
 * How many parts this machine would read at once: its cores, or fewer when a container's CPU
 * quota says so (Node counts the host's cores; a 2-CPU pod on a 64-core node would otherwise
 * start eight workers, each with its own heap, to share two CPUs). ATTACHSCOPE_PARTS overrides,
 * for benchmarks.
 */
export function defaultParts(): number {
  const env = Number(process.env.ATTACHSCOPE_PARTS);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, MAX_PARTS);
  const quota = cpuQuota(readFirst(['/sys/fs/cgroup/cpu.max']), readFirst(['/sys/fs/cgroup/cpu/cpu.cfs_quota_us', '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us']), readFirst(['/sys/fs/cgroup/cpu/cpu.cfs_period_us', '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us']));
  return Math.max(1, Math.min(availableParallelism(), quota ?? Infinity, MAX_PARTS));
}

/**
 * CPUs a cgroup quota allows, rounded up, or null when there is none: cgroup v2's `cpu.max`
 * ("200000 100000", or "max 100000"), else v1's quota and period in µs (quota -1: none).
 */
export function cpuQuota(v2: string | null, v1Quota: string | null, v1Period: string | null): number | null {
  const ratio = (quota: number, period: number): number | null => (quota > 0 && period > 0 ? Math.max(1, Math.ceil(quota / period)) : null);
  if (v2 !== null) {
    const [q, p] = v2.trim().split(/\s+/);
    if (q === undefined || q === 'max') return null;
    return ratio(Number(q), Number(p ?? 100000));
  }
  if (v1Quota !== null && v1Period !== null) return ratio(Number(v1Quota.trim()), Number(v1Period.trim()));
  return null;
}

function readFirst(paths: readonly string[]): string | null {
  for (const p of paths) {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      // not this cgroup layout
    }
  }
  return null;
}

/** The plan for these sources (one part: not worth it or not possible). */
export function planFor(sources: readonly LogicalSource[], po: ParallelOptions = {}): Part[] {
  // ATTACHSCOPE_PART_BYTES: a smaller minimum part (tests cut small inputs through the CLI).
  const env = Number(process.env.ATTACHSCOPE_PART_BYTES);
  const minPartBytes = po.minPartBytes ?? (Number.isInteger(env) && env > 0 ? env : MIN_PART_BYTES);
  // Most scans are too small to cut: they need not ask the cgroup files how many CPUs there are.
  const parts = totalBytes(sources) < 2 * minPartBytes ? 1 : Math.min(po.parts ?? defaultParts(), MAX_PARTS);
  return planParts(sources, { parts, minPartBytes });
}

/**
 * Reads the parts in worker threads (`workerFile`: the built part-worker.js), reads the two
 * parts around a cut that does not check out again as one, and merges them. Not ok when a
 * worker failed or ran out of memory.
 */
export async function analyzeParts(workerFile: string, sources: LogicalSource[], problems: InputProblem[], plan: Part[], opts: PartOptions, po: ParallelOptions = {}): Promise<ParallelOutcome> {
  // Imported only when asked: a small scan's start-up need not load node:v8.
  const steady = po.steady ? (await import('../young-generation.js')).steadyWorker : (start: () => Worker) => start();
  const run = (part: Part, index: number) => runWorker(() => steady(() => new Worker(workerFile, {
    workerData: { sources: withOnlyDataOf(sources, part), part, index, opts, ...(po.spill ? { spill: po.spill } : {}) } satisfies PartJob,
    ...(po.heapMb ? { resourceLimits: workerLimits(po.heapMb) } : {}),
  })), index);
  const parts = [...plan];
  const indices = parts.map((_p, i) => i);
  const results: PartResult[] = [];
  const failed = (reason: unknown): ParallelOutcome => {
    const e = reason as Error & { code?: string };
    return { ok: false, why: e.message, outOfMemory: e.code === 'ERR_WORKER_OUT_OF_MEMORY' };
  };
  const settled = await Promise.allSettled(parts.map(run));
  for (const s of settled) if (s.status === 'fulfilled') results.push(s.value);
  const rejected = settled.find((s) => s.status === 'rejected');
  if (rejected) {
    discardSpills(results);
    return failed(rejected.reason);
  }
  const rejoined: string[] = [];
  for (let bad = firstBadCut(results); bad !== null; bad = firstBadCut(results)) {
    const { k, why } = bad;
    rejoined.push(why);
    // Part k-1's base stays: every later part's seqs and orders are still larger.
    const joined = joinParts(parts[k - 1]!, parts[k]!);
    let r: PartResult;
    try {
      r = await run(joined, indices[k - 1]!);
    } catch (e) {
      discardSpills(results);
      return failed(e);
    }
    discardSpills([results[k - 1]!, results[k]!]);
    parts.splice(k - 1, 2, joined);
    indices.splice(k, 1);
    results.splice(k - 1, 2, r);
  }
  if (po.steady) (await import('../old-generation.js')).tightenOldGeneration();
  const out = await mergeParts(sources, problems, results, opts);
  if (!out.ok) discardSpills(results);
  if (out.ok && rejoined.length) out.timings += `; read again without ${rejoined.length} cut(s): ${rejoined.join('; ')}`;
  return out;
}

/**
 * Removes the NDJSON spills of parts whose results are not used (read again as one, or not
 * merged): each is as big as its share of the listing, and the scan reads those events again.
 */
function discardSpills(results: readonly PartResult[]): void {
  for (const r of results) if (r.spill?.dir) rmSync(r.spill.dir, { recursive: true, force: true });
}

/** The first cut whose two sides disagree (k: the part after it) and why, or null. */
function firstBadCut(results: readonly PartResult[]): { k: number; why: string } | null {
  for (let k = 1; k < results.length; k++) {
    const why = cutMismatch(results[k - 1]!.endCut, results[k]!.startCut);
    if (why) return { k, why };
  }
  return null;
}

/**
 * Two consecutive parts as one: the stretch cut between them is read in one go (a unit that only
 * warmed up on the file the first part ended with goes).
 */
export function joinParts(a: Part, b: Part): Part {
  const last = a.units[a.units.length - 1];
  const first = b.units[0];
  if (last && first && last.source === first.source && last.file === first.file && last.end === first.start) {
    const { aimedEnd: _e, ...joined } = { ...last, end: first.end };
    return { units: [...a.units.slice(0, -1), { ...joined, ...(first.aimedEnd ? { aimedEnd: true as const } : {}) }, ...b.units.slice(1)] };
  }
  return { units: [...a.units, ...b.units] };
}

/** Checks the cuts and merges the parts' states, in reading order, into one analysis. */
export async function mergeParts(sources: LogicalSource[], problems: InputProblem[], results: PartResult[], opts: PartOptions): Promise<ParallelOutcome> {
  const bad = firstBadCut(results);
  if (bad) return { ok: false, why: `cut ${bad.k}: ${bad.why}`, outOfMemory: false };
  const t0 = performance.now();
  const { engine, errors } = await loadEngine(opts);
  const core = new AnalysisCore({ ...opts, rules: engine, keepEvent: () => false });
  for (const src of sources) core.addSource(src, readOptionsFor(src, opts.biasOverrides ?? []).override);
  const reports = new Map<string, FileReport>();
  for (const r of results) {
    core.absorb(r.core);
    core.absorbPacked(r.events);
    engine.absorb(r.engine);
    for (const { source, file, report } of r.reports) {
      const key = `${source}:${file}`;
      const had = reports.get(key);
      reports.set(key, had ? joinReports(had, report) : report);
    }
  }
  sources.forEach((src, si) => src.files.forEach((_f, fi) => {
    const report = reports.get(`${si}:${fi}`);
    if (report) core.fileRead(src.id, report);
  }));
  const t1 = performance.now();
  const analysis = core.snapshot(opts.endMs ?? null);
  const t2 = performance.now();
  const timings = `${results.map((r, i) => `part ${i} ${r.ms} ms (counting lines ${r.countMs} ms)`).join(', ')}; merge ${Math.round(t1 - t0)} ms, snapshot ${Math.round(t2 - t1)} ms`;
  const spills = results.flatMap((r) => (r.spill ? [r.spill] : []));
  return { ok: true, result: { ...analysis, inputProblems: problems, ruleErrors: errors }, parts: results.length, timings, ...(spills.length ? { spills } : {}) };
}

/** Why the two sides of a cut inside a log disagree, or null when they agree. */
export function cutMismatch(end: CutCheck | null, start: CutCheck | null): string | null {
  if (end === null && start === null) return null; // a cut between sources
  if (end === null || start === null) return 'only one side of the cut is inside a log';
  if (end.problem) return end.problem;
  if (start.problem) return start.problem;
  if (end.extractor === null || start.extractor === null) return 'the extractor cannot state its state';
  if (end.extractor !== start.extractor) return 'the extractor is in a different state on each side (an entry open across the cut)';
  if (end.lastUtc !== start.lastUtc) return 'the last time before the cut differs';
  const a = end.before;
  const b = start.before;
  if (!a || !b || a.offset !== b.offset || a.line !== b.line || a.length !== b.length) return 'the record before the cut differs (framing or line numbers)';
  return null;
}

/**
 * The sources as a part's worker gets them: in-memory contents (zip entries, stdin) only for the
 * files it reads, since each worker gets its own copy.
 */
export function withOnlyDataOf(sources: LogicalSource[], part: Part): LogicalSource[] {
  const mine = new Set(part.units.map((u) => `${u.source}:${u.file}`));
  return sources.map((s, si) => (s.files.some((f) => f.data) ? { ...s, files: s.files.map((f, fi) => (f.data && !mine.has(`${si}:${fi}`) ? { ...f, data: new Uint8Array(0) } : f)) } : s));
}

/** One file's report from the reports of its consecutive stretches. */
function joinReports(a: FileReport, b: FileReport): FileReport {
  return {
    ...a,
    bytes: a.bytes + b.bytes,
    records: a.records + b.records,
    formats: { cmtrace: a.formats.cmtrace + b.formats.cmtrace, smsexec: a.formats.smsexec + b.formats.smsexec, plain: a.formats.plain + b.formats.plain },
    fallbackBytes: a.fallbackBytes + b.fallbackBytes,
    skipped: [...a.skipped, ...b.skipped],
    ...(a.error ?? b.error ? { error: a.error ?? b.error } : {}),
  };
}

/** Part `index`'s result from the worker `start` starts. */
function runWorker(start: () => Worker, index: number): Promise<PartResult> {
  return new Promise((resolve, reject) => {
    const worker = start();
    let result: PartResult | null = null;
    worker.once('message', (m: PartResult) => (result = m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else reject(Object.assign(new Error(`part ${index} ended without a result (exit ${code})`), code !== 0 ? { code: 'ERR_WORKER_OUT_OF_MEMORY' } : {}));
    });
  });
}
