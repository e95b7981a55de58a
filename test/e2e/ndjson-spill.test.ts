/**
 * `scan --format ndjson` lists every event from a spill (src/analysis/event-spill.ts) instead of
 * keeping them all: its output must be byte for byte the listing of an analysis that kept every
 * event, with and without --redact, in this thread and from the heap-limited worker.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error the benchmark generator is plain JavaScript
import { generate } from '../../bench/generate.mjs';
import { analyzeSources, type AnalysisResult } from '../../src/analysis/analyze.js';
import { EventSpill, RUN_EVENTS } from '../../src/analysis/event-spill.js';
import { analyzeIsolated } from '../../src/analysis/isolated.js';
import type { SortedEvent } from '../../src/analysis/model.js';
import { packageVersion } from '../../src/cli/default-paths.js';
import { discover, type InputProblem, type LogicalSource } from '../../src/ingest/discover.js';
import { eventLine, renderReport } from '../../src/report/index.js';
import { createRedactor } from '../../src/report/redact.js';
import { cli, ROOT } from './cli.js';

const WORKER = path.join(ROOT, 'dist/src/analysis/analyze-worker.js');
const dir = mkdtempSync(path.join(tmpdir(), 'attachscope-ndjson-'));
const LOG = path.join(dir, 'SCP01');
let sources: LogicalSource[];
let problems: InputProblem[];
let full: AnalysisResult;

beforeAll(async () => {
  // ~30,000 events: more than the spill holds in memory, so the scan writes to disk.
  generate({ format: 'cmtrace', size: '12M', out: LOG, log: 'CMGatewayNotificationWorker', quiet: true });
  ({ sources, problems } = await discover([LOG]));
  full = await analyzeSources(sources, problems, {});
  expect(full.events.length).toBeGreaterThan(RUN_EVENTS);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The NDJSON of the analysis that kept every event, as scan writes it. */
function kept(redact: boolean): string {
  const redactor = redact ? createRedactor() : undefined;
  redactor?.addNames(full.sources.map((s) => s.machine).filter((m): m is string => m !== null));
  return renderReport(full, 'ndjson', { color: false, failOn: 'error', toolVersion: packageVersion(), redactor });
}

describe('scan --format ndjson lists every event from a spill', () => {
  it.each([false, true])('the same bytes as keeping every event (redact: %s)', (redact) => {
    const r = cli(['scan', LOG, '--format', 'ndjson', ...(redact ? ['--redact'] : [])]);
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).toBe(kept(redact));
  }, 120_000);

  it.each([false, true])('the same bytes when parts read in worker threads each spill their events (redact: %s)', (redact) => {
    // ATTACHSCOPE_PART_BYTES: cut this small log into parts (each part hands its spill over).
    const args = ['scan', LOG, '--format', 'ndjson', '--jobs', '3', ...(redact ? ['--redact'] : [])];
    const r = cli(args, { env: { ATTACHSCOPE_PART_BYTES: String(2 * 1024 * 1024), ATTACHSCOPE_DEBUG: '1' } });
    expect(r.stderr).toMatch(/parts: 3 .* merged/);
    expect(r.stdout).toBe(kept(redact));
  }, 120_000);

  it('a folder of five logs, read in parts: the same bytes as keeping every event', async () => {
    const set = path.join(dir, 'set');
    generate({ set: true, format: 'cmtrace', size: '6M', seed: 3, out: set, quiet: true });
    const found = await discover([set]);
    expect(found.sources.length).toBe(5);
    const all = await analyzeSources(found.sources, found.problems, {});
    const expectedText = renderReport(all, 'ndjson', { color: false, failOn: 'error', toolVersion: packageVersion() });
    const r = cli(['scan', set, '--format', 'ndjson', '--jobs', '4'], { env: { ATTACHSCOPE_PART_BYTES: String(512 * 1024), ATTACHSCOPE_DEBUG: '1' } });
    expect(r.stderr).toMatch(/parts: 4 .* merged/);
    expect(r.stdout).toBe(expectedText);
  }, 120_000);

  it.each([true, false])('the heap-limited worker hands its spill over (lines: %s)', async (lines) => {
    const spillDir = mkdtempSync(path.join(dir, 'spill-'));
    const out = await analyzeIsolated(WORKER, { sources, problems, opts: {}, spill: { dir: spillDir, lines } });
    expect(out?.spill).toBeDefined();
    const { spill: state, ...result } = out!;
    expect(result).toEqual({ ...full, events: [] });
    // One log, nearly in time order: one run on disk, however many events.
    expect(state!.runs).toHaveLength(1);
    expect(state!.count).toBe(full.events.length);
    const spill = EventSpill.adopt<string | SortedEvent>([state!]);
    const same = (s: string) => s;
    const got = [...spill.sorted()].map((x) => (typeof x === 'string' ? x : eventLine(x, same)));
    spill.dispose();
    expect(readdirSync(spillDir)).toEqual([]);
    expect(got).toEqual(full.events.map((e) => eventLine(e, same)));
  }, 120_000);
});
