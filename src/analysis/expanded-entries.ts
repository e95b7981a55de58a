/**
 * Zip entries expanded for reading records back (the UI shows rows by reading their bytes
 * again): the most recently used are kept up to a budget, since a screen of rows usually comes
 * from a few files, and an entry is inflated again only when it was let go.
 */
import { expandZipEntry, type ZipSpan } from '../ingest/zip-entry.js';
import { MAX_EXPANDED_BYTES } from '../ingest/zip-aside.js';

/** Bytes of expanded entries kept (the newest is kept whatever its size). */
const KEEP_BYTES = 256 << 20;

export class ExpandedEntries {
  private readonly kept = new Map<string, Uint8Array>();
  private bytes = 0;
  private readonly keepBytes: number;

  constructor(keepBytes = KEEP_BYTES) {
    this.keepBytes = keepBytes;
  }

  /** The entry's bytes, or null when it is too big (see zip-aside.ts) or cannot be expanded (corrupt, gone). */
  get(key: string, span: ZipSpan): Uint8Array | null {
    const hit = this.kept.get(key);
    if (hit) {
      // Most recent last: Map keeps insertion order.
      this.kept.delete(key);
      this.kept.set(key, hit);
      return hit;
    }
    if (span.size > MAX_EXPANDED_BYTES) return null;
    let data: Uint8Array;
    try {
      data = expandZipEntry(span);
    } catch {
      return null;
    }
    this.kept.set(key, data);
    this.bytes += data.length;
    for (const [k, v] of this.kept) {
      if (this.bytes <= this.keepBytes || k === key) break;
      this.kept.delete(k);
      this.bytes -= v.length;
    }
    return data;
  }

  /** Entries held now (tests). */
  get size(): number {
    return this.kept.size;
  }
}
