/**
 * Binary search over an index range, for the sorted columns and lists of the analysis and the
 * UI (hit times, gap runs, activity intervals, the record index's merge order).
 */

/** The first index in [lo, hi) for which `before(i)` is false (`before` is true, then false, along the range); hi when none. */
export function firstIndex(lo: number, hi: number, before: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is ≥ x (xs ascending). */
export function lowerBound(xs: ArrayLike<number>, x: number): number {
  return firstIndex(0, xs.length, (i) => xs[i]! < x);
}

/** First index whose value is > x (xs ascending). */
export function upperBound(xs: ArrayLike<number>, x: number): number {
  return firstIndex(0, xs.length, (i) => xs[i]! <= x);
}
