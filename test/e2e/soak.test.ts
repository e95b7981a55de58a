import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ensureBuilt, ROOT, runSoak } from './fixtures/soak-harness.mjs';

/**
 * Bounded soak of the live tail through the real CLI: a writer process appends numbered CMTrace
 * lines at 5,000 lines/s and rolls the log over (X.log → X.lo_, new X.log) at ConfigMgr's default
 * 250,000 bytes (~every 0.3 s); the CLI (`scan --follow --format ndjson --records`) must emit
 * every line exactly once and exit 0 on SIGINT. Latency is printed, not asserted.
 * bench/soak.mjs is the long version.
 */
describe('scan --follow soak', () => {
  beforeAll(() => {
    ensureBuilt();
  }, 120_000);

  it('every line exactly once across many rollovers, exit 0 on SIGINT', async () => {
    const r = await runSoak({ lines: 40_000, rate: 5000, roll: 250_000 });
    console.log(`soak: ${r.lines} lines, ${r.rollovers} rollovers in ${r.writerMs} ms; ${r.records} records (${r.distinct} distinct), lost ${r.lost.length}, duplicated ${r.duplicated.length}; latency worst ${r.worstMs} ms, p99 ${r.p99Ms} ms, p50 ${r.p50Ms} ms`);
    expect(r.rollovers).toBeGreaterThanOrEqual(20);
    expect(r.lost.slice(0, 20)).toEqual([]);
    expect(r.duplicated.slice(0, 20)).toEqual([]);
    expect(r.records).toBe(r.lines);
    expect(r.unmatched).toBe(0);
    expect(r.exitCode).toBe(0);
    expect(r.summary).not.toBeNull();
  }, 90_000);
});

describe('scan --follow ndjson stream', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('source before its events, new events and a new cycle as lines are appended, summary last', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'attachscope-follow-e2e-'));
    const sample = path.join(ROOT, 'sample-logs', 'healthy-day');
    for (const f of readdirSync(sample)) if (/\.lo[g_]$/i.test(f)) copyFileSync(path.join(sample, f), path.join(dir, f));
    const cli = spawn(process.execPath, [BIN, 'scan', '--follow', '--format', 'ndjson', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
    let out = '';
    let err = '';
    cli.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    cli.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    const until = async (cond: () => boolean, what: string) => {
      const end = Date.now() + 20_000;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await until(() => /attachscope: following 4 logs/.test(err), 'start');
      const before = out.split('\n').filter(Boolean).length;
      const d = new Date();
      const p2 = (n: number, w = 2) => String(n).padStart(w, '0');
      const stamp = (ms: number) => `${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}-${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${p2(ms, 3)}+000`;
      const srv = (msg: string, ms: number) => `${msg}  $$<SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker><${stamp(ms)}><thread=5216 (0x1460)>\r\n`;
      appendFileSync(path.join(dir, 'CMGatewaySyncUploadWorker.log'),
        srv('Starting sync upload (delta).', 1)
        + srv('Batching 7 records', 2)
        + srv('[UploadDelta_HelpdeskUpload] Creating web request to: https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost Method: POST Activity ID: 167cf846-b144-4082-898b-84b6452b0c99 Timeout: 00:02:00', 3)
        + srv('[UploadDelta_HelpdeskUpload] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost is: 401 (Unauthorized)', 4));
      await until(() => out.split('\n').slice(before).some((l) => l.includes('"type":"event"') && l.includes('401')), 'the 401 event');
      await until(() => out.split('\n').slice(before).some((l) => l.includes('"type":"cycle"') && l.includes('"change":"new"')), 'a new cycle');
      cli.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL');
    }
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; log?: string; name?: string; key?: string; change?: string });
    expect(lines[lines.length - 1]!.type).toBe('summary');
    expect(lines.filter((l) => l.type === 'summary')).toHaveLength(1);
    const sourcesSeen = new Set<string>();
    for (const l of lines) {
      if (l.type === 'source') sourcesSeen.add(l.name!);
      if (l.type === 'event') expect(sourcesSeen.has(l.log!)).toBe(true);
      if (l.type === 'cycle' || l.type === 'chain' || l.type === 'finding') {
        expect(typeof l.key).toBe('string');
        expect(['new', 'changed', 'resolved']).toContain(l.change);
      }
    }
    expect([...sourcesSeen].sort()).toEqual(['BgbServer', 'CMGatewayNotificationWorker', 'CMGatewaySyncUploadWorker', 'CcmNotificationAgent']);
  }, 60_000);
});
