/**
 * Every record of a session as an index, not as objects: per record a few numbers in typed
 * columns (where it is in which file, its line, UTC order key, severity, what the analysis
 * found on it), ~36 bytes instead of a LogRecord's ~1 KB. Rows are materialized again from the
 * file's bytes when they are shown or searched (record-reader.ts), with a small cache for the
 * rows on screen. The merged UTC order is a permutation of record ids (a Uint32Array), or
 * nothing at all while records arrive already in order (one file, the usual case).
 *
 * Plain data outside React: the TUI reads it through the Session's version number.
 */
import type { LogRecord, Severity } from '../../parsers/types.js';
import type { LogicalSource } from '../ingest/discover.js';
import type { ZipSpan } from '../ingest/zip-entry.js';
import { firstIndex } from './bisect.js';
import { F64Column, TimeList, U16Column, U32Column, U8Column } from './columns.js';
import type { SortedEvent } from './model.js';
import { messageCheck, RecordReader, type BytesFinder, type StoredFile } from './record-reader.js';

/** One row of the merged timeline: a record with its ordering key. */
export interface Row {
  rec: LogRecord;
  /** UTC ms, or the last UTC before it in its file (records without time keep their place). */
  sortMs: number;
  /** The record's id in the store (arrival order): stable across re-sorts. */
  seq: number;
  sourceId: string;
}

/** Event facts a timeline row shows without the event objects (which the core may drop). */
export interface RowEvents {
  /** The first event's kind, or null when the record produced none. */
  kind: string | null;
  count: number;
  /** The worst severity among the record's events. */
  severity: Severity;
}

const SEVERITY_CODE: Record<Severity, number> = { unknown: 0, info: 1, warning: 2, error: 3 };
const SEVERITY_OF: readonly Severity[] = ['unknown', 'info', 'warning', 'error'];

// flags: bits 0–1 record severity, 2–3 worst event severity, 4 has a UTC time, 5 has a sidecar,
// 6 begins on the line where the record before it in its file ends (after a CMTrace header).
const EV_SHIFT = 2;
const HAS_UTC = 1 << 4;
const HAS_SIDECAR = 1 << 5;
const MID_LINE = 1 << 6;

/**
 * Problems and the partial mark are kept as read for this many records (a healthy log has none);
 * past it they come from framing the bytes again, which gives the same except for problems
 * only the live tail knows (a record emitted early after a timeout).
 */
const MAX_SIDECARS = 50_000;
/** Materialized rows kept (the screen, the detail pane and moving around them). */
const ROW_CACHE = 4096;
/** Records after the last one an event was noted on where the next event's record is looked for first. */
const NEAR_NOTED = 64;

export class RecordStore {
  private n = 0;
  private readonly sortCol = new F64Column();
  private readonly offsetCol = new F64Column();
  private readonly fileCol = new U32Column();
  private readonly lengthCol = new U32Column();
  private readonly lineCol = new U32Column();
  private readonly checkCol = new U32Column();
  private readonly flagCol = new U8Column();
  private readonly kindCol = new U16Column();
  private readonly eventCountCol = new U8Column();
  private readonly sidecars = new Map<number, Pick<LogRecord, 'partial' | 'problems'>>();
  /** Times of error and warning records, for the activity histogram's colours. */
  private readonly errorTimes = new TimeList();
  private readonly warningTimes = new TimeList();
  private readonly kinds: string[] = [];
  private readonly kindIndex = new Map<string, number>();

  readonly files: StoredFile[] = [];
  private readonly generations = new Map<string, number[]>();
  private readonly overrides = new Map<string, number | null>();
  private readonly inMemory = new Map<string, Uint8Array>();
  /** Zip entries: where their bytes are in their archives. */
  private readonly zipped = new Map<string, ZipSpan>();
  private readonly lastUtcBySource = new Map<string, number>();

  /** Sorted order of the first `sorted` ids; null while that is simply 0, 1, 2, … */
  private order: Uint32Array | null = null;
  private sorted = 0;

  private readonly reader = new RecordReader(this);
  private readonly cache = new Map<number, Row>();
  /** The record the last event was noted on. */
  private noted = 0;

  /** Records in the store. */
  get size(): number {
    return this.n;
  }

  /** Rows in the merged order (records that arrived since the last `ensureSorted` may not be in it yet). */
  get count(): number {
    return this.sorted;
  }

  /** A source's bias override, in-memory files (stdin) and zip entries, before its records. */
  addSource(src: LogicalSource, biasOverride: number | null): void {
    this.overrides.set(src.id, biasOverride);
    for (const f of src.files) {
      if (f.data) this.inMemory.set(f.path, f.data);
      if (f.zip) this.zipped.set(f.path, f.zip);
    }
  }

  /** Records of one source, in file order. */
  add(sourceId: string, records: readonly LogRecord[]): void {
    let last = this.lastUtcBySource.get(sourceId) ?? Number.NEGATIVE_INFINITY;
    let file: StoredFile | null = null;
    for (const rec of records) {
      if (!file || rec.path !== file.path || rec.offset <= file.lastOffset) file = this.fileFor(sourceId, rec);
      if (rec.utcMs !== null) last = rec.utcMs;
      const id = this.n++;
      this.ensure(id);
      const sortMs = rec.utcMs ?? last;
      this.sortCol.set(id, sortMs);
      if (Number.isFinite(sortMs)) {
        if (rec.severity === 'error') this.errorTimes.push(sortMs);
        else if (rec.severity === 'warning') this.warningTimes.push(sortMs);
      }
      this.offsetCol.set(id, rec.offset);
      this.fileCol.set(id, file.index);
      this.lengthCol.set(id, rec.length);
      this.lineCol.set(id, rec.line);
      this.checkCol.set(id, messageCheck(rec.message));
      let flags = SEVERITY_CODE[rec.severity];
      if (rec.utcMs !== null) flags |= HAS_UTC;
      if (rec.line === file.lastLine) flags |= MID_LINE;
      if ((rec.partial || rec.problems?.length) && this.sidecars.size < MAX_SIDECARS) {
        flags |= HAS_SIDECAR;
        this.sidecars.set(id, rec.problems ? { partial: rec.partial, problems: rec.problems } : { partial: rec.partial });
      }
      this.flagCol.set(id, flags);
      this.addToFile(file, id, rec);
      // Still in arrival order: the row is in the merged order at once.
      if (this.order === null && this.sorted === id && (id === 0 || this.sortCol.get(id - 1) <= this.sortCol.get(id))) this.sorted++;
    }
    this.lastUtcBySource.set(sourceId, last);
  }

  /** Notes on each record what the analysis extracted from it (events point back at their record). */
  noteEvents(events: readonly SortedEvent[]): void {
    for (const e of events) {
      const ref = e.refs[0];
      if (!ref) continue;
      const id = this.recordAt(ref.path, ref.offset);
      if (id < 0) continue;
      this.noted = id;
      const count = this.eventCountCol.get(id);
      if (count === 0) this.kindCol.set(id, this.kindCode(e.kind));
      if (count < 255) this.eventCountCol.set(id, count + 1);
      const flags = this.flagCol.get(id);
      const worst = (flags >> EV_SHIFT) & 3;
      const sev = SEVERITY_CODE[e.severity];
      if (sev > worst) this.flagCol.set(id, (flags & ~(3 << EV_SHIFT)) | (sev << EV_SHIFT));
    }
  }

  /**
   * findOffset, trying first the records just after the last one noted: events come right after
   * their records, in file order (a bisection for each event was 7 % of indexing a 1 GB log).
   */
  private recordAt(path: string, offset: number): number {
    const end = Math.min(this.n, this.noted + NEAR_NOTED);
    for (let id = this.noted; id < end; id++) {
      if (this.offsetCol.get(id) !== offset) continue;
      // In the newest file at that path, as findOffset looks first.
      const gens = this.generations.get(path);
      if (gens && gens[gens.length - 1] === this.fileCol.get(id)) return id;
    }
    return this.findOffset(path, offset);
  }

  /** Brings records that arrived out of UTC order into the merged order (stable: ties keep arrival order). */
  ensureSorted(): void {
    if (this.sorted === this.n) return;
    const from = this.sorted;
    const pending = new Uint32Array(this.n - from);
    let inOrder = true;
    for (let i = 0; i < pending.length; i++) {
      pending[i] = from + i;
      if (i > 0 && this.sortCol.get(from + i - 1) > this.sortCol.get(from + i)) inOrder = false;
    }
    if (!inOrder) pending.sort((a, b) => this.sortCol.get(a) - this.sortCol.get(b) || a - b);
    let order = this.order;
    if (order === null) {
      order = new Uint32Array(Math.max(1024, Math.ceil(this.n * 1.5)));
      for (let i = 0; i < from; i++) order[i] = i;
    } else if (order.length < this.n) {
      const grown = new Uint32Array(Math.ceil(this.n * 1.5));
      grown.set(order.subarray(0, from));
      order = grown;
    }
    // Merge from the back: only the part of the order later than the first new row moves.
    let i = from - 1;
    let j = pending.length - 1;
    let k = this.n - 1;
    while (j >= 0) {
      const p = pending[j]!;
      if (i >= 0 && this.before(p, order[i]!)) order[k--] = order[i--]!;
      else order[k--] = p, j--;
    }
    this.order = order;
    this.sorted = this.n;
  }

  /** The record id at a position of the merged order. */
  idAt(pos: number): number {
    return this.order ? this.order[pos]! : pos;
  }

  /** The position of a record in the merged order, or -1 when it is not in it (yet). O(log n). */
  positionOf(id: number): number {
    if (id < 0 || id >= this.n) return -1;
    if (this.order === null) return id < this.sorted ? id : -1;
    const order = this.order;
    const lo = firstIndex(0, this.sorted, (k) => this.before(order[k]!, id));
    return lo < this.sorted && this.order[lo] === id ? lo : -1;
  }

  sortMsOf(id: number): number {
    return this.sortCol.get(id);
  }

  /** The record's UTC time, or null when it has none (its sort key is then the time before it). */
  utcOf(id: number): number | null {
    return this.flagCol.get(id) & HAS_UTC ? this.sortCol.get(id) : null;
  }

  /** Sort times of every error (or warning) record, ascending. */
  severeTimes(severity: 'error' | 'warning'): Float64Array {
    return (severity === 'error' ? this.errorTimes : this.warningTimes).ascending();
  }

  severityOf(id: number): Severity {
    return SEVERITY_OF[this.flagCol.get(id) & 3]!;
  }

  eventsOf(id: number): RowEvents {
    const count = this.eventCountCol.get(id);
    return { kind: count ? this.kinds[this.kindCol.get(id) - 1] ?? null : null, count, severity: SEVERITY_OF[(this.flagCol.get(id) >> EV_SHIFT) & 3]! };
  }

  fileOf(id: number): StoredFile {
    return this.files[this.fileCol.get(id)]!;
  }

  sourceOf(id: number): string {
    return this.fileOf(id).sourceId;
  }

  offsetOf(id: number): number {
    return this.offsetCol.get(id);
  }

  lengthOf(id: number): number {
    return this.lengthCol.get(id);
  }

  lineOf(id: number): number {
    return this.lineCol.get(id);
  }

  /** The record begins on the line where the one before it (in its file) ends. */
  startsMidLine(id: number): boolean {
    return (this.flagCol.get(id) & MID_LINE) !== 0;
  }

  /** Whether a record framed again from the file is the one indexed (same place, time, severity, text). */
  matches(id: number, rec: LogRecord): boolean {
    const flags = this.flagCol.get(id);
    if (rec.offset !== this.offsetCol.get(id) || rec.length !== this.lengthCol.get(id) || rec.line !== this.lineCol.get(id)) return false;
    if ((rec.utcMs !== null) !== ((flags & HAS_UTC) !== 0) || (rec.utcMs !== null && rec.utcMs !== this.sortCol.get(id))) return false;
    return SEVERITY_CODE[rec.severity] === (flags & 3) && messageCheck(rec.message) === this.checkCol.get(id);
  }

  /** What framing again cannot know: problems and the partial mark as first read. */
  restore(id: number, rec: LogRecord): LogRecord {
    if ((this.flagCol.get(id) & HAS_SIDECAR) === 0) return rec;
    const s = this.sidecars.get(id)!;
    const out: LogRecord = { ...rec };
    delete out.partial;
    delete out.problems;
    if (s.partial) out.partial = true;
    if (s.problems) out.problems = s.problems;
    return out;
  }

  /** The row of a record id, read again from its file (cached). */
  row(id: number): Row {
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    this.prefetch([id]);
    return this.cache.get(id)!;
  }

  /** Reads the rows of these ids in one go (the rows on screen: one read per file run). */
  prefetch(ids: readonly number[]): void {
    const missing = ids.filter((id) => !this.cache.has(id));
    if (missing.length === 0) return;
    this.reader.read(missing, (id, rec) => {
      this.cache.set(id, { rec, sortMs: this.sortCol.get(id), seq: id, sourceId: this.sourceOf(id) });
    });
    while (this.cache.size > ROW_CACHE) this.cache.delete(this.cache.keys().next().value!);
  }

  /**
   * Records of these ids, read again without touching the cache (search and filter scans). With
   * `find`, only those whose bytes hold a place it finds (see RecordReader.read).
   */
  readRecords(ids: readonly number[], fn: (id: number, rec: LogRecord) => void, find?: BytesFinder): void {
    this.reader.read(ids, fn, find);
  }

  /** The record at `offset` of the file named `path` (its newest generation first), or -1. */
  findOffset(path: string, offset: number): number {
    const gens = this.generations.get(path);
    if (!gens) return -1;
    for (let g = gens.length - 1; g >= 0; g--) {
      const id = this.search(this.files[gens[g]!]!, offset, this.offsetCol);
      if (id >= 0 && this.offsetCol.get(id) === offset) return id;
    }
    return -1;
  }

  /** The record of `path` that holds `line` (its first line, or a later line of a multi-line record), or -1. */
  findLine(path: string, line: number): number {
    const gens = this.generations.get(path);
    if (!gens) return -1;
    for (let g = gens.length - 1; g >= 0; g--) {
      const f = this.files[gens[g]!]!;
      if (line > f.lastLine) continue;
      const id = this.search(f, line, this.lineCol);
      if (id >= 0) return id;
    }
    return -1;
  }

  /** Bytes held by the index (columns, order, per-file segment lists). */
  get indexBytes(): number {
    const cols = [this.sortCol, this.offsetCol, this.fileCol, this.lengthCol, this.lineCol, this.checkCol, this.flagCol, this.kindCol, this.eventCountCol];
    return cols.reduce((n, c) => n + c.bytes, 0) + (this.order?.byteLength ?? 0);
  }

  /** (sortMs, id) order. */
  private before(a: number, b: number): boolean {
    const x = this.sortCol.get(a);
    const y = this.sortCol.get(b);
    return x < y || (x === y && a < b);
  }

  private ensure(id: number): void {
    if ((id & 0xffff) !== 0) return;
    for (const c of [this.sortCol, this.offsetCol, this.fileCol, this.lengthCol, this.lineCol, this.checkCol, this.flagCol, this.kindCol, this.eventCountCol]) c.ensure(id);
  }

  private kindCode(kind: string): number {
    let k = this.kindIndex.get(kind);
    if (k === undefined) {
      if (this.kinds.length >= 0xffff) return 0xffff;
      this.kinds.push(kind);
      k = this.kinds.length;
      this.kindIndex.set(kind, k);
    }
    return k;
  }

  /** The file (generation) a record belongs to: a record at or before the last offset read starts a new one (rolled over, replaced). */
  private fileFor(sourceId: string, rec: LogRecord): StoredFile {
    const gens = this.generations.get(rec.path);
    const latest = gens ? this.files[gens[gens.length - 1]!]! : null;
    if (latest && rec.offset > latest.lastOffset) return latest;
    const file: StoredFile = {
      index: this.files.length, path: rec.path, sourceId, log: rec.log, biasOverride: this.overrides.get(sourceId) ?? null,
      data: this.inMemory.get(rec.path) ?? null, zip: this.zipped.get(rec.path) ?? null, generation: gens?.length ?? 0,
      segStarts: [], segEnds: [], firstOffset: rec.offset, lastOffset: -1, lastLine: 0,
    };
    this.files.push(file);
    if (gens) gens.push(file.index);
    else this.generations.set(rec.path, [file.index]);
    return file;
  }

  private addToFile(f: StoredFile, id: number, rec: LogRecord): void {
    const k = f.segEnds.length - 1;
    if (k >= 0 && f.segEnds[k] === id) f.segEnds[k] = id + 1;
    else {
      f.segStarts.push(id);
      f.segEnds.push(id + 1);
    }
    f.lastOffset = rec.offset;
    f.lastLine = Math.max(f.lastLine, rec.endLine);
  }

  /** The last record of a file whose `col` value is at or before `key` (offsets and lines grow along a file), or -1. */
  private search(f: StoredFile, key: number, col: F64Column | U32Column): number {
    const seg = firstIndex(0, f.segStarts.length, (k) => col.get(f.segStarts[k]!) <= key);
    if (seg === 0) return -1;
    return firstIndex(f.segStarts[seg - 1]!, f.segEnds[seg - 1]!, (id) => col.get(id) <= key) - 1;
  }
}
