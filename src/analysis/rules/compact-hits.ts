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

/** Every hit's time and order; details for the earliest and latest `k`. */
/** A kept hit and its place in the columns (orders of text and event hits can coincide). */
interface Slot {
  i: number;
  h: Hit;
}

const bySlotTime = (a: Slot, b: Slot): number => compareHits(a.h, b.h) || a.i - b.i;
const bySlotTimeLater = (a: Slot, b: Slot): number => bySlotTime(b, a);

export class TimedHits {
  private readonly ms = new F64Column();
  private readonly order = new F64Column();
  private readonly utc = new F64Column();
  private n = 0;
  private readonly earliest: SmallestK<Slot>;
  private readonly latest: SmallestK<Slot>;

  constructor(k: number) {
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

interface Run<T> {
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
export class Activity {
  /** Exact times while few; null once compacted into intervals. */
  private times: TimeList | null = new TimeList();
  /** Past the limit: sorted disjoint intervals. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(private readonly exactLimit = ACTIVITY_EXACT_LIMIT) {}

  get empty(): boolean {
    return (this.times?.length ?? this.starts.length) === 0;
  }

  add(ms: number): void {
    const t = this.times;
    if (t === null) {
      this.addInterval(ms);
      return;
    }
    if (t.last === ms) return;
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

