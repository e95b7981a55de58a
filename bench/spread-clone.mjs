#!/usr/bin/env node
/**
 * Why core.ts builds SortedEvents field by field: in Node 20 (V8 11.3), `{ ...e, extra: … }` on a
 * hot path can give every result its own hidden class — slower, and hundreds of bytes more per
 * object kept. Compares both on 200k event-shaped objects (fresh process per variant).
 *
 *   node --allow-natives-syntax --expose-gc bench/spread-clone.mjs [spread|explicit]
 *   node bench/spread-clone.mjs            # runs both in child processes
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const variant = process.argv[2];
if (!variant) {
  for (const v of ['spread', 'explicit']) {
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--expose-gc', fileURLToPath(import.meta.url), v], { encoding: 'utf8' });
    process.stdout.write(r.stdout || r.stderr);
  }
  process.exit(0);
}
const N = 200_000;
const mk = (i) => ({ kind: 'gateway.response', log: 'L', utcMs: i, localText: 'x', bias: 480, severity: 'info', summary: 's', fields: { status: 204 }, refs: [], text: 't' });
const spread = (e, i) => ({ ...e, sortMs: e.utcMs, seq: i, sourceId: 'a', machine: null, logKind: 'K' });
const explicit = (e, i) => ({ kind: e.kind, log: e.log, utcMs: e.utcMs, localText: e.localText, bias: e.bias, severity: e.severity, summary: e.summary, fields: e.fields, refs: e.refs, text: e.text, sortMs: e.utcMs, seq: i, sourceId: 'a', machine: null, logKind: 'K' });
const make = variant === 'spread' ? spread : explicit;
const src = Array.from({ length: N }, (_, i) => mk(i));
globalThis.gc();
const before = process.memoryUsage().heapUsed;
const t = performance.now();
const out = [];
for (let i = 0; i < N; i++) out.push(make(src[i], i));
const ms = performance.now() - t;
globalThis.gc();
const bytes = (process.memoryUsage().heapUsed - before) / N;
// eslint-disable-next-line no-eval
const sameMap = eval('%HaveSameMap(out[N - 2], out[N - 1])');
process.stdout.write(`${variant.padEnd(9)} ${ms.toFixed(0).padStart(6)} ms for ${N} objects, ${bytes.toFixed(0).padStart(5)} heap bytes per object, last two share a hidden class: ${sameMap}\n`);
