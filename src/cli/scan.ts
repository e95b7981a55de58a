import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { analyzeSources, type AnalyzeOptions, type AnalysisResult } from '../analysis/analyze.js';
import { outsideWindow } from '../analysis/core.js';
import { discover, type InputProblem, type LogicalSource } from '../ingest/discover.js';
import { analyzeIsolated, ISOLATE_BYTES, worthIsolating, WORKER_HEAP_MB } from '../analysis/isolated.js';
import type { EventSpill } from '../analysis/event-spill.js';
import type { SortedEvent } from '../analysis/model.js';
import type { Part } from '../analysis/parallel/plan.js';
import { parseBiasOverride } from '../analysis/bias-override.js';
import { chooseDefaultPaths, packageRoot, packageVersion } from './default-paths.js';
import { parseFailOn, parseJobs, parseTimeOption, UsageError } from './options.js';
import { openOutputFile, Output, OutputError } from './output.js';
import type { ReportFormat } from '../report/index.js';
import { sanitizeForTerminal } from '../report/sanitize.js';
import { temporaryFolder } from '../ingest/temp-folder.js';

export interface ScanOptions {
  format?: string;
  output?: string;
  failOn?: string;
  since?: string;
  until?: string;
  rules?: string[];
  bias?: string[];
  baseline?: string;
  updateBaseline?: boolean;
  records?: boolean;
  redact?: boolean;
  follow?: boolean;
  poll?: string | boolean;
  color?: boolean;
  jobs?: string;
}

/** Whether anything could be read at all (exit code 2 when not). */
export function anythingReadable(result: AnalysisResult): boolean {
  return result.sources.some((s) => s.records > 0 || s.errors.length < s.files.length);
}

/** Builds analysis options from the command line. Throws UsageError on bad values. */
export function analyzeOptionsFrom(opts: ScanOptions, now = Date.now()): AnalyzeOptions {
  const a: AnalyzeOptions = {
    rulePaths: opts.rules ?? [],
    biasOverrides: (opts.bias ?? []).map((b) => {
      try {
        return parseBiasOverride(b);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }),
  };
  if (opts.since) a.sinceMs = parseTimeOption(opts.since, now, '--since');
  if (opts.until) {
    a.untilMs = parseTimeOption(opts.until, now, '--until');
    a.endMs = a.untilMs;
  }
  if (a.sinceMs !== undefined && a.untilMs !== undefined && a.sinceMs > a.untilMs) throw new UsageError('--since is after --until');
  return a;
}

export async function runScan(paths: string[], opts: ScanOptions): Promise<number> {
  const format = (opts.format ?? 'text') as ReportFormat;
  const failOn = parseFailOn(opts.failOn ?? 'error');
  if (opts.updateBaseline && !opts.baseline) throw new UsageError('--update-baseline needs --baseline FILE');
  if (opts.records && format !== 'ndjson') throw new UsageError('--records works with --format ndjson');
  if (opts.follow && format !== 'ndjson') throw new UsageError('--follow streams --format ndjson');
  const jobs = opts.jobs === undefined ? undefined : parseJobs(opts.jobs);
  const aopts = analyzeOptionsFrom(opts);
  let inputs = paths;
  if (inputs.length === 0) {
    const choice = chooseDefaultPaths();
    process.stderr.write(`attachscope: ${choice.why}\n`);
    inputs = choice.paths;
  }

  const report = await import('../report/index.js');
  const { createRedactor } = await import('../report/redact.js');
  const redactor = opts.redact ? createRedactor() : undefined;
  // Opened now: a path that cannot be written fails before the analysis, not after it.
  const out: Writable = opts.output ? openOutputFile(opts.output) : process.stdout;
  const dest = opts.output ?? 'standard output';
  const color = opts.output ? opts.color === true : opts.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);

  if (opts.follow) {
    const { runFollowScan } = await import('./scan-follow.js');
    return runFollowScan(inputs, aopts, { out, dest, redactor, records: opts.records === true, poll: opts.poll });
  }

  const output = new Output(out, dest);
  const { sources, problems } = await discover(inputs, aopts.discover);
  // No report needs the core to keep events: findings, cycles and chains are derived as events
  // come, so memory stays flat however big the logs are. NDJSON lists every event: each one's
  // line goes to a spill that hands them back in timeline order (event-spill.ts). When
  // redacting, the event itself goes there and its line is made as it is written, so that
  // placeholders are still numbered in the order the report shows them.
  aopts.keepEvent = () => false;
  // The events chains read are still kept: packed (less than half their size as objects).
  aopts.packKept = true;
  let spill: EventSpill<string | SortedEvent> | null = null;
  // The spill of a big listing is as big as the listing: removed even when the scan is stopped.
  const spillDir = format === 'ndjson' ? temporaryFolder() : null;
  try {
    const listing = spillDir ? { dir: spillDir.path, line: redactor ? null : report.plainEventLine } : null;
    const analyzed = await analyzeForScan(sources, problems, aopts, jobs, listing);
    const result = analyzed.result;
    spill = analyzed.spill;
    // Machine names come from the folder layout (SCP01/, CLIENT042/): redact them everywhere.
    redactor?.addNames(result.sources.map((s) => s.machine).filter((m): m is string => m !== null));
    if (opts.records) {
      // A second streaming pass writes every record merged across sources in UTC order, with
      // one batch per source in memory (the analysis pass above kept none of them).
      const { mergedRecords } = await import('../analysis/merge.js');
      (await import('../analysis/young-generation.js')).releaseYoungGenerations();
      const lines: string[] = [];
      for await (const r of mergedRecords(sources, aopts.biasOverrides ?? [])) {
        if (output.stopped) break;
        if (outsideWindow(r.utcMs, aopts)) continue;
        lines.push(report.recordLine(r, { redactor }));
        if (lines.length >= 2000) await writeLines(output, lines);
      }
      await writeLines(output, lines);
    }
    for (const e of result.ruleErrors) process.stderr.write(`attachscope: rule error: ${sanitizeForTerminal(e)}\n`);

    let baselineDiff = null;
    if (opts.baseline) {
      const { compareBaseline, parseBaseline, toBaseline } = await import('../report/baseline.js');
      if (opts.updateBaseline) {
        await fs.writeFile(opts.baseline, JSON.stringify(toBaseline(result), null, 2) + '\n').catch((e: NodeJS.ErrnoException) => {
          throw new OutputError(opts.baseline!, e);
        });
        process.stderr.write(`attachscope: wrote baseline ${opts.baseline} (${result.findings.length} findings)\n`);
      } else {
        let text: string;
        try {
          text = await fs.readFile(opts.baseline, 'utf8');
        } catch {
          throw new UsageError(`cannot read baseline ${opts.baseline} (create it with --update-baseline)`);
        }
        baselineDiff = compareBaseline(parseBaseline(text), result);
      }
    }

    // A listing's lines come back from the spill and go out in pieces: held a block or a piece
    // at a time, they outlive a small young generation and filled the old one with garbage
    // (2 GiB: the writing grew from 158 to 203 MB; with room to die young it stays near 185).
    if (spill) (await import('../analysis/young-generation.js')).releaseYoungGenerations();
    // Written piece by piece with the stream's backpressure: a 2 GB post-mortem's JSON lists
    // ~18,000 chains, whose text (and a copy in the stream's buffer) need not be held at once.
    for (const piece of report.reportPieces(result, format, { color, failOn, toolVersion: packageVersion(), redactor, baselineDiff, eventLines: spill ? eventLinesOf(spill, redactor ? (e) => report.eventLine(e, redactor) : report.plainEventLine) : undefined })) {
      if (output.stopped) break;
      await output.write(piece);
    }
    await output.finish(opts.output !== undefined);

    if (!anythingReadable(result)) {
      process.stderr.write('attachscope: no readable log among the inputs\n');
      for (const p of result.inputProblems) process.stderr.write(`  ${sanitizeForTerminal(p.path)}: ${sanitizeForTerminal(p.reason)}\n`);
      for (const s of result.sources) for (const e of s.errors) process.stderr.write(`  ${sanitizeForTerminal(e)}\n`);
      return 2;
    }
    if (baselineDiff && !baselineDiff.ok) return 1;
    return report.worstSeverityAtOrAbove(result.findings, failOn) ? 1 : 0;
  } finally {
    spill?.dispose();
    spillDir?.remove();
  }
}

/**
 * NDJSON scans from this size on are analyzed in a heap-limited worker, sooner than other scans
 * (isolated.ts ISOLATE_BYTES): making every event's line allocates much more. 100 MiB peaked at
 * 204–224 MB RSS in this thread and 127–131 MB in the worker (0.3 s slower); 10 MB at 127 and
 * 106 MB (60 ms slower).
 */
const NDJSON_ISOLATE_BYTES = 32 * 1024 * 1024;

/** The input size from which a scan is read in workers (ATTACHSCOPE_ISOLATE_BYTES: smaller, for tests). */
function isolateFrom(listing: boolean): number {
  const env = Number(process.env.ATTACHSCOPE_ISOLATE_BYTES);
  if (Number.isInteger(env) && env > 0) return env;
  return listing ? NDJSON_ISOLATE_BYTES : ISOLATE_BYTES;
}

/** What a scan's analysis gives: the result, and for an NDJSON listing every event, spilled. */
interface ScanAnalysis {
  result: AnalysisResult;
  spill: EventSpill<string | SortedEvent> | null;
}

/**
 * The analysis of a scan, which keeps no events. Big inputs are read in parts by one worker per
 * core (`--jobs`, parallel/run.ts), or as one part by one worker when they are not cut (`--jobs
 * 1`, or too small to cut), each worker's heap limited so the process stays small; when parts
 * cannot be merged (a worker failed), in one worker (isolated.ts); anything else, or a worker
 * that ran out of memory, in this thread.
 *
 * An NDJSON `listing` also spills every event (event-spill.ts) in a folder under `listing.dir`:
 * its line, or when `line` is null (redacting) the event itself. The workers hand their spills
 * over. (Analyzing a 1 GiB listing in this thread peaked at 300 MB RSS, nearly all of it garbage
 * V8 let pile up in a heap without limit: hence the worker from NDJSON_ISOLATE_BYTES.)
 */
async function analyzeForScan(sources: LogicalSource[], problems: InputProblem[], aopts: AnalyzeOptions, jobs: number | undefined, listing: { dir: string; line: ((e: SortedEvent) => string) | null } | null): Promise<ScanAnalysis> {
  const { keepEvent: _k, onRecords: _r, onProgress: _p, onEvents: _e, ...opts } = aopts;
  // Loaded only for a listing: other scans need not start what it brings (node:v8, the heaps).
  const { EventSpill } = listing ? await import('../analysis/event-spill.js') : { EventSpill: null };
  const spillJob = listing ? { spill: { dir: listing.dir, lines: listing.line !== null } } : {};
  const { planFor, analyzeParts } = await import('../analysis/parallel/run.js');
  const parts = planFor(sources, jobs === undefined ? {} : { parts: jobs });
  const isolate = worthIsolating(sources, isolateFrom(listing !== null));
  // A big input read in one piece (`--jobs 1`, or too small to cut) is read as one part too: its
  // worker hands over the events it kept, packed, and this thread builds the chains in a capped
  // heap (old-generation.ts), after the worker is gone. An isolated worker built them itself and
  // posted every chain back while it still held them: `--jobs 1` peaked at 128 MB at 2 GiB and
  // 172 MB at 4 GiB (bench/RESULTS.md, round 9).
  if (parts.length > 1 || isolate) {
    const { discover: _d, ...partOpts } = opts;
    const workerFile = path.join(packageRoot(), 'dist', 'src', 'analysis', 'parallel', 'part-worker.js');
    const outcome = await analyzeParts(workerFile, sources, problems, parts, partOpts, { heapMb: WORKER_HEAP_MB, steady: true, ...spillJob });
    debug(`parts: ${parts.length} (${parts.map(describePart).join(' | ')}) → ${outcome.ok ? `merged; ${outcome.timings}` : `read serially: ${outcome.why}`}`);
    if (outcome.ok && (!listing || outcome.spills)) return { result: outcome.result, spill: outcome.spills && EventSpill ? EventSpill.adopt(outcome.spills) : null };
    if (!outcome.ok && outcome.outOfMemory) process.stderr.write(`attachscope: a part of the scan needed more than its ${WORKER_HEAP_MB} MB heap; reading in one thread instead\n`);
  }
  // Parts that could not be merged are read again in one worker; one part was that already.
  if (isolate && parts.length > 1) {
    const workerFile = path.join(packageRoot(), 'dist', 'src', 'analysis', 'analyze-worker.js');
    const isolated = await analyzeIsolated(workerFile, { sources, problems, opts, ...spillJob }, { steady: true });
    if (isolated && (!listing || isolated.spill)) {
      const { spill: state, ...result } = isolated;
      return { result, spill: state && EventSpill ? EventSpill.adopt([state]) : null };
    }
    process.stderr.write(`attachscope: the analysis needed more than its ${WORKER_HEAP_MB} MB heap; analyzing again without a limit\n`);
  }
  // After a worker failed, this thread reads everything itself: its young generation may grow again.
  if (parts.length > 1 || isolate) (await import('../analysis/young-generation.js')).releaseYoungGenerations();
  if (!listing || !EventSpill) return { result: await analyzeSources(sources, problems, aopts), spill: null };
  const spill = new EventSpill<string | SortedEvent>({ dir: listing.dir });
  const result = await analyzeSources(sources, problems, { ...aopts, onEvents: (events) => spill.pushEvents(events, listing.line) });
  return { result, spill };
}

/** NDJSON `event` lines from the spill: lines made at extraction, or events made into lines now. */
function* eventLinesOf(spill: EventSpill<string | SortedEvent>, line: (e: SortedEvent) => string): Generator<string> {
  for (const x of spill.sorted()) yield typeof x === 'string' ? x : line(x);
}

/**
 * A part for ATTACHSCOPE_DEBUG: `source/file:start-end` per stretch, a warm-up on the file
 * before as `(warm source/file from offset)`, and whole files of one log in a row as
 * `source/first..last` (a folder of history files or a zip may hold hundreds).
 */
function describePart(p: Part): string {
  const out: string[] = [];
  let run: { source: number; first: number; last: number } | null = null;
  const close = () => {
    if (run) out.push(run.first === run.last ? `${run.source}/${run.first}` : `${run.source}/${run.first}..${run.last}`);
    run = null;
  };
  p.units.forEach((u, i) => {
    // Only a part's last stretch may end inside its file.
    const whole = u.start === 0 && i < p.units.length - 1;
    if (whole && run && run.source === u.source && run.last === u.file - 1) {
      run.last = u.file;
      return;
    }
    close();
    if (whole) run = { source: u.source, first: u.file, last: u.file };
    else if (u.start === u.end && u.warmFrom !== null) out.push(`(warm ${u.source}/${u.file} from ${u.warmFrom})`);
    // `~`: a cut only aimed at there, inside a zip entry (both parts find the record start).
    else out.push(`${u.source}/${u.file}:${u.aimedStart ? '~' : ''}${u.start}-${u.aimedEnd ? '~' : ''}${u.end}`);
  });
  close();
  return out.join(' ');
}

/** `ATTACHSCOPE_DEBUG=1`: how a scan was read (parts, fallbacks), on stderr. */
function debug(text: string): void {
  if (process.env.ATTACHSCOPE_DEBUG) process.stderr.write(`attachscope: ${text}\n`);
}

/** Writes and empties `lines`, waiting for the stream to drain (no unbounded buffering). */
async function writeLines(output: Output, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const text = lines.join('\n') + '\n';
  lines.length = 0;
  await output.write(text);
}
