#!/usr/bin/env node
/**
 * The terminal UI on a big input, measured the way a person meets it: the real binary in a real
 * terminal (a private tmux server), the screen read with `capture-pane`.
 *
 *   node bench/tui-first-screen.mjs [options] PATH...
 *     --bin FILE        the CLI to run (default dist/src/cli/bin.js; e.g. an older build)
 *     --follow          keep the default follow mode (default: --no-follow)
 *     --cols N --rows N terminal size (default 120×40)
 *     --max S           give up after S seconds (default 240)
 *     --search TEXT     after the first screen, search for TEXT while indexing (default AADSTS7000222)
 *     --keys N          keystroke samples during indexing (default 40)
 *     --node-args S     extra node arguments for the UI process (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p")
 *     --first-screen    stop after the first rows (first frame and first rows only, then quit)
 *
 * Prints one JSON line: time to the first frame (header drawn) and to the first timeline rows,
 * time until indexing ends (the header stops saying "reading"), peak RSS of the UI process
 * (VmHWM), keystroke latency while indexing (j/k moves the cursor one row: the time from
 * send-keys until the screen shows the new row number) and the search: time until the first
 * hit is selected, and keystroke latency while the search runs.
 *
 * Latency includes tmux (send-keys, capture-pane: ~3–5 ms each on this VM); the capture polling
 * itself costs CPU on a 2-core box, so figures are an upper bound.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
};
const BIN = path.resolve(opt('--bin', path.join(ROOT, 'dist/src/cli/bin.js')));
const COLS = Number(opt('--cols', '120'));
const ROWS = Number(opt('--rows', '40'));
const MAX_MS = Number(opt('--max', '240')) * 1000;
const SEARCH = opt('--search', 'AADSTS7000222');
const KEY_SAMPLES = Number(opt('--keys', '40'));
const FOLLOW = flag('--follow');
const NODE_ARGS = opt('--node-args', '');
const FIRST_ONLY = flag('--first-screen');
const inputs = args.map((a) => path.resolve(a));
if (inputs.length === 0 || !existsSync(BIN)) {
  process.stderr.write('usage: node bench/tui-first-screen.mjs [--bin FILE] [--follow] PATH...\n');
  process.exit(2);
}

const SOCKET = `attachscope-bench-${process.pid}`;
const env = { ...process.env, TERM: 'xterm-256color' };
delete env.NODE_ENV;
delete env.CI;
delete env.CONTINUOUS_INTEGRATION;
delete env.TMUX;

function tmux(...a) {
  const r = spawnSync('tmux', ['-L', SOCKET, ...a], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`tmux ${a.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const screen = () => {
  try {
    return tmux('capture-pane', '-p', '-t', 'ui');
  } catch {
    return '';
  }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

const ROW_RE = /^[> ] [EWI·?] .{0,3}\d\d:\d\d:\d\d/m;
const READING_RE = /attachscope (?:reading|opening)|attachscope\s*$/m;
const rowNumber = (s) => {
  const m = /row (\d+)\//.exec(s);
  return m ? Number(m[1]) : null;
};

/** The node process running the UI (the pane runs `sh -c`, which may or may not exec). */
function uiPid() {
  const pane = Number(tmux('list-panes', '-t', 'ui', '-F', '#{pane_pid}').trim());
  const walk = (pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (path.basename(argv[0] ?? '') === 'node' && argv.includes(BIN)) return pid;
    } catch {
      return null;
    }
    const kids = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
    for (const k of kids) {
      const p = walk(k);
      if (p) return p;
    }
    return null;
  };
  return walk(pane);
}

function status(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

const pct = (xs, p) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]);
};
const summary = (xs) => ({ n: xs.length, p50: pct(xs, 50), p95: pct(xs, 95), max: xs.length ? Math.round(Math.max(...xs)) : null });

/** Sends keys and waits until `check(screen)`; returns the ms it took, or null on timeout. */
async function timedKey(keys, check, timeoutMs = 10_000) {
  const t = now();
  tmux('send-keys', '-t', 'ui', ...keys);
  while (now() - t < timeoutMs) {
    const s = screen();
    if (check(s)) return now() - t;
    await sleep(5);
  }
  return null;
}

const dir = mkdtempSync(path.join(tmpdir(), 'attachscope-bench-'));
const exitFile = path.join(dir, 'exit');
const quoted = inputs.map((p) => `'${p}'`).join(' ');
const cmd = `node ${NODE_ARGS} '${BIN}' ${quoted}${FOLLOW ? '' : ' --no-follow'} 2>'${dir}/stderr'; echo EXIT=$? > '${exitFile}'`;
const result = { bin: path.relative(ROOT, BIN), inputs: inputs.map((p) => path.relative(ROOT, p)), follow: FOLLOW, size: `${COLS}x${ROWS}` };
let pid = null;
let peak = 0;
const sampler = setInterval(() => {
  if (!pid) return;
  const st = status(pid);
  if (st) peak = Math.max(peak, st.hwm);
}, 100);

try {
  const t0 = now();
  tmux('new-session', '-d', '-s', 'ui', '-x', String(COLS), '-y', String(ROWS), cmd);
  let s = '';
  // First frame and first rows.
  while (now() - t0 < MAX_MS) {
    pid ??= uiPid();
    s = screen();
    if (result.firstFrameMs === undefined && /attachscope/.test(s)) result.firstFrameMs = Math.round(now() - t0);
    if (ROW_RE.test(s)) {
      result.firstRowsMs = Math.round(now() - t0);
      break;
    }
    if (existsSync(exitFile)) break;
    await sleep(5);
  }
  result.firstScreen = s.split('\n').slice(0, 8).join('\n');
  if (FIRST_ONLY) {
    result.firstScreen = undefined;
    throw Object.assign(new Error('first screen only'), { firstOnly: true });
  }

  // Keystrokes while indexing: g once, then j/k alternately (row 2 ↔ row 1).
  const keyMs = [];
  let timeouts = 0;
  if (READING_RE.test(s) && KEY_SAMPLES > 0) {
    await timedKey(['g'], (x) => rowNumber(x) === 1);
    for (let i = 0; i < KEY_SAMPLES && READING_RE.test(screen()) && now() - t0 < MAX_MS; i++) {
      const down = i % 2 === 0;
      const ms = await timedKey([down ? 'j' : 'k'], (x) => rowNumber(x) === (down ? 2 : 1));
      if (ms === null) timeouts++;
      else keyMs.push(ms);
      await sleep(150);
    }
  }
  result.keyLatencyWhileIndexingMs = { ...summary(keyMs), timeouts };

  // A search while indexing (when still indexing), and keys while it runs.
  if (SEARCH && READING_RE.test(screen())) {
    const before = screen();
    const t = now();
    tmux('send-keys', '-t', 'ui', '/');
    await sleep(50);
    tmux('send-keys', '-t', 'ui', '-l', SEARCH);
    tmux('send-keys', '-t', 'ui', 'Enter');
    const searchKeys = [];
    let hit = null;
    while (now() - t < MAX_MS && now() - t0 < MAX_MS) {
      const x = screen();
      // The status line names the search once it has landed (`/TEXT/`, maybe "wrapped"), or says there is none.
      const status = x.trimEnd().split('\n').pop() ?? '';
      if (status.startsWith(`/${SEARCH}/`) || status.startsWith(`"${SEARCH}"`) || /no match/.test(status)) {
        hit = now() - t;
        result.searchStatus = status.trim();
        break;
      }
      if (/searching/.test(x) && searchKeys.length < 10) {
        // Keys stay live while the search runs: ? opens and closes the help.
        const a = await timedKey(['?'], (y) => /attachscope — keys/.test(y), 5000);
        const b = await timedKey(['?'], (y) => !/attachscope — keys/.test(y), 5000);
        if (a !== null) searchKeys.push(a);
        if (b !== null) searchKeys.push(b);
      }
      await sleep(10);
    }
    result.searchWhileIndexing = { text: SEARCH, firstHitMs: hit === null ? null : Math.round(hit), keyLatencyMs: summary(searchKeys), changed: before !== screen() };
  }

  // Until indexing ends.
  while (now() - t0 < MAX_MS && !existsSync(exitFile)) {
    s = screen();
    if (!READING_RE.test(s) && /attachscope/.test(s)) {
      result.indexedMs = Math.round(now() - t0);
      break;
    }
    await sleep(100);
  }
  if (result.indexedMs !== undefined) {
    const keyAfter = [];
    await timedKey(['g'], (x) => rowNumber(x) === 1);
    for (let i = 0; i < Math.max(10, KEY_SAMPLES / 2); i++) {
      const down = i % 2 === 0;
      const ms = await timedKey([down ? 'j' : 'k'], (x) => rowNumber(x) === (down ? 2 : 1));
      if (ms !== null) keyAfter.push(ms);
    }
    result.keyLatencyAfterMs = summary(keyAfter);
    result.finalHeader = screen().split('\n').slice(0, 3).join('\n');
  } else {
    result.indexedMs = null;
  }
  const st = pid ? status(pid) : null;
  if (st) peak = Math.max(peak, st.hwm);
  result.peakRssMB = Math.round(peak);
  if (existsSync(exitFile)) {
    result.exited = readFileSync(exitFile, 'utf8').trim();
    result.stderr = readFileSync(path.join(dir, 'stderr'), 'utf8').slice(-600);
  } else {
    tmux('send-keys', '-t', 'ui', 'q');
    const d = now();
    while (!existsSync(exitFile) && now() - d < 30_000) await sleep(50);
    result.quitMs = Math.round(now() - d);
    result.exit = existsSync(exitFile) ? readFileSync(exitFile, 'utf8').trim() : 'no exit';
  }
} catch (e) {
  if (!e?.firstOnly) throw e;
  tmux('send-keys', '-t', 'ui', 'q');
} finally {
  clearInterval(sampler);
  spawnSync('tmux', ['-L', SOCKET, 'kill-server'], { env });
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result) + '\n');
