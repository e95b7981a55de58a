import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { balancedTargets, COUNT_COST } from '../../../src/analysis/parallel/plan.js';

/** Each part's cost under the plan's model: bytes read, and the lines counted before an in-file cut. */
function costs(startOf: number[], targets: number[]): number[] {
  const total = startOf[startOf.length - 1]!;
  const bounds = [0, ...targets, total];
  const fileStart = (c: number) => Math.max(...startOf.filter((s) => s <= c));
  return bounds.slice(0, -1).map((c, k) => bounds[k + 1]! - c + COUNT_COST * (c - fileStart(c)));
}

describe('balancedTargets (where the planner aims its cuts)', () => {
  it('moves the cut in one file past the middle by what the second part counts', () => {
    const [t] = balancedTargets([0, 1_000_000_000], 2);
    // (N - t) + r t = t  →  t = N / (2 - r)
    expect(t).toBeCloseTo(1_000_000_000 / (2 - COUNT_COST), -2);
    expect(t).toBeGreaterThan(500_000_000);
  });

  it('splits many small files evenly: a cut counts only within its file', () => {
    const startOf = Array.from({ length: 401 }, (_x, i) => i * 2_500_000);
    const targets = balancedTargets(startOf, 4);
    targets.forEach((t, k) => expect(Math.abs(t - ((k + 1) * 1e9) / 4)).toBeLessThan(2_500_000 * COUNT_COST + 2));
  });

  it('gives every part about the same cost, in order, for any file sizes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5e8 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 2, max: 8 }), (sizes, n) => {
        const startOf = [0];
        for (const s of sizes) startOf.push(startOf[startOf.length - 1]! + s);
        const targets = balancedTargets(startOf, n);
        expect(targets).toHaveLength(n - 1);
        for (let k = 1; k < targets.length; k++) expect(targets[k]!).toBeGreaterThanOrEqual(targets[k - 1]!);
        const c = costs(startOf, targets);
        // A part's count drops to nothing where a file begins, so the last part's cost can jump
        // by a file's count at each cut that crosses into a file; cuts fall on whole bytes.
        const spread = Math.max(...c) - Math.min(...c);
        expect(spread).toBeLessThanOrEqual(COUNT_COST * Math.max(...sizes) * (n - 1) + 2 * n);
      }),
    );
  });
});
