/**
 * Bounded stores for rules whose hits run into the hundreds of thousands on big post-mortems
 * (every 204 poll is a hit of the polling-gap rule; a bad day has tens of thousands of timeouts).
 * The engine keeps hits exactly while there are few (rules/engine.ts) and moves a rule's hits
 * here past a limit. Each store keeps what its kind of rule reports, in memory that does not
 * grow with the log, or grows by a few bytes per hit:
 *
 * - `SummaryHits` (a plain match): the exact count, the earliest and latest UTC, and the first
 *   and last EVIDENCE hits by time — all a finding shows.
 * - `TimedHits` (a match with a threshold): every hit's time in typed arrays (16 bytes a hit),
 *   so bursts are computed exactly, and the details of the earliest and latest few thousand.
 * - `GapRuns` (an absence rule): runs of hits no more than the window apart, each with its last
 *   hit. Gaps longer than the window are exactly the spaces between runs, so the finding is the
 *   same as from every hit.
 * - `Activity`: when each log wrote (for "while the log kept writing"): exact times up to a
 *   limit, then intervals merged at ACTIVITY_GRAIN_MS.
 *
 * Each store also goes to plain data (`toData`, structured-cloneable: a parallel scan's worker
 * posts it) and merges such data of a store fed other items (`merge`), giving what one store fed
 * both would give: the kept summaries are all order-independent (counts, k smallest, runs and
 * intervals of a set of times).
 */
import { firstIndex, upperBound } from '../bisect.js';
import { F64Column, TimeList } from '../columns.js';
import { compareHits, type Hit } from './hits.js';

/** The k smallest items under `cmp` (a max-heap; `add` returns what fell out, if anything). */
export class SmallestK<T> {
  private readonly heap: T[] = [];
  constructor(
    private readonly k: number,
    private readonly cmp: (a: T, b: T) => number,
  ) {}

  add(x: T): T | null {
    const h = this.heap;
    if (h.length < this.k) {
      h.push(x);
      this.up(h.length - 1);
      return null;
    }
    if (this.k === 0 || this.cmp(x, h[0]!) >= 0) return x;
    const out = h[0]!;
    h[0] = x;
    this.down(0);
    return out;
  }

  items(): T[] {
    return [...this.heap];
  }

  get size(): number {
    return this.heap.length;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.cmp(h[i]!, h[p]!) <= 0) return;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.cmp(h[l]!, h[m]!) > 0) m = l;
      if (r < h.length && this.cmp(h[r]!, h[m]!) > 0) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

const laterFirst = (a: Hit, b: Hit): number => compareHits(b, a);

/** A SummaryHits as plain data (a hit kept as earliest and latest is one object in both lists). */
export interface SummaryData {
  k: number;
  count: number;
  minUtc: number | null;
  maxUtc: number | null;
  earliest: Hit[];
  latest: Hit[];
}

/** Earliest and latest `k` hits by (time, order), plus the exact count and UTC range. */
export class SummaryHits {
  count = 0;
  minUtc: number | null = null;
  maxUtc: number | null = null;
  private readonly earliest: SmallestK<Hit>;
  private readonly latest: SmallestK<Hit>;

  constructor(readonly k: number) {
    this.earliest = new SmallestK(k, compareHits);
    this.latest = new SmallestK(k, laterFirst);
  }

  add(h: Hit): void {
    this.count++;
    const u = h.utcMs;
    if (u !== null && Number.isFinite(u)) {
      if (this.minUtc === null || u < this.minUtc) this.minUtc = u;
      if (this.maxUtc === null || u > this.maxUtc) this.maxUtc = u;
    }
    this.earliest.add(h);
    this.latest.add(h);
  }

  toData(): SummaryData {
    return { k: this.k, count: this.count, minUtc: this.minUtc, maxUtc: this.maxUtc, earliest: this.earliest.items(), latest: this.latest.items() };
  }

  static fromData(d: SummaryData): SummaryHits {
    const s = new SummaryHits(d.k);
    s.merge(d);
    return s;
  }

  /** Adds the hits of another store (the first and last k of the union are among both stores' own). */
  merge(d: SummaryData): void {
    this.count += d.count;
    if (d.minUtc !== null && (this.minUtc === null || d.minUtc < this.minUtc)) this.minUtc = d.minUtc;
    if (d.maxUtc !== null && (this.maxUtc === null || d.maxUtc > this.maxUtc)) this.maxUtc = d.maxUtc;
    for (const h of d.earliest) this.earliest.add(h);
    for (const h of d.latest) this.latest.add(h);
  }

  /** The kept hits (and `extra`), time-sorted: the first and last k of all. */
  view(extra: readonly Hit[]): { hits: Hit[]; count: number; minUtc: number | null; maxUtc: number | null } {
    const set = new Set<Hit>([...this.earliest.items(), ...this.latest.items(), ...extra]);
    let hits = [...set].sort(compareHits);
    if (hits.length > 2 * this.k) hits = [...hits.slice(0, this.k), ...hits.slice(-this.k)];
    let { minUtc, maxUtc } = this;
    for (const h of extra) {
      const u = h.utcMs;
      if (u === null || !Number.isFinite(u)) continue;
      if (minUtc === null || u < minUtc) minUtc = u;
      if (maxUtc === null || u > maxUtc) maxUtc = u;
    }
    return { hits, count: this.count + extra.length, minUtc, maxUtc };
  }
}


export interface TimedEntry {
  ms: number;
  order: number;
  utcMs: number | null;
  /** The hit's details when kept (the earliest and latest few thousand), else null. */
  hit: Hit | null;
}

/** A kept hit and its place in the columns (orders of text and event hits can coincide). */
export interface Slot {
  i: number;
  h: Hit;
}

/** A TimedHits as plain data: every hit's columns, in arrival order, and the kept details by index. */
export interface TimedData {
  k: number;
  ms: Float64Array;
  order: Float64Array;
  utc: Float64Array;
  kept: Slot[];
}

const bySlotTime = (a: Slot, b: Slot): number => compareHits(a.h, b.h) || a.i - b.i;
const bySlotTimeLater = (a: Slot, b: Slot): number => bySlotTime(b, a);

/** Every hit's time and order; details for the earliest and latest `k`. */
export class TimedHits {
  private readonly ms = new F64Column();
  private readonly order = new F64Column();
  private readonly utc = new F64Column();
  private n = 0;
  private readonly earliest: SmallestK<Slot>;
  private readonly latest: SmallestK<Slot>;

  constructor(private readonly k: number) {
    this.earliest = new SmallestK(k, bySlotTime);
    this.latest = new SmallestK(k, bySlotTimeLater);
  }

  get count(): number {
    return this.n;
  }

  add(h: Hit): void {
    const i = this.n++;
    const slot = { i, h };
    for (const c of [this.ms, this.order, this.utc]) c.ensure(i);
    this.ms.set(i, h.ms);
    this.order.set(i, h.order);
    this.utc.set(i, h.utcMs ?? Number.NaN);
    this.earliest.add(slot);
    this.latest.add(slot);
  }

  toData(): TimedData {
    const n = this.n;
    const ms = new Float64Array(n);
    const order = new Float64Array(n);
    const utc = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ms[i] = this.ms.get(i);
      order[i] = this.order.get(i);
      utc[i] = this.utc.get(i);
    }
    const kept = [...new Set([...this.earliest.items(), ...this.latest.items()])].map((s) => ({ i: s.i, h: s.h }));
    return { k: this.k, ms, order, utc, kept };
  }

  static fromData(d: TimedData): TimedHits {
    const t = new TimedHits(d.k);
    t.merge(d);
    return t;
  }

  /**
   * Adds the hits of another store, as if they arrived after this one's: they take the next
   * indices (ties in time and order keep arrival order).
   */
  merge(d: TimedData): void {
    const base = this.n;
    const m = d.ms.length;
    if (m > 0) for (const c of [this.ms, this.order, this.utc]) c.ensure(base + m - 1);
    for (let j = 0; j < m; j++) {
      this.ms.set(base + j, d.ms[j]!);
      this.order.set(base + j, d.order[j]!);
      this.utc.set(base + j, d.utc[j]!);
    }
    this.n += m;
    // The earliest (latest) k of both are among the earliest (latest) k of each.
    for (const s of d.kept) {
      const slot = { i: base + s.i, h: s.h };
      this.earliest.add(slot);
      this.latest.add(slot);
    }
  }

  /** Every hit (and `extra`) with a finite time, sorted by (time, order). */
  entries(extra: readonly Hit[]): TimedEntry[] {
    const kept = new Map<number, Hit>();
    for (const s of [...this.earliest.items(), ...this.latest.items()]) kept.set(s.i, s.h);
    const out: TimedEntry[] = [];
    for (let i = 0; i < this.n; i++) {
      const ms = this.ms.get(i);
      if (!Number.isFinite(ms)) continue;
      const u = this.utc.get(i);
      out.push({ ms, order: this.order.get(i), utcMs: Number.isNaN(u) ? null : u, hit: kept.get(i) ?? null });
    }
    for (const h of extra) if (Number.isFinite(h.ms)) out.push({ ms: h.ms, order: h.order, utcMs: h.utcMs, hit: h });
    return out.sort((a, b) => a.ms - b.ms || a.order - b.order);
  }
}

/** A GapRuns as plain data. */
export interface GapData<T> {
  window: number;
  runs: Run<T>[];
}

export interface Run<T> {
  start: number;
  end: number;
  /** The latest hit of the run, by (time, order). */
  lastMs: number;
  lastOrder: number;
  last: T;
}

/**
 * Runs of hits whose neighbours are at most `window` ms apart (hits without time are ignored).
 * A hit is any item with its time and order given beside it, so the engine can add an event
 * without building its hit (most never end a run).
 */
export class GapRuns<T> {
  private runs: Run<T>[] = [];
  /** The run the last hit went to: hits of one log arrive in time order, mostly to the same run. */
  private hint = -1;

  constructor(private readonly window: number) {}

  add(ms: number, order: number, item: T): void {
    if (!Number.isFinite(ms)) return;
    const runs = this.runs;
    const T = this.window;
    let i = this.hint;
    const r0 = runs[i];
    // The last run that starts at or before ms (−1: none).
    if (!(r0 && r0.start <= ms && (i + 1 >= runs.length || runs[i + 1]!.start > ms))) i = firstIndex(0, runs.length, (k) => runs[k]!.start <= ms) - 1;
    const prev = runs[i];
    const next = runs[i + 1];
    const joinPrev = prev !== undefined && ms <= prev.end + T;
    const joinNext = next !== undefined && next.start - ms <= T;
    if (joinPrev && joinNext) {
      prev.end = Math.max(prev.end, next.end, ms);
      takeLater(prev, next.lastMs, next.lastOrder, next.last);
      takeLater(prev, ms, order, item);
      runs.splice(i + 1, 1);
      this.hint = i;
    } else if (joinPrev) {
      if (ms > prev.end) prev.end = ms;
      takeLater(prev, ms, order, item);
      this.hint = i;
    } else if (joinNext) {
      next.start = ms;
      takeLater(next, ms, order, item);
      this.hint = i + 1;
    } else {
      runs.splice(i + 1, 0, { start: ms, end: ms, lastMs: ms, lastOrder: order, last: item });
      this.hint = i + 1;
    }
  }

  /** The last hit of each run and where the next run starts (null after the last run). */
  gaps(): { last: T; nextStart: number | null }[] {
    return this.runs.map((r, i) => ({ last: r.last, nextStart: this.runs[i + 1]?.start ?? null }));
  }

  toData(): GapData<T> {
    return { window: this.window, runs: this.runs.map((r) => ({ ...r })) };
  }

  static fromData<T>(d: GapData<T>): GapRuns<T> {
    const g = new GapRuns<T>(d.window);
    g.runs = d.runs.map((r) => ({ ...r }));
    return g;
  }

  /**
   * Adds the runs of another store (same window): runs are the components of a set of times
   * whose neighbours are at most the window apart, so the union's are this one's and the
   * other's, joined where they overlap or lie at most the window apart.
   */
  merge(d: GapData<T>): void {
    const a = this.runs;
    const b = d.runs;
    const T = this.window;
    const out: Run<T>[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const r = j >= b.length || (i < a.length && a[i]!.start <= b[j]!.start) ? a[i++]! : { ...b[j++]! };
      const cur = out[out.length - 1];
      if (cur !== undefined && r.start <= cur.end + T) {
        if (r.end > cur.end) cur.end = r.end;
        takeLater(cur, r.lastMs, r.lastOrder, r.last);
      } else out.push(r);
    }
    this.runs = out;
    this.hint = -1;
  }

  /** A copy (evaluation adds the analysis' synthetic hits to a copy, never to the store). */
  clone(): GapRuns<T> {
    const c = new GapRuns<T>(this.window);
    c.runs = this.runs.map((r) => ({ ...r }));
    return c;
  }
}

function takeLater<T>(run: Run<T>, ms: number, order: number, item: T): void {
  if (ms > run.lastMs || (ms === run.lastMs && order > run.lastOrder)) {
    run.lastMs = ms;
    run.lastOrder = order;
    run.last = item;
  }
}

/** Times kept exactly per key up to this many; then intervals. */
export const ACTIVITY_EXACT_LIMIT = 16_384;
/**
 * Records closer than this are one interval once a log's activity is compacted: at most one
 * interval per 30 s of log time (absence windows are minutes long; a busy log writes every
 * second, and 1 s intervals grew ~15 MB per GB of log).
 */
export const ACTIVITY_GRAIN_MS = 30_000;

/**
 * When one log (or any log) wrote. Exact times while few; past ACTIVITY_EXACT_LIMIT, sorted
 * disjoint intervals of records at most ACTIVITY_GRAIN_MS apart, whose ends are real record
 * times. `wrote(from, to)` is then exact unless the whole range lies inside one interval and is
 * shorter than the grain (answered "wrote": the log was writing every 30 s around it).
 */
/** An Activity as plain data. */
export interface ActivityData {
  exactLimit: number;
  /** The exact times, ascending (null once compacted). */
  times: Float64Array | null;
  /** The first and last time added while exact (a repeat of the last is not kept). */
  first: number | null;
  last: number | null;
  starts: number[];
  ends: number[];
}

export class Activity {
  /** Exact times while few; null once compacted into intervals. */
  private times: TimeList | null = new TimeList();
  /** The first and the last time added while exact. */
  private first: number | null = null;
  private last: number | null = null;
  /** Past the limit: sorted disjoint intervals. */
  private starts: number[] = [];
  private ends: number[] = [];

  constructor(private readonly exactLimit = ACTIVITY_EXACT_LIMIT) {}

  toData(): ActivityData {
    return { exactLimit: this.exactLimit, times: this.times ? this.times.ascending().slice() : null, first: this.first, last: this.last, starts: [...this.starts], ends: [...this.ends] };
  }

  static fromData(d: ActivityData): Activity {
    const a = new Activity(d.exactLimit);
    a.merge(d);
    return a;
  }

  /**
   * Adds the times of another Activity as if added after this one's: exact while the total
   * stays within the limit (the other's first time is not kept again when it repeats this one's
   * last, as `add` would), else intervals — those of a set of times, whatever their order.
   */
  merge(d: ActivityData): void {
    const t = this.times;
    if (t !== null && d.times !== null) {
      const skip = d.first !== null && d.first === this.last;
      let skipped = !skip;
      for (const ms of d.times) {
        if (!skipped && ms === d.first) {
          skipped = true;
          continue;
        }
        t.push(ms);
      }
      if (d.first !== null) {
        this.first ??= d.first;
        this.last = d.last;
      }
      if (t.length > this.exactLimit) this.compact(t);
      return;
    }
    if (t !== null) this.compact(t);
    if (d.times !== null) {
      for (const ms of d.times) this.addInterval(ms);
      return;
    }
    // Both are intervals: a sorted merge, joining those at most a grain apart.
    const G = ACTIVITY_GRAIN_MS;
    const s: number[] = [];
    const e: number[] = [];
    let i = 0;
    let j = 0;
    while (i < this.starts.length || j < d.starts.length) {
      const fromThis = j >= d.starts.length || (i < this.starts.length && this.starts[i]! <= d.starts[j]!);
      const start = fromThis ? this.starts[i]! : d.starts[j]!;
      const end = fromThis ? this.ends[i++]! : d.ends[j++]!;
      const n = s.length;
      if (n > 0 && start <= e[n - 1]! + G) {
        if (end > e[n - 1]!) e[n - 1] = end;
      } else {
        s.push(start);
        e.push(end);
      }
    }
    this.starts = s;
    this.ends = e;
  }

  get empty(): boolean {
    return (this.times?.length ?? this.starts.length) === 0;
  }

  add(ms: number): void {
    const t = this.times;
    if (t === null) {
      this.addInterval(ms);
      return;
    }
    if (this.last === ms) return;
    this.first ??= ms;
    this.last = ms;
    t.push(ms);
    if (t.length > this.exactLimit) this.compact(t);
  }

  /** Whether a record falls in (from, to] — or (from, to) when `openEnd`. */
  wrote(from: number, to: number, openEnd: boolean): boolean {
    const inRange = (t: number | undefined): boolean => t !== undefined && t > from && (openEnd ? t < to : t <= to);
    if (this.times !== null) {
      const t = this.times.ascending();
      return inRange(t[upperBound(t, from)]);
    }
    const i = upperBound(this.ends, from);
    const start = this.starts[i];
    const end = this.ends[i];
    if (start === undefined || end === undefined) return false;
    if (start > from) return inRange(start);
    if (inRange(end)) return true;
    // (from, to) lies inside one interval: records there are at most a grain apart.
    return to > from;
  }

  private compact(times: TimeList): void {
    for (const ms of times.ascending()) this.addInterval(ms);
    this.times = null;
  }

  private addInterval(ms: number): void {
    const s = this.starts;
    const e = this.ends;
    const n = s.length;
    const G = ACTIVITY_GRAIN_MS;
    // Fast path: at or after the last interval's start (logs are read in time order).
    if (n > 0 && ms >= s[n - 1]!) {
      if (ms <= e[n - 1]!) return;
      if (ms - e[n - 1]! <= G) e[n - 1] = ms;
      else {
        s.push(ms);
        e.push(ms);
      }
      return;
    }
    const i = upperBound(s, ms) - 1; // the last interval starting at or before ms
    const joinPrev = i >= 0 && ms <= e[i]! + G;
    const joinNext = i + 1 < n && s[i + 1]! - ms <= G;
    if (joinPrev && joinNext) {
      e[i] = Math.max(e[i]!, e[i + 1]!);
      s.splice(i + 1, 1);
      e.splice(i + 1, 1);
    } else if (joinPrev) {
      if (ms > e[i]!) e[i] = ms;
    } else if (joinNext) {
      s[i + 1] = ms;
    } else {
      s.splice(i + 1, 0, ms);
      e.splice(i + 1, 0, ms);
    }
  }
}

