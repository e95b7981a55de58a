import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstIndex, lowerBound, upperBound } from '../../src/analysis/bisect.js';

describe('bisect', () => {
  it('finds what a linear scan finds, on any sorted list and any range', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 })), fc.integer({ min: -25, max: 25 }), fc.nat(), fc.nat(), (raw, x, a, b) => {
        const xs = [...raw].sort((p, q) => p - q);
        const scan = (from: number, pred: (v: number) => boolean) => {
          for (let i = from; i < xs.length; i++) if (!pred(xs[i]!)) return i;
          return xs.length;
        };
        expect(lowerBound(xs, x)).toBe(scan(0, (v) => v < x));
        expect(upperBound(xs, x)).toBe(scan(0, (v) => v <= x));
        const lo = Math.min(a, b) % (xs.length + 1);
        const hi = Math.max(lo, Math.max(a, b) % (xs.length + 1));
        expect(firstIndex(lo, hi, (i) => xs[i]! < x)).toBe(Math.min(hi, scan(lo, (v) => v < x)));
      }),
    );
  });
});
