/**
 * Hardening: attachscope only reads. After `scan` (every format, a zip next to the logs) and
 * `scan --follow` (stopped with SIGINT), every file under the scanned folder has the same bytes,
 * size, mode and mtime, and nothing was added, removed or renamed — in the folder or next to it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN } from '../e2e/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { cli, copySample, ROOT } from './helpers.js';

interface Entry {
  type: 'file' | 'dir' | 'link' | 'other';
  size: number;
  mode: number;
  mtimeMs: number;
  sha256?: string;
  target?: string;
}

/** Every entry under `dir` (recursive, symlinks not followed), by relative path. */
function snapshot(dir: string): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = lstatSync(p);
      const rel = path.relative(dir, p);
      const base = { size: st.size, mode: st.mode, mtimeMs: st.mtimeMs };
      if (st.isSymbolicLink()) out[rel] = { type: 'link', ...base, target: readlinkSync(p) };
      else if (st.isDirectory()) {
        out[rel] = { type: 'dir', ...base };
        walk(p);
      } else if (st.isFile()) out[rel] = { type: 'file', ...base, sha256: createHash('sha256').update(readFileSync(p)).digest('hex') };
      else out[rel] = { type: 'other', ...base };
    }
  };
  walk(dir);
  return out;
}

let t: ReturnType<typeof tempDir>;
let dir: string;
let before: Record<string, Entry>;

beforeEach(() => {
  t = tempDir('attachscope-ro-');
  dir = copySample('multi-site-three-zones', t.dir);
  // A zip in the folder too: its entries are inflated as they are read, never extracted.
  const inner = readFileSync(path.join(ROOT, 'sample-logs/unauthorized-action/CMGatewayNotificationWorker.log'));
  writeFileSync(path.join(dir, 'bundle.zip'), zipSync({ 'SCP02/CMGatewayNotificationWorker.log': new Uint8Array(inner), 'notes.txt': strToU8('not a log') }));
  before = snapshot(t.dir);
  expect(Object.keys(before).length).toBeGreaterThan(8);
});
afterEach(() => t.cleanup());

function expectUnchanged(): void {
  expect(snapshot(t.dir)).toEqual(before);
}

describe('scan is read-only', () => {
  it('scan in every format leaves every file, mtime and the listing unchanged', () => {
    for (const args of [[], ['--format', 'json'], ['--format', 'ndjson', '--records'], ['--format', 'junit'], ['--format', 'sarif'], ['--format', 'markdown'], ['--redact']]) {
      const r = cli(['scan', dir, '--fail-on', 'never', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('CMGatewayNotificationWorker');
    }
    expectUnchanged();
  });

  const followAvailable = existsSync(path.join(ROOT, 'src/ingest/follow.ts')) && existsSync(path.join(ROOT, 'dist/src/cli/scan-follow.js'));
  // Skipped (with this reason) only while the follow mode is not built: src/ingest/follow.ts and
  // dist/src/cli/scan-follow.js must both exist.
  for (const extra of [[], ['--poll', '200']]) {
    it.skipIf(!followAvailable)(`scan --follow --format ndjson${extra.length ? ` ${extra.join(' ')}` : ''} for ~2 s, then SIGINT: nothing changed`, async () => {
      const child = spawn(process.execPath, [BIN, 'scan', dir, '--follow', '--format', 'ndjson', '--fail-on', 'never', ...extra], {
        cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await new Promise((r) => setTimeout(r, 2000));
      expect(child.exitCode, `still following after 2 s; stderr: ${stderr}`).toBeNull();
      child.kill('SIGINT');
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000));
      const code = await Promise.race([exited, timeout]);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        throw new Error(`scan --follow did not stop within 15 s of SIGINT; stderr: ${stderr}`);
      }
      const lines = stdout.trim().split('\n').filter((l) => l !== '');
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(() => JSON.parse(l), l.slice(0, 200)).not.toThrow();
      expectUnchanged();
    }, 30_000);
  }
});
