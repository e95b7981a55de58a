import { useEffect, useReducer, useRef } from 'react';
import type { AnalysisResult } from '../analysis/analyze.js';

/** The part of a Session this hook reads. */
export interface AnalysisSource {
  analysis(): AnalysisResult | null;
  readonly progress: { loaded: boolean };
}

/** While the first read runs, the analysis is redone at most this often. */
export const LOADING_ANALYSIS_MS = 2000;
/** The analysis may use at most about 1/(1+BUDGET_FACTOR) of the time: wait this many times its cost. */
export const BUDGET_FACTOR = 4;
/** While the first read runs, less: the read itself needs the time (a snapshot of a gigabyte log takes ~0.5 s). */
export const LOADING_BUDGET_FACTOR = 10;
/** While the first read runs, a snapshot waits until no key came for this long (it blocks keys while it runs). */
export const INPUT_IDLE_MS = 1000;

interface Memo {
  version: number;
  at: number;
  /** How long the last snapshot took (ms). */
  cost: number;
  loaded: boolean;
  value: AnalysisResult | null;
}

/** The wait before the next snapshot, given the last one's cost. */
export function analysisInterval(loaded: boolean, lastCostMs: number): number {
  return loaded ? lastCostMs * BUDGET_FACTOR : Math.max(LOADING_ANALYSIS_MS, lastCostMs * LOADING_BUDGET_FACTOR);
}

/** When the next snapshot is due: after its interval, and while reading only once the keys have been idle a while. */
export function analysisDue(loaded: boolean, lastAt: number, lastCostMs: number, lastInputAt: number): number {
  const due = lastAt + analysisInterval(loaded, lastCostMs);
  return loaded ? due : Math.max(due, lastInputAt + INPUT_IDLE_MS);
}

/**
 * The session's analysis for a version. A snapshot derives cycles, chains and findings from all
 * events so far (about a second for 100k events), and it runs on the UI thread, so it is redone
 * at most every two seconds while the first read runs and never more often than
 * LOADING_BUDGET_FACTOR times its own cost (BUDGET_FACTOR after), then only when no key came for
 * INPUT_IDLE_MS (`lastInputAt`): on a large folder keys stay responsive and the rows keep
 * streaming in. The moment the first read ends it is redone at once.
 */
export function useAnalysis(session: AnalysisSource, version: number, lastInputAt = 0): AnalysisResult | null {
  const memo = useRef<Memo>({ version: -1, at: 0, cost: 0, loaded: false, value: null });
  const [, refresh] = useReducer((x: number) => x + 1, 0);
  const m = memo.current;
  let waitMs = 0;
  if (m.version !== version) {
    const now = Date.now();
    const loaded = session.progress.loaded;
    const due = analysisDue(loaded, m.at, m.cost, lastInputAt);
    if (m.value === null || (loaded && !m.loaded) || now >= due) {
      m.value = session.analysis();
      const end = Date.now();
      m.cost = end - now;
      m.at = end;
      m.version = version;
      m.loaded = loaded;
    } else waitMs = due - now;
  }
  useEffect(() => {
    if (waitMs <= 0) return;
    const t = setTimeout(refresh, waitMs);
    return () => clearTimeout(t);
  });
  return m.value;
}
