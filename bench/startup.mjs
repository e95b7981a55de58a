#!/usr/bin/env node
/**
 * Small-input latency: where the ~wall time of `attachscope scan` on a few hundred KB goes.
 *
 *   node bench/startup.mjs [PATH=sample-logs/healthy-day] [--runs 7]
 *
 * Prints (best and median of N fresh processes each): `node -e 0` and the full scan; then, in
 * process, the bundled CLI (dist/cli.cjs from its code cache, then the scan itself) and the
 * unbundled modules phase by phase (imports, rule catalog, reading + analysis, rendering: where
 * the time goes when nothing is cached); then the packages a scan loads (Ink/React must not be
 * among them).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 7;
const input = path.resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs') ?? path.join(ROOT, 'sample-logs/healthy-day'));
const bin = path.join(ROOT, 'dist/src/cli/bin.js');
const url = (p) => pathToFileURL(path.join(ROOT, 'dist', p)).href;

/** Wall times of each command, interleaved so that load on a shared machine hits all alike. */
function wall(commands) {
  const times = commands.map(() => []);
  const outs = [];
  for (let i = 0; i < runs; i++) {
    commands.forEach(({ argv, env }, k) => {
      const t = process.hrtime.bigint();
      outs[k] = spawnSync(process.execPath, argv, { encoding: 'utf8', env: { ...env, NODE_ENV: 'production' } });
      times[k].push(Number(process.hrtime.bigint() - t) / 1e6);
    });
  }
  return times.map((t, k) => ({ best: Math.min(...t), median: t.sort((a, b) => a - b)[t.length >> 1], out: outs[k] }));
}

const scanArgv = [bin, 'scan', input, '--format', 'json', '-o', '/dev/null'];
// Node parses NODE_EXTRA_CA_CERTS' certificates at every start, before any script runs (~40 ms
// for a system bundle): a sandbox may set it where a user's machine does not.
const { NODE_EXTRA_CA_CERTS, ...noExtraCerts } = process.env;
const commands = [{ argv: ['-e', '0'], env: process.env }, { argv: scanArgv, env: process.env }];
if (NODE_EXTRA_CA_CERTS) commands.push({ argv: ['-e', '0'], env: noExtraCerts }, { argv: scanArgv, env: noExtraCerts });
const [baseline, scan, ...withoutCerts] = wall(commands);
const ms = (r) => `${r.best.toFixed(0).padStart(6)} ms best, ${r.median.toFixed(0).padStart(4)} median of ${runs}`;
const exit = (r) => `exit ${r.out.status}${r.out.status > 1 ? `: ${r.out.stderr.split('\n')[0]}` : ''}`;
process.stdout.write(`node -e 0                         ${ms(baseline)}\n`);
process.stdout.write(`attachscope scan (json → null)    ${ms(scan)}   ${exit(scan)}\n`);
if (withoutCerts.length) {
  process.stdout.write(`  without NODE_EXTRA_CA_CERTS:\n  node -e 0                       ${ms(withoutCerts[0])}\n`);
  process.stdout.write(`  attachscope scan                ${ms(withoutCerts[1])}   ${exit(withoutCerts[1])}\n`);
}

// The bundled CLI in process: what the scan above runs.
const bundled = `
const t = () => performance.now();
const out = {};
let a = t();
const { loadBundle } = await import('${url('src/cli/bundle.js')}');
const { main, script } = loadBundle();
out['load dist/cli.cjs (code cache ' + ({ false: 'used', true: 'REJECTED', undefined: 'absent' })[script.cachedDataRejected] + ')'] = t() - a;
a = t(); await main(['scan', ${JSON.stringify(input)}, '--format', 'json', '-o', '/dev/null']); out['scan (main)'] = t() - a;
process.stdout.write(JSON.stringify(out));
`;
// The unbundled modules phase by phase, in a fresh process (module caches cold, like a real run).
const phases = `
const t = () => performance.now();
const out = {};
let a = t();
await import('commander'); out['import commander'] = t() - a;
a = t(); await import('${url('src/cli/main.js')}'); out['import cli/main.js'] = t() - a;
a = t(); const an = await import('${url('src/analysis/analyze.js')}'); out['import analysis modules'] = t() - a;
a = t(); const { engine } = await an.loadEngine({}); out['load + compile rules (' + engine.ruleIds.length + ')'] = t() - a;
a = t(); const res = await an.analyzePaths([${JSON.stringify(input)}]); out['discover + read + analyze (' + res.summary.records + ' records)'] = t() - a;
let rep = null;
a = t(); try { rep = await import('${url('src/report/index.js')}'); out['import report'] = t() - a; } catch (e) { out['import report (failed: ' + e.message.slice(0, 60) + ')'] = t() - a; }
if (rep) { a = t(); rep.renderReport(res, 'json', { color: false, failOn: 'error', toolVersion: '0' }); out['render json'] = t() - a; }
a = t(); await import('yaml'); out['(reference, not on the scan path) import yaml'] = t() - a;
a = t(); await import('zod'); out['(reference, not on the scan path) import zod'] = t() - a;
a = t(); const load = await import('${url('src/analysis/rules/load.js')}'); const lr = await load.loadRules([(await import('${url('src/analysis/rules/locate.js')}')).builtinRulesDir()]); out['(reference) parse + validate ' + lr.rules.length + ' YAML rules'] = t() - a;
process.stdout.write(JSON.stringify(out));
`;
function inProcess(title, code) {
  const acc = new Map();
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' } });
    if (r.status !== 0) {
      process.stdout.write(`${title} failed: ${r.stderr.split('\n').slice(0, 5).join(' | ')}\n`);
      return;
    }
    for (const [k, v] of Object.entries(JSON.parse(r.stdout))) acc.set(k, Math.min(acc.get(k) ?? Infinity, v));
  }
  process.stdout.write(`\n${title} (best of ${runs}, fresh process each):\n`);
  for (const [k, v] of acc) process.stdout.write(`  ${k.padEnd(44)} ${v.toFixed(1).padStart(7)} ms\n`);
}
inProcess('bundled CLI', bundled);
inProcess('unbundled modules, no code cache', phases);

// Which packages does a scan load? ES modules through a resolve hook, CommonJS from require.cache.
const dir = mkdtempSync(path.join(os.tmpdir(), 'attachscope-startup-'));
const log = path.join(dir, 'loaded.txt');
const hook = path.join(dir, 'hook.mjs');
writeFileSync(hook, `import { appendFileSync } from 'node:fs';\nexport async function resolve(spec, ctx, next) { const r = await next(spec, ctx); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`);
const reg = path.join(dir, 'register.mjs');
writeFileSync(reg, `import { register, createRequire } from 'node:module';\nimport { appendFileSync } from 'node:fs';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\nconst require = createRequire(import.meta.url);\nprocess.on('exit', () => appendFileSync(${JSON.stringify(log)}, Object.keys(require.cache).join('\\n') + '\\n'));\n`);
writeFileSync(log, '');
spawnSync(process.execPath, ['--import', pathToFileURL(reg).href, bin, 'scan', input, '--format', 'json', '-o', '/dev/null'], { encoding: 'utf8' });
const urls = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
rmSync(dir, { recursive: true, force: true });
const pkgs = new Map();
for (const u of urls) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
  if (m) pkgs.set(m[1], (pkgs.get(m[1]) ?? 0) + 1);
}
const own = urls.filter((u) => u.includes('/dist/')).length;
process.stdout.write(`\nmodules a scan loads: ${own} of attachscope (+ the dist/cli.cjs bundle), packages: ${[...pkgs].map(([p, n]) => `${p} (${n})`).join(', ') || 'none'}\n`);
const heavy = ['ink', 'react', 'chokidar', 'string-width', 'yaml', 'zod'].filter((p) => pkgs.has(p));
process.stdout.write(heavy.length ? `heavy packages loaded by scan: ${heavy.join(', ')}\n` : 'no Ink/React/chokidar/yaml/zod loaded by scan\n');
