#!/usr/bin/env node
/**
 * Where the extractor time goes, and what literal prefilters would save (measurement only: the
 * extractors in parsers/logs/ are not changed by this script).
 *
 *   node bench/extractor-costs.mjs FILE [--kind CMGatewayNotificationWorker] [--max 400000]
 *
 * 1. Frames FILE into records (kept in memory) and splits messages into lines like
 *    parsers/logs/index.ts does.
 * 2. Times the whole extractor, then each part alone (the log's parts + common, and the
 *    exception-block reader) over every line.
 * 3. For each part, a candidate literal prefilter (one case-insensitive regex holding words every
 *    match of the part needs): the prefilter cost over all lines + the part over passing lines,
 *    and a check that the lines it skips give no events with the full part (on this data).
 * 4. The common part's checks one by one (copies of its regexes, for timing only).
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
  process.stderr.write('usage: node bench/extractor-costs.mjs FILE [--kind KIND] [--max N]\n');
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
process.stdout.write(`${file}: ${records.length} records, ${lines.length} lines, kind ${kind}\n\n`);

function time(fn, reps = 3) {
  let best = Infinity;
  let result;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    result = fn();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, result };
}
const perLine = (ms) => `${((ms * 1e6) / lines.length).toFixed(0).padStart(6)} ns/line`;
const row = (label, ms, extra = '') => process.stdout.write(`${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms ${perLine(ms)}  ${extra}\n`);

// 2. whole extractor and parts
const whole = time(() => {
  const ex = logs.createExtractor(kind);
  let n = 0;
  for (const r of records) n += ex.feed(r).length;
  return n + ex.flush().length;
});
row('whole extractor (feed every record)', whole.ms, `${whole.result} events`);
row('  splitLines + blank check only', time(() => {
  let n = 0;
  for (const r of records) for (const l of text.splitLines(r.message)) if (l.trim() !== '') n++;
  return n;
}).ms);
row('  exception-block reader (step)', time(() => {
  const b = new common.ExceptionBlocks();
  const out = [];
  for (const l of lines) b.step(l.record, l.text, out);
  b.flush(out);
  return out.length;
}).ms);

const partsFor = {
  CMGatewayNotificationWorker: [['notification-worker', createNotificationWorkerPart], ['gateway', createGatewayPart]],
  CMGatewaySyncUploadWorker: [['sync-upload', createSyncUploadPart], ['gateway', createGatewayPart]],
  GenericUploadWorker: [['gateway', createGatewayPart]],
};
const parts = [...(partsFor[kind] ?? [['gateway', createGatewayPart]]), ['common', common.createCommonPart]];

/** Words every match of a part needs (case-insensitive), as one regex. */
const PREFILTERS = {
  'notification-worker': /notification|validating|authori[sz]ed|forwarded|occur/i,
  gateway: /request|response|upload|exception/i,
  'sync-upload': /batching|next|sync|upload/i,
  common: /aadsts|trust|revocation|407|resolved|timed|connect|underlying|mismatch|executereader|[45]\d\d|0x8/i,
};

const runPart = (create, subset) => {
  const p = create();
  let n = 0;
  const kinds = new Map();
  for (const l of subset) {
    const out = [];
    p.line(l, out);
    n += out.length;
    for (const e of out) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  }
  return { n, kinds };
};
process.stdout.write('\n');
let partsTotal = 0;
let prefilteredTotal = 0;
for (const [name, create] of parts) {
  const full = time(() => runPart(create, lines));
  partsTotal += full.ms;
  row(`part ${name}`, full.ms, `${full.result.n} events`);
  const pre = PREFILTERS[name];
  if (!pre) continue;
  const passing = lines.filter((l) => pre.test(l.text));
  const filterMs = time(() => {
    let n = 0;
    for (const l of lines) if (pre.test(l.text)) n++;
    return n;
  }).ms;
  const subset = time(() => runPart(create, passing));
  const same = subset.result.n === full.result.n && [...full.result.kinds].every(([k, v]) => subset.result.kinds.get(k) === v);
  prefilteredTotal += filterMs + subset.ms;
  row(`  with prefilter ${pre}`.slice(0, 44), filterMs + subset.ms,
    `${((100 * passing.length) / lines.length).toFixed(1)}% of lines pass; ${(100 * (1 - (filterMs + subset.ms) / full.ms)).toFixed(0)}% saved; events ${same ? 'identical' : `DIFFER (${subset.result.n} vs ${full.result.n})`}`);
}
row('parts total (alone)', partsTotal);
row('parts total with prefilters', prefilteredTotal, `${(100 * (1 - prefilteredTotal / partsTotal)).toFixed(0)}% saved`);

// 4. the common part's checks one by one (copies, for timing)
process.stdout.write('\ncommon part, check by check:\n');
const NETWORK = [
  /Could\s+not\s+establish\s+trust\s+relationship\s+for\s+the\s+SSL\s*\/\s*TLS\s+secure\s+channel/i,
  /revocation\s+function\s+was\s+unable\s+to\s+check\s+revocation/i,
  /\(\s*407\s*\)\s*Proxy\s*Authentication\s*Required/i,
  /remote\s+name\s+could\s+not\s+be\s+resolved/i,
  /\boperation\s+has\s+timed\s*-?\s*out/i,
  /Unable\s+to\s+connect\s+to\s+the\s+remote\s+server/i,
  /underlying\s+connection\s+was\s+closed/i,
];
const NETWORK_ANY = /trust|revocation|407|resolved|timed|connect/i;
const checks = [
  ['AADSTS matchAll (spread to array)', () => { let n = 0; for (const l of lines) n += [...l.text.matchAll(/AADSTS(\d{1,9})(?!\d)/gi)].length; return n; }],
  ['  guard /aadsts/i first', () => { let n = 0; for (const l of lines) if (/aadsts/i.test(l.text)) n += [...l.text.matchAll(/AADSTS(\d{1,9})(?!\d)/gi)].length; return n; }],
  ['NETWORK.find (7 regexes)', () => { let n = 0; for (const l of lines) if (NETWORK.find((re) => re.test(l.text))) n++; return n; }],
  ['  guard: one alternation of their words first', () => { let n = 0; for (const l of lines) if (NETWORK_ANY.test(l.text) && NETWORK.find((re) => re.test(l.text))) n++; return n; }],
  ['findHttpErrors', () => { let n = 0; for (const l of lines) n += text.findHttpErrors(l.text).length; return n; }],
  ['  guard /[45]\\d\\d/ first', () => { let n = 0; for (const l of lines) if (/[45]\d\d/.test(l.text)) n += text.findHttpErrors(l.text).length; return n; }],
  ['HRESULT matchAll', () => { let n = 0; for (const l of lines) for (const _ of l.text.matchAll(/(?<![0-9A-Za-z])0x(8[0-9A-Fa-f]{7})(?![0-9A-Fa-f])/gi)) n++; return n; }],
  ['cert + sql regexes', () => { let n = 0; for (const l of lines) { if (/Mismatch(?:ed)?\s+certificate\s+subject\s+name/i.test(l.text)) n++; if (/ExecuteReader\s+requires\s+an\s+open\s+and\s+available\s+Connection/i.test(l.text)) n++; } return n; }],
  ['new Set() x2 per line (claimed, stated)', () => { let n = 0; for (const l of lines) { const a = new Set(); const b = new Set(); n += a.size + b.size + l.index; } return n; }],
];
for (const [label, fn] of checks) {
  const r = time(fn);
  row(label, r.ms, `→ ${r.result}`);
}

// 5. per-event helpers
process.stdout.write('\nper event:\n');
const events = [];
{
  const ex = logs.createExtractor(kind);
  for (const r of records) for (const e of ex.feed(r)) events.push(e);
}
const msgs = events.map((e) => records.find ? e.text : '');
const perEvent = (ms) => `${((ms * 1e6) / Math.max(1, events.length)).toFixed(0).padStart(6)} ns/event`;
const erow = (label, ms) => process.stdout.write(`${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms ${perEvent(ms)}\n`);
erow('firstLine via message.search(/[\\r\\n]/)', time(() => { let n = 0; for (const m of msgs) n += text.firstLine(m).length; return n; }).ms);
erow('  via indexOf(\\n) + indexOf(\\r)', time(() => {
  let n = 0;
  for (const m of msgs) {
    let i = m.indexOf('\n');
    const j = m.indexOf('\r');
    if (j >= 0 && (i < 0 || j < i)) i = j;
    n += (i < 0 ? m : m.slice(0, i)).length;
  }
  return n;
}).ms);
erow('urlParts (gateway events)', time(() => { let n = 0; for (const e of events) if (typeof e.fields.url === 'string') n += text.urlParts(e.fields.url).url.length; return n; }).ms);
