import { closeSync, openSync, promises as fs, readSync } from 'node:fs';
import type { LogRecord, SkippedRange } from '../../parsers/types.js';
import { Framer } from '../../parsers/formats/framer.js';
import { ByteFramer } from '../../parsers/formats/byte-framer.js';
import { sniffEncoding, StreamDecoder, type Encoding } from './decode.js';
import type { PhysicalFile } from './discover.js';
import type { SettledRange } from './zip-cut.js';

/** What reading one physical file found, for the source report. */
export interface FileReport {
  path: string;
  encoding: Encoding | null;
  encodingHow: string | null;
  bytes: number;
  records: number;
  formats: { cmtrace: number; smsexec: number; plain: number };
  /** Bytes decoded as Windows-1252 because they were not valid UTF-8. */
  fallbackBytes: number;
  /** UTF-16 code units that were lone surrogates, decoded as U+FFFD. */
  invalidUtf16Units?: number;
  skipped: SkippedRange[];
  /** Why the file could not be read at all, or stopped early. */
  error?: string;
}

export interface ReadOptions {
  /** Logical log name stamped on the records. */
  log: string;
  biasOverride?: number;
  chunkSize?: number;
  maxRecordChars?: number;
  /**
   * Read only bytes [start, end) of a UTF-8 disk file or zip entry, `start` being a line start
   * (a part of a parallel scan, src/analysis/parallel/). The encoding is still sniffed from the
   * file's head. Files in other encodings are not split (the plan checks).
   */
  range?: ByteRange;
  /**
   * Write a zip entry bigger than this aside as it is inflated, to read its records back from
   * there (the UI, for entries too big to expand again; zip-aside.ts).
   */
  keepZipAside?: number;
  /** Where a zip entry's range began and ended, filled in as it is read (zip-cut.ts). */
  settled?: Partial<SettledRange>;
}

export interface ByteRange {
  start: number;
  end: number;
  /** Line number at `start` in a disk file (a zip entry's is counted on the way: zip-cut.ts). */
  line?: number;
  /**
   * In a zip entry: `start` / `end` are cuts only aimed at, found while reading (zip-cut.ts;
   * `settled` says where they fell).
   */
  aimedStart?: boolean;
  aimedEnd?: boolean;
}

export function emptyReport(path: string): FileReport {
  return { path, encoding: null, encodingHow: null, bytes: 0, records: 0, formats: { cmtrace: 0, smsexec: 0, plain: 0 }, fallbackBytes: 0, skipped: [] };
}

/**
 * A file that is not text at all: mostly NULs or control bytes that are not a UTF-16 pattern.
 * Returns the reason, or null for text.
 */
export function binaryReason(head: Uint8Array, encoding: Encoding): string | null {
  if (head.length === 0) return null;
  let nul = 0;
  let ctrl = 0;
  for (const b of head) {
    if (b === 0) nul++;
    else if (b < 9 || (b > 13 && b < 32 && b !== 27)) ctrl++;
  }
  if (nul === head.length) return 'the file holds only NUL bytes';
  if (encoding !== 'utf-8') return null;
  const ratio = (nul + ctrl) / head.length;
  // Random bytes average ~10% control bytes, so that alone is a coin toss; they are also mostly
  // invalid UTF-8, which an ANSI (Windows-1252) log with a few accented letters is not.
  const probe = new StreamDecoder('utf-8');
  probe.write(head);
  const invalid = probe.fallbackBytes / head.length;
  if (ratio > 0.05 || invalid > 0.25 || (ratio > 0.02 && invalid > 0.1)) {
    return `binary content (${Math.round(ratio * 100)}% control or NUL bytes, ${Math.round(invalid * 100)}% invalid UTF-8 in the first ${head.length} bytes)`;
  }
  return null;
}

/**
 * Bytes read at a time. Reads go through libuv's thread pool, and each costs a round trip:
 * 64 KiB reads made a scan 15 % slower than 256 KiB ones.
 */
export const CHUNK_BYTES = 256 * 1024;

/**
 * Bytes framed at a time, a slice of a read chunk. A slice's records are all alive while the
 * caller processes them, so every young-generation collection that falls inside a slice promotes
 * them to the old generation, which V8 then lets grow before collecting it. With 1 MiB slices a
 * scan promoted 86 MB per 100 MB of log and a 1 GiB scan peaked at 206 MB RSS in one thread; at
 * 256 KiB, 11 MB and 135 MB. Smaller slices also let a scan worker run in a smaller young
 * generation (isolated.ts WORKER_YOUNG_MB): at 8 MB, 256 KiB slices promoted 1.1 GB per GiB of
 * log and took 75 % longer, 64 KiB and smaller ones no more than at 16 MB (bench/RESULTS.md,
 * round 6). 32 KiB keeps a margin: `$$<` logs, with more records per byte, already slowed at 128.
 */
export const FRAME_BYTES = 32 * 1024;

/**
 * Streams one physical file (disk, zip entry or stdin) through decode and framing. Yields
 * batches of records; problems go into `report`, never thrown: a broken file must not stop
 * the others. Disk files are opened read-only; ConfigMgr can still rotate them meanwhile.
 */
export async function* readFileRecords(file: PhysicalFile, opts: ReadOptions, report: FileReport): AsyncGenerator<LogRecord[]> {
  const chunkSize = opts.chunkSize ?? CHUNK_BYTES;
  let framer: Framer | null = null;
  let decoder: StreamDecoder | null = null;
  // UTF-8 (nearly every log): framed on the bytes, decoding only what records keep.
  let bytes: ByteFramer | null = null;
  let expected = file.size;
  const range = opts.range;
  // Where a zip entry's range really begins, and its line there: known once its first bytes come.
  const settled: Partial<SettledRange> = opts.settled ?? {};
  const rangeStart = (): number => settled.warmFrom ?? range?.start ?? 0;

  const start = (first: Uint8Array): string | null => {
    const head = range && rangeStart() > 0 ? (file.zip ? zipHead! : readHead(file.path)) : first;
    const sniff = sniffEncoding(head);
    report.encoding = sniff.encoding;
    report.encodingHow = sniff.how;
    const binary = binaryReason(head.subarray(0, 4096), sniff.encoding);
    if (binary) return binary;
    decoder = new StreamDecoder(sniff.encoding);
    if (range && rangeStart() > 0 && sniff.encoding !== 'utf-8') return `cannot read from byte ${rangeStart()} of a ${sniff.encoding} file`;
    const at = range && rangeStart() > 0 ? { startOffset: rangeStart(), startLine: settled.line ?? range.line ?? 1, resumed: true } : { startOffset: sniff.bomLength };
    framer = new Framer({ log: opts.log, path: file.path, measure: decoder.measure, ...at, biasOverride: opts.biasOverride, maxRecordChars: opts.maxRecordChars });
    if (sniff.encoding === 'utf-8') bytes = new ByteFramer(framer, decoder);
    return null;
  };

  const finish = (records: LogRecord[]) => {
    report.records += records.length;
    return records;
  };

  if (range && file.data) throw new Error('a byte range is read from disk files and zip entries only');
  // The entry's head, for its encoding, when the range starts past it.
  const zipHead = range && range.start > 0 && file.zip ? (await import('./zip-entry.js')).entryHead(file.zip) : null;
  const chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = file.data
    ? sliceChunks(file.data, chunkSize)
    : file.zip ? await zipChunks(file, range, settled, opts.keepZipAside) : diskChunks(file.path, chunkSize, range);
  if (range) expected = range.end - range.start;
  else if (!file.data && !file.zip) {
    const st = await fs.stat(file.path).catch(() => null);
    if (st) expected = st.size;
  }

  let first = true;
  let skipRest = false;
  try {
    for await (const chunk of chunks) {
      if (skipRest) break; // a skipped file is not drained (a device would never end)
      let data = chunk;
      if (first) {
        first = false;
        const reason = start(data);
        if (reason) {
          report.skipped.push({ path: file.path, startOffset: 0, endOffset: expected, reason });
          skipRest = true;
          report.bytes += chunk.length;
          continue;
        }
        const bom = range && rangeStart() > 0 ? 0 : framerBom(report.encodingHow, report.encoding, data);
        data = data.subarray(bom);
        report.bytes += bom;
      }
      report.bytes += data.length;
      for (let at = 0; at < data.length; at += FRAME_BYTES) {
        const slice = data.subarray(at, Math.min(data.length, at + FRAME_BYTES));
        const recs = bytes ? (bytes as ByteFramer).push(slice) : framer!.push(decoder!.write(slice));
        if (recs.length) yield finish(recs);
      }
    }
  } catch (e) {
    report.error = describeReadError(e);
  }
  if (framer && decoder) {
    const f: Framer = framer;
    const d: StreamDecoder = decoder;
    const tail = bytes ? (bytes as ByteFramer).end() : [...f.push(d.end()), ...f.end()];
    if (tail.length) yield finish(tail);
    report.skipped.push(...f.skipped);
    report.formats = { ...f.formatCounts };
    report.fallbackBytes = d.fallbackBytes;
    if (d.invalidUnits) report.invalidUtf16Units = d.invalidUnits;
  }
  if (!report.error && !file.data && !file.zip && report.bytes < expected && !skipRest) {
    report.error = `file shrank or vanished while being read: ${report.bytes} of ${expected} bytes read`;
  }
}

/** A zip entry's inflated chunks; zlib loads only when a zip is read (the small-sample scan's start-up). */
async function zipChunks(file: PhysicalFile, range: ByteRange | undefined, settled: Partial<SettledRange>, keepAside: number | undefined): Promise<AsyncIterable<Uint8Array>> {
  if (range) {
    const { zipCutChunks } = await import('./zip-cut.js');
    return zipCutChunks(file.zip!, file.path, file.size, { aimedStart: false, aimedEnd: false, ...range }, settled);
  }
  const chunks = (await import('./zip-entry.js')).zipEntryChunks(file.zip!);
  return keepAside === undefined ? chunks : (await import('./zip-aside.js')).keepingAside(file.zip!, file.path, chunks, keepAside);
}

/** Line feeds in `bytes`. */
export function countLines(bytes: Uint8Array): number {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let n = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return n;
}

function framerBom(how: string | null, encoding: Encoding | null, data: Uint8Array): number {
  if (how !== 'bom') return 0;
  return encoding === 'utf-8' ? 3 : data.length >= 2 ? 2 : 0;
}

function* sliceChunks(data: Uint8Array, size: number): Iterable<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, Math.min(data.length, i + size));
}

/**
 * Reads a disk file into two buffers in turn: the next read runs on libuv's thread pool while
 * the caller frames the chunk just yielded, and no fresh memory is touched per chunk (a new
 * Buffer per read, as a ReadStream gives, costs page faults that took longer than the read
 * itself). A yielded chunk is only valid until the next one is asked for.
 */
async function* diskChunks(path: string, size: number, range?: ByteRange): AsyncGenerator<Uint8Array> {
  // flags 'r': read-only. libuv opens with FILE_SHARE_READ|WRITE|DELETE on Windows, so the
  // writer can keep appending and rename X.log to X.lo_ while we read.
  const fh = await fs.open(path, 'r');
  const bufs = [readBuffer(size), readBuffer(size)];
  let turn = 0;
  // Position null: the next bytes (there is one read in flight at a time); a range counts its own.
  let pos = range ? range.start : null;
  const readInto = (b: Buffer) => {
    let want = size;
    if (pos !== null && range) {
      want = Math.max(0, Math.min(size, range.end - pos));
      pos += want;
    }
    const p = want === 0 ? Promise.resolve({ bytesRead: 0, buffer: b }) : fh.read(b, 0, want, pos === null ? null : pos - want);
    p.catch(() => {}); // awaited later; until then a failure must not count as unhandled
    return p;
  };
  let pending = readInto(bufs[0]!);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) return;
      const chunk = bufs[turn]!.subarray(0, bytesRead);
      turn ^= 1;
      pending = readInto(bufs[turn]!);
      yield chunk;
    }
  } finally {
    await pending.catch(() => {});
    await fh.close();
    // No read is in flight into them, and the caller asked past the last chunk.
    for (const b of bufs) if (spareBuffers.length < MAX_SPARE_BUFFERS) spareBuffers.push(b);
  }
}

/**
 * Read buffers of files read before, for the next file: a folder of hundreds of history files
 * (or a zip's entries) would otherwise leave two 1 MiB buffers per file for the collector,
 * which let them pile up outside the heap (+7 MB RSS per thread over 410 files).
 */
const spareBuffers: Buffer[] = [];
const MAX_SPARE_BUFFERS = 4;

/** A read buffer of `size` bytes: a spare one when there is one. */
function readBuffer(size: number): Buffer {
  const i = spareBuffers.findIndex((b) => b.length === size);
  return i >= 0 ? spareBuffers.splice(i, 1)[0]! : Buffer.allocUnsafeSlow(size);
}

/** The first 4 KiB of a file (the encoding of a range is the file's). */
function readHead(path: string): Uint8Array {
  return readBytesAt(path, 0, 4096) ?? new Uint8Array(0);
}

/** Up to `length` bytes of a disk file from `at`, or null when it cannot be read. */
export function readBytesAt(path: string, at: number, length: number): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(length);
    return buf.subarray(0, readSync(fd, buf, 0, length, at));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

function describeReadError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file vanished before it could be read';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied: cannot read';
  if (code === 'EISDIR') return 'is a folder';
  return `read error: ${(e as Error).message}`;
}
