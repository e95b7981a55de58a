#!/usr/bin/env node
/**
 * Small-input latency: where the ~wall time of `attachscope scan` on a few hundred KB goes.
 *
 *   node bench/startup.mjs [PATH=sample-logs/healthy-day] [--runs 5]
 *
 * Prints (best of N fresh processes each): `node -e 0`, the full scan, and an in-process breakdown
 * (imports of the CLI, analysis and report modules; rule catalog loading; reading + analysis;
 * rendering), plus the npm packages a scan loads (Ink/React must not be among them).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
const input = path.resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs') ?? path.join(ROOT, 'sample-logs/healthy-day'));
const bin = path.join(ROOT, 'dist/src/cli/bin.js');
const url = (p) => pathToFileURL(path.join(ROOT, 'dist', p)).href;

function best(cmd, argv, n = runs) {
  let min = Infinity;
  let out = null;
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    out = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: min, out };
}

const baseline = best(process.execPath, ['-e', '0']);
const scan = best(process.execPath, [bin, 'scan', input, '--format', 'json', '-o', '/dev/null']);
process.stdout.write(`node -e 0                         ${baseline.ms.toFixed(0).padStart(6)} ms\n`);
process.stdout.write(`attachscope scan (json → null)    ${scan.ms.toFixed(0).padStart(6)} ms   exit ${scan.out.status}${scan.out.status > 1 ? `: ${scan.out.stderr.split('\n')[0]}` : ''}\n`);

// In-process phases, in a fresh process (module caches cold, like a real run).
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
const acc = new Map();
for (let i = 0; i < runs; i++) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', phases], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) {
    process.stdout.write(`phase breakdown failed: ${r.stderr.split('\n').slice(0, 5).join(' | ')}\n`);
    break;
  }
  for (const [k, v] of Object.entries(JSON.parse(r.stdout))) acc.set(k, Math.min(acc.get(k) ?? Infinity, v));
}
if (acc.size) process.stdout.write('\nin-process phases (best of runs, fresh process each):\n');
for (const [k, v] of acc) process.stdout.write(`  ${k.padEnd(40)} ${v.toFixed(1).padStart(7)} ms\n`);

// Which packages does a scan load?
const dir = mkdtempSync(path.join(os.tmpdir(), 'attachscope-startup-'));
const log = path.join(dir, 'loaded.txt');
const hook = path.join(dir, 'hook.mjs');
writeFileSync(hook, `import { appendFileSync } from 'node:fs';\nexport async function resolve(spec, ctx, next) { const r = await next(spec, ctx); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`);
const reg = path.join(dir, 'register.mjs');
writeFileSync(reg, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);
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
process.stdout.write(`\nmodules a scan loads: ${own} of attachscope, packages: ${[...pkgs].map(([p, n]) => `${p} (${n})`).join(', ') || 'none'}\n`);
const heavy = ['ink', 'react', 'chokidar', 'string-width'].filter((p) => pkgs.has(p));
process.stdout.write(heavy.length ? `heavy packages loaded by scan: ${heavy.join(', ')}\n` : 'no Ink/React/chokidar loaded by scan\n');
