#!/usr/bin/env node
/**
 * The peer benchmark: on the same input, in one run, times `wc -l`, `grep -c`, lnav (headless,
 * with the CMTrace / `$$<` custom formats in bench/lnav/), a naive Node readline+regex script and
 * `attachscope scan … --format json -o /dev/null`, and prints wall time, peak RSS and ratios.
 *
 *   npm run build                                   # attachscope must be built (dist/)
 *   node bench/run.mjs --format cmtrace --size 1G   # generates bench/data/cmtrace-1G if missing
 *   node bench/run.mjs --format smsexec --size 100M,1G,2G --runs 3 --only attachscope
 *
 * Options:
 *   --format cmtrace|smsexec   (default cmtrace)
 *   --size LIST                comma-separated sizes (default 1G); each is generated on demand
 *   --file PATH                benchmark this file instead (format still picks grep/lnav patterns);
 *                              a folder (wc and grep read its logs concatenated, no naive run) or a
 *                              zip (lnav and attachscope only: bench/rotate.mjs makes both)
 *   --runs N                   rounds; tools are interleaved in each round, the best run is kept (default 1)
 *   --only LIST / --skip LIST  tools among wc,grep,lnav,naive,attachscope-1,attachscope
 *                              (attachscope-1: the same scan with --jobs 1, one thread: the gain
 *                              of reading in parallel, in the same run)
 *   --analyze-only             time bench/analyze-only.mjs instead of the CLI (while the report modules are unfinished)
 *   --json FILE                also write the results as JSON
 *
 * Peak RSS comes from `/usr/bin/time -v` when it exists; otherwise from the child's VmHWM, read
 * from /proc every 20 ms (a lower bound). The page cache is warmed before each size.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, parseSize } from './generate.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const TOOLS = ['wc', 'grep', 'lnav', 'naive', 'attachscope-1', 'attachscope'];

function parseArgs(argv) {
  const a = { format: 'cmtrace', sizes: ['1G'], file: null, runs: 1, tools: [...TOOLS], analyzeOnly: false, json: null };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    if (k === '--format') a.format = v() === 'cmtrace' ? 'cmtrace' : 'smsexec';
    else if (k === '--size') a.sizes = v().split(',');
    else if (k === '--file') a.file = v();
    else if (k === '--runs') a.runs = Math.max(1, Number(v()));
    else if (k === '--only') a.tools = v().split(',');
    else if (k === '--skip') {
      const skip = new Set(v().split(','));
      a.tools = a.tools.filter((t) => !skip.has(t));
    } else if (k === '--analyze-only') a.analyzeOnly = true;
    else if (k === '--json') a.json = v();
    else if (k === '-h' || k === '--help') {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0] + '*/\n');
      process.exit(0);
    } else throw new Error(`unknown option ${k}`);
  }
  return a;
}

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const HAVE_TIME = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true'], { stdio: 'ignore' }).status === 0;

/** Runs a command; resolves wall seconds, peak RSS (MB), exit code and output. */
function measure(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const fullEnv = { ...process.env, ...env };
    const argv = HAVE_TIME ? ['/usr/bin/time', ['-v', cmd, ...args]] : [cmd, args];
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv[1], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { if (out.length < 1e5) out += d; });
    child.stderr.on('data', (d) => { if (err.length < 1e5) err += d; });
    let hwm = 0;
    const poll = HAVE_TIME ? null : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch { /* exited */ }
    }, 20);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      if (poll) clearInterval(poll);
      let rssKb = hwm;
      let elapsed = wall;
      if (HAVE_TIME) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
        if (m) rssKb = Number(m[1]);
        const e = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(err);
        if (e) elapsed = Number(e[1] ?? 0) * 3600 + Number(e[2]) * 60 + Number(e[3]);
        const st = /Exit status: (\d+)/.exec(err);
        if (st) code = Number(st[1]);
      }
      resolve({ wall: elapsed, rssMB: rssKb / 1024, code, out: out.trim(), err: err.trim() });
    });
  });
}

async function warm(file) {
  await new Promise((resolve, reject) => {
    const s = createReadStream(file, { highWaterMark: 4 << 20 });
    s.on('data', () => {});
    s.on('end', resolve);
    s.on('error', reject);
  });
}

function lnavHome() {
  const home = path.join(HERE, 'data', 'lnav-home');
  const marker = path.join(home, '.lnav', 'formats', 'installed');
  if (!existsSync(path.join(marker, 'cmtrace_log.json')) || !existsSync(path.join(marker, 'smsexec_log.json'))) {
    mkdirSync(home, { recursive: true });
    for (const f of ['cmtrace.json', 'smsexec.json']) {
      const r = spawnSync('lnav', ['-i', path.join(HERE, 'lnav', f)], { env: { ...process.env, HOME: home }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`lnav -i ${f} failed: ${r.stderr || r.stdout}`);
    }
  }
  return home;
}

function attachscopeCommand(analyzeOnly) {
  const bin = path.join(ROOT, 'dist/src/cli/bin.js');
  if (!analyzeOnly && existsSync(bin)) {
    // exit 0 or 1 (findings at --fail-on) means the CLI works; anything else: fall back.
    const probe = spawnSync(process.execPath, [bin, 'scan', path.join(ROOT, 'sample-logs/healthy-day'), '--format', 'json', '-o', '/dev/null'], { encoding: 'utf8' });
    if (probe.status === 0 || probe.status === 1) return { how: 'scan', cmd: (p) => [process.execPath, [bin, 'scan', p, '--format', 'json', '-o', '/dev/null']] };
    process.stderr.write(`attachscope scan does not run (exit ${probe.status}): ${probe.stderr.split('\n')[0]}\n  falling back to bench/analyze-only.mjs\n`);
  }
  if (!existsSync(path.join(ROOT, 'dist/src/analysis/analyze.js'))) throw new Error('attachscope is not built: run `npm run build` (or `npx tsc -p tsconfig.json`)');
  return { how: 'analyze-only', cmd: (p) => [process.execPath, [path.join(HERE, 'analyze-only.mjs'), p]] };
}

/** A folder's logs (`.log`, `.lo_`), recursively, in name order. */
function logsIn(dir) {
  return readdirSync(dir, { recursive: true }).map(String).filter((n) => /\.lo[g_]$/i.test(n)).sort().map((n) => path.join(dir, n));
}

/** The command for `tool` on `file` (`kind`: file, dir or zip), or null when it does not apply. */
function toolCommands(tool, file, format, scan, kind = 'file') {
  // A folder: wc and grep read its logs concatenated (sh "$@": no quoting of names).
  const cat = (cmd) => ['sh', ['-c', `cat "$@" | ${cmd}`, 'sh', ...logsIn(file)]];
  if (kind === 'zip' && (tool === 'wc' || tool === 'grep' || tool === 'naive')) return null;
  if (kind === 'dir' && tool === 'naive') return null;
  switch (tool) {
    case 'wc': return { label: 'wc -l', run: kind === 'dir' ? cat('wc -l') : ['wc', ['-l', file]] };
    case 'grep': return format === 'cmtrace'
      ? { label: 'grep -c \'type="3"\'', run: kind === 'dir' ? cat('grep -c \'type="3"\'') : ['grep', ['-c', 'type="3"', file]] }
      : { label: 'grep -ciE \'error|fail\'', run: kind === 'dir' ? cat('grep -ciE \'error|fail\'') : ['grep', ['-ciE', 'error|fail', file]] };
    case 'lnav': {
      const table = format === 'cmtrace' ? 'cmtrace_log' : 'smsexec_log';
      return { label: `lnav -n (${table}, count errors)`, run: ['lnav', ['-n', '-c', `;SELECT count(*) FROM ${table} WHERE log_level = 'error'`, file]], env: { HOME: lnavHome() } };
    }
    case 'naive': return { label: 'node readline + regex', run: [process.execPath, [path.join(HERE, 'naive.mjs'), file, format]] };
    case 'attachscope': return { label: scan.how === 'scan' ? 'attachscope scan --format json' : 'attachscope analyze-only', run: scan.cmd(file) };
    case 'attachscope-1': {
      const [cmd, args] = scan.cmd(file);
      return { label: 'attachscope scan --jobs 1', run: [cmd, scan.how === 'scan' ? [...args, '--jobs', '1'] : args] };
    }
    default: throw new Error(`unknown tool ${tool}`);
  }
}

function machine() {
  const free = spawnSync('free', ['-h'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? '?',
    memGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' '),
    free,
    lnav: has('lnav') ? spawnSync('lnav', ['-V'], { encoding: 'utf8' }).stdout.trim() : null,
  };
}

function fmt(n, d = 2) {
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(d);
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const m = machine();
  process.stdout.write(`machine: ${m.nproc} cores (${m.cpu}), ${m.memGiB} GiB, node ${m.node}, load ${m.loadavg}${m.lnav ? `, ${m.lnav}` : ''}\n`);
  let tools = a.tools;
  if (tools.includes('lnav') && !has('lnav')) {
    process.stdout.write('lnav is not installed: skipped (Debian/Ubuntu: apt-get install lnav)\n');
    tools = tools.filter((t) => t !== 'lnav');
  }
  const scan = tools.some((t) => t.startsWith('attachscope')) ? attachscopeCommand(a.analyzeOnly) : null;
  const results = [];
  const inputs = a.file ? [{ size: null, file: a.file }] : a.sizes.map((size) => {
    const dir = path.join(HERE, 'data', `${a.format}-${size.toUpperCase()}`);
    const file = path.join(dir, 'CMGatewayNotificationWorker.log');
    if (!existsSync(file) || statSync(file).size < parseSize(size) * 0.99) {
      process.stdout.write(`generating ${file} …\n`);
      generate({ format: a.format, size, out: dir, log: 'CMGatewayNotificationWorker', seed: 1, quiet: true });
    }
    return { size, file };
  });
  for (const input of inputs) {
    const kind = statSync(input.file).isDirectory() ? 'dir' : /\.zip$/i.test(input.file) ? 'zip' : 'file';
    const files = kind === 'dir' ? logsIn(input.file) : [input.file];
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    const what = kind === 'dir' ? `, ${files.length} logs` : kind === 'zip' ? ', zipped' : '';
    process.stdout.write(`\n== ${input.file} (${(bytes / 1048576).toFixed(0)} MiB${what}, ${a.format}) ==\n`);
    for (const f of files) await warm(f);
    const best = new Map();
    for (let round = 0; round < a.runs; round++) {
      for (const tool of tools) {
        const t = toolCommands(tool, input.file, a.format, scan, kind);
        if (!t) continue;
        const r = await measure(t.run[0], t.run[1], t.env);
        const ok = tool.startsWith('attachscope') ? r.code === 0 || r.code === 1 : r.code === 0 || (tool === 'grep' && r.code === 1);
        if (!ok) process.stdout.write(`  ${tool} failed (exit ${r.code}): ${r.err.split('\n').filter((l) => !/^\s/.test(l)).slice(-3).join(' | ')}\n`);
        const prev = best.get(tool);
        if (!prev || r.wall < prev.wall) best.set(tool, { ...r, label: t.label, ok });
      }
    }
    const wc = best.get('wc')?.wall ?? null;
    const lnav = best.get('lnav')?.wall ?? null;
    process.stdout.write(`${'tool'.padEnd(34)} ${'wall s'.padStart(8)} ${'peak RSS MB'.padStart(12)} ${'lnav/tool'.padStart(10)} ${'tool/wc'.padStart(8)}  output\n`);
    for (const tool of tools) {
      const r = best.get(tool);
      if (!r) continue;
      const output = r.out.split('\n').filter(Boolean).slice(-1)[0] ?? '';
      process.stdout.write(`${r.label.padEnd(34)} ${fmt(r.wall).padStart(8)} ${fmt(r.rssMB, 0).padStart(12)} ${(lnav ? fmt(lnav / r.wall, 1) + '×' : '–').padStart(10)} ${(wc ? fmt(r.wall / wc, 1) + '×' : '–').padStart(8)}  ${output.slice(0, 60)}${r.ok ? '' : ' (FAILED)'}\n`);
      results.push({ file: input.file, size: input.size, bytes, format: a.format, tool, label: r.label, wall: r.wall, rssMB: r.rssMB, ok: r.ok, output });
    }
    const as = best.get('attachscope');
    if (as && lnav) {
      const speed = lnav / as.wall;
      process.stdout.write(`targets: ≥5× faster than lnav: ${speed >= 5 ? 'MET' : 'not met'} (${fmt(speed, 1)}×); peak RSS ≤ 150 MB: ${as.rssMB <= 150 ? 'MET' : 'not met'} (${fmt(as.rssMB, 0)} MB)\n`);
    }
  }
  if (a.json) writeFileSync(a.json, JSON.stringify({ machine: m, scan: scan?.how ?? null, results }, null, 2) + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench/run: ${e.message}\n`);
  process.exit(2);
});
