#!/usr/bin/env node
/**
 * Rule engine costs on a big log (measurement only: src/analysis/rules/ is not changed here).
 *
 *   node bench/engine-costs.mjs FILE [--kind CMGatewayNotificationWorker] [--max 400000]
 *
 * Times RuleEngine.observe() over every record with the built-in catalog, the per-record string
 * work it does before any regex (lower-casing kind/log for the matcher cache key, the record key,
 * lower-casing the message for literal prefilters), and evaluate() over the extracted events; and
 * counts what the engine keeps (text hits, activity times, event hits).
 */
import path from 'node:path';
import { statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const imp = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
if (!file) {
  process.stderr.write('usage: node bench/engine-costs.mjs FILE [--kind KIND] [--max N]\n');
  process.exit(2);
}
const kind = opt('--kind', 'CMGatewayNotificationWorker');
const max = Number(opt('--max', '400000'));
const [{ readFileRecords, emptyReport }, { createExtractor }, { loadEngine }, { RuleEngine }] = await Promise.all([
  imp('src/ingest/read.js'), imp('parsers/logs/index.js'), imp('src/analysis/analyze.js'), imp('src/analysis/rules/engine.js'),
]);
const { engine: loaded } = await loadEngine({});
const rules = loaded.rules.map((r) => r.rule);

const records = [];
const pf = { path: file, name: path.basename(file), dir: path.dirname(file), root: path.dirname(file), size: statSync(file).size, mtimeMs: 0 };
for await (const batch of readFileRecords(pf, { log: kind }, emptyReport(file))) {
  for (const r of batch) if (records.length < max) records.push(r);
  if (records.length >= max) break;
}
process.stdout.write(`${file}: ${records.length} records, ${rules.length} rules, ${loaded.textMatchers.length} text matchers\n\n`);
const row = (label, ms, extra = '') => process.stdout.write(`${label.padEnd(48)} ${ms.toFixed(0).padStart(7)} ms ${((ms * 1e6) / records.length).toFixed(0).padStart(6)} ns/record  ${extra}\n`);
function best(fn, reps = 3) {
  let min = Infinity;
  let r;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    r = fn();
    min = Math.min(min, performance.now() - t);
  }
  return { ms: min, r };
}

const obs = best(() => {
  const e = new RuleEngine(rules);
  let last = Number.NEGATIVE_INFINITY;
  for (const r of records) {
    if (r.utcMs !== null) last = r.utcMs;
    e.observe(r, kind, r.utcMs ?? last);
  }
  return e;
});
const e = obs.r;
let textHits = 0;
let compacted = 0;
for (const cr of e.rules) for (const st of cr.stores.values()) { textHits += st.texts.length; if (st.compact) compacted++; }
row('observe() every record', obs.ms, `${textHits} exact text hits kept, ${compacted} rule roles compacted`);

// The string work observe() does per record before any regex runs.
row('  kind/log toLowerCase + cache key + Map.get', best(() => {
  const cache = new Map([[`${kind.toLowerCase()}\u0000${kind.toLowerCase()}`, 1]]);
  let n = 0;
  for (const r of records) n += cache.get(`${kind.toLowerCase()}\u0000${r.log.toLowerCase()}`) ?? 0;
  return n;
}).ms);
row('  recordKey `${path}\\0${line}` (built for every record)', best(() => {
  let n = 0;
  for (const r of records) n += `${r.path}\u0000${r.line}`.length;
  return n;
}).ms);
row('  message.toLowerCase() (literal prefilter input)', best(() => {
  let n = 0;
  for (const r of records) n += r.message.toLowerCase().length;
  return n;
}).ms);
row('  noteActivity x3 (*, kind, log) per record', best(() => {
  const times = [[], [], []];
  for (const r of records) for (const t of times) if (t[t.length - 1] !== r.utcMs) t.push(r.utcMs);
  return times[0].length;
}).ms);

// The extracted events (as SortedEvents).
const ex = createExtractor(kind);
const events = [];
let seq = 0;
for (const r of records) for (const ev of ex.feed(r)) events.push({ ...ev, sortMs: ev.utcMs ?? 0, seq: seq++, sourceId: 's', machine: null, logKind: kind });
events.sort((a, b) => a.sortMs - b.sortMs || a.seq - b.seq);
const sources = [{ id: 's', name: kind, kind, role: 'service connection point', machine: null, files: [file], format: 'cmtrace', encoding: 'utf-8', records: records.length, firstLocal: null, lastLocal: null, firstUtcMs: events[0]?.sortMs ?? null, lastUtcMs: events[events.length - 1]?.sortMs ?? null, biases: [], biasOverride: null, recordsWithoutBias: 0, biasProblems: [], partialRecords: 0, skipped: [], errors: [] }];
// observeEvent() as the core calls it for every extracted event, then evaluate() (which then only
// matches the synthetic events the core hands it: none here).
const oe = best(() => {
  for (const x of events) e.observeEvent(x, kind);
  return null;
}, 1);
row('observeEvent() every event', oe.ms, `${events.length} events`);
const ev = best(() => e.evaluate({ events: [], sources, endMs: sources[0].lastUtcMs }), 1);
process.stdout.write(`${'evaluate()'.padEnd(48)} ${ev.ms.toFixed(0).padStart(7)} ms  findings: ${ev.r.map((f) => `${f.ruleId}×${f.count}`).join(' ')}\n`);
const mu = process.memoryUsage();
process.stdout.write(`\nheap used ${(mu.heapUsed / 1048576).toFixed(0)} MB (records, events and engine state held by this script)\n`);
