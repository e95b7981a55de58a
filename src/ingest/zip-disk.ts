/**
 * Zip archives read where they lie: this lists the central directory (yauzl: ZIP64, CP437 and
 * UTF-8 names) and says where each log entry's bytes are; zip-entry.ts inflates an entry only
 * while it is read, by whichever thread reads it. A post-mortem zip costs the memory of reading
 * its logs, not of holding them expanded (zip.ts's in-memory reading remains for archives whose
 * central directory cannot be read, to salvage what their local headers still give).
 */
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import type { ZipLimits } from './zip.js';
import type { ZipSpan } from './zip-entry.js';
import { unsafeName } from './zip.js';
import { isLogName } from './discover.js';

export interface ZipListing {
  entries: { name: string; span: ZipSpan }[];
  /** Entries skipped, with why (unsafe path, encrypted, unsupported method, past a cap). */
  problems: { entry: string; reason: string }[];
}

/**
 * Caps for archives read from disk. Nothing is held expanded, so the caps guard only against
 * bombs (by ratio) and absurd sizes; zip.ts keeps tighter ones for what it expands in memory.
 */
export const DISK_ZIP_LIMITS: ZipLimits = { maxEntryBytes: 2 ** 36, maxTotalBytes: 2 ** 40, maxRatio: 1000 };

const NESTED_ZIP = 'a zip inside the zip: not read (extract it and give attachscope the inner zip)';

/** Why an entry may not be read, or null. */
function refusal(e: Entry, total: number, limits: ZipLimits): string | null {
  if (e.isEncrypted()) return 'encrypted entry: skipped (attachscope does not decrypt archives)';
  if (e.compressionMethod !== 0 && e.compressionMethod !== 8) return `compression method ${e.compressionMethod} (neither stored nor deflate): skipped`;
  const size = e.uncompressedSize;
  const ratio = e.compressedSize > 0 ? size / e.compressedSize : size > 0 ? Infinity : 0;
  if (size > limits.maxEntryBytes || total + size > limits.maxTotalBytes || (size > 1_000_000 && ratio > limits.maxRatio)) {
    return `expands past the limit (${size} bytes stated from ${e.compressedSize}; entry cap ${limits.maxEntryBytes}, total cap ${limits.maxTotalBytes}, ratio cap ${limits.maxRatio}): skipped as a possible zip bomb`;
  }
  return null;
}

/**
 * The log entries of the archive at `archive`, with where their bytes lie. Rejects when the
 * central directory cannot be read (not a zip, truncated, corrupt): the caller may then salvage
 * entries from the local headers (zip.ts).
 */
export async function listZip(archive: string, limits: ZipLimits = DISK_ZIP_LIMITS): Promise<ZipListing> {
  const zf = await new Promise<ZipFile>((resolve, reject) => {
    // decodeStrings off: yauzl would end the listing at the first unsafe name; here such an
    // entry is skipped and reported, and the others are read.
    yauzl.open(archive, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z)));
  });
  const listing: ZipListing = { entries: [], problems: [] };
  let total = 0;
  try {
    for (let e = await nextEntry(zf); e; e = await nextEntry(zf)) {
      // strict: backslashes kept, so a problem names the entry as stored (discover makes them `/`).
      const name = yauzl.getFileNameLowLevel(e.generalPurposeBitFlag, e.fileName as Buffer, e.extraFields, true);
      if (/[\\/]$/.test(name)) continue;
      if (unsafeName(name)) {
        listing.problems.push({ entry: name, reason: 'unsafe path (absolute or contains ..): skipped' });
        continue;
      }
      if (!isLogName(name)) {
        // A support bundle may hold one zip per machine: say so rather than pass over its logs.
        if (/\.zip$/i.test(name)) listing.problems.push({ entry: name, reason: NESTED_ZIP });
        continue;
      }
      const refused = refusal(e, total, limits);
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
      total += e.uncompressedSize;
      listing.entries.push({ name, span: { archive, dataStart, compressedSize: e.compressedSize, size: e.uncompressedSize, method: e.compressionMethod as 0 | 8, crc32: e.crc32 } });
    }
  } finally {
    zf.close();
  }
  return listing;
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

