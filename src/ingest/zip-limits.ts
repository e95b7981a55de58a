/**
 * What zip reading, in place (zip-disk.ts) or in memory (zip.ts), holds entries to: the caps
 * against bombs and the names that would escape a folder. Loads no zip library.
 */

/** Caps on what a zip's entries may expand to (a hostile or huge bundle). */
export interface ZipLimits {
  /** Largest expanded size of one entry. */
  maxEntryBytes: number;
  /** Largest expanded size of all entries together. */
  maxTotalBytes: number;
  /** Largest expansion ratio of an entry (a zip bomb inflates thousands of times). */
  maxRatio: number;
}

/**
 * Whether an entry expanding to `size` bytes from `compressed` (null: not known) passes a cap,
 * `total` being the bytes of the archive's entries so far, this one's included. The ratio is
 * judged only past 1 MB.
 */
export function pastLimits(size: number, compressed: number | null, total: number, limits: ZipLimits): boolean {
  if (size > limits.maxEntryBytes || total > limits.maxTotalBytes) return true;
  if (compressed === null || size <= 1_000_000) return false;
  return (compressed > 0 ? size / compressed : Infinity) > limits.maxRatio;
}

/** The problem said of an entry past a cap; `size` says how big, as known. */
export function bombReason(size: string, limits: ZipLimits): string {
  return `expands past the limit (${size}; entry cap ${limits.maxEntryBytes}, total cap ${limits.maxTotalBytes}, ratio cap ${limits.maxRatio}): skipped as a possible zip bomb`;
}

/** Entry names that would escape a folder, or are absolute. attachscope never extracts to disk, but says so. */
export function unsafeName(name: string): boolean {
  return name.split(/[\\/]/).some((p) => p === '..') || /^([\\/]|[A-Za-z]:)/.test(name);
}
