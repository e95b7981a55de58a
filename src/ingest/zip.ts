import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { isLogName } from './discover.js';
import { bombReason, pastLimits, unsafeName, type ZipLimits } from './zip-limits.js';

/** Caps for what is expanded in memory (a broken archive salvaged from its local headers). */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntryBytes: 256 * 1024 * 1024, maxTotalBytes: 1024 * 1024 * 1024, maxRatio: 1000 };

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

export interface ZipResult {
  entries: ZipEntry[];
  /** Entries skipped, with why (path traversal, too big, corrupt). */
  problems: { entry: string; reason: string }[];
}

/**
 * Expands the log entries of a zip held in memory. Streaming inflate lets us stop an entry the
 * moment it passes a cap, whatever sizes its headers claim.
 */
export function readZip(data: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipResult {
  const entries: ZipEntry[] = [];
  const problems: ZipResult['problems'] = [];
  let total = 0;
  let announced = 0;
  const unfinished = new Set<string>();
  const unzip = new Unzip((file) => {
    const name = file.name;
    announced++;
    if (name.endsWith('/')) return;
    if (unsafeName(name)) {
      problems.push({ entry: name, reason: 'unsafe path (absolute or contains ..): skipped' });
      return;
    }
    if (!isLogName(name)) return;
    const chunks: Uint8Array[] = [];
    let size = 0;
    let stopped = false;
    unfinished.add(name);
    file.ondata = (err, chunk, final) => {
      if (stopped) return;
      if (err) {
        stopped = true;
        unfinished.delete(name);
        problems.push({ entry: name, reason: `corrupt entry: ${err.message}` });
        return;
      }
      size += chunk.length;
      total += chunk.length;
      // A compressed size of 0 is not known yet here (a streamed entry): no ratio then.
      const compressed = file.size ?? 0;
      if (pastLimits(size, compressed > 0 ? compressed : null, total, limits)) {
        stopped = true;
        unfinished.delete(name);
        file.terminate();
        problems.push({ entry: name, reason: bombReason(`${size} bytes so far`, limits) });
        return;
      }
      chunks.push(chunk);
      if (final) {
        unfinished.delete(name);
        const out = new Uint8Array(size);
        let at = 0;
        for (const c of chunks) { out.set(c, at); at += c.length; }
        entries.push({ name, data: out });
      }
    };
    try {
      file.start();
    } catch (e) {
      problems.push({ entry: name, reason: `unsupported entry: ${(e as Error).message}` });
    }
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    // Feed small slices: caps are checked between slices, and 16 KiB of deflate expands to at
    // most ~16 MiB, so a bomb is stopped near its cap instead of after inflating a huge slice.
    const step = 1 << 14;
    for (let i = 0; i < data.length; i += step) unzip.push(data.subarray(i, Math.min(data.length, i + step)), i + step >= data.length);
    if (data.length === 0) unzip.push(data, true);
  } catch (e) {
    problems.push({ entry: '(archive)', reason: `corrupt zip: ${(e as Error).message}` });
  }
  for (const name of unfinished) problems.push({ entry: name, reason: 'truncated entry: the archive ends inside it' });
  if (entries.length === 0 && problems.length === 0) {
    if (!looksLikeZip(data)) problems.push({ entry: '(archive)', reason: 'not a zip archive (no local file header)' });
    else if (announced === 0) problems.push({ entry: '(archive)', reason: 'corrupt or truncated zip: no complete entry header' });
  }
  return { entries, problems };
}

function looksLikeZip(d: Uint8Array): boolean {
  return d.length >= 4 && d[0] === 0x50 && d[1] === 0x4b;
}
