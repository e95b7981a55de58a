#!/usr/bin/env node
/**
 * Framing throughput alone: read + decode + frame one file, count records (no extractors, no rules).
 *
 *   node bench/frame-only.mjs FILE               the production path (src/ingest/read.ts: byte fast path for UTF-8)
 *   node bench/frame-only.mjs FILE --text        the tolerant text path only (StreamDecoder + Framer.push), for comparison
 *   node bench/frame-only.mjs FILE --repeat 3    run 3 times in this process, report each run and the best
 *   node bench/frame-only.mjs FILE --chunk 4M    read in 4 MiB chunks (default: 1 MiB, as src/ingest/read.ts)
 *   node bench/frame-only.mjs FILE --digest      also print a SHA-256 of the records as JSON (to compare two builds)
 *   node bench/frame-only.mjs FILE --floor MODE  what framing cannot go below, with 1 MiB reads:
 *       read      read the file into a reused buffer, nothing else
 *       lines     + find every newline (Buffer#indexOf per line)
 *       markers   + find `]LOG]!>` (or `$$<`) per line through one of its bytes, as the fast path does
 *       messages  + decode each line's message (Buffer#latin1Slice)
 *       records   + build a LogRecord-shaped object per line (header values constant)
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const imp = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
const args = process.argv.slice(2);
const file = args[0];
const flag = (name) => args.includes(name);
const value = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const textOnly = flag('--text');
const digest = flag('--digest');
const repeat = Number(value('--repeat', '1'));
const floor = value('--floor', null);
const chunkArg = value('--chunk', null);
const chunkSize = chunkArg === null ? undefined : Number(chunkArg.replace(/[kKmM]$/, '')) * (/[mM]$/.test(chunkArg) ? 1 << 20 : /[kK]$/.test(chunkArg) ? 1024 : 1);
if (!file || (floor && !['read', 'lines', 'markers', 'messages', 'records'].includes(floor))) {
  process.stderr.write('usage: node bench/frame-only.mjs FILE [--text] [--repeat N] [--chunk SIZE] [--digest] [--floor read|lines|markers|messages|records]\n');
  process.exit(2);
}
const size = statSync(file).size;
const log = path.basename(file);

async function production(count) {
  const { readFileRecords, emptyReport } = await imp('src/ingest/read.js');
  const report = emptyReport(file);
  const pf = { path: file, name: log, dir: path.dirname(file), root: path.dirname(file), size, mtimeMs: 0 };
  for await (const batch of readFileRecords(pf, { log, chunkSize }, report)) count(batch);
}

async function textPath(count) {
  const { Framer } = await imp('parsers/formats/framer.js');
  const { StreamDecoder } = await imp('src/ingest/decode.js');
  const d = new StreamDecoder('utf-8');
  const f = new Framer({ log, path: file, measure: d.measure });
  for await (const c of createReadStream(file, { highWaterMark: 1 << 20 })) count(f.push(d.write(c)));
  count([...f.push(d.end()), ...f.end()]);
}

/** The floors: the same reads as production, then only the named part of the per-line work. */
async function floorPath(count) {
  const level = ['read', 'lines', 'markers', 'messages', 'records'].indexOf(floor);
  const chunk = 1 << 20;
  const fh = await fsp.open(file, 'r');
  const buf = Buffer.allocUnsafeSlow(chunk + (1 << 16));
  let held = 0;
  let lineNo = 0;
  let offset = 0;
  for (;;) {
    const { bytesRead } = await fh.read(buf, held, chunk, null);
    const len = held + bytesRead;
    if (level === 0 || bytesRead === 0) {
      if (bytesRead === 0) break;
      continue;
    }
    const batch = [];
    let s = 0;
    let nBang = -1;
    let nDollar = -1;
    for (;;) {
      const nl = buf.indexOf(10, s);
      if (nl < 0 || nl >= len) break;
      lineNo++;
      if (level >= 2) {
        // One single-byte search per line, as the fast path does: the `!` of `]LOG]!>`, or the
        // first `$` of `$$<` (both also prove that no other marker comes first).
        let msgEnd = nl;
        if (buf[s] === 0x3c) {
          if (nBang < s + 2) nBang = buf.indexOf(0x21, s + 2);
          if (nBang >= 0 && nBang < nl) msgEnd = nBang - 5;
        } else {
          if (nDollar < s) nDollar = buf.indexOf(0x24, s);
          if (nDollar >= 0 && nDollar < nl) msgEnd = nDollar;
        }
        if (level >= 3) {
          const message = buf.latin1Slice(buf[s] === 0x3c ? s + 7 : s, msgEnd);
          if (level >= 4) {
            batch.push({ log, path: file, offset, length: nl + 1 - s, line: lineNo, endLine: lineNo, localText: null, localMs: 0,
              bias: 480, utcMs: 0, component: 'C', thread: 'T', severity: 'info', severitySource: 'type', message, format: 'cmtrace' });
          }
        }
      }
      offset += nl + 1 - s;
      s = nl + 1;
    }
    buf.copy(buf, 0, s, len);
    held = len - s;
    count(batch);
  }
  await fh.close();
}

const runs = [];
let result;
for (let i = 0; i < repeat; i++) {
  let records = 0;
  let errors = 0;
  const hash = digest ? createHash('sha256') : null;
  const count = (recs) => {
    records += recs.length;
    for (const r of recs) {
      if (r.severity === 'error') errors++;
      hash?.update(JSON.stringify(r));
    }
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await (floor ? floorPath(count) : textOnly ? textPath(count) : production(count));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const run = { path: floor ? `floor:${floor}` : textOnly ? 'text' : 'bytes', records, errors, ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    MBps: Math.round(size / 1048576 / (ms / 1000)), ...(hash ? { sha256: hash.digest('hex').slice(0, 16) } : {}) };
  runs.push(run);
  if (repeat > 1) process.stderr.write(`run ${i + 1}: ${JSON.stringify(run)}\n`);
  if (!result || run.ms < result.ms) result = run;
}
process.stderr.write(JSON.stringify({ ...result, ...(repeat > 1 ? { best: `of ${repeat}` } : {}), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
