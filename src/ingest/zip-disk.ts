/**
 * Zip archives read where they lie: this lists the central directory (yauzl: ZIP64, CP437 and
 * UTF-8 names) and says where each log entry's bytes are; zip-entry.ts inflates an entry only
 * while it is read, by whichever thread reads it. A post-mortem zip costs the memory of reading
 * its logs, not of holding them expanded (zip.ts's in-memory reading remains for archives whose
 * central directory cannot be read, to salvage what their local headers still give).
 */
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { zipEntryChunks, type ZipSpan } from './zip-entry.js';
import { bombReason, pastLimits, unsafeName, type ZipLimits } from './zip-limits.js';
import { isLogName } from './discover.js';
import { noRoomFor, scratchFile } from './temp-folder.js';

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
    await listEntries(zf, { archive, base: 0, prefix: '', limits, listing, total: { bytes: 0 } });
  } finally {
    zf.close();
  }
  return listing;
}

/** The archive, or a zip inside it, being listed. */
interface Level {
  archive: string;
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
    const refused = refusal(e, inner ? 0 : at.total.bytes, limits);
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
      archive: at.archive, dataStart: at.base + dataStart, compressedSize: e.compressedSize, size: e.uncompressedSize, method: e.compressionMethod as 0 | 8, crc32: e.crc32,
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
 * one is expanded to a temporary file and read from there like any zip on disk.
 */
async function listInner(inner: ZipSpan, at: Level): Promise<void> {
  const name = at.prefix.slice(0, -1);
  let izf: ZipFile;
  let level: Level;
  try {
    if (inner.method === 0) {
      izf = await zipFile((cb) => yauzl.fromRandomAccessReader(new Region(inner.archive, inner.dataStart), inner.size, OPTIONS, cb));
      level = { ...at, base: inner.dataStart };
    } else {
      const file = await expandAside(inner, name);
      izf = await zipFile((cb) => yauzl.open(file, OPTIONS, cb));
      level = { ...at, archive: file, base: 0 };
    }
  } catch (err) {
    at.listing.problems.push({ entry: name, reason: `a zip inside the zip that cannot be read: ${(err as Error).message}` });
    return;
  }
  try {
    await listEntries(izf, level);
  } catch (err) {
    at.listing.problems.push({ entry: name, reason: `a zip inside the zip, listed up to an error: ${(err as Error).message}` });
  } finally {
    izf.close();
  }
}

/**
 * A deflated zip inside the zip, inflated into a file in the process's scratch folder (removed
 * when it exits): its entries are then read where they lie, by any thread, and the memory it
 * costs is the page cache's, not the heap's (held in memory, a 79 MB inner zip raised a scan's
 * peak from 144 to 246 MB). Throws, leaving nothing behind, when it cannot be written whole.
 */
async function expandAside(inner: ZipSpan, name: string): Promise<string> {
  const full = noRoomFor(inner.size);
  if (full) throw new Error(`${full}: extract the outer zip, or point TMPDIR at a bigger disk`);
  const file = scratchFile(name);
  const fh = await open(file, 'wx');
  try {
    // The main thread does nothing else meanwhile: collect often (zip-entry.ts SCAVENGE_BYTES).
    for await (const chunk of zipEntryChunks(inner, { scavengeEvery: 1 << 20 })) await fh.write(chunk);
  } catch (err) {
    await fh.close();
    await rm(file, { force: true });
    throw err;
  }
  await fh.close();
  return file;
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

