/**
 * Derived data the panes show, computed from the Session's store and analysis: the filtered row
 * view, lookups from records to events/chains/cycles, jump targets and the activity histogram.
 * Pure functions over plain data (no React), memoised by the App on the session version.
 */
import type { Severity } from '../../parsers/types.js';
import type { Row } from '../analysis/session.js';
import type { ActionChain, Finding, SortedEvent, SourceSummary, UploadCycle } from '../analysis/model.js';
import { matchesFilter, type RowFilter } from './filter.js';
import type { Anchor, JumpTarget, ViewState } from './state.js';

/** The timeline as shown: the store's rows, optionally filtered. */
export interface RowView {
  readonly rows: readonly Row[];
  /** Filtered position → store position; null = no filter (identity). */
  readonly indices: readonly number[] | null;
  readonly count: number;
}

export function buildRowView(rows: readonly Row[], filter: RowFilter | null): RowView {
  if (!filter) return { rows, indices: null, count: rows.length };
  const indices: number[] = [];
  for (let i = 0; i < rows.length; i++) if (matchesFilter(filter, rows[i]!.rec)) indices.push(i);
  return { rows, indices, count: indices.length };
}

export function rowAt(v: RowView, i: number): Row | undefined {
  if (i < 0 || i >= v.count) return undefined;
  return v.rows[v.indices ? v.indices[i]! : i];
}

export function anchorOf(row: Row | undefined): Anchor | null {
  return row ? { seq: row.seq, sortMs: row.sortMs } : null;
}

/**
 * Where the selection is now: the cursor when the row there is still the anchored one, else
 * the anchored row found again (rows were merged in above it, or the filter changed), else the
 * first row at or after the anchor's time.
 */
export function resolveCursor(v: RowView, s: Pick<ViewState, 'cursor' | 'anchor' | 'follow'>): number {
  if (v.count === 0) return 0;
  if (s.follow) return v.count - 1;
  const c = Math.max(0, Math.min(v.count - 1, s.cursor));
  const a = s.anchor;
  if (!a) return c;
  if (rowAt(v, c)?.seq === a.seq) return c;
  for (let i = 0; i < v.count; i++) if (rowAt(v, i)!.seq === a.seq) return i;
  // Not in this view: the nearest row in time (rows are sorted by sortMs).
  let lo = 0;
  let hi = v.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rowAt(v, mid)!.sortMs < a.sortMs) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, v.count - 1);
}

export const refKey = (path: string, line: number) => `${line}\u0000${path}`;

/**
 * Lookups from a record to what the analysis made of it. Events are looked up by binary search
 * on their sort key (rows and events share it), not through a map of every event: rebuilding
 * such a map for each snapshot of a large folder cost more than drawing the frame.
 */
export interface RecordIndex {
  events: readonly SortedEvent[];
  chains: Map<string, ActionChain>;
  chainsByGuid: Map<string, ActionChain>;
  chainsById: Map<string, ActionChain>;
  cycles: Map<string, UploadCycle>;
  cyclesBySource: Map<string, UploadCycle[]>;
  sources: Map<string, SourceSummary>;
  machines: number;
}

export function chainId(c: ActionChain): string {
  return c.taskGuid;
}

export function buildRecordIndex(a: { events: readonly SortedEvent[]; chains: readonly ActionChain[]; cycles: readonly UploadCycle[]; sources: readonly SourceSummary[] } | null): RecordIndex {
  const idx: RecordIndex = {
    events: a?.events ?? [], chains: new Map(), chainsByGuid: new Map(), chainsById: new Map(),
    cycles: new Map(), cyclesBySource: new Map(), sources: new Map(), machines: 0,
  };
  if (!a) return idx;
  for (const c of a.chains) {
    idx.chainsById.set(chainId(c), c);
    if (!c.taskGuid.startsWith('unauthorized:')) idx.chainsByGuid.set(c.taskGuid.toLowerCase(), c);
    for (const h of c.hops) idx.chains.set(refKey(h.path, h.line), c);
  }
  for (const c of a.cycles) {
    for (const r of c.refs) idx.cycles.set(refKey(r.path, r.line), c);
    const list = idx.cyclesBySource.get(c.sourceId);
    if (list) list.push(c);
    else idx.cyclesBySource.set(c.sourceId, [c]);
  }
  const machines = new Set<string>();
  for (const s of a.sources) {
    idx.sources.set(s.id, s);
    if (s.machine) machines.add(s.machine.toLowerCase());
  }
  idx.machines = machines.size;
  return idx;
}

/** The events read from a row's record (usually none or one). O(log events). */
export function eventsOf(idx: RecordIndex, row: Row): SortedEvent[] {
  const ev = idx.events;
  const key = row.sortMs;
  let lo = 0;
  let hi = ev.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ev[mid]!.sortMs < key) lo = mid + 1;
    else hi = mid;
  }
  const out: SortedEvent[] = [];
  const { path, line } = row.rec;
  for (let i = lo; i < ev.length && ev[i]!.sortMs === key; i++) {
    const r = ev[i]!.refs[0];
    if (r && r.line === line && r.path === path) out.push(ev[i]!);
  }
  return out;
}

const GUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The action chain a row is a hop of, or whose TaskGuid its message names. */
export function chainOf(idx: RecordIndex, row: Row): ActionChain | null {
  const byHop = idx.chains.get(refKey(row.rec.path, row.rec.line));
  if (byHop) return byHop;
  if (idx.chainsByGuid.size === 0) return null;
  for (const m of row.rec.message.matchAll(GUID_RE)) {
    const c = idx.chainsByGuid.get(m[0].toLowerCase());
    if (c) return c;
  }
  return null;
}

/** The upload cycle a row belongs to: by reference, else by time within its source's cycles. */
export function cycleOf(idx: RecordIndex, row: Row): UploadCycle | null {
  const byRef = idx.cycles.get(refKey(row.rec.path, row.rec.line));
  if (byRef) return byRef;
  const t = row.rec.utcMs;
  if (t === null) return null;
  for (const c of idx.cyclesBySource.get(row.sourceId) ?? []) {
    if (c.state === 'missed' || c.startUtc === null || c.endUtc === null) continue;
    if (t >= c.startUtc && t <= c.endUtc) return c;
  }
  return null;
}

/** Finds a record by path and line (a line inside a multi-line record counts) in the view. */
export function findRow(v: RowView, path: string, line: number): number | null {
  for (let i = 0; i < v.count; i++) {
    const r = rowAt(v, i)!.rec;
    if (r.path === path && line >= r.line && line <= r.endLine) return i;
  }
  return null;
}

/** A jump target for a path:line: the row in the filtered view, else the anchor in the full store. */
export function targetFor(v: RowView, path: string, line: number, label: string, total: number): JumpTarget {
  const row = findRow(v, path, line);
  if (row !== null) return { total, row, anchor: null, label };
  if (v.indices) {
    const full: RowView = { rows: v.rows, indices: null, count: v.rows.length };
    const i = findRow(full, path, line);
    if (i !== null) return { total, row: null, anchor: anchorOf(v.rows[i]), label };
  }
  return { total, row: null, anchor: null, label };
}

export const SEVERITY_ORDER: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** Errors, then warnings, then info; stable. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings.map((f, i) => ({ f, i })).sort((a, b) => (SEVERITY_ORDER[a.f.severity] ?? 3) - (SEVERITY_ORDER[b.f.severity] ?? 3) || a.i - b.i).map((x) => x.f);
}

export interface HistogramBucket {
  count: number;
  errors: number;
  warnings: number;
}

export interface Histogram {
  buckets: HistogramBucket[];
  fromMs: number | null;
  toMs: number | null;
  max: number;
}

function bucketIndex(h: Histogram, t: number): number {
  const n = h.buckets.length;
  if (h.fromMs === null || h.toMs === null || n === 0) return 0;
  const span = Math.max(1, h.toMs - h.fromMs);
  return Math.min(n - 1, Math.max(0, Math.floor(((t - h.fromMs) / span) * n)));
}

/** Records (and errors, warnings) per time bucket over the filtered timeline. O(rows). */
export function buildHistogram(v: RowView, n: number): Histogram {
  const h: Histogram = { buckets: Array.from({ length: Math.max(0, n) }, () => ({ count: 0, errors: 0, warnings: 0 })), fromMs: null, toMs: null, max: 0 };
  for (let i = 0; i < v.count; i++) {
    const t = rowAt(v, i)!.sortMs;
    if (Number.isFinite(t)) {
      h.fromMs = t;
      break;
    }
  }
  for (let i = v.count - 1; i >= 0; i--) {
    const t = rowAt(v, i)!.sortMs;
    if (Number.isFinite(t)) {
      h.toMs = t;
      break;
    }
  }
  if (n <= 0 || h.fromMs === null) return h;
  for (let i = 0; i < v.count; i++) {
    const row = rowAt(v, i)!;
    if (!Number.isFinite(row.sortMs)) continue;
    const b = h.buckets[bucketIndex(h, row.sortMs)]!;
    b.count++;
    const sev: Severity = row.rec.severity;
    if (sev === 'error') b.errors++;
    else if (sev === 'warning') b.warnings++;
  }
  for (const b of h.buckets) if (b.count > h.max) h.max = b.count;
  return h;
}

/** The buckets (first, last) covered by the rows on screen (view positions from..to). O(1). */
export function visibleBuckets(h: Histogram, v: RowView, from: number, to: number): { first: number; last: number } | null {
  const a = rowAt(v, from)?.sortMs;
  const z = rowAt(v, Math.min(to, v.count - 1))?.sortMs;
  if (a === undefined || z === undefined || h.fromMs === null) return null;
  const first = Number.isFinite(a) ? bucketIndex(h, a) : 0;
  const last = Number.isFinite(z) ? bucketIndex(h, z) : first;
  return { first, last };
}

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A bucket's bar: a space when empty, else one of ▁..█ on a log scale (one record still shows). */
export function barFor(count: number, max: number): string {
  if (count <= 0 || max <= 0) return ' ';
  const level = Math.ceil((Math.log1p(count) / Math.log1p(max)) * BARS.length);
  return BARS[Math.min(BARS.length, Math.max(1, level)) - 1]!;
}
