/**
 * Drives the real binary in a real terminal (tmux): the UI appears, keys work, q exits with 0.
 * Needs `tmux` (CI installs it) and a build (`npm test` builds first via `pretest`).
 * Every wait is a deadline with polling; no fixed sleep is an assertion.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'dist', 'src', 'cli', 'bin.js');
const HAS_TMUX = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
/** A private tmux server, so the test never touches the user's sessions. */
const SOCKET = `attachscope-e2e-${process.pid}`;
const SESSION = 'ui';
const COLS = 100;
const ROWS = 30;

// The UI must run as users run it: production React, and not in Ink's CI mode.
const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
delete env.NODE_ENV;
delete env.CI;
delete env.CONTINUOUS_INTEGRATION;
delete env.TMUX;

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function screen(session = SESSION): string {
  return tmux('capture-pane', '-p', '-t', session);
}

/** Polls until `check` passes or the deadline; the last screen is in the error. */
async function waitFor(what: string, check: (screen: string) => boolean, timeoutMs = 15_000, session = SESSION): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      last = screen(session);
      if (check(last)) return last;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; screen was:\n${last}`);
}

function keys(...k: string[]): void {
  tmux('send-keys', '-t', SESSION, ...k);
}

async function exitCode(file: string): Promise<string | null> {
  const deadline = Date.now() + 15_000;
  while (!existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

const selected = (s: string) => s.split('\n').find((l) => /^> [EWI·] /.test(l)) ?? '';

describe.skipIf(!HAS_TMUX)(HAS_TMUX ? 'terminal UI in tmux' : 'terminal UI in tmux (skipped: tmux is not installed)', () => {
  let dir = '';
  let exitFile = '';

  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`no build at ${BIN}: run \`npm run build\` first (npm test does)`);
    dir = mkdtempSync(path.join(tmpdir(), 'attachscope-e2e-'));
    exitFile = path.join(dir, 'exit');
    const cmd = `cd '${ROOT}' && node dist/src/cli/bin.js sample-logs/missing-admin-consent --no-follow; echo EXIT=$? > '${exitFile}'`;
    tmux('new-session', '-d', '-s', SESSION, '-x', String(COLS), '-y', String(ROWS), cmd);
  });

  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server'], { env });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the header, timeline rows and a finding', async () => {
    const s = await waitFor('the header and findings', (x) => /attachscope read once/.test(x) && /Findings\s+\d+ error/.test(x) && /row (\d+)\/\1 · local time · at end/.test(x));
    expect(s).toMatch(/3 logs: GwNotify SyncUpload SmsAdminUI/);
    expect(s).toMatch(/uploads last ok/);
    expect(s).toMatch(/findings [1-9]\d* error/);
    expect(selected(s)).toMatch(/^> I ◆ 12:31:50\.928 GwNotify/);
    expect(s).toMatch(/^  E ×\d+ +\S/m); // a finding row
    // The frame is at most ROWS - 1 lines: the terminal's last line stays empty.
    const lines = s.replace(/\n$/, '').split('\n');
    expect(lines.length).toBe(ROWS);
    expect(lines[ROWS - 1]!.trim()).toBe('');
    expect(lines[ROWS - 2]!.trim()).not.toBe('');
  });

  it('/ searches', async () => {
    keys('/');
    await waitFor('the search prompt', (x) => /^\/█/m.test(x));
    keys('AADSTS65001', 'Enter');
    const s = await waitFor('the search hit', (x) => /^> E ◆ 09:41:41\.870 SmsAdminUI/m.test(x));
    expect(s).toMatch(/row 2\/585/);
  });

  it('e jumps to the next error', async () => {
    keys('e');
    const s = await waitFor('the next error', (x) => /^> E\s+09:45:03\.498 GwNotify/m.test(x));
    expect(selected(s)).toContain('(401) Unauthorized');
  });

  it('Tab + Enter opens a finding and jumps to its evidence', async () => {
    keys('g', 'Tab');
    await waitFor('the findings pane focused', (x) => /▶\s+Findings/.test(x) && /Detail\s+finding 1\//.test(x));
    keys('Enter');
    const s = await waitFor('the evidence opened', (x) => /evidence 1\/\d+: /.test(x));
    expect(selected(s)).not.toMatch(/09:41:02\.114/); // moved off the first row
  });

  it('? shows the help from the key table', async () => {
    keys('?');
    await waitFor('the help', (x) => /attachscope — keys/.test(x) && /next row \/ finding \/ detail line/.test(x));
    keys('?');
    await waitFor('the help closed', (x) => !/attachscope — keys/.test(x) && /Timeline/.test(x));
  });

  it('q quits with exit code 0 and restores the screen', async () => {
    keys('q');
    expect(await exitCode(exitFile), 'the command wrote its exit code').toBe('EXIT=0');
  });
});

describe.skipIf(!HAS_TMUX)('terminal UI in tmux over a log of several megabytes', () => {
  const BIG = 'big';
  let dir = '';

  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`no build at ${BIN}: run \`npm run build\` first (npm test does)`);
    dir = mkdtempSync(path.join(tmpdir(), 'attachscope-e2e-big-'));
    const lines: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      const s = 36_000 + Math.floor(i / 4);
      const time = `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String((i % 4) * 250).padStart(3, '0')}+000`;
      const msg = i === 39_999 ? 'the needle at the end' : `[GetNotifications] poll ${i}: no notification in this long poll, waiting again`;
      lines.push(`<![LOG[${msg}]LOG]!><time="${time}" date="01-14-2026" component="SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker" context="" type="1" thread="4312" file="">`);
    }
    writeFileSync(path.join(dir, 'CMGatewayNotificationWorker.log'), lines.join('\r\n') + '\r\n');
  });

  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-session', '-t', BIG], { env });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows rows, finds a match past what a search reads at once, and quits with 0', async () => {
    const exitFile = path.join(dir, 'exit');
    const cmd = `cd '${ROOT}' && node dist/src/cli/bin.js '${dir}' --no-follow; echo EXIT=$? > '${exitFile}'`;
    tmux('new-session', '-d', '-s', BIG, '-x', String(COLS), '-y', String(ROWS), cmd);
    await waitFor('rows', (x) => /^[> ] I {3}\d\d:\d\d:\d\d\.\d{3} GwNotify/m.test(x), 15_000, BIG);
    await waitFor('the whole log', (x) => /attachscope read once/.test(x) && /row 40000\/40000/.test(x), 30_000, BIG);
    tmux('send-keys', '-t', BIG, 'g', '/');
    await waitFor('the search prompt', (x) => /^\/█/m.test(x), 15_000, BIG);
    tmux('send-keys', '-t', BIG, 'needle', 'Enter');
    const s = await waitFor('the match', (x) => /^> I .*the needle at the end/m.test(x), 30_000, BIG);
    expect(s).toMatch(/row 40000\/40000/);
    tmux('send-keys', '-t', BIG, 'q');
    expect(await exitCode(exitFile)).toBe('EXIT=0');
  });
});
