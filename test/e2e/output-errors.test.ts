/**
 * Output that cannot be written (a full disk, a bad `--output` path) is a clear one-line error
 * and exit code 2, never a stack trace and never exit 1: a CI job reads 1 as "findings at
 * --fail-on", a result the analysis did not give. /dev/full (Linux) fails every write with ENOSPC.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, cli } from './cli.js';

const SAMPLE = path.join(ROOT, 'sample-logs/healthy-day');
const FULL = '/dev/full';
const dir = mkdtempSync(path.join(tmpdir(), 'attachscope-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with its stdout on `file`, as `attachscope … > file` would. */
function toFile(args: string[], file: string) {
  const fd = openSync(file, 'w');
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', fd, 'pipe'], env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
    return { code: r.status, stderr: r.stderr };
  } finally {
    closeSync(fd);
  }
}

function expectWriteError(r: { code: number | null; stderr: string }, dest: string, code: string) {
  expect(r.stderr).toContain(`attachscope: cannot write ${dest}: ${code}`);
  expect(r.stderr).not.toMatch(/^\s+at |Unhandled|node:internal/m);
  expect(r.code).toBe(2);
}

describe.skipIf(!existsSync(FULL))('output that cannot be written', () => {
  it('scan --output on a full disk', () => {
    expectWriteError(cli(['scan', SAMPLE, '--format', 'json', '-o', FULL]), FULL, 'ENOSPC');
  });

  it.each([
    ['scan', ['scan', SAMPLE, '--format', 'json']],
    ['scan (text)', ['scan', SAMPLE]],
    ['rules', ['rules']],
    ['explain', ['explain', '0x80072ee2']],
    ['open without a terminal (the text report)', ['open', SAMPLE, '--no-follow']],
  ])('%s with stdout on a full disk', (_name, args) => {
    expectWriteError(toFile(args, FULL), 'standard output', 'ENOSPC');
  });

  it('scan --follow ends its session when the output fails', () => {
    const live = path.join(dir, 'live');
    cpSync(SAMPLE, live, { recursive: true });
    expectWriteError(toFile(['scan', live, '--follow', '--format', 'ndjson'], FULL), 'standard output', 'ENOSPC');
  }, 60_000);
});

describe('an output path that cannot be opened', () => {
  const missing = path.join(dir, 'no-such-dir', 'report.json');

  it('fails before the analysis, with exit code 2', () => {
    expectWriteError(cli(['scan', SAMPLE, '--format', 'json', '-o', missing]), missing, 'ENOENT');
    // An unreadable input as well: the output's error comes first, the analysis never ran.
    const r = cli(['scan', path.join(dir, 'no-such-log.log'), '-o', missing]);
    expectWriteError(r, missing, 'ENOENT');
    expect(r.stderr).not.toContain('no readable log');
  });

  it('--update-baseline to a path that cannot be written', () => {
    expectWriteError(cli(['scan', SAMPLE, '--baseline', missing, '--update-baseline']), missing, 'ENOENT');
  });

  it('a usage error is found before the output file is created or emptied', () => {
    const out = path.join(dir, 'kept.json');
    const r = cli(['scan', SAMPLE, '--follow', '--format', 'json', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--follow streams --format ndjson');
    expect(existsSync(out)).toBe(false);
  });
});
