/** Helpers shared by the report writers. No I/O, no clock: the same result renders the same. */
import { biasAsOffset, formatBias, isoUtc } from '../../parsers/formats/time.js';
import type { RecordRef } from '../../parsers/types.js';
import type { Finding, FindingSeverity, SourceSummary, UploadCycle } from '../analysis/model.js';
import type { AnalysisResult } from '../analysis/analyze.js';
import type { FailOn } from './types.js';

export type Redact = (s: string) => string;

/** No redaction. */
export const identity: Redact = (s) => s;

export function redactorOf(opts: { redactor?: Redact | undefined }): Redact {
  return opts.redactor ?? identity;
}

/** Redacts a nullable string. */
export function rn(r: Redact, s: string | null | undefined): string | null {
  return s === null || s === undefined ? null : r(s);
}

/** Epoch ms → ISO UTC, or null (also for ±Infinity sort keys). */
export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? null : isoUtc(ms);
}

export const SEVERITY_RANK: Record<FindingSeverity, number> = { error: 3, warning: 2, info: 1 };

/** Whether a finding of this severity fails a run with `--fail-on failOn`. */
export function atOrAbove(severity: FindingSeverity, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return (SEVERITY_RANK[severity] ?? 0) >= SEVERITY_RANK[failOn];
}

/** Errors first, then warnings, then info; stable within a severity. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (SEVERITY_RANK[b.f.severity] ?? 0) - (SEVERITY_RANK[a.f.severity] ?? 0) || a.i - b.i)
    .map((x) => x.f);
}

/** How many occurrences the capped evidence list leaves out. */
export function moreEvidence(f: Finding): number {
  return Math.max(0, f.count - f.evidence.length);
}

/** `+340ms`, `+1.2s`, `+2m05s`, `+1h02m`; negative latencies keep their sign. */
export function formatLatency(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '';
  const sign = ms < 0 ? '-' : '+';
  const a = Math.abs(ms);
  if (a < 1000) return `${sign}${Math.round(a)}ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(1)}s`;
  const totalS = Math.round(a / 1000);
  if (totalS < 3600) return `${sign}${Math.floor(totalS / 60)}m${String(totalS % 60).padStart(2, '0')}s`;
  const totalM = Math.round(a / 60_000);
  if (totalM < 24 * 60) return `${sign}${Math.floor(totalM / 60)}h${String(totalM % 60).padStart(2, '0')}m`;
  return `${sign}${Math.floor(totalM / 1440)}d${String(Math.floor((totalM % 1440) / 60)).padStart(2, '0')}h`;
}

/** `+480 (UTC-08:00)`. */
export function biasWithOffset(bias: number): string {
  return `${formatBias(bias)} (${biasAsOffset(bias)})`;
}

/** How a source's times were converted, in words (numbers only: nothing from the log). */
export function describeBias(s: SourceSummary): string {
  const parts: string[] = [];
  if (s.biasOverride !== null) {
    parts.push(`${biasWithOffset(s.biasOverride)} set by --bias override`);
    const logged = s.biases.filter((b) => b !== s.biasOverride);
    if (logged.length) parts.push(`log writes ${logged.map(biasWithOffset).join(', ')}`);
  } else if (s.biases.length) {
    parts.push(s.biases.map(biasWithOffset).join(', ') + (s.biases.length > 1 ? ' (changes within the log)' : ''));
  }
  if (s.recordsWithoutBias > 0) parts.push(`no bias on ${s.recordsWithoutBias} record${s.recordsWithoutBias === 1 ? '' : 's'}: ordered as UTC`);
  if (!parts.length) return s.records > 0 ? 'no timed records' : 'none';
  return parts.join('; ');
}

/** `2026-02-10 16:03:12Z`. */
export function utcClock(ms: number | null): string {
  const t = iso(ms);
  return t === null ? '(no time)' : `${t.slice(0, 10)} ${t.slice(11, 19)}Z`;
}

/** `2026-02-10 16:03:12–18:48:00Z` (same day) or two full times. */
export function utcRange(a: number | null, b: number | null): string {
  const x = iso(a);
  const y = iso(b);
  if (x === null) return utcClock(b);
  if (y === null || x === y) return utcClock(a);
  if (x.slice(0, 10) === y.slice(0, 10)) return `${x.slice(0, 10)} ${x.slice(11, 19)}–${y.slice(11, 19)}Z`;
  return `${utcClock(a)} – ${utcClock(b)}`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** `3–15` / `26`, or null when none is known. */
export function numberRange(nums: readonly (number | null)[]): string | null {
  const known = nums.filter((n): n is number => n !== null);
  if (!known.length) return null;
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

/** A run of consecutive cycles shown as one row. */
export interface CycleRow {
  state: UploadCycle['state'];
  cycles: UploadCycle[];
  startUtc: number | null;
  endUtc: number | null;
  /** `3–15`, or null. */
  records: string | null;
  modes: string[];
  status: number | null;
  reason: string | null;
  ref: RecordRef | null;
}

export interface CycleGroup {
  sourceId: string;
  machine: string | null;
  rows: CycleRow[];
}

/**
 * Cycles per source, with consecutive ok cycles (and consecutive missed slots, and repeated
 * identical failures) collapsed into one row: a day of uploads is a few lines, not 96.
 */
export function cycleGroups(cycles: readonly UploadCycle[]): CycleGroup[] {
  const groups = new Map<string, CycleGroup>();
  for (const c of cycles) {
    let g = groups.get(c.sourceId);
    if (!g) groups.set(c.sourceId, (g = { sourceId: c.sourceId, machine: c.machine, rows: [] }));
    const key = (x: UploadCycle) => (x.state === 'ok' || x.state === 'missed' ? x.state : `${x.state}|${x.status}|${x.reason}`);
    const last = g.rows[g.rows.length - 1];
    const prev = last?.cycles[last.cycles.length - 1];
    if (last && prev && key(prev) === key(c)) {
      last.cycles.push(c);
      continue;
    }
    g.rows.push({ state: c.state, cycles: [c], startUtc: null, endUtc: null, records: null, modes: [], status: c.status, reason: c.reason, ref: c.refs[0] ?? null });
  }
  for (const g of groups.values()) {
    for (const row of g.rows) {
      const first = row.cycles[0]!;
      const last = row.cycles[row.cycles.length - 1]!;
      row.startUtc = first.startUtc;
      row.endUtc = last.endUtc ?? last.startUtc;
      row.records = numberRange(row.cycles.map((c) => c.records));
      row.modes = [...new Set(row.cycles.map((c) => c.mode).filter((m): m is 'full' | 'delta' => m !== null))];
    }
  }
  return [...groups.values()];
}

/** Whether anything could be read at all: a record, or a file that did not fail (as the CLI decides). */
export function anythingReadable(result: Pick<AnalysisResult, 'sources'>): boolean {
  return result.sources.some((s) => s.records > 0 || s.errors.length < s.files.length);
}

/** Severity words used in every format. */
export const SEVERITY_WORD: Record<FindingSeverity, string> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };

/** The canonical name, home page and short description of the tool. */
export const TOOL_NAME = 'attachscope';
export const TOOL_URI = 'https://www.npmjs.com/package/attachscope';
