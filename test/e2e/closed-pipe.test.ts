/**
 * `attachscope scan … | head`: the reader closes the pipe after a few bytes. The rest of the
 * report is not wanted, which is no error: no EPIPE stack trace, and the exit code the scan
 * would have given anyway (CI scripts read it with `set -o pipefail`).
 */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error the benchmark generator is plain JavaScript
import { generate } from '../../bench/generate.mjs';
import { BIN, ROOT, cli } from './cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'attachscope-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI, reads its first output and closes the pipe, as `head -c` would. */
function readThenClose(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string; got: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let got = 0;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', (d: Buffer) => {
      got = d.length;
      child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, got }));
  });
}

describe('a reader that closes the pipe early', () => {
  // A report well past what the pipe holds (a socket pair's buffer, ~200 KiB here), so writes go
  // on after the reader left.
  const big = path.join(dir, 'big');
  const small = path.join(dir, 'small');
  generate({ format: 'cmtrace', size: '32M', out: big, log: 'CMGatewayNotificationWorker', quiet: true });
  generate({ format: 'cmtrace', size: '4M', out: small, log: 'CMGatewayNotificationWorker', quiet: true });

  it.each([
    ['json', ['scan', big, '--format', 'json']],
    ['ndjson with every record', ['scan', small, '--format', 'ndjson', '--records']],
  ])('%s: no EPIPE, and the exit code of a full run', async (_name, args) => {
    const full = cli(args);
    expect(full.code).not.toBeNull();
    expect(full.stdout.length).toBeGreaterThan(256 * 1024);
    const r = await readThenClose(args);
    expect(r.got).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js:\d+/);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(full.code);
  }, 60_000);
});
