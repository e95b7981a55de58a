import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Session } from '../../src/analysis/session.js';
import { matchesFilter, parseFilter } from '../../src/tui/filter.js';
import { Scans, TextScan } from '../../src/tui/text-scan.js';
import { analysisDue, INPUT_IDLE_MS, LOADING_ANALYSIS_MS } from '../../src/tui/use-analysis.js';
import { SAMPLES } from './helpers.js';

async function loaded(scenario: string): Promise<Session> {
  const s = new Session([path.join(SAMPLES, scenario)], { follow: false, keepRecords: true, throttleMs: 0, rules: [] });
  await s.start();
  s.store.ensureSorted();
  return s;
}

/** Every record id with its record, read back from the files. */
function all(s: Session) {
  return Array.from({ length: s.store.count }, (_, p) => s.store.row(s.store.idAt(p)));
}

describe('background text scans over the record store', () => {
  it('a search scan marks exactly the records whose message matches, from wherever it starts', async () => {
    const s = await loaded('multi-site-three-zones');
    const re = /fail|error|0x8/i;
    const want = all(s).filter((r) => re.test(r.rec.message)).map((r) => r.seq).sort((a, b) => a - b);
    expect(want.length).toBeGreaterThan(0);
    for (const [from, dir] of [[0, 1], [Math.floor(s.store.count / 2), -1]] as const) {
      const scan = new TextScan(s.store, 'k', (rec) => re.test(rec.message), () => {});
      scan.focus(from, dir);
      expect(scan.run(Number.POSITIVE_INFINITY)).toBe(false);
      expect(scan.done).toBe(true);
      expect(scan.tested).toBe(s.store.count);
      const got = all(s).filter((r) => scan.isMatch(r.seq)).map((r) => r.seq).sort((a, b) => a - b);
      expect(got).toEqual(want);
      expect(scan.matches).toBe(want.length);
    }
  });

  it('goes on by itself in the background, a slice at a time, and reports progress', async () => {
    const s = await loaded('healthy-day');
    const progress = vi.fn();
    const scan = new TextScan(s.store, 'k', (rec) => rec.message.includes('Batching'), progress);
    scan.kick();
    await vi.waitFor(() => expect(scan.done).toBe(true));
    expect(progress).toHaveBeenCalled();
    expect(scan.progress).toBe(1);
    expect(scan.matches).toBe(all(s).filter((r) => r.rec.message.includes('Batching')).length);
  });

  it('a text filter needs no read for the rows its severity and log terms rule out, and matches what the filter says', async () => {
    const s = await loaded('multi-site-three-zones');
    const scans = new Scans(s.store, () => {});
    for (const text of ['sev:error text:fail', '-log:bgb comp:sms', 'text:/0x8\\d+/ sev:w+']) {
      const f = parseFilter(text).filter!;
      const scan = scans.filterFor(f)!;
      scan.run(Number.POSITIVE_INFINITY);
      const want = all(s).filter((r) => matchesFilter(f, r.rec)).map((r) => r.seq);
      expect(all(s).filter((r) => scan.isMatch(r.seq)).map((r) => r.seq), text).toEqual(want);
    }
    // Severity and log terms alone need no scan.
    expect(scans.filterFor(parseFilter('sev:error log:bgb').filter)).toBeNull();
    scans.stop();
  });
});

describe('analysis snapshots while reading', () => {
  it('wait for a pause in typing; after the read they follow their cost only', () => {
    expect(analysisDue(false, 0, 10, 0)).toBe(LOADING_ANALYSIS_MS);
    expect(analysisDue(false, 0, 10, 5000)).toBe(5000 + INPUT_IDLE_MS);
    expect(analysisDue(false, 0, 1000, 0)).toBe(10_000);
    expect(analysisDue(true, 100, 10, 5000)).toBe(140);
  });
});
