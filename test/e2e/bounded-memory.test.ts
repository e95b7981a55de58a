/**
 * Memory that does not grow with the log: `scan` over a generated 24 MB log must fit in a 32 MB
 * V8 heap (the analysis used to keep ~560 bytes per event: ~330 MB here; it fits in 24 MB now).
 * A resource bound, not a timing; the control, an analysis that keeps every event (~60,000
 * here), shows the bound bites. NDJSON lists every event: it spills them to disk in timeline
 * order (event-spill.ts), so a 96 MB log's ~240,000 events are listed within a 40 MB heap, where
 * keeping them (as it used to) did not fit in 48.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error the benchmark generator is plain JavaScript
import { generate } from '../../bench/generate.mjs';
import { BIN, ROOT } from './cli.js';

const HEAP_MB = 32;
const dir = mkdtempSync(path.join(tmpdir(), 'attachscope-mem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scanWithHeap(input: string, format: string, heapMb: number) {
  return spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, BIN, 'scan', input, '--format', format], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' },
  });
}

describe('scan memory stays bounded', () => {
  it.each(['cmtrace', 'smsexec'])('%s: a 24 MB log is analyzed within a 32 MB heap', (format) => {
    const out = path.join(dir, format);
    generate({ format, size: '24M', out, log: 'CMGatewayNotificationWorker', quiet: true });
    const r = scanWithHeap(out, 'json', HEAP_MB);
    expect(r.signal).toBeNull();
    expect([0, 1]).toContain(r.status);
    const report = JSON.parse(r.stdout) as { summary: { records: number; events: number }; findings: unknown[] };
    expect(report.summary.records).toBeGreaterThan(80_000);
    expect(report.summary.events).toBeGreaterThan(50_000);
    expect(report.findings.length).toBeGreaterThan(0);
  }, 120_000);

  it('control: an analysis that keeps every event does not fit in that heap', () => {
    const script = `import { analyzePaths } from ${JSON.stringify(path.join(ROOT, 'dist/src/analysis/analyze.js'))};\n`
      + `const r = await analyzePaths([${JSON.stringify(path.join(dir, 'cmtrace'))}]);\nconsole.log(r.events.length);`;
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status === 0).toBe(false);
  }, 120_000);

  it('ndjson: every event of a 96 MB log is listed within a 40 MB heap', () => {
    const input = path.join(dir, 'ndjson');
    const out = path.join(dir, 'listing.ndjson');
    generate({ format: 'cmtrace', size: '96M', out: input, log: 'CMGatewayNotificationWorker', quiet: true });
    const r = spawnSync(process.execPath, ['--max-old-space-size=40', BIN, 'scan', input, '--format', 'ndjson', '-o', out], { cwd: ROOT, encoding: 'utf8' });
    expect(r.signal).toBeNull();
    expect([0, 1], r.stderr).toContain(r.status);
    const text = readFileSync(out, 'latin1');
    const summary = JSON.parse(text.slice(text.lastIndexOf('{"type":"summary"'))) as { summary: { events: number } };
    const listed = text.split('{"type":"event"').length - 1;
    expect(summary.summary.events).toBeGreaterThan(200_000);
    expect(listed).toBe(summary.summary.events);
  }, 120_000);
});
