/**
 * One part of a parallel scan (plan.ts): reads its units into its own core and rule engine and
 * returns their state as plain data, with what the merge needs to check its cuts.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { LogRecord } from '../../../parsers/types.js';
import type { LogicalSource } from '../../ingest/discover.js';
import { countLines, emptyReport, readFileRecords, type FileReport } from '../../ingest/read.js';
import type { SettledRange } from '../../ingest/zip-cut.js';
import { readOptionsFor } from '../bias-override.js';
import { AnalysisCore, type CoreState, type SyncPoint } from '../core.js';
import { loadEngine, type AnalyzeOptions } from '../analyze.js';
import type { EngineState } from '../rules/engine.js';
import { spillForJob, type SpillJob, type SpillState } from '../event-spill.js';
import type { SortedEvent } from '../model.js';
import { plainEventLine } from '../../report/ndjson.js';
import type { PackedEvents } from './pack-events.js';
import type { Part } from './plan.js';

/** Seqs and record orders of part k start at k × PART_BASE (after every earlier part's). */
export const PART_BASE = 2 ** 40;

/** Options a part can be given across threads: plain data. */
export type PartOptions = Omit<AnalyzeOptions, 'keepEvent' | 'onRecords' | 'onProgress' | 'onEvents' | 'discover'>;

/** Where a cut stands as one part read it: the extractor's state and the record before it. */
export interface CutCheck extends SyncPoint {
  /** The last record before the cut (offset, line, length), or null. */
  before: { offset: number; line: number; length: number } | null;
  /** Why this side cannot vouch for the cut (warm-up read Windows-1252 bytes...), or null. */
  problem: string | null;
}

export interface PartResult {
  /** The core's state, its kept events packed apart (pack-events.ts). */
  core: CoreState;
  events: PackedEvents;
  engine: EngineState;
  /** Each file's report of the stretch read (warm-up excluded). */
  reports: { source: number; file: number; report: FileReport }[];
  /** At the part's start when it begins inside a file (after the warm-up), else null. */
  startCut: CutCheck | null;
  /** At the part's end when it ends inside a file, else null. */
  endCut: CutCheck | null;
  /** Wall time of the part (ms), and of counting lines before its cut: for ATTACHSCOPE_DEBUG. */
  ms: number;
  countMs: number;
  /** Every event the part extracted, spilled (the job's `spill`), handed over. */
  spill?: SpillState;
}

export interface PartJob {
  sources: LogicalSource[];
  part: Part;
  index: number;
  opts: PartOptions;
  /** Spill every event for an NDJSON listing (event-spill.ts). */
  spill?: SpillJob;
}

export async function runPart(job: PartJob): Promise<PartResult> {
  const t0 = performance.now();
  let countMs = 0;
  const { sources, part, index, opts } = job;
  const base = index * PART_BASE;
  // Rule errors are the merge's to report (it loads the same rules).
  const { engine } = await loadEngine({ ...opts, engine: { ...opts.engine, orderBase: base } });
  const core = new AnalysisCore({ ...opts, rules: engine, keepEvent: () => false, seqBase: base });
  const reports: PartResult['reports'] = [];
  const spill = job.spill ? spillForJob(job.spill, plainEventLine) : null;
  const spilled = (events: SortedEvent[]): void => spill?.push(events);
  let startCut: CutCheck | null = null;
  let endCut: CutCheck | null = null;
  const units = part.units;
  for (let u = 0; u < units.length; u++) {
    const unit = units[u]!;
    const src = sources[unit.source]!;
    const file = src.files[unit.file]!;
    const { override, readOpts } = readOptionsFor(src, opts.biasOverrides ?? []);
    core.addSource(src, override);
    const report = emptyReport(file.path);
    const from = unit.warmFrom ?? unit.start;
    const whole = from === 0 && unit.end >= file.size;
    const tc = performance.now();
    // A zip entry's lines before the cut are counted as it is inflated up to it, and a cut
    // only aimed at in it is found on the way (ingest/zip-cut.ts): `settled` says where.
    const range = whole ? undefined : file.zip
      ? { start: from, end: unit.end, aimedStart: unit.aimedStart === true, aimedEnd: unit.aimedEnd === true }
      : { start: from, end: unit.end, line: from === 0 ? 1 : linesBefore(file.path, from) + 1 };
    countMs += performance.now() - tc;
    const settled: Partial<SettledRange> = {};
    // Known before the first batch comes (the end before the last).
    const cutStart = (): number => settled.start ?? unit.start;
    const cutEnd = (): number => settled.end ?? unit.end;
    let warming = unit.start > 0;
    let warmed = 0;
    let before: LogRecord | null = null;
    let problem: string | null = null;
    for await (const batch of readFileRecords(file, { ...readOpts, range, settled }, report)) {
      let i = 0;
      if (warming) {
        const at = cutStart();
        while (i < batch.length && batch[i]!.offset < at) i++;
        if (i > 0) {
          core.warm(src.id, i === batch.length ? batch : batch.slice(0, i));
          before = batch[i - 1]!;
          warmed += i;
        }
        if (i < batch.length) {
          if (batch[i]!.offset !== at) problem = `the first record after the cut starts at ${batch[i]!.offset}, not ${at}`;
          startCut = { ...core.syncPoint(src.id), before: before && spanOf(before), problem };
          warming = false;
        }
      }
      if (i < batch.length) {
        spilled(core.feed(src.id, i === 0 ? batch : batch.slice(i)));
        before = batch[batch.length - 1]!;
      }
    }
    // A unit that only warms up (the part begins with the next file of this log) leaves the
    // cut's check here; its file's report is the previous part's.
    const warmOnly = u === 0 && unit.warmFrom !== null && unit.start === unit.end;
    if (warmOnly) {
      startCut = { ...core.syncPoint(src.id), before: before && spanOf(before), problem: null };
      continue;
    }
    if (unit.start > 0 && startCut === null) startCut = { ...core.syncPoint(src.id), before: before && spanOf(before), problem: 'no record after the cut' };
    if (unit.start > 0) {
      // The warm-up's records and bytes belong to the previous part's report.
      report.bytes -= cutStart() - (settled.warmFrom ?? from);
      report.records -= warmed;
      report.skipped = report.skipped.filter((s) => s.startOffset >= cutStart());
      if (report.fallbackBytes > 0 && startCut) startCut.problem ??= 'Windows-1252 bytes: their count cannot be split at the cut';
    }
    reports.push({ source: unit.source, file: unit.file, report });
    const last = u === units.length - 1;
    // The part ends inside a file, or after a file whose log goes on in the next part.
    const inside = unit.end < file.size || unit.aimedEnd === true;
    if (last && (inside || unit.file < src.files.length - 1)) {
      let p: string | null = null;
      if (!before) p = 'no record before the cut';
      else if (before.offset + before.length !== cutEnd() || before.partial) p = `the last record before the cut (at ${before.offset}) does not end at ${cutEnd()}`;
      if (inside && report.fallbackBytes > 0) p ??= 'Windows-1252 bytes: their count cannot be split at the cut';
      endCut = { ...core.syncPoint(src.id), before: before && spanOf(before), problem: p };
    } else if (unit.file === src.files.length - 1) {
      spilled(core.flushSource(src.id));
    }
  }
  const events = core.handOverKept();
  return {
    core: core.exportState(), events, engine: engine.exportState({ final: true }),
    reports, startCut, endCut, ms: Math.round(performance.now() - t0), countMs: Math.round(countMs),
    ...(spill ? { spill: spill.spill.handOver() } : {}),
  };
}

function spanOf(r: LogRecord): { offset: number; line: number; length: number } {
  return { offset: r.offset, line: r.line, length: r.length };
}

/** How many lines end before byte `at` (a part that begins inside a file numbers its lines on). */
export function linesBefore(path: string, at: number): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 22);
    let n = 0;
    for (let pos = 0; pos < at; ) {
      const got = readSync(fd, buf, 0, Math.min(buf.length, at - pos), pos);
      if (got <= 0) break;
      n += countLines(buf.subarray(0, got));
      pos += got;
    }
    return n;
  } finally {
    closeSync(fd);
  }
}
