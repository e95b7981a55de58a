#!/usr/bin/env node
/**
 * Where the extractor time goes.
 *
 *   node bench/extractor-costs.mjs FILE [--kind CMGatewayNotificationWorker] [--max 400000] [--dist DIR]
 *
 * 1. Frames FILE into records (kept in memory) and splits messages into lines like
 *    parsers/logs/index.ts does.
 * 2. Times the whole extractor, then each part alone (the log's parts + common, and the
 *    exception-block reader) over every line. A part alone runs on every line: the extractor's
 *    memo of repeated lines (parsers/logs/memo.ts) only shows in the whole-extractor row.
 * 3. Per-event helpers.
 *
 * Best of 3, wall and CPU time (CPU time is steadier on a busy machine). `--dist DIR` measures
 * another build, e.g. a copy of dist/ made before a change: run both, interleaved.
 */
import path from 'node:path';
import { statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const dist = path.resolve(opt('--dist', path.join(root, 'dist')));
const imp = (p) => import(pathToFileURL(path.join(dist, p)).href);
if (!file) {
  process.stderr.write('usage: node bench/extractor-costs.mjs FILE [--kind KIND] [--max N] [--dist DIR]\n');
  process.exit(2);
}
const kind = opt('--kind', 'CMGatewayNotificationWorker');
const max = Number(opt('--max', '400000'));

const [{ readFileRecords, emptyReport }, logs, common, text, { createGatewayPart }, { createNotificationWorkerPart }, { createSyncUploadPart }] = await Promise.all([
  imp('src/ingest/read.js'), imp('parsers/logs/index.js'), imp('parsers/logs/common.js'), imp('parsers/logs/text.js'),
  imp('parsers/logs/gateway.js'), imp('parsers/logs/notification-worker.js'), imp('parsers/logs/sync-upload.js'),
]);

// 1. records and lines
const records = [];
const pf = { path: file, name: path.basename(file), dir: path.dirname(file), root: path.dirname(file), size: statSync(file).size, mtimeMs: 0 };
for await (const batch of readFileRecords(pf, { log: kind }, emptyReport(file))) {
  for (const r of batch) if (records.length < max) records.push(r);
  if (records.length >= max) break;
}
const lines = [];
for (const record of records) {
  const parts = text.splitLines(record.message);
  for (let index = 0; index < parts.length; index++) {
    const raw = parts[index] ?? '';
    if (raw.trim() === '') continue;
    lines.push({ record, text: raw.length > text.MAX_LINE ? raw.slice(0, text.MAX_LINE) : raw, index, inException: false });
  }
}
process.stdout.write(`${file}: ${records.length} records, ${lines.length} lines, kind ${kind}, ${dist}\n\n`);

function time(fn, reps = 3) {
  let best = { ms: Infinity, cpu: Infinity };
  let result;
  for (let i = 0; i < reps; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    result = fn();
    const ms = performance.now() - t;
    const u = process.cpuUsage(c);
    best = { ms: Math.min(best.ms, ms), cpu: Math.min(best.cpu, (u.user + u.system) / 1000) };
  }
  return { ...best, result };
}
const per = (ms, n) => ((ms * 1e6) / n).toFixed(0).padStart(6);
const row = (label, t, extra = '', n = lines.length, unit = 'line') =>
  process.stdout.write(`${label.padEnd(40)} ${t.ms.toFixed(0).padStart(6)} ms ${per(t.ms, n)} ns/${unit}  (CPU ${per(t.cpu, n)})  ${extra}\n`);

// 2. whole extractor and parts
const whole = time(() => {
  const ex = logs.createExtractor(kind);
  let n = 0;
  for (const r of records) n += ex.feed(r).length;
  return n + ex.flush().length;
});
row('whole extractor (feed every record)', whole, `${whole.result} events`);
row('  splitLines + blank check only', time(() => {
  let n = 0;
  for (const r of records) for (const l of text.splitLines(r.message)) if (l.trim() !== '') n++;
  return n;
}));
row('  exception-block reader (step)', time(() => {
  const b = new common.ExceptionBlocks();
  const out = [];
  for (const l of lines) b.step(l.record, l.text, out);
  b.flush(out);
  return out.length;
}));

const partsFor = {
  CMGatewayNotificationWorker: [['notification-worker', createNotificationWorkerPart], ['gateway', createGatewayPart]],
  CMGatewaySyncUploadWorker: [['sync-upload', createSyncUploadPart], ['gateway', createGatewayPart]],
  GenericUploadWorker: [['gateway', createGatewayPart]],
};
const parts = [...(partsFor[kind] ?? [['gateway', createGatewayPart]]), ['common', common.createCommonPart]];
for (const [name, create] of parts) {
  const t = time(() => {
    const p = create();
    let n = 0;
    for (const l of lines) {
      const out = [];
      p.line(l, out);
      n += out.length;
    }
    return n;
  });
  row(`part ${name} (alone)`, t, `${t.result} events`);
}
const http = time(() => {
  let n = 0;
  for (const l of lines) n += text.findHttpErrors(l.text).length;
  return n;
});
row('findHttpErrors', http, `→ ${http.result}`);

// 3. per-event helpers
process.stdout.write('\nper event:\n');
const events = [];
{
  const ex = logs.createExtractor(kind);
  for (const r of records) for (const e of ex.feed(r)) events.push(e);
}
const msgs = events.map((e) => e.text);
const urls = events.map((e) => e.fields.url).filter((u) => typeof u === 'string');
const erow = (label, t, n) => row(label, t, '', n, 'event');
erow('firstLine', time(() => {
  let n = 0;
  for (const m of msgs) n += text.firstLine(m).length;
  return n;
}), msgs.length);
erow('urlParts (events with a url)', time(() => {
  let n = 0;
  for (const u of urls) n += text.urlParts(u).url.length;
  return n;
}), urls.length);
if (text.memoize) {
  erow('  memoized, as the gateway part reads it', time(() => {
    const cached = text.memoize(text.urlParts);
    let n = 0;
    for (const u of urls) n += cached(u).url.length;
    return n;
  }), urls.length);
}
