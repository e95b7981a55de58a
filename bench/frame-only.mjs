#!/usr/bin/env node
/**
 * Framing throughput alone: read + decode + frame one file, count records (no extractors, no rules).
 *
 *   node bench/frame-only.mjs FILE            the production path (src/ingest/read.ts: byte fast path for UTF-8)
 *   node bench/frame-only.mjs FILE --text     the tolerant text path only (StreamDecoder + Framer.push), for comparison
 */
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const imp = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
const file = process.argv[2];
const textOnly = process.argv.includes('--text');
if (!file) {
  process.stderr.write('usage: node bench/frame-only.mjs FILE [--text]\n');
  process.exit(2);
}
const size = statSync(file).size;
const t0 = performance.now();
let records = 0;
let errors = 0;
if (textOnly) {
  const { Framer } = await imp('parsers/formats/framer.js');
  const { StreamDecoder } = await imp('src/ingest/decode.js');
  const d = new StreamDecoder('utf-8');
  const f = new Framer({ log: path.basename(file), path: file, measure: d.measure });
  const count = (recs) => { records += recs.length; for (const r of recs) if (r.severity === 'error') errors++; };
  for await (const c of createReadStream(file, { highWaterMark: 1 << 20 })) count(f.push(d.write(c)));
  count([...f.push(d.end()), ...f.end()]);
} else {
  const { readFileRecords, emptyReport } = await imp('src/ingest/read.js');
  const report = emptyReport(file);
  const pf = { path: file, name: path.basename(file), dir: path.dirname(file), root: path.dirname(file), size, mtimeMs: 0 };
  for await (const batch of readFileRecords(pf, { log: path.basename(file) }, report)) {
    records += batch.length;
    for (const r of batch) if (r.severity === 'error') errors++;
  }
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage();
process.stderr.write(JSON.stringify({ path: textOnly ? 'text' : 'bytes', records, errors, ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), MBps: Math.round(size / 1048576 / (ms / 1000)), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
