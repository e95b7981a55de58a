/**
 * Zip archives read where they lie: this lists the central directory (yauzl: ZIP64, CP437 and
 * UTF-8 names) and says where each log entry's bytes are; zip-entry.ts inflates an entry only
 * while it is read, by whichever thread reads it. A post-mortem zip costs the memory of reading
 * its logs, not of holding them expanded (zip.ts's in-memory reading remains for archives whose
 * central directory cannot be read, to salvage what their local headers still give).
 */
import { createReadStream } from 'node:fs';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { zipEntryChunks, type ZipSpan } from './zip-entry.js';
import { bombReason, pastLimits, unsafeName, type ZipLimits } from './zip-limits.js';
import { isLogName } from './discover.js';

export interface ZipListing {
  entries: { name: string; span: ZipSpan }[];
  /**
   * Entries skipped, with why (unsafe path, encrypted, unsupported method, past a cap). An entry
   * of a zip inside the zip is named `inner.zip!entry`.
   */
  problems: { entry: string; reason: string }[];
}

/**
 * Caps for archives read from disk. Nothing is held expanded, so the caps guard only against
 * bombs (by ratio) and absurd sizes; zip.ts keeps tighter ones for what it expands in memory.
 */
export const DISK_ZIP_LIMITS: ZipLimits = { maxEntryBytes: 2 ** 36, maxTotalBytes: 2 ** 40, maxRatio: 1000 };

/**
 * Largest deflated zip inside the zip that is read: it is expanded into memory (once, shared by
 * the threads) for as long as the scan runs. A stored one is read where it lies, like the
 * archive itself.
 */
const MAX_INNER_ZIP_BYTES = 256 << 20;
const NESTED_TOO_DEEP = 'a zip inside a zip inside the zip: not read (extract the outer one)';

/** Why an entry may not be read, or null. */
function refusal(e: Entry, total: number, limits: ZipLimits): string | null {
  if (e.isEncrypted()) return 'encrypted entry: skipped (attachscope does not decrypt archives)';
  if (e.compressionMethod !== 0 && e.compressionMethod !== 8) return `compression method ${e.compressionMethod} (neither stored nor deflate): skipped`;
  const size = e.uncompressedSize;
  if (pastLimits(size, e.compressedSize, total + size, limits)) return bombReason(`${size} bytes stated from ${e.compressedSize}`, limits);
  return null;
}

// decodeStrings off: yauzl would end the listing at the first unsafe name; here such an entry is
// skipped and reported, and the others are read.
const OPTIONS = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true };

function zipFile(open: (cb: (err: Error | null, zf: ZipFile) => void) => void): Promise<ZipFile> {
  return new Promise((resolve, reject) => open((err, zf) => (err ? reject(err) : resolve(zf))));
}

/**
 * The log entries of the archive at `archive`, with where their bytes lie, and those of the zips
 * it holds (one level: a support bundle of one zip per machine). Rejects when the archive's
 * central directory cannot be read (not a zip, truncated, corrupt): the caller may then salvage
 * entries from the local headers (zip.ts).
 */
export async function listZip(archive: string, limits: ZipLimits = DISK_ZIP_LIMITS): Promise<ZipListing> {
  const zf = await zipFile((cb) => yauzl.open(archive, OPTIONS, cb));
  const listing: ZipListing = { entries: [], problems: [] };
  try {
    await listEntries(zf, { archive, container: null, base: 0, prefix: '', limits, listing, total: { bytes: 0 } });
  } finally {
    zf.close();
  }
  return listing;
}

/** The archive, or a zip inside it, being listed. */
interface Level {
  archive: string;
  /** The deflated zip inside the zip being listed (its spans are into it), else null. */
  container: ZipSpan | null;
  /** Where the zip being listed begins in the archive (a stored zip inside the zip), else 0. */
  base: number;
  /** Prefix of entry names: `inner.zip!` inside an inner zip. */
  prefix: string;
  limits: ZipLimits;
  listing: ZipListing;
  /** Stated bytes of the entries listed so far, for the total cap. */
  total: { bytes: number };
}

/** The log entries of `zf` (and the zips it holds, at the first level) into `at.listing`. */
async function listEntries(zf: ZipFile, at: Level): Promise<void> {
  const { listing, limits } = at;
  for (let e = await nextEntry(zf); e; e = await nextEntry(zf)) {
    // strict: backslashes kept, so a problem names the entry as stored (discover makes them `/`).
    const stored = yauzl.getFileNameLowLevel(e.generalPurposeBitFlag, e.fileName as Buffer, e.extraFields, true);
    const name = at.prefix + stored;
    if (/[\\/]$/.test(stored)) continue;
    if (unsafeName(stored)) {
      listing.problems.push({ entry: name, reason: 'unsafe path (absolute or contains ..): skipped' });
      continue;
    }
    const inner = !isLogName(stored) && /\.zip$/i.test(stored);
    if (!isLogName(stored) && !inner) continue;
    if (inner && at.prefix) {
      listing.problems.push({ entry: name, reason: NESTED_TOO_DEEP });
      continue;
    }
    const refused = inner && e.compressionMethod === 8 && e.uncompressedSize > MAX_INNER_ZIP_BYTES
      ? `a deflated zip inside the zip of ${e.uncompressedSize} bytes, over the ${MAX_INNER_ZIP_BYTES} read in memory: not read (extract it)`
      : refusal(e, inner ? 0 : at.total.bytes, limits);
    if (refused) {
      listing.problems.push({ entry: name, reason: refused });
      continue;
    }
    let dataStart: number;
    try {
      dataStart = await new Promise<number>((resolve, reject) => zf.readLocalFileHeader(e!, { minimal: true }, (err, h) => (err ? reject(err) : resolve(h.fileDataStart))));
    } catch (err) {
      listing.problems.push({ entry: name, reason: `corrupt entry: ${(err as Error).message}` });
      continue;
    }
    const span: ZipSpan = {
      archive: at.archive, ...(at.container ? { container: at.container } : {}),
      dataStart: at.base + dataStart, compressedSize: e.compressedSize, size: e.uncompressedSize, method: e.compressionMethod as 0 | 8, crc32: e.crc32,
    };
    if (inner) {
      await listInner(span, { ...at, prefix: `${name}!` });
      continue;
    }
    at.total.bytes += e.uncompressedSize;
    listing.entries.push({ name, span });
  }
}

/**
 * The entries of the zip inside the zip at `inner`; what cannot be read is said on it. A stored
 * one is listed and read where it lies (its entries' spans are the archive's own); a deflated
 * one is expanded, and its entries' spans name it as their container.
 */
async function listInner(inner: ZipSpan, at: Level): Promise<void> {
  let span = inner;
  const name = at.prefix.slice(0, -1);
  const stored = span.method === 0;
  let izf: ZipFile;
  try {
    if (stored) {
      izf = await zipFile((cb) => yauzl.fromRandomAccessReader(new Region(span.archive, span.dataStart), span.size, OPTIONS, cb));
    } else {
      // Expanded once, as it is inflated, into memory the worker threads share to read its entries.
      const shared = new Uint8Array(new SharedArrayBuffer(span.size));
      let filled = 0;
      for await (const chunk of zipEntryChunks(span)) {
        shared.set(chunk, filled);
        filled += chunk.length;
      }
      span = { ...span, bytes: shared };
      izf = await zipFile((cb) => yauzl.fromBuffer(Buffer.from(shared.buffer, shared.byteOffset, shared.length), OPTIONS, cb));
    }
  } catch (err) {
    at.listing.problems.push({ entry: name, reason: `a zip inside the zip that cannot be read: ${(err as Error).message}` });
    return;
  }
  try {
    await listEntries(izf, stored ? { ...at, base: span.dataStart } : { ...at, container: span, base: 0 });
  } catch (err) {
    at.listing.problems.push({ entry: name, reason: `a zip inside the zip, listed up to an error: ${(err as Error).message}` });
  } finally {
    if (stored) izf.close();
  }
}

/** Bytes of the archive from `base` on, as a file of their own (a stored zip inside the zip). */
class Region extends yauzl.RandomAccessReader {
  private readonly path: string;
  private readonly base: number;

  constructor(path: string, base: number) {
    super();
    this.path = path;
    this.base = base;
  }

  _readStreamForRange(start: number, end: number): NodeJS.ReadableStream {
    return createReadStream(this.path, { start: this.base + start, end: this.base + end - 1 });
  }
}

function nextEntry(zf: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const done = () => {
      zf.off('entry', onEntry);
      zf.off('end', onEnd);
      zf.off('error', onError);
    };
    const onEntry = (e: Entry) => { done(); resolve(e); };
    const onEnd = () => { done(); resolve(null); };
    const onError = (err: Error) => { done(); reject(err); };
    zf.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zf.readEntry();
  });
}

