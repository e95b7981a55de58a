/**
 * Derived data the panes show, computed from the Session's store and analysis: the filtered row
 * view, lookups from records to events/chains/cycles, jump targets and the activity histogram.
 * Pure functions over plain data (no React), memoised by the App on the session version.
 */
import { firstIndex } from '../analysis/bisect.js';
import type { RecordStore, Row } from '../analysis/record-store.js';
import type { ActionChain, Finding, SortedEvent, SourceSummary, UploadCycle } from '../analysis/model.js';
import { indexTerms, type RowFilter } from './filter.js';
import type { Anchor, JumpTarget, ViewState } from './state.js';
import type { TextScan } from './text-scan.js';

/**
 * The timeline as shown: positions in the store's merged order, optionally filtered. Rows are
 * read from the store only when asked for (`rowAt`): a view over millions of records costs a
 * Uint32Array of the filtered positions at most.
 */
export interface RowView {
  readonly store: RecordStore;
  /** Filtered position → store position (ascending); null = no filter (identity). */
  readonly positions: Uint32Array | null;
  readonly count: number;
  /** The text filter is still being applied to some rows (they appear when they match). */
  readonly filtering: boolean;
  /** Sort times of the error and warning rows in the view, ascending; null: the store's (no filter). */
  readonly errorTimes: Float64Array | null;
  readonly warningTimes: Float64Array | null;
}

/**
 * The rows that pass a filter. Severity and log terms are answered by the index; text and
 * component terms by `scan` (rows it has not read yet are left out until it has).
 */
export function buildRowView(store: RecordStore, filter: RowFilter | null, scan: TextScan | null = null): RowView {
  if (!filter) return { store, positions: null, count: store.count, filtering: false, errorTimes: null, warningTimes: null };
  const terms = indexTerms(filter);
  const logOk: boolean[] = store.files.map((f) => terms.log(f.log));
  const out = new Uint32Array(store.count);
  const errors: number[] = [];
  const warnings: number[] = [];
  let n = 0;
  for (let p = 0; p < store.count; p++) {
    const id = store.idAt(p);
    const sev = store.severityOf(id);
    if (!terms.severity[sev] || !logOk[store.fileOf(id).index]) continue;
    if (scan && !scan.isMatch(id)) continue;
    out[n++] = p;
    const t = store.sortMsOf(id);
    if (sev === 'error' && Number.isFinite(t)) errors.push(t);
    else if (sev === 'warning' && Number.isFinite(t)) warnings.push(t);
  }
  return {
    store, positions: out.subarray(0, n), count: n, filtering: scan !== null && !scan.done,
    errorTimes: Float64Array.from(errors), warningTimes: Float64Array.from(warnings),
  };
}

/** The record id at a view position, or -1. */
export function idAt(v: RowView, i: number): number {
  if (i < 0 || i >= v.count) return -1;
  return v.store.idAt(v.positions ? v.positions[i]! : i);
}

/** The row at a view position, read from the store (cached there). */
export function rowAt(v: RowView, i: number): Row | undefined {
  const id = idAt(v, i);
  return id < 0 ? undefined : v.store.row(id);
}

/** Reads the rows of view positions `from..to` at once (one read per file run instead of one per row). */
export function prefetchRows(v: RowView, from: number, to: number): void {
  const ids: number[] = [];
  for (let i = Math.max(0, from); i < Math.min(v.count, to); i++) ids.push(idAt(v, i));
  v.store.prefetch(ids);
}

export function anchorAt(v: RowView, i: number): Anchor | null {
  const id = idAt(v, i);
  return id < 0 ? null : { seq: id, sortMs: v.store.sortMsOf(id) };
}

/** The view position of a store position, or -1 when the filter hides it. */
function viewPosition(v: RowView, pos: number): number {
  if (pos < 0) return -1;
  if (!v.positions) return pos < v.count ? pos : -1;
  const i = firstIndex(0, v.count, (k) => v.positions![k]! < pos);
  return i < v.count && v.positions[i] === pos ? i : -1;
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
  if (idAt(v, c) === a.seq) return c;
  const found = viewPosition(v, v.store.positionOf(a.seq));
  if (found >= 0) return found;
  // Not in this view: the nearest row in time (rows are sorted by sortMs).
  return Math.min(firstIndex(0, v.count, (i) => v.store.sortMsOf(idAt(v, i)) < a.sortMs), v.count - 1);
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
  const lo = firstIndex(0, ev.length, (i) => ev[i]!.sortMs < key);
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
  const i = viewPosition(v, v.store.positionOf(v.store.findLine(path, line)));
  return i >= 0 ? i : null;
}

/** A jump target for a path:line: the row in the filtered view, else the anchor in the full store. */
export function targetFor(v: RowView, path: string, line: number, label: string, total: number): JumpTarget {
  const row = findRow(v, path, line);
  if (row !== null) return { total, row, anchor: null, label };
  const id = v.store.findLine(path, line);
  if (v.positions && v.store.positionOf(id) >= 0) return { total, row: null, anchor: { seq: id, sortMs: v.store.sortMsOf(id) }, label };
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

/**
 * Records (and errors, warnings) per time bucket over the filtered timeline. Rows are in time
 * order, so each bucket's edges are found by binary search: O(buckets × log rows), however many
 * millions of rows there are (this is redrawn with every frame while the files are read).
 */
export function buildHistogram(v: RowView, n: number): Histogram {
  const h: Histogram = { buckets: Array.from({ length: Math.max(0, n) }, () => ({ count: 0, errors: 0, warnings: 0 })), fromMs: null, toMs: null, max: 0 };
  const timeAt = (i: number) => v.store.sortMsOf(idAt(v, i));
  // Rows before any time in their log sort first, at -Infinity.
  const first = firstIndex(0, v.count, (i) => !Number.isFinite(timeAt(i)));
  if (first >= v.count) return h;
  h.fromMs = timeAt(first);
  h.toMs = timeAt(v.count - 1);
  if (n <= 0) return h;
  const errors = v.errorTimes ?? v.store.severeTimes('error');
  const warnings = v.warningTimes ?? v.store.severeTimes('warning');
  // The first index, in a list of ascending times, whose bucket is at least b.
  const edge = (len: number, time: (i: number) => number, b: number) => firstIndex(0, len, (i) => bucketIndex(h, time(i)) < b);
  let rows = first;
  let errs = edge(errors.length, (i) => errors[i]!, 0);
  let warns = edge(warnings.length, (i) => warnings[i]!, 0);
  for (let b = 0; b < n; b++) {
    const nextRows = b === n - 1 ? v.count : first + edge(v.count - first, (i) => timeAt(first + i), b + 1);
    const nextErrs = b === n - 1 ? errors.length : edge(errors.length, (i) => errors[i]!, b + 1);
    const nextWarns = b === n - 1 ? warnings.length : edge(warnings.length, (i) => warnings[i]!, b + 1);
    const bucket = h.buckets[b]!;
    bucket.count = nextRows - rows;
    bucket.errors = nextErrs - errs;
    bucket.warnings = nextWarns - warns;
    if (bucket.count > h.max) h.max = bucket.count;
    rows = nextRows;
    errs = nextErrs;
    warns = nextWarns;
  }
  return h;
}

/** The buckets (first, last) covered by the rows on screen (view positions from..to). O(1). */
export function visibleBuckets(h: Histogram, v: RowView, from: number, to: number): { first: number; last: number } | null {
  const a = idAt(v, from);
  const z = idAt(v, Math.min(to, v.count - 1));
  if (a < 0 || z < 0 || h.fromMs === null) return null;
  const ta = v.store.sortMsOf(a);
  const tz = v.store.sortMsOf(z);
  const first = Number.isFinite(ta) ? bucketIndex(h, ta) : 0;
  const last = Number.isFinite(tz) ? bucketIndex(h, tz) : first;
  return { first, last };
}

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A bucket's bar: a space when empty, else one of ▁..█ on a log scale (one record still shows). */
export function barFor(count: number, max: number): string {
  if (count <= 0 || max <= 0) return ' ';
  const level = Math.ceil((Math.log1p(count) / Math.log1p(max)) * BARS.length);
  return BARS[Math.min(BARS.length, Math.max(1, level)) - 1]!;
}
