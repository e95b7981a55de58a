import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analysis/analyze.js';
import { analyzeIsolated, ISOLATE_BYTES, worthIsolating } from '../../src/analysis/isolated.js';
import { discover } from '../../src/ingest/discover.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The built worker (npm test builds first): the same file scan starts.
const WORKER = path.join(ROOT, 'dist/src/analysis/analyze-worker.js');

describe('isolated analysis (big scans in a heap-limited worker)', () => {
  it('gives the same result as analyzing in this thread, without the kept events', async () => {
    const { sources, problems } = await discover([path.join(ROOT, 'sample-logs/multi-site-three-zones')]);
    const here = await analyzeSources(sources, problems, { keepEvent: () => false });
    const there = await analyzeIsolated(WORKER, { sources, problems, opts: {} });
    // Everything but the kept events, which the worker does not post back (no lean report lists them).
    expect(here.events.length).toBeGreaterThan(0);
    expect(there).toEqual({ ...here, events: [] });
  });

  it('answers null when the worker runs out of its heap, so the caller can run without a limit', async () => {
    const { sources, problems } = await discover([path.join(ROOT, 'sample-logs/healthy-day')]);
    // A 1 MB heap is too small for any analysis.
    await expect(analyzeIsolated(WORKER, { sources, problems, opts: {} }, { heapMb: 1 })).resolves.toBeNull();
  });

  it('is used from ISOLATE_BYTES of input on', () => {
    const src = (size: number) => ({ id: 'x', name: 'X', kind: 'generic', role: 'unknown' as const, machine: null, files: [{ path: 'x', name: 'x', dir: '', root: '', size, mtimeMs: 0 }] });
    expect(worthIsolating([src(ISOLATE_BYTES - 1)])).toBe(false);
    expect(worthIsolating([src(ISOLATE_BYTES / 2), src(ISOLATE_BYTES / 2)])).toBe(true);
  });
});
