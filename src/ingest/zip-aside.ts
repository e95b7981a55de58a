/**
 * Zip entries too big to expand again in memory, kept on disk as they are first read. The UI
 * shows a row by reading its record's bytes again; for a zip entry that means expanding it
 * (analysis/expanded-entries.ts), which past MAX_EXPANDED_BYTES would block the UI for seconds
 * and hold the whole entry. Such an entry is written to the scratch folder while the session
 * indexes it, and its rows are read from there like a disk file's, even before it is indexed
 * to the end (a record is indexed only after its bytes are written).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ZipSpan } from './zip-entry.js';
import { noRoomFor, scratchFile } from './temp-folder.js';

/**
 * An entry larger than this is not expanded in memory to read a record back: expanding blocks
 * the UI (~1 s per 300 MiB) and holds it all. ConfigMgr rolls its logs over at a few MB.
 */
export const MAX_EXPANDED_BYTES = 256 << 20;

/** Entries written aside in this process, by archive and offset: where, and whether whole. */
const aside = new Map<string, { path: string; whole: boolean }>();

const keyOf = (span: ZipSpan): string => `${span.archive}\u0000${span.dataStart}`;

/** Where the entry's expanded bytes are on disk (all that has been read of it), or null. */
export function asideOf(span: ZipSpan): string | null {
  return aside.get(keyOf(span))?.path ?? null;
}

/**
 * The entry's chunks, written aside as they pass when it is bigger than `above` (unless it
 * already was, whole, or there is no room: then its rows say it is too big to show).
 */
export async function* keepingAside(span: ZipSpan, name: string, chunks: AsyncIterable<Uint8Array>, above: number): AsyncGenerator<Uint8Array> {
  const key = keyOf(span);
  if (span.size <= above || aside.get(key)?.whole || noRoomFor(span.size)) {
    yield* chunks;
    return;
  }
  const file = aside.get(key)?.path ?? scratchFile(name);
  aside.delete(key);
  let fd: number | null;
  try {
    fd = openSync(file, 'w');
  } catch {
    // The copy is a convenience: without it the entry is read as before.
    yield* chunks;
    return;
  }
  aside.set(key, { path: file, whole: false });
  try {
    for await (const chunk of chunks) {
      // Written before the chunk is framed: every record indexed is readable from the file.
      if (fd !== null) {
        try {
          writeSync(fd, chunk);
        } catch {
          // (Disk full meanwhile.) What was written stays readable; reading goes on.
          closeSync(fd);
          fd = null;
        }
      }
      yield chunk;
    }
    if (fd !== null) aside.set(key, { path: file, whole: true });
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
