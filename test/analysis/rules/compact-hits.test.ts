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
