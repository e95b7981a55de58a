/**
 * How a scan is cut into parts that worker threads read at the same time. Parts follow the
 * reading order (source by source, each source's files oldest first); a cut falls between two
 * sources, inside one big UTF-8 file or zip entry at a record start (in a zip entry only aimed
 * at: both parts find it as they inflate the entry, ingest/zip-cut.ts), or between two files of
 * one log (its rotated history files, the entries of a zip). A part that begins inside a log
 * reads some records before its cut first (a warm-up: the end of the file it begins in, or of
 * the file before), only to bring the extractor to the state the previous part leaves it in;
 * the merge checks that it did (parallel/run.ts) and reads serially when not.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { LogicalSource } from '../../ingest/discover.js';
import { sniffEncoding } from '../../ingest/decode.js';
import { binaryReason, readBytesAt } from '../../ingest/read.js';
import { entryHead } from '../../ingest/zip-entry.js';
import { PROBE_BEFORE, PROBE_BYTES, recordStartIn, WARM_BYTES } from '../../ingest/cut-point.js';
import { keepsOnlyBlocks } from '../../../parsers/logs/index.js';

/** One stretch of one file that a part reads. */
export interface Unit {
  source: number;
  file: number;
  /** Bytes [start, end) of the file. */
  start: number;
  end: number;
  /**
   * Where reading begins when it begins before `start` to warm up (a line start), else null. A
   * unit with `start` = `end` = the file's size only warms up: its part begins with the next file.
   */
  warmFrom: number | null;
  /**
   * A cut inside a zip entry at `start` / `end` is only aimed at: the parts on both sides find
   * the record start there as they inflate the entry (ingest/zip-cut.ts).
   */
  aimedStart?: true;
  aimedEnd?: true;
}

export interface Part {
  units: Unit[];
}

/**
 * A file that can only be read from its start (a zip entry, in memory, not UTF-8) is read whole
 * to warm up for a cut after it, when no bigger than this.
 */
const WARM_WHOLE_BYTES = 32 << 20;
/**
 * What counting a byte's lines costs against reading it: a part that begins inside a file counts
 * the lines before its cut first (part.ts, for line numbers), at ~1.5 GB/s against ~90 MB/s
 * (CMTrace) to ~70 MB/s (`$$<`) of reading, on the VM of bench/RESULTS.md.
 */
export const COUNT_COST = 0.05;
/**
 * The same for a part that begins inside a zip entry: it inflates the entry from its start and
 * drops what comes before its warm-up (a deflate stream cannot be entered in the middle), at
 * ~1 GB/s; a stored entry's bytes are only read.
 */
const INFLATE_SKIP_COST = 0.15;
const STORED_SKIP_COST = 0.02;

/**
 * Where a part begins: a file (index in reading order) and a byte offset in it. At offset 0 the
 * cut falls before the file: a source boundary, or, with `warmFrom`, between two files of one
 * source, the part warming up on the file before from there.
 */
interface Cut {
  at: number;
  offset: number;
  warmFrom: number | null;
  aimed?: true;
}

export interface PlanOptions {
  parts: number;
  /** No part smaller than this (a worker's start and the merge cost tens of ms). */
  minPartBytes: number;
}

/**
 * Cuts `sources` into at most `opts.parts` parts of about equal size. Returns one part when
 * the input cannot be cut (one small file, a zip entry, UTF-16...).
 */
export function planParts(sources: readonly LogicalSource[], opts: PlanOptions): Part[] {
  const files: { source: number; file: number; size: number; splittable: boolean | null }[] = [];
  sources.forEach((s, si) => s.files.forEach((f, fi) => files.push({ source: si, file: fi, size: f.size, splittable: null })));
  const startOf: number[] = [0];
  for (const f of files) startOf.push(startOf[startOf.length - 1]! + f.size);
  const total = startOf[files.length]!;
  const n = Math.max(1, Math.min(opts.parts, Math.floor(total / Math.max(1, opts.minPartBytes))));
  const targets = balancedTargets(startOf, n, files.map((f) => skipCost(sources[f.source]!.files[f.file]!)));
  const cuts: Cut[] = [];
  let fi = 0;
  for (let k = 1; k < n; k++) {
    const target = targets[k - 1]!;
    while (fi < files.length && startOf[fi + 1]! <= target) fi++;
    if (fi >= files.length) break;
    const f = files[fi]!;
    const src = sources[f.source]!;
    f.splittable ??= splittable(src, f.file);
    let cut: Cut | null = null;
    if (f.splittable && src.files[f.file]!.zip) {
      // Aimed at only: the parts find the record start there (zip-cut.ts).
      if (target > startOf[fi]!) cut = { at: fi, offset: target - startOf[fi]!, warmFrom: null, aimed: true };
    } else if (f.splittable) {
      const offset = recordStartNear(src.files[f.file]!.path, target - startOf[fi]!, f.size);
      if (offset !== null) cut = { at: fi, offset, warmFrom: null };
    }
    if (!cut) {
      // The nearest file boundary instead: between sources, or between two files of this source
      // when the part after it can warm up on the file before.
      let a = fi;
      while (a > 0 && files[a - 1]!.source === f.source) a--;
      let b = fi;
      while (b < files.length && files[b]!.source === f.source) b++;
      const distance = (c: Cut | null) => (c ? Math.abs(startOf[c.at]! - target) : Infinity);
      let best: Cut | null = null;
      for (const c of [{ at: a, offset: 0, warmFrom: null }, { at: b, offset: 0, warmFrom: null }] as Cut[]) {
        if (c.at > 0 && c.at < files.length && distance(c) < distance(best)) best = c;
      }
      // Boundaries between this source's files, nearest first, while nearer than the best so far.
      const inside = Array.from({ length: Math.max(0, b - a - 1) }, (_x, i) => a + 1 + i).sort((x, y) => Math.abs(startOf[x]! - target) - Math.abs(startOf[y]! - target));
      for (const c of inside) {
        if (Math.abs(startOf[c]! - target) >= distance(best)) break;
        const warmFrom = warmStart(src, files[c - 1]!.file);
        if (warmFrom !== null) {
          best = { at: c, offset: 0, warmFrom };
          break;
        }
      }
      cut = best;
      if (!cut) continue;
    }
    const prev = cuts[cuts.length - 1];
    if (prev && (cut.at < prev.at || (cut.at === prev.at && cut.offset <= prev.offset))) continue;
    cuts.push(cut);
  }
  const parts: Part[] = [];
  let from: Cut = { at: 0, offset: 0, warmFrom: null };
  for (const to of [...cuts, { at: files.length, offset: 0, warmFrom: null }]) {
    const units: Unit[] = [];
    if (from.offset === 0 && from.warmFrom !== null) {
      const w = files[from.at - 1]!;
      units.push({ source: w.source, file: w.file, start: w.size, end: w.size, warmFrom: from.warmFrom });
    }
    for (let i = from.at; i < files.length && (i < to.at || (i === to.at && to.offset > 0)); i++) {
      const f = files[i]!;
      const start = i === from.at ? from.offset : 0;
      const end = i === to.at ? to.offset : f.size;
      if (end <= start && f.size > 0) continue;
      const aimedStart = i === from.at && from.aimed === true;
      const aimedEnd = i === to.at && to.aimed === true;
      const warmFrom = start > 0 && !aimedStart ? lineStartAfter(sources[f.source]!.files[f.file]!.path, Math.max(0, start - WARM_BYTES), start) : null;
      units.push({ source: f.source, file: f.file, start, end, warmFrom, ...(aimedStart ? { aimedStart: true as const } : {}), ...(aimedEnd ? { aimedEnd: true as const } : {}) });
    }
    if (units.length) parts.push({ units });
    from = to;
  }
  return parts;
}

/**
 * Where to aim the n - 1 cuts (offsets into all files end to end, `startOf` being each file's
 * start and then the total) so that every part costs about the same, counting a part that
 * begins inside a file for what it does with the bytes before its cut (`costs` per file, a
 * byte read being 1; COUNT_COST by default) besides what it reads. Equal sizes would leave a
 * later part last to finish, on the scan's critical path.
 */
export function balancedTargets(startOf: readonly number[], n: number, costs?: readonly number[]): number[] {
  const total = startOf[startOf.length - 1]!;
  // What the part beginning at `c` spends on its file's bytes before `c`.
  const counted = (c: number): number => {
    let lo = 0;
    let hi = startOf.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (startOf[mid]! <= c) lo = mid;
      else hi = mid;
    }
    return (c - startOf[lo]!) * (costs?.[lo] ?? COUNT_COST);
  };
  // For a cost per part, the cuts that give each part but the last that cost; a bigger cost
  // leaves the last part less, so the cost that gives the last part as much is found by halving.
  const cutsFor = (cost: number): number[] => {
    const cuts: number[] = [];
    let c = 0;
    for (let k = 1; k < n; k++) {
      c = Math.min(total, c + cost - counted(c));
      cuts.push(c);
    }
    return cuts;
  };
  const lastCost = (cuts: number[]): number => {
    const c = cuts.length ? cuts[cuts.length - 1]! : 0;
    return total - c + counted(c);
  };
  let lo = 0;
  let hi = total;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (lastCost(cutsFor(mid)) > mid) lo = mid;
    else hi = mid;
  }
  return cutsFor(hi).map(Math.floor);
}

/**
 * Where a part that begins with the file after `file` starts warming up in `file`, or null when
 * no cut may fall there: the log's extractor must be one a warm-up brings to its state (as for a
 * cut inside a file), and the file must be readable near its end (UTF-8 on disk) or small
 * enough to read whole.
 */
function warmStart(src: LogicalSource, file: number): number | null {
  const f = src.files[file]!;
  if (!warmable(src) || f.size === 0) return null;
  const whole = f.size <= WARM_WHOLE_BYTES ? 0 : null;
  if (f.data || f.zip || !utf8TextOnDisk(f.path)) return whole;
  return lineStartAfter(f.path, Math.max(0, f.size - WARM_BYTES), f.size) ?? whole;
}

/**
 * A file a part may begin inside: on disk, UTF-8 text, of a known log kind whose extractor a
 * warm-up can bring to its state (not one that keeps tasks for the whole file: the cut would
 * rarely check out, and the scan would read it twice).
 */
function splittable(src: LogicalSource, file: number): boolean {
  const f = src.files[file]!;
  if (f.data || !warmable(src) || f.size < 2 * PROBE_BYTES) return false;
  return f.zip ? utf8Text(entryHead(f.zip)) : utf8TextOnDisk(f.path);
}

/** What a part that begins inside this file spends per byte before its cut (balancedTargets). */
function skipCost(f: LogicalSource['files'][number]): number {
  if (!f.zip) return COUNT_COST;
  return f.zip.method === 8 ? INFLATE_SKIP_COST : STORED_SKIP_COST;
}

/** A log whose extractor a warm-up brings to its state: a known kind that keeps only blocks. */
function warmable(src: LogicalSource): boolean {
  return src.kind !== 'generic' && keepsOnlyBlocks(src.kind);
}

/** A disk file of UTF-8 text (not binary), by its first 4 KiB. */
function utf8TextOnDisk(path: string): boolean {
  const head = readBytesAt(path, 0, 4096);
  return head !== null && utf8Text(head);
}

/** UTF-8 text, not binary, by a file's first bytes. */
function utf8Text(head: Uint8Array): boolean {
  return head.length > 0 && sniffEncoding(head).encoding === 'utf-8' && binaryReason(head, 'utf-8') === null;
}

/**
 * A record start at or after `target` by the framer's own reading: framed from a line start a
 * little before, the first record whose predecessor is a complete CMTrace or `$$<` record
 * ending right where it begins. Null when none is found near.
 */
export function recordStartNear(path: string, target: number, size: number): number | null {
  const from = lineStartAfter(path, Math.max(0, Math.floor(target - PROBE_BEFORE)), size);
  if (from === null || from <= 0) return null;
  const bytes = readBytesAt(path, from, PROBE_BYTES);
  return bytes && recordStartIn(bytes, from, target, path);
}

/** The offset just after the first newline at or after `at` (0 stays 0), below `limit`. */
function lineStartAfter(path: string, at: number, limit: number): number | null {
  if (at === 0) return 0;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 16);
    for (let pos = at - 1; pos < limit; pos += buf.length) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, limit - pos), pos);
      if (n <= 0) return null;
      const i = buf.subarray(0, n).indexOf(10);
      if (i >= 0) return pos + i + 1 < limit ? pos + i + 1 : null;
    }
    return null;
  } finally {
    closeSync(fd);
  }
}
