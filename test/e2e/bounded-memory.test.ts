/**
 * Memory that does not grow with the log: `scan` over a generated 24 MB log must fit in a 32 MB
 * V8 heap (the analysis used to keep ~560 bytes per event: ~330 MB here; it fits in 24 MB now).
 * A resource bound, not a timing; the control run that keeps every event (NDJSON lists them,
 * ~50,000 here) shows the bound bites. Since reports are written in pieces the control no longer
 * holds the NDJSON text at once, and fits in 48 MB: hence 32.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

  it('control: keeping every event (NDJSON) does not fit in that heap', () => {
    const r = scanWithHeap(path.join(dir, 'cmtrace'), 'ndjson', HEAP_MB);
    expect(r.status === 0 || r.status === 1).toBe(false);
  }, 120_000);
});
