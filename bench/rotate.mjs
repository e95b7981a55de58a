#!/usr/bin/env node
/**
 * A log as ConfigMgr keeps it after many rollovers: history files `NAME-YYYYMMDD-HHMMSS.log` of
 * about SIZE each, cut at record starts, oldest first, the newest named `NAME.log`; and, with
 * --zip, the same files in one zip archive (what a support engineer is sent). For benchmarks of
 * post-mortem folders and zips (bench/RESULTS.md); made on demand, never committed.
 *
 *   node bench/generate.mjs --format cmtrace --size 1G            # bench/data/cmtrace-1G
 *   node bench/rotate.mjs bench/data/cmtrace-1G/CMGatewayNotificationWorker.log \
 *        --size 2.5M --out bench/data/cmtrace-1G-rotated --zip bench/data/cmtrace-1G-rotated.zip
 *
 * Options: --size N[K|M|G] (default 2.5M, ConfigMgr's default log size), --out DIR (default:
 * next to the source, `-rotated`), --zip FILE (also write a zip: deflate level 1, streamed).
 */
import { closeSync, createReadStream, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Zip, ZipDeflate } from 'fflate';
import { parseSize } from './generate.mjs';

const args = process.argv.slice(2);
const src = args[0];
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
if (!src || src.startsWith('--')) {
  process.stderr.write('usage: node bench/rotate.mjs FILE [--size 2.5M] [--out DIR] [--zip FILE]\n');
  process.exit(2);
}
const size = parseSize(opt('--size', '2.5M'));
const out = opt('--out', `${path.dirname(src)}-rotated`);
const zipPath = opt('--zip', null);
const base = path.basename(src).replace(/\.log$/i, '');
const OPENER = Buffer.from('<![LOG[');

mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) rmSync(path.join(out, f));

let zip = null;
let zipFd = -1;
if (zipPath) {
  zipFd = openSync(zipPath, 'w');
  zip = new Zip((err, chunk) => {
    if (err) throw err;
    writeSync(zipFd, chunk);
  });
}

const t0 = performance.now();
let index = 0;
let pending = Buffer.alloc(0);
let written = 0;
const names = [];
const stamp = (i) => {
  // One file per simulated 10 minutes from 2026-01-01 00:00.
  const d = new Date(Date.UTC(2026, 0, 1) + i * 600_000);
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
};

function emit(bytes, last) {
  const name = last ? `${base}.log` : `${base}-${stamp(index)}.log`;
  const fd = openSync(path.join(out, name), 'w');
  writeSync(fd, bytes);
  closeSync(fd);
  if (zip) {
    const entry = new ZipDeflate(name, { level: 1 });
    zip.add(entry);
    entry.push(bytes, true);
  }
  names.push(name);
  written += bytes.length;
  index++;
}

const TRAILER = Buffer.from('$$<');
let cmtrace = null;

/**
 * The offset of the first record start at or after `at` in `buf`, or -1: a CMTrace opener, or,
 * in the `$$<` format, the line after one that ends a record (it holds the `$$<` trailer; the
 * lines of a multi-line message do not).
 */
function recordStart(buf, at) {
  cmtrace ??= buf.subarray(0, 4096).includes(OPENER);
  if (cmtrace) return buf.indexOf(OPENER, at);
  for (let nl = buf.indexOf(10, at); nl >= 0 && nl + 1 < buf.length; nl = buf.indexOf(10, nl + 1)) {
    const lineStart = buf.lastIndexOf(10, nl - 1) + 1;
    const t = buf.indexOf(TRAILER, lineStart);
    if (t >= 0 && t < nl) return nl + 1;
  }
  return -1;
}

for await (const chunk of createReadStream(src, { highWaterMark: 1 << 22 })) {
  pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
  while (pending.length > size) {
    const cut = recordStart(pending, size);
    if (cut < 0) break;
    emit(pending.subarray(0, cut), false);
    pending = Buffer.from(pending.subarray(cut));
  }
}
emit(pending, true);
if (zip) {
  zip.end();
  closeSync(zipFd);
}
process.stdout.write(`${out}: ${names.length} files, ${(written / 2 ** 20).toFixed(1)} MiB${zipPath ? `; ${zipPath}` : ''} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
