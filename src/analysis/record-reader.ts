/**
 * Records materialized again from their bytes: the record store keeps where each record is
 * (file, byte offset and length, line), this reads those byte ranges and frames them again with
 * the same decoder and framers the first read used, so a row on screen or a search hit is the
 * record as first read. Neighbouring records of one file are read and framed in one go.
 *
 * A framed record must match what was indexed (offset, length, line, time, severity and a check
 * of its message) before it is shown. Files on disk can change under a live tail: a rolled-over
 * `X.log` is looked for among its rotated siblings (`X.lo_`, stamped history files); a record
 * whose bytes are gone becomes a placeholder that says so, never another record's text.
 * Stdin is read from the bytes discovery holds in memory; a zip entry is expanded again from its
 * archive (expanded-entries.ts keeps the recent ones), or, when too big for that, read from
 * where it was written aside as the session first read it (ingest/zip-aside.ts).
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import type { LogRecord } from '../../parsers/types.js';
import { ByteFramer } from '../../parsers/formats/byte-framer.js';
import { Framer } from '../../parsers/formats/framer.js';
import { sniffEncoding, StreamDecoder, type Sniffed } from '../ingest/decode.js';
import { isLogName } from '../ingest/discover.js';
import { logicalName } from '../ingest/kinds.js';
import { LineIndex, type ByteReader } from './line-index.js';
import type { RecordStore } from './record-store.js';
import { ExpandedEntries } from './expanded-entries.js';
import { asideOf, MAX_EXPANDED_BYTES } from '../ingest/zip-aside.js';
import type { ZipSpan } from '../ingest/zip-entry.js';

/** One physical file (one generation of it: a live `X.log` replaced by a new one is another). */
export interface StoredFile {
  index: number;
  /** The path stamped on its records. */
  path: string;
  sourceId: string;
  log: string;
  biasOverride: number | null;
  /** The bytes, for stdin (and zip entries salvaged into memory). */
  data: Uint8Array | null;
  /** Where a zip entry's bytes are in its archive. */
  zip: ZipSpan | null;
  /** 0 for the first file read at `path`, then 1, 2, … for each file that replaced it. */
  generation: number;
  /** Its records as runs of consecutive ids, in file order. */
  segStarts: number[];
  segEnds: number[];
  firstOffset: number;
  lastOffset: number;
  lastLine: number;
  /** Where its bytes were last found, when not at `path` (rolled over to `X.lo_`). */
  at?: string;
  /** Set when its byte offsets drifted from the file's (see line-index.ts): records are found by line. */
  lines?: LineIndex;
  /** Records that could not be read again in a row; at GONE_AFTER the file is taken as gone. */
  failures?: number;
}

/** Bytes read ahead to decide the encoding, as the first read did. */
const SNIFF_BYTES = 1024;
/** Records of one file this close together are read with one read. */
const RUN_GAP = 64 * 1024;
const MAX_RUN = 4 << 20;
/**
 * Records of a file that could not be read back, one after the other, before the file is taken
 * as gone (rolled over twice, replaced): its other records become placeholders without a look,
 * instead of each one searching its folder again.
 */
const GONE_AFTER = 64;

/** A cheap fingerprint of a message (length, head and tail), to tell a record from another one at the same place. */
export function messageCheck(m: string): number {
  const n = m.length;
  let h = 0x811c9dc5 ^ n;
  const head = Math.min(n, 32);
  for (let i = 0; i < head; i++) h = Math.imul(h ^ m.charCodeAt(i), 0x01000193);
  for (let i = Math.max(head, n - 32); i < n; i++) h = Math.imul(h ^ m.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** An open file (or in-memory bytes) and its first bytes, which decide the encoding. */
interface Handle extends ByteReader {
  readonly head: Uint8Array;
  close(): void;
}

/**
 * Where in `bytes`, at or after `from`, what is looked for may be (-1: nowhere). A record whose
 * bytes hold no such place cannot match (search-literal.ts).
 */
export type BytesFinder = (bytes: Uint8Array, from: number) => number;

/** Ids this close (in the store) are framed in one go by a finder's read (see `holding`). */
const NEIGHBOURS = 8;

export class RecordReader {
  private readonly store: RecordStore;
  /** Line indexes built per file and place (null: not UTF-8), so a file is counted once. */
  private readonly lineIndexes = new Map<string, LineIndex | null>();
  private readonly expanded = new ExpandedEntries();

  constructor(store: RecordStore) {
    this.store = store;
  }

  /**
   * Calls `fn` once per id with its record (or a placeholder saying why it cannot be read). With
   * `find`: only for the ids whose bytes hold a place it finds; the others are not framed at all.
   * A search reads most of a gigabyte's records for nothing: framing them again costs ~3 s of
   * CPU, looking for a literal in their bytes a tenth of that.
   */
  read(ids: readonly number[], fn: (id: number, rec: LogRecord) => void, find?: BytesFinder): void {
    const byFile = new Map<number, number[]>();
    for (const id of ids) {
      const f = this.store.fileOf(id).index;
      const list = byFile.get(f);
      if (list) list.push(id);
      else byFile.set(f, [id]);
    }
    for (const [f, list] of byFile) {
      const file = this.store.files[f]!;
      // Within one file, ids grow with the offset.
      list.sort((a, b) => a - b);
      const h = this.open(file, file.at ?? file.path);
      try {
        let run: number[] = [];
        let runStart = 0;
        let runEnd = 0;
        for (const id of list) {
          const off = this.store.offsetOf(id);
          const end = off + this.store.lengthOf(id);
          if (run.length && (off - runEnd > RUN_GAP || end - runStart > MAX_RUN)) {
            this.readRun(file, h, run, fn, find);
            run = [];
          }
          if (run.length === 0) runStart = off;
          run.push(id);
          runEnd = Math.max(runEnd, end);
        }
        if (run.length) this.readRun(file, h, run, fn, find);
      } finally {
        h?.close();
      }
    }
  }

  private readRun(file: StoredFile, h: Handle | null, ids: number[], fn: (id: number, rec: LogRecord) => void, find?: BytesFinder): void {
    // Only where records are at their stated offsets, in an encoding whose ASCII is ASCII bytes
    // (the finder looks for ASCII); a file whose bytes are not all there is read as before.
    if (find && h && !file.lines && !sniffEncoding(h.head).encoding.startsWith('utf-16')) {
      const s = this.store;
      const start = s.offsetOf(ids[0]!);
      const last = ids[ids.length - 1]!;
      const size = s.offsetOf(last) + s.lengthOf(last) - start;
      const bytes = h.read(start, size);
      if (bytes.length === size) {
        // Framed from the bytes just read, not read again.
        const read: Handle = { head: h.head, size: h.size, close: () => {}, read: (pos, len) => (pos >= start && pos + len <= start + bytes.length ? bytes.subarray(pos - start, pos - start + len) : h.read(pos, len)) };
        for (const part of this.holding(bytes, start, ids, find)) this.frameRun(file, read, part, fn);
        return;
      }
    }
    this.frameRun(file, h, ids, fn);
  }

  /**
   * The ids of a run (one file, in file order; its `bytes` from `start`) whose bytes hold a place
   * `find` finds, in runs of neighbours (framed together: a record framed on its own costs more
   * than its neighbours).
   */
  private holding(bytes: Uint8Array, start: number, ids: number[], find: BytesFinder): number[][] {
    const s = this.store;
    const parts: number[][] = [];
    let k = 0;
    let at = find(bytes, 0);
    while (at >= 0 && k < ids.length) {
      const pos = start + at;
      // The first id that ends past the place: it holds it, or the place is in a gap before it.
      while (k < ids.length && s.offsetOf(ids[k]!) + s.lengthOf(ids[k]!) <= pos) k++;
      if (k === ids.length) break;
      const id = ids[k]!;
      if (s.offsetOf(id) <= pos) {
        const part = parts[parts.length - 1];
        if (part && id - part[part.length - 1]! <= NEIGHBOURS) part.push(id);
        else parts.push([id]);
        k++;
      }
      at = k < ids.length ? find(bytes, s.offsetOf(ids[k]!) - start) : -1;
    }
    return parts;
  }

  private frameRun(file: StoredFile, h: Handle | null, ids: number[], fn: (id: number, rec: LogRecord) => void): void {
    const s = this.store;
    const got = h ? this.frameIds(file, h, ids[0]!, ids[ids.length - 1]!, file.lines ?? null, null) : null;
    for (const id of ids) {
      const rec = got?.get(id);
      if (rec && s.matches(id, rec)) fn(id, s.restore(id, rec));
      else fn(id, this.readAlone(file, id));
    }
  }

  /**
   * Frames the records `first..last` of a file (ids in file order) from its bytes, and says which
   * framed record is which id: by byte offset, or, with a line index (the offsets drifted), from
   * the start of the first one's line, in order (taking their stated offsets and lengths).
   * `resumed` false applies the start-of-file rules (a record glued to the lines before it);
   * null: only at the file's first record, as the first read did.
   */
  private frameIds(file: StoredFile, h: Handle, first: number, last: number, lines: LineIndex | null, resumed: boolean | null): Map<number, LogRecord> {
    const s = this.store;
    let from = first;
    // A record that begins where another one ends is framed from the start of the line that one begins on.
    if (lines) while (from > 0 && s.startsMidLine(from) && s.fileOf(from - 1) === file) from--;
    const ids: number[] = [];
    for (let id = from; id <= last; id++) if (s.fileOf(id) === file) ids.push(id);
    const start = s.offsetOf(from);
    let end = start;
    for (const id of ids) end = Math.max(end, s.offsetOf(id) + s.lengthOf(id));
    const asFirstRead = resumed ?? start !== file.firstOffset;
    const out = new Map<number, LogRecord>();
    if (!lines) {
      const range = h.read(start, end - start);
      if (range.length < end - start) return out;
      const recs = frame(file, h.head, range, start, s.lineOf(from), asFirstRead);
      let k = 0;
      for (const id of ids) {
        const off = s.offsetOf(id);
        while (k < recs.length && recs[k]!.offset < off) k++;
        if (recs[k]?.offset === off) out.set(id, recs[k]!);
      }
      return out;
    }
    const at = lines.lineStart(h, s.lineOf(from));
    if (at < 0) return out;
    // Drifted offsets only ever overstate (a byte measured as two or three): the stated length
    // from the true start covers the records; read on to the end of that line, so that a record
    // after them on the same line is framed whole (and ignored) instead of glued to the last one.
    const recs = frame(file, h.head, readToLineEnd(h, at, end - start), start, s.lineOf(from), asFirstRead);
    ids.forEach((id, i) => {
      const rec = recs[i];
      if (rec) out.set(id, { ...rec, offset: s.offsetOf(id), length: s.lengthOf(id) });
    });
    return out;
  }

  /**
   * One record on its own, from where its file is now: framed with and without the start-of-file
   * rules, at its byte offset or else by its line, at its path and then among the files it may
   * have rolled over to.
   */
  private readAlone(file: StoredFile, id: number): LogRecord {
    const s = this.store;
    if ((file.failures ?? 0) >= GONE_AFTER) return this.unreadable(file, id);
    for (const at of this.candidates(file)) {
      const h = this.open(file, at);
      if (!h) continue;
      try {
        const framed = (lines: LineIndex | null): LogRecord | null => {
          for (const resumed of [false, true]) {
            const rec = this.frameIds(file, h, id, id, lines, resumed).get(id);
            if (rec && s.matches(id, rec)) return rec;
          }
          return null;
        };
        // By line only when the offsets did not lead to it: the index costs a pass over the file.
        let lines: LineIndex | null = null;
        let rec = framed(null);
        if (!rec && (lines = this.lineIndex(file, at, h))) rec = framed(lines);
        if (rec) {
          file.at = at === file.path ? undefined : at;
          if (lines) file.lines = lines;
          file.failures = 0;
          return s.restore(id, rec);
        }
      } finally {
        h.close();
      }
    }
    file.failures = (file.failures ?? 0) + 1;
    return this.unreadable(file, id);
  }

  /** The line index of a file where it is now (built once), or null when there is none (not UTF-8). */
  private lineIndex(file: StoredFile, at: string, h: Handle): LineIndex | null {
    const key = `${file.index}\u0000${at}`;
    let index = this.lineIndexes.get(key);
    if (index === undefined) {
      index = utf8(h.head) ? LineIndex.build(h, bomLength(h.head)) : null;
      this.lineIndexes.set(key, index);
    }
    return index;
  }

  /** Where a file's bytes may be: where they were last found, its path, then its rotated siblings. */
  private *candidates(file: StoredFile): Generator<string> {
    const tried = new Set<string>();
    for (const p of [file.at ?? file.path, file.path]) {
      if (tried.has(p)) continue;
      tried.add(p);
      yield p;
    }
    if (file.data || file.zip || file.path === '-') return;
    const dir = path.dirname(file.path);
    const name = logicalName(path.basename(file.path)).toLowerCase();
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    // `.lo_` first (one rollover ago), then stamped history files, newest first.
    const rank = (n: string) => (/\.lo_$/i.test(n) ? 0 : 1);
    names = names.filter((n) => isLogName(n) && logicalName(n).toLowerCase() === name).sort((a, b) => rank(a) - rank(b) || b.localeCompare(a));
    for (const n of names) {
      const p = path.join(dir, n);
      if (tried.has(p)) continue;
      tried.add(p);
      yield p;
    }
  }

  /**
   * The bytes of a file where they are now (see `open`); a zip entry from where it was written
   * aside as it was read (a big one), else expanded, or kept from before.
   */
  private open(file: StoredFile, at: string): Handle | null {
    if (!file.zip) return open(file, at);
    if (at !== file.path) return null;
    const written = asideOf(file.zip);
    if (written) return open(file, written);
    const data = this.expanded.get(file.path, file.zip);
    return data ? inMemory(data) : null;
  }

  private unreadable(file: StoredFile, id: number): LogRecord {
    const s = this.store;
    const line = s.lineOf(id);
    const tooBig = file.zip !== null && file.zip.size > MAX_EXPANDED_BYTES;
    return {
      log: file.log, path: file.path, offset: s.offsetOf(id), length: s.lengthOf(id), line, endLine: line,
      localText: null, localMs: null, bias: null, utcMs: s.utcOf(id), component: '', thread: '',
      severity: s.severityOf(id), severitySource: 'none', format: 'plain', partial: true,
      message: tooBig
        ? `(this record is in a zip entry of ${Math.round(file.zip!.size / 2 ** 20)} MiB, more than the UI expands again to show a record, and it could not be kept in the temp folder as it was read: extract the entry to see it, or free room in TMPDIR; scan reads it whole)`
        : '(this record cannot be read again: its file changed, rolled over or was removed since it was read)',
      problems: [tooBig ? `${file.path} is too big to expand again to read this record (byte ${s.offsetOf(id)})` : `${file.path} no longer holds this record at byte ${s.offsetOf(id)}`],
    };
  }
}

/** At least `len` bytes at `pos`, then on to the end of the line they end in. */
function readToLineEnd(h: ByteReader, pos: number, len: number): Uint8Array {
  const parts = [h.read(pos, len)];
  let end = pos + parts[0]!.length;
  while (end < h.size && parts[parts.length - 1]!.at(-1) !== 0x0a) {
    const more = h.read(end, 4096);
    const nl = more.indexOf(0x0a);
    parts.push(nl >= 0 ? more.subarray(0, nl + 1) : more);
    end += parts[parts.length - 1]!.length;
    if (more.length === 0) break;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

function inMemory(data: Uint8Array): Handle {
  return { size: data.length, head: data.subarray(0, SNIFF_BYTES), read: (pos, len) => data.subarray(pos, Math.min(data.length, pos + len)), close: () => {} };
}

/** The bytes of a file where they are now: in memory (stdin) or on disk, opened read-only. */
function open(file: StoredFile, at: string): Handle | null {
  if (file.data) return at === file.path ? inMemory(file.data) : null;
  let fd: number;
  try {
    fd = openSync(at, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const read = (pos: number, len: number): Uint8Array => {
      const buf = Buffer.allocUnsafe(Math.max(0, Math.min(len, size - pos)));
      return buf.subarray(0, buf.length ? readSync(fd, buf, 0, buf.length, pos) : 0);
    };
    return { size, head: read(0, SNIFF_BYTES), read, close: () => closeSync(fd) };
  } catch {
    closeSync(fd);
    return null;
  }
}

function utf8(head: Uint8Array): boolean {
  return sniffEncoding(head).encoding === 'utf-8';
}

function bomLength(head: Uint8Array): number {
  const s = sniffEncoding(head);
  return s.how === 'bom' ? s.bomLength : 0;
}

/** Frames bytes of a file starting at (stated) offset `start`, the way the first read did: same encoding, bias override, log name. */
function frame(file: StoredFile, head: Uint8Array, range: Uint8Array, start: number, line: number, resumed: boolean): LogRecord[] {
  const sniffed: Sniffed = sniffEncoding(head);
  const decoder = new StreamDecoder(sniffed.encoding);
  const framer = new Framer({
    log: file.log, path: file.path, measure: decoder.measure, startOffset: start, startLine: line, resumed,
    ...(file.biasOverride === null ? {} : { biasOverride: file.biasOverride }),
  });
  if (sniffed.encoding === 'utf-8') {
    const b = new ByteFramer(framer, decoder);
    const out = b.push(range);
    for (const r of b.end()) out.push(r);
    return out;
  }
  const out = framer.push(decoder.write(range));
  for (const r of framer.push(decoder.end())) out.push(r);
  for (const r of framer.end()) out.push(r);
  return out;
}
