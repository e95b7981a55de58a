/**
 * One zip entry's bytes, read from its archive on disk (zip-disk.ts lists where they are): inflated
 * as a stream while a scan reads them, or whole when the UI reads a record back. Kept apart from
 * the listing so that reading loads no zip library.
 */
import { open } from 'node:fs/promises';
import { constants, createInflateRaw, crc32, inflateRawSync } from 'node:zlib';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readBytesAt } from './read.js';

/** Where one entry's bytes lie in an archive on disk: plain data, so a worker thread can read it too. */
export interface ZipSpan {
  /** The archive's path. */
  archive: string;
  /** Offset of the entry's stored (compressed) bytes. */
  dataStart: number;
  compressedSize: number;
  /** Expanded size as the central directory states it; reading stops with an error past it. */
  size: number;
  /** 0 stored, 8 deflate. */
  method: 0 | 8;
  crc32: number;
}

/**
 * Bytes per inflated chunk. Each is a new Buffer, outside the heap: 1 MiB chunks left more of
 * them for the collector (a zip of 410 history files: 150 vs 139 MB peak RSS, and slower).
 */
const INFLATE_CHUNK = 1 << 16;

/** An entry whose bytes do not match what its central directory record states. */
function mismatch(span: ZipSpan, got: number, sum: number | null): Error | null {
  if (got > span.size) return new Error(`zip entry expands past its stated size of ${span.size} bytes (corrupt archive, or a zip bomb): the rest is not read`);
  if (got < span.size) return new Error(`zip entry ends after ${got} of its stated ${span.size} bytes (corrupt or truncated archive)`);
  if (sum !== null && sum !== span.crc32) return new Error('zip entry fails its CRC-32 check (corrupt archive): its records were read but may be damaged');
  return null;
}

/**
 * Bytes inflated between two collections of the young generation, in a thread that inflates
 * and does little else. Each inflated chunk is a Buffer whose memory lies outside V8's heap; V8
 * frees them only when it collects, which it does by the heap's own growth (little there) or
 * when ~64 MB of such memory has built up, and the allocator keeps what they took: expanding a
 * 79 MB inner zip in the main thread left the process 36 MB bigger for the rest of the scan (a
 * scan of it peaked at 173 MB against 132 reading the inner zip directly); collected every
 * 4 MiB, 11 MB, and every 1 MiB (`scavenge` in zipEntryChunks) its scan peaked at 144-147 MB
 * instead of 150-158. A scan worker dropping what precedes its cut in a 1 GiB entry (zip-cut.ts)
 * does best at 4 MiB: 133 MB, against 161 at 1 MiB (collecting that often promotes what the
 * worker holds), 141 at 16 and 148 never.
 */
const SCAVENGE_BYTES = 4 << 20;

type Collect = (opts: { type: 'minor' }) => void;
/** V8's collector, once asked for (undefined: not yet; null: the runtime will not expose it). */
let collector: Collect | null | undefined;

function youngCollector(): Collect | null {
  if (collector !== undefined) return collector;
  try {
    // Exposed for this (`--expose-gc` applies to contexts made after it): one context, made once.
    setFlagsFromString('--expose-gc');
    collector = runInNewContext('gc') as Collect;
  } catch {
    // A runtime that will not expose it: V8 collects as it would anyway.
    collector = null;
  }
  return collector;
}

/** Collects the young generation every `every` bytes of chunks it is told of. */
export function scavenger(every = SCAVENGE_BYTES): (bytes: number) => void {
  const collect = youngCollector();
  let since = 0;
  return (bytes) => {
    if ((since += bytes) < every || !collect) return;
    collect({ type: 'minor' });
    since = 0;
  };
}

/**
 * An entry's expanded bytes, inflated as they are asked for. Throws (after yielding what was
 * good) when the entry is corrupt, ends early, expands past its stated size or fails its CRC.
 * `scavengeEvery`: collect the young generation every that many bytes, in a thread that does
 * little else meanwhile (see SCAVENGE_BYTES).
 */
export async function* zipEntryChunks(span: ZipSpan, opts: { scavengeEvery?: number } = {}): AsyncGenerator<Uint8Array> {
  if (span.compressedSize === 0) {
    const bad = mismatch(span, 0, 0);
    if (bad) throw bad;
    return;
  }
  const fh = await open(span.archive, 'r');
  const raw = fh.createReadStream({ start: span.dataStart, end: span.dataStart + span.compressedSize - 1, highWaterMark: 1 << 16, autoClose: false });
  const inflate = span.method === 8 ? createInflateRaw({ chunkSize: INFLATE_CHUNK }) : null;
  if (inflate) {
    raw.on('error', (e: Error) => inflate.destroy(e));
    raw.pipe(inflate);
  }
  let got = 0;
  let sum = 0;
  const scavenge = opts.scavengeEvery ? scavenger(opts.scavengeEvery) : null;
  const chunks = ((inflate ?? raw) as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (e) {
        throw new Error(`corrupt zip entry after ${got} bytes (${(e as Error).message})`);
      }
      if (next.done) break;
      const chunk = next.value;
      got += chunk.length;
      if (got > span.size) throw mismatch(span, got, null)!;
      sum = crc32(chunk, sum);
      scavenge?.(chunk.length);
      yield chunk;
    }
    const bad = mismatch(span, got, sum);
    if (bad) throw bad;
  } finally {
    inflate?.destroy();
    raw.destroy();
    await fh.close();
  }
}

/**
 * An entry expanded whole, synchronously (reading a record back by its offset, in the UI).
 * Throws when it is corrupt or does not match its stated size.
 */
export function expandZipEntry(span: ZipSpan): Uint8Array {
  const stored = storedOnDisk(span);
  // maxOutputLength: one byte past the stated size is enough to tell it expands too far.
  let out: Uint8Array = stored;
  if (span.method === 8) {
    try {
      out = inflateRawSync(stored, { maxOutputLength: span.size + 1 });
    } catch (e) {
      throw (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? mismatch(span, span.size + 1, null)! : new Error(`corrupt zip entry: ${(e as Error).message}`);
    }
  }
  const bad = mismatch(span, out.length, crc32(out));
  if (bad) throw bad;
  return out;
}

function storedOnDisk(span: ZipSpan): Uint8Array {
  const stored = readBytesAt(span.archive, span.dataStart, span.compressedSize);
  if (stored === null) throw new Error(`zip archive ${span.archive} cannot be read`);
  if (stored.length < span.compressedSize) throw new Error(`zip archive ends inside an entry (${stored.length} of ${span.compressedSize} stored bytes)`);
  return stored;
}

/**
 * The first `length` expanded bytes of an entry (fewer when it is shorter), synchronously and
 * without expanding the rest: what decides its encoding and kind. Empty when it cannot be read.
 */
export function entryHead(span: ZipSpan, length = 4096): Uint8Array {
  // As many stored bytes as expanded ones wanted: text deflates 3-10-fold, so they give enough
  // unless the entry is shorter, and at most ~1032-fold (deflate's limit) as much.
  const stored = readBytesAt(span.archive, span.dataStart, Math.min(span.compressedSize, length));
  if (!stored) return new Uint8Array(0);
  if (span.method === 0) return stored;
  try {
    // A prefix of a deflate stream: Z_SYNC_FLUSH gives what it expands to instead of an error.
    return inflateRawSync(stored, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: length * 1040 }).subarray(0, length);
  } catch {
    return new Uint8Array(0);
  }
}
