import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Activity, ACTIVITY_GRAIN_MS, GapRuns, SmallestK, SummaryHits, TimedHits } from '../../../src/analysis/rules/compact-hits.js';
import { compareHits, type Hit } from '../../../src/analysis/rules/hits.js';

function hit(ms: number, order: number, utcMs: number | null = ms): Hit {
  return { ms, utcMs, order, log: 'L', path: 'p', line: order, local: null, text: `t${order}`, fields: {}, keys: [`p\u0000${order}`] };
}

const times = fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 300 });

describe('SmallestK', () => {
  it('keeps the k smallest of any sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 0, max: 12 }), (xs, k) => {
        const s = new SmallestK<number>(k, (a, b) => a - b);
        for (const x of xs) s.add(x);
        expect(s.items().sort((a, b) => a - b)).toEqual([...xs].sort((a, b) => a - b).slice(0, k));
      }),
    );
  });
});

describe('SummaryHits', () => {
  it('shows the first and last k hits by time and the exact count and UTC range', () => {
    fc.assert(
      fc.property(times, (ts) => {
        const s = new SummaryHits(3);
        const all = ts.map((t, i) => hit(t * 1000, i, i % 7 === 0 ? null : t * 1000));
        for (const h of all) s.add(h);
        const sorted = [...all].sort(compareHits);
        const want = sorted.length > 6 ? [...sorted.slice(0, 3), ...sorted.slice(-3)] : sorted;
        const v = s.view([]);
        expect(v.hits.map((h) => h.order)).toEqual(want.map((h) => h.order));
        expect(v.count).toBe(all.length);
        const utcs = all.map((h) => h.utcMs).filter((u): u is number => u !== null);
        expect(v.minUtc).toBe(utcs.length ? Math.min(...utcs) : null);
        expect(v.maxUtc).toBe(utcs.length ? Math.max(...utcs) : null);
      }),
    );
  });
});

describe('TimedHits', () => {
  it('lists every timed hit in order, with details for the earliest and latest k', () => {
    fc.assert(
      fc.property(times, (ts) => {
        const t = new TimedHits(2);
        const all = ts.map((x, i) => hit(x, i));
        for (const h of all) t.add(h);
        const e = t.entries([hit(Number.NEGATIVE_INFINITY, 999)]);
        const sorted = [...all].sort(compareHits);
        expect(e.map((x) => x.order)).toEqual(sorted.map((h) => h.order));
        const detailed = e.flatMap((x, i) => (x.hit ? [i] : []));
        const n = sorted.length;
        for (let i = 0; i < n; i++) if (i < 2 || i >= n - 2) expect(detailed).toContain(i);
      }),
    );
  });
});

describe('TimedHits details', () => {
  it('belong to their own hit when a text hit and an event hit share an order number', () => {
    const t = new TimedHits(5);
    const a = { ...hit(1000, 7), text: 'text hit' };
    const b = { ...hit(2000, 7), text: 'event hit' };
    t.add(a);
    t.add(b);
    expect(t.entries([]).map((e) => e.hit?.text)).toEqual(['text hit', 'event hit']);
  });
});

describe('GapRuns', () => {
  it('finds exactly the gaps longer than the window between time-sorted hits, in any arrival order', () => {
    fc.assert(
      fc.property(times, fc.integer({ min: 0, max: 20 }), (ts, window) => {
        const runs = new GapRuns<Hit>(window);
        const all = ts.map((t, i) => hit(t, i));
        for (const h of all) runs.add(h.ms, h.order, h);
        const sorted = [...all].sort(compareHits);
        const want: { last: number; nextStart: number | null }[] = [];
        for (let i = 0; i < sorted.length; i++) {
          const next = sorted[i + 1];
          if (!next || next.ms - sorted[i]!.ms > window) want.push({ last: sorted[i]!.order, nextStart: next?.ms ?? null });
        }
        expect(runs.gaps().map((g) => ({ last: g.last.order, nextStart: g.nextStart }))).toEqual(want);
      }),
    );
  });
});

describe('Activity', () => {
  const G = ACTIVITY_GRAIN_MS;
  const query = fc.tuple(fc.integer({ min: -10, max: 210 * G }), fc.integer({ min: 0, max: 50 * G }), fc.boolean());

  it('answers exactly while exact, and past its limit whenever the range is longer than the grain', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 * G }), { maxLength: 200 }), fc.array(query, { maxLength: 20 }), (ts, qs) => {
        const exact = new Activity();
        const compact = new Activity(4);
        for (const t of ts) {
          exact.add(t);
          compact.add(t);
        }
        for (const [from, len, openEnd] of qs) {
          const to = from + len;
          const truth = ts.some((t) => t > from && (openEnd ? t < to : t <= to));
          expect(exact.wrote(from, to, openEnd)).toBe(truth);
          // Past the limit only a range inside one interval and within the grain may say "wrote".
          if (len > G || !compact.wrote(from, to, openEnd)) expect(compact.wrote(from, to, openEnd)).toBe(truth);
        }
        expect(compact.empty).toBe(ts.length === 0);
      }),
    );
  });

  it('is exact past its limit for records more than the grain apart', () => {
    const a = new Activity(2);
    for (const t of [2, 0, 6, 4].map((x) => x * G)) a.add(t);
    expect(a.wrote(0, 2 * G, true)).toBe(false);
    expect(a.wrote(0, 2 * G, false)).toBe(true);
    expect(a.wrote(2 * G, 4 * G - 1, false)).toBe(false);
    expect(a.wrote(5.5 * G, 7 * G, false)).toBe(true);
    expect(a.wrote(6 * G, 99 * G, false)).toBe(false);
  });
});

/**
 * Merging (parallel scans): a store fed the first items, merged with the plain data of one fed
 * the rest (through structuredClone, as postMessage would), shows what one store fed all shows.
 */
describe('merging stores', () => {
  /** Items and a split point; time units small so times repeat, order = arrival index. */
  const split = <T>(items: fc.Arbitrary<T[]>) => items.chain((xs) => fc.tuple(fc.constant(xs), fc.integer({ min: 0, max: xs.length })));
  const clone = <T>(x: T): T => structuredClone(x);

  it('SummaryHits', () => {
    fc.assert(
      fc.property(split(times), fc.integer({ min: 1, max: 4 }), ([ts, cut], k) => {
        const all = ts.map((t, i) => hit(t * 1000, i, i % 7 === 0 ? null : t * 1000));
        const one = new SummaryHits(k);
        for (const h of all) one.add(h);
        const a = new SummaryHits(k);
        const b = new SummaryHits(k);
        for (const h of all.slice(0, cut)) a.add(h);
        for (const h of all.slice(cut)) b.add(h);
        const merged = SummaryHits.fromData(clone(a.toData()));
        merged.merge(clone(b.toData()));
        const extra = [hit(50_000, 9999)];
        expect(merged.view(extra)).toEqual(one.view(extra));
      }),
    );
  });

  it('TimedHits', () => {
    fc.assert(
      fc.property(split(times), fc.integer({ min: 0, max: 4 }), ([ts, cut], k) => {
        const all = ts.map((t, i) => hit(i % 11 === 0 ? Number.NaN : t, i, i % 5 === 0 ? null : t));
        const one = new TimedHits(k);
        for (const h of all) one.add(h);
        const a = new TimedHits(k);
        const b = new TimedHits(k);
        for (const h of all.slice(0, cut)) a.add(h);
        for (const h of all.slice(cut)) b.add(h);
        const merged = TimedHits.fromData(clone(a.toData()));
        merged.merge(clone(b.toData()));
        expect(merged.count).toBe(one.count);
        expect(merged.entries([hit(7, 9999)])).toEqual(one.entries([hit(7, 9999)]));
      }),
    );
  });

  it('GapRuns', () => {
    fc.assert(
      fc.property(split(times), fc.integer({ min: 0, max: 20 }), ([ts, cut], window) => {
        const all = ts.map((t, i) => hit(i % 13 === 0 ? Number.NEGATIVE_INFINITY : t, i));
        const one = new GapRuns<Hit>(window);
        for (const h of all) one.add(h.ms, h.order, h);
        const a = new GapRuns<Hit>(window);
        const b = new GapRuns<Hit>(window);
        for (const h of all.slice(0, cut)) a.add(h.ms, h.order, h);
        for (const h of all.slice(cut)) b.add(h.ms, h.order, h);
        const merged = GapRuns.fromData(clone(a.toData()));
        merged.merge(clone(b.toData()));
        expect(merged.gaps()).toEqual(one.gaps());
        // Still a working store: later hits land as in the one store.
        for (const t of [0, 57, 140, 300]) {
          merged.add(t, 5000 + t, hit(t, 5000 + t));
          one.add(t, 5000 + t, hit(t, 5000 + t));
        }
        expect(merged.gaps()).toEqual(one.gaps());
      }),
    );
  });

  it('Activity: the same answers, exact or compacted as one fed all would be', () => {
    const G = ACTIVITY_GRAIN_MS;
    // Times in thirds of the grain, so answers inside one interval tell exact from compacted.
    const ts = fc.array(fc.integer({ min: 0, max: 60 }).map((x) => (x * G) / 3), { maxLength: 16 });
    const query = fc.tuple(fc.integer({ min: -1, max: 62 }).map((x) => (x * G) / 3), fc.integer({ min: 0, max: 9 }).map((x) => (x * G) / 6), fc.boolean());
    const queries = fc.array(query, { minLength: 40, maxLength: 40 });
    fc.assert(
      fc.property(split(ts), fc.integer({ min: 1, max: 12 }), fc.boolean(), queries, ([all, cut], limit, repeat, qs) => {
        // The second part may start with the first's last time (a repeat `add` does not keep).
        if (repeat && cut > 0 && cut < all.length) all[cut] = all[cut - 1]!;
        const one = new Activity(limit);
        const a = new Activity(limit);
        const b = new Activity(limit);
        all.forEach((t, i) => {
          one.add(t);
          (i < cut ? a : b).add(t);
        });
        const merged = Activity.fromData(clone(a.toData()));
        merged.merge(clone(b.toData()));
        // Later times too: the merged one goes on as the one store does.
        for (const t of [all[all.length - 1] ?? 0, 5 * G]) {
          one.add(t);
          merged.add(t);
        }
        expect(merged.empty).toBe(one.empty);
        for (const [from, len, openEnd] of qs) expect([from, len, openEnd, merged.wrote(from, from + len, openEnd)]).toEqual([from, len, openEnd, one.wrote(from, from + len, openEnd)]);
      }),
      { numRuns: 500 },
    );
  });
});
