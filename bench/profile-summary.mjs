#!/usr/bin/env node
/**
 * Summarizes a V8 CPU profile (`node --cpu-prof --cpu-prof-dir=DIR …`): self time by file and
 * by function, and inclusive time by function.
 *
 *   node bench/profile-summary.mjs DIR/CPU.*.cpuprofile [topSelf=30] [topInclusive=30]
 */
import { readFileSync } from 'node:fs';

const [file, selfN = '30', inclN = '30'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs PROFILE.cpuprofile [topSelf] [topInclusive]\n');
  process.exit(2);
}
const prof = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const spent = new Map();
prof.samples.forEach((id, i) => spent.set(id, (spent.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));

const label = (cf) => `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
const byFile = new Map();
const byFn = new Map();
const incl = new Map();
let total = 0;
for (const [id, us] of spent) {
  const cf = nodes.get(id).callFrame;
  const f = cf.url.split('/').slice(-2).join('/') || cf.functionName;
  byFile.set(f, (byFile.get(f) ?? 0) + us);
  byFn.set(label(cf), (byFn.get(label(cf)) ?? 0) + us);
  total += us;
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const key = label(nodes.get(cur).callFrame);
    if (seen.has(key)) continue;
    seen.add(key);
    incl.set(key, (incl.get(key) ?? 0) + us);
  }
}
const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n)
  .map(([k, v]) => `${(v / 1000).toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
process.stdout.write(`total ${(total / 1000).toFixed(0)} ms\n-- self by file\n${top(byFile, 20)}\n-- self by function\n${top(byFn, Number(selfN))}\n-- inclusive by function\n${top(incl, Number(inclN))}\n`);
