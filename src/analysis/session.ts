import type { LogRecord } from '../../parsers/types.js';
import { discover, totalBytes, type LogicalSource, type InputProblem } from '../ingest/discover.js';
import { loadEngine, readSourcesInto, type AnalyzeOptions, type AnalysisResult } from './analyze.js';
import { readOptionsFor } from './bias-override.js';
import { AnalysisCore, type Analysis } from './core.js';
import type { SortedEvent } from './model.js';
import { MAX_EXPANDED_BYTES } from '../ingest/zip-aside.js';
import { RecordStore } from './record-store.js';

export { RecordStore, type Row, type RowEvents } from './record-store.js';

export interface SessionOptions extends AnalyzeOptions {
  /** Keep tailing after the first read. */
  follow?: boolean;
  /** Poll interval (ms) instead of native file events. */
  pollMs?: number;
  /**
   * Index every record in `store` (the TUI; `scan --follow` does not). Without `keepEvent`, the
   * core then keeps events for the detail pane within a bound (see `detailEvents`).
   */
  keepRecords?: boolean;
  /**
   * With `keepRecords`: zip entries bigger than this are written aside as they are read, to read
   * rows back from (default MAX_EXPANDED_BYTES, what is too big to expand again; tests set less).
   */
  zipAsideAbove?: number;
  /** Minimum ms between update notifications (the TUI's frame budget). */
  throttleMs?: number;
  /**
   * The same while the first read runs, when longer (the TUI: each notification is a full
   * frame, and indexing wants the CPU; progress four times a second is plenty).
   */
  loadingThrottleMs?: number;
}

export interface SessionProgress {
  bytesRead: number;
  bytesTotal: number;
  /** True once the first full read is over (follow mode keeps going after). */
  loaded: boolean;
  following: boolean;
}

type Listener = () => void;

/** Inputs up to this size keep every event for the TUI's detail pane (every sample set, most folders). */
export const SMALL_INPUT_BYTES = 64 << 20;
/** Beyond that, errors and warnings up to this many: the rest would cost ~2 KB of heap each, and GC time. */
export const DETAIL_EVENTS = 20_000;

/**
 * The TUI's `keepEvent`. The timeline's event marks come from the record store, which notes
 * every event; the detail pane shows a row's events in full when the core kept them. A
 * gigabyte log has millions of events: kept, they took ~450 MB of heap and 40 % of the read
 * time (GC) at 1 GB. Findings do not depend on which events are kept; cycles and chains keep
 * what they read regardless.
 */
export function detailEvents(inputBytes: () => number, limit = DETAIL_EVENTS): (e: SortedEvent) => boolean {
  let severe = 0;
  return (e) => {
    if (inputBytes() <= SMALL_INPUT_BYTES) return true;
    if ((e.severity !== 'error' && e.severity !== 'warning') || severe >= limit) return false;
    severe++;
    return true;
  };
}

/** Logs written within this long before now count as live (see Session.liveEnd). */
export const LIVE_WINDOW_MS = 60 * 60_000;

/**
 * A running analysis over a set of inputs: reads them (in the background), optionally follows
 * them, keeps the record store and the core, and notifies listeners at most every
 * `throttleMs`. The TUI and `scan --follow` both sit on this; `scan` uses the same core.
 */
export class Session {
  readonly store = new RecordStore();
  readonly inputs: string[];
  readonly opts: SessionOptions;
  progress: SessionProgress = { bytesRead: 0, bytesTotal: 0, loaded: false, following: false };
  inputProblems: InputProblem[] = [];
  ruleErrors: string[] = [];
  /** Set when the background read failed as a whole. */
  error: Error | null = null;
  version = 0;
  private core: AnalysisCore | null = null;
  private cached: AnalysisResult | null = null;
  private cachedAt = -1;
  private listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | null = null;
  private lastNotify = 0;
  private stopFollow: (() => Promise<void>) | null = null;
  private stopped = false;
  private eventListeners = new Set<(events: SortedEvent[]) => void>();
  /** Bytes of the sources announced so far (follow mode reports progress only per file). */
  private sourceBytes = 0;

  constructor(inputs: string[], opts: SessionOptions = {}) {
    this.inputs = inputs;
    this.opts = opts;
  }

  /** Subscribe to (throttled) changes. Returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Subscribe to new events as they are extracted (unthrottled; for streaming output). */
  onEvents(fn: (events: SortedEvent[]) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  /**
   * Marks the analysis stale without new records: while following, the analysis end moves with
   * the clock, so absence rules ("no upload for 30 min") must be re-evaluated as time passes.
   */
  refresh(): void {
    this.version++;
  }

  /** The analysis as of now (recomputed only when something changed). */
  analysis(): AnalysisResult | null {
    if (!this.core) return null;
    if (this.cached && this.cachedAt === this.version) return this.cached;
    const a: Analysis = this.core.snapshot(this.opts.endMs ?? this.liveEnd());
    this.cached = { ...a, inputProblems: this.inputProblems, ruleErrors: this.ruleErrors };
    this.cachedAt = this.version;
    return this.cached;
  }

  /**
   * The analysis end while following: now, so absence rules fire as time passes — but only when
   * the logs are live (written within LIVE_WINDOW_MS). Following an old copied folder must not
   * turn every hour since it was copied into missed upload cycles.
   */
  private liveEnd(): number | null {
    if (!this.progress.following || !this.core) return null;
    const last = this.core.latestUtc();
    const now = Date.now();
    return last !== null && now - last <= LIVE_WINDOW_MS ? Math.max(now, last) : null;
  }

  /** Starts reading; resolves when the first full read is over (follow continues after). */
  async start(): Promise<void> {
    try {
      const { engine, errors } = await loadEngine(this.opts);
      this.ruleErrors = errors;
      const keepEvent = this.opts.keepEvent ?? (this.opts.keepRecords ? detailEvents(() => Math.max(this.progress.bytesTotal, this.sourceBytes)) : undefined);
      this.core = new AnalysisCore({ ...this.opts, rules: engine, ...(keepEvent ? { keepEvent } : {}) });
      if (this.opts.follow) {
        const { startFollowing } = await import('../ingest/follow.js');
        const handle = await startFollowing(this.inputs, {
          pollMs: this.opts.pollMs,
          ...this.readSteps(),
          biasOverrides: this.opts.biasOverrides ?? [],
          onSource: (src, override) => {
            this.sourceBytes += src.files.reduce((n, f) => n + f.size, 0);
            this.core!.addSource(src, override);
            if (this.opts.keepRecords) this.store.addSource(src, override);
          },
          onRecords: (src, records) => this.ingest(src, records),
          onFileReport: (src, report) => this.core!.fileRead(src.id, report),
          onIdle: (src) => this.emitEvents(this.core!.flushSource(src.id)),
          onProblems: (problems) => { this.inputProblems.push(...problems); this.changed(); },
          onProgress: (read, total) => { this.progress = { ...this.progress, bytesRead: read, bytesTotal: total }; this.changed(); },
        });
        this.stopFollow = handle.close;
        // The UI may have quit during the first read: close the watchers it could not reach.
        if (this.stopped) {
          await handle.close();
          this.stopFollow = null;
        }
        this.progress = { ...this.progress, loaded: true, following: true };
        this.changed(true);
        return;
      }
      const { sources, problems } = await discover(this.inputs, this.opts.discover);
      this.inputProblems = problems;
      if (this.opts.keepRecords) for (const src of sources) this.store.addSource(src, readOptionsFor(src, this.opts.biasOverrides ?? []).override);
      this.progress.bytesTotal = totalBytes(sources);
      const core = this.core;
      let before = 0;
      await readSourcesInto(core, sources, this.opts.biasOverrides ?? [], {
        ...this.readSteps(),
        // Progress within a big file: how far its last record reaches.
        onBatch: (src, batch, reached) => {
          this.ingest(src, batch);
          this.progress.bytesRead = before + reached;
        },
        onFileDone: (_src, file) => {
          before += file.size;
          this.progress.bytesRead = before;
          this.changed();
        },
        onSourceDone: (_src, flushed) => this.emitEvents(flushed),
        stopped: () => this.stopped,
      });
      this.progress = { ...this.progress, loaded: true };
      this.changed(true);
    } catch (e) {
      this.error = e as Error;
      this.progress = { ...this.progress, loaded: true };
      this.changed(true);
    }
  }

  /**
   * How the UI's reads go, followed or not. Keys are answered between batches: 128 KiB steps keep
   * a frame's wait short (1 MiB batches held the event loop for up to ~250 ms on a 1 GB log;
   * 128 KiB for ~50 ms), and a batch's records are gone before the next collection instead of
   * outliving it. Big zip entries are written aside to show their rows (zip-aside.ts).
   */
  private readSteps(): { chunkSize?: number; keepZipAside?: number } {
    return this.opts.keepRecords ? { chunkSize: 128 * 1024, keepZipAside: this.opts.zipAsideAbove ?? MAX_EXPANDED_BYTES } : {};
  }

  /** Records from any reader: into the core, the store and the event listeners. */
  ingest(src: LogicalSource, records: readonly LogRecord[]): void {
    if (!this.core) return;
    const events = this.core.feed(src.id, records);
    // Indexed before its events are noted: they point at these records.
    if (this.opts.keepRecords) this.store.add(src.id, records);
    this.opts.onRecords?.(records, src);
    this.emitEvents(events);
    this.changed();
  }

  private emitEvents(events: SortedEvent[]): void {
    if (events.length === 0) return;
    if (this.opts.keepRecords) this.store.noteEvents(events);
    for (const l of this.eventListeners) l(events);
    this.changed();
  }

  /** Bumps the version; notifies listeners at most every throttleMs (now if `force`). */
  private changed(force = false): void {
    this.version++;
    const steady = this.opts.throttleMs ?? 100;
    const wait = this.progress.loaded ? steady : Math.max(steady, this.opts.loadingThrottleMs ?? 0);
    const now = Date.now();
    if (force || now - this.lastNotify >= wait) {
      this.notify();
      return;
    }
    this.timer ??= setTimeout(() => this.notify(), wait - (now - this.lastNotify));
  }

  private notify(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.lastNotify = Date.now();
    this.store.ensureSorted();
    for (const l of this.listeners) l();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.stopFollow?.();
    this.stopFollow = null;
  }
}
