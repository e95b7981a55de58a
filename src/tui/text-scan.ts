/**
 * Searching and text-filtering the record store without blocking the keys: the message texts
 * are not in memory (the store is an index), so testing a regex on a million records means
 * reading and framing their bytes again. A TextScan does that a slice at a time (about a
 * megabyte of records, a few milliseconds) between turns of the event loop, walking the merged
 * order from where the user is, and keeps one bit per record (tested, matched) so results show
 * as they are found and later searches for the same text cost nothing. A filter's scan also
 * tests new records as they arrive; a search's reads on only while a jump waits for it (a
 * gigabyte takes ~3 s of CPU: not spent unless asked for; ~1 s when its text can be looked for
 * in the bytes first: search-literal.ts). No Ink, no React.
 */
import type { LogRecord } from '../../parsers/types.js';
import type { BytesFinder } from '../analysis/record-reader.js';
import type { RecordStore } from '../analysis/record-store.js';
import { indexTerms, matchesFilter, needsText, type RowFilter } from './filter.js';
import { bytesFinderFor } from './search-literal.js';
import type { SearchState } from './state.js';

const TESTED = 1;
const MATCHED = 2;

/** Record bytes tested per background slice, and the time a slice may take. */
const SLICE_BYTES = 1 << 20;
const SLICE_MS = 12;
/** Positions looked at per slice while looking for untested records. */
const SLICE_STEPS = 1 << 18;
/** A search whose matches are more than 1/DENSE_SHARE of the first DENSE_AFTER or more records read stops looking in the bytes first. */
const DENSE_AFTER = 4096;
const DENSE_SHARE = 4;
/** Record bytes tested at once when a search starts (small inputs: all of it, so the answer is immediate). */
export const START_BYTES = 4 << 20;

export class TextScan {
  readonly key: string;
  private readonly store: RecordStore;
  private readonly test: (rec: LogRecord) => boolean;
  /** Records the index alone rules out (a filter's severity and log terms): no need to read them. */
  private readonly ruledOut: ((id: number) => boolean) | null;
  private readonly onProgress: (scan: TextScan) => void;
  /**
   * Records whose bytes hold no place this finds cannot match: they are not read (search-literal.ts).
   * Dropped once most records match (a host name every request has): looking costs more than it saves.
   */
  private find: BytesFinder | undefined;
  /** Records read with `find` and matches among them, while it is used. */
  private found = { read: 0, matched: 0 };
  private bits = new Uint8Array(1024);
  tested = 0;
  matches = 0;
  private pos = 0;
  private dir: 1 | -1 = 1;
  private scheduled: NodeJS.Immediate | null = null;
  private stopped = false;

  constructor(store: RecordStore, key: string, test: (rec: LogRecord) => boolean, onProgress: (scan: TextScan) => void, ruledOut: ((id: number) => boolean) | null = null, find: BytesFinder | null = null) {
    this.store = store;
    this.find = find ?? undefined;
    this.key = key;
    this.test = test;
    this.onProgress = onProgress;
    this.ruledOut = ruledOut;
  }

  /** Tested and matched? */
  isTested(id: number): boolean {
    return id < this.bits.length && (this.bits[id]! & TESTED) !== 0;
  }

  isMatch(id: number): boolean {
    return id < this.bits.length && (this.bits[id]! & MATCHED) !== 0;
  }

  /** Every row in the merged order is tested (more may arrive). */
  get done(): boolean {
    return this.tested >= this.store.count;
  }

  /** Share of the rows tested so far, 0–1. */
  get progress(): number {
    return this.store.count === 0 ? 1 : Math.min(1, this.tested / this.store.count);
  }

  /** Walk on from this position in this direction (where the user is looking). */
  focus(pos: number, dir: 1 | -1): void {
    this.pos = pos;
    this.dir = dir;
  }

  /** Tests records synchronously, up to `bytes` of them or `ms`; true when some are left. */
  run(bytes: number, ms = Number.POSITIVE_INFINITY): boolean {
    const t0 = performance.now();
    const s = this.store;
    this.grow(s.size);
    let budget = bytes;
    while (!this.done && !this.stopped) {
      const count = s.count;
      const batch: number[] = [];
      let size = 0;
      let steps = 0;
      const maxSteps = Math.min(count, SLICE_STEPS);
      while (steps < maxSteps && size < budget) {
        if (this.pos >= count) this.pos = 0;
        else if (this.pos < 0) this.pos = count - 1;
        const id = s.idAt(this.pos);
        if ((this.bits[id]! & TESTED) === 0) {
          this.bits[id] = TESTED;
          this.tested++;
          if (!this.ruledOut?.(id)) {
            batch.push(id);
            size += s.lengthOf(id);
          }
        }
        this.pos += this.dir;
        steps++;
      }
      if (batch.length) {
        const before = this.matches;
        s.readRecords(batch, (id, rec) => {
          if (!this.test(rec)) return;
          this.bits[id]! |= MATCHED;
          this.matches++;
        }, this.find);
        if (this.find) {
          this.found.read += batch.length;
          this.found.matched += this.matches - before;
          if (this.found.read >= DENSE_AFTER && this.found.matched * DENSE_SHARE > this.found.read) this.find = undefined;
        }
      }
      budget -= size;
      if (budget <= 0 || performance.now() - t0 >= ms || (size === 0 && steps >= count)) break;
    }
    return !this.done;
  }

  /** Keeps testing in the background, one slice per turn of the event loop, until every row is. */
  kick(): void {
    if (this.stopped || this.scheduled || this.done) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = null;
      if (this.stopped) return;
      this.run(SLICE_BYTES, SLICE_MS);
      this.onProgress(this);
      this.kick();
    });
  }

  /** Stops testing in the background for now (kept: what is tested; `kick` goes on). */
  pause(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
  }

  stop(): void {
    this.stopped = true;
    this.pause();
  }

  private grow(n: number): void {
    if (n <= this.bits.length) return;
    const b = new Uint8Array(Math.max(n, this.bits.length * 2));
    b.set(this.bits);
    this.bits = b;
  }
}

/**
 * The App's scans: the current search and the current text filter (a new one replaces the old
 * one; its work is lost only when the text changes).
 */
export class Scans {
  private readonly store: RecordStore;
  private readonly onProgress: (scan: TextScan) => void;
  search: TextScan | null = null;
  filter: TextScan | null = null;

  constructor(store: RecordStore, onProgress: (scan: TextScan) => void) {
    this.store = store;
    this.onProgress = onProgress;
  }

  /** The scan for a search (started now when new). */
  searchFor(search: SearchState): TextScan {
    const key = `${search.regex.source}/${search.regex.flags}`;
    if (this.search?.key !== key) {
      this.search?.stop();
      const re = search.regex;
      this.search = new TextScan(this.store, key, (rec) => re.test(rec.message), this.onProgress, null, bytesFinderFor(re));
    }
    return this.search;
  }

  /** The scan for a filter that needs the records' text; null for none (the index answers it alone). */
  filterFor(filter: RowFilter | null): TextScan | null {
    if (!filter || !needsText(filter)) {
      this.filter?.stop();
      this.filter = null;
      return null;
    }
    if (this.filter?.key !== filter.source) {
      this.filter?.stop();
      const terms = indexTerms(filter);
      const store = this.store;
      const logOk = new Map<number, boolean>();
      const ruledOut = (id: number): boolean => {
        if (!terms.severity[store.severityOf(id)]) return true;
        const f = store.fileOf(id);
        let ok = logOk.get(f.index);
        if (ok === undefined) logOk.set(f.index, (ok = terms.log(f.log)));
        return !ok;
      };
      this.filter = new TextScan(store, filter.source, (rec) => matchesFilter(filter, rec), this.onProgress, ruledOut);
      this.filter.kick();
    }
    return this.filter;
  }

  /** New records arrived: the filter picks them up (a search reads on only while a jump waits for it). */
  kick(): void {
    this.filter?.kick();
  }

  stop(): void {
    this.search?.stop();
    this.filter?.stop();
  }
}
