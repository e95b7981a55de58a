/**
 * A big NDJSON listing spills its events to the temp folder (about the listing's size): stopping
 * the scan with Ctrl+C must not leave that behind. POSIX signals; TMPDIR moves the temp folder.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error the benchmark generator is plain JavaScript
import { generate } from '../../bench/generate.mjs';
import { BIN, ROOT, cli } from './cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'attachscope-sig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under `d`, recursively. */
function filesUnder(d: string): string[] {
  return readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

describe.skipIf(process.platform === 'win32')('the NDJSON spill in the temp folder', () => {
  const input = path.join(dir, 'input');
  const temp = path.join(dir, 'tmp');
  generate({ format: 'cmtrace', size: '48M', out: input, log: 'CMGatewayNotificationWorker', quiet: true });

  it('is gone after a scan that ends', () => {
    const t = mkdtempSync(path.join(dir, 'tmp-done-'));
    const r = cli(['scan', input, '--format', 'ndjson', '-o', path.join(dir, 'out.ndjson')], { env: { TMPDIR: t } });
    expect([0, 1]).toContain(r.code);
    expect(readdirSync(t)).toEqual([]);
  }, 120_000);

  it('is gone after Ctrl+C in the middle of the scan, which still ends by the signal', async () => {
    rmSync(temp, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(temp);
    const child = spawn(process.execPath, [BIN, 'scan', input, '--format', 'ndjson', '-o', path.join(dir, 'cut.ndjson')], {
      cwd: ROOT, env: { ...process.env, TMPDIR: temp }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // Wait until the worker has written a run (a file in the spill folder), then interrupt.
    const deadline = Date.now() + 60_000;
    while (filesUnder(temp).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(filesUnder(temp).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const { signal } = await ended;
    expect(signal).toBe('SIGINT');
    expect(readdirSync(temp)).toEqual([]);
  }, 120_000);
});
