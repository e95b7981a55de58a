/**
 * Something for every event of a scan (its NDJSON line, or the event itself), handed back in
 * timeline order (UTC, then reading order) without keeping them all in memory: `scan --format
 * ndjson` lists every event, and a 1 GiB log has ~2.6 million (1.7 GB of heap when the core kept
 * them). Items wait in a heap of RUN_EVENTS; when it is full, the first in timeline order is
 * written to the current run of one temporary file, unless it would come before the last one
 * written: then it waits for the next run (replacement selection). Events arrive nearly in
 * order (a log's times grow, with jitter across threads), so a log gives one run and a folder
 * about one per log, however long; shuffled input gives runs of ~2 × RUN_EVENTS. Reading merges
 * the runs, one block of each in memory at a time. A scan whose events fit in the heap never
 * touches the disk.
 *
 * Blocks are written with `v8.serialize` (structured clone, the format worker messages use), so
 * every value comes back as it was: -Infinity sort times, -0, NaN, key order.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import TinyQueue from 'tinyqueue';
import type { SortedEvent } from './model.js';

/**
 * Items held in memory, waiting to be written in order (~1.2 MB of lines). Enough for the jitter
 * of a log's times; more only keeps lines alive long enough to be promoted to the old generation:
 * a 1 GiB listing peaked at 199 MB with 8,192, 178 MB with 2,048, 175 MB with 1,024 or 512, at
 * the same speed (bench/RESULTS.md).
 */
export const RUN_EVENTS = 2048;
/**
 * Items per written block: the merge holds one block of every run, so this bounds its memory
 * (a folder of 50 logs: 50 runs × 128 items).
 */
export const BLOCK_EVENTS = 128;

export interface SpillOptions {
  runEvents?: number;
  blockEvents?: number;
  /** Where the temporary folder goes (default: the OS temp folder). */
  dir?: string;
  /**
   * Keep the file's name while writing, to hand it over (handOver). Otherwise it is removed from
   * its folder as soon as it is open, where the OS allows, so a killed scan leaves nothing.
   */
  handOver?: boolean;
}

/** The spill file could not be written or read (a full disk); names the file. */
export class SpillError extends Error {
  readonly code: string | undefined;
  constructor(file: string, cause: NodeJS.ErrnoException) {
    super(`cannot spill events to ${file}: ${cause.message}`);
    this.name = 'SpillError';
    this.code = cause.code;
  }
}

/** Where an event sits in the timeline (core.ts snapshot): sort time, then the order events were made. */
type Key = Pick<SortedEvent, 'sortMs' | 'seq'>;

export function timelineOrder(a: Key, b: Key): number {
  return a.sortMs - b.sortMs || a.seq - b.seq;
}

interface Entry<T> {
  sortMs: number;
  seq: number;
  item: T;
  /** The run it will be written to. */
  run: number;
}

/** The heap's order: by run, then timeline order. */
function entryOrder<T>(a: Entry<T>, b: Entry<T>): number {
  return a.run - b.run || timelineOrder(a, b);
}

/** A written block: the entries' keys in two typed arrays, their items in one array. */
interface BlockData<T> {
  sortMs: Float64Array;
  seq: Float64Array;
  items: T[];
}

/** A block read back: its keys copied out of the buffer it was read into. */
interface ReadBlock<T> {
  sortMs: number[];
  seq: number[];
  items: T[];
}

interface Block {
  offset: number;
  length: number;
}

/**
 * A spill handed from the thread that wrote it to the one that reads it: every run in the file,
 * nothing in memory. (Not the open descriptor: a worker's are closed when it ends.)
 */
export interface SpillState {
  file: string | null;
  dir: string | null;
  runs: Block[][];
  count: number;
}

/**
 * What a worker is asked to spill for an NDJSON listing, in a folder under `dir`: each event's
 * line (`lines`), or the event itself (the caller makes the lines, when redacting).
 */
export interface SpillJob {
  dir: string;
  lines: boolean;
}

/**
 * A worker's spill for `job`: `push` takes each batch of events (as their `line` when the job
 * asks for lines), and `spill` is handed over when the worker is done.
 */
export function spillForJob(job: SpillJob, line: (e: SortedEvent) => string): { spill: EventSpill<string | SortedEvent>; push: (events: readonly SortedEvent[]) => void } {
  const spill = new EventSpill<string | SortedEvent>({ dir: job.dir, handOver: true });
  const make = job.lines ? line : null;
  return { spill, push: (events) => spill.pushEvents(events, make) };
}

export class EventSpill<T> {
  private readonly runEvents: number;
  private readonly blockEvents: number;
  private readonly parent: string;
  private readonly keepName: boolean;
  /** Items waiting, in entryOrder. */
  private heap = new TinyQueue<Entry<T>>([], entryOrder);
  /** Written items of the current run not yet in a block. */
  private block: Entry<T>[] = [];
  private readonly runs: Block[][] = [];
  /** The run being written (its blocks are the last of `runs`). */
  private run = -1;
  /** The last item written. */
  private last: Key | null = null;
  private dir: string | null = null;
  private file: string | null = null;
  private fd: number | null = null;
  private written = 0;
  private added = 0;
  /** Handed-over spills' files, their runs and folders (adopt). */
  private readonly readers: { fd: number; file: string }[] = [];
  private readonly adoptedRuns: { reader: number; blocks: Block[] }[] = [];
  private readonly adopted: string[] = [];
  /** Where blocks are read back, one at a time (readBlock). */
  private readBuffer: Buffer = Buffer.alloc(0);

  constructor(opts: SpillOptions = {}) {
    this.runEvents = Math.max(1, opts.runEvents ?? RUN_EVENTS);
    this.blockEvents = Math.max(1, opts.blockEvents ?? BLOCK_EVENTS);
    this.parent = opts.dir ?? tmpdir();
    this.keepName = opts.handOver === true;
  }

  /** How many items were added. */
  get count(): number {
    return this.added;
  }

  /**
   * Spills other threads wrote and handed over (see handOver), read as one: this one now owns
   * their files. The parts of a parallel scan hand over one each; their seqs already order them.
   */
  static adopt<T>(states: readonly SpillState[]): EventSpill<T> {
    const spill = new EventSpill<T>();
    for (const state of states) {
      spill.added += state.count;
      if (state.dir !== null) spill.adopted.push(state.dir);
      if (state.file === null) continue;
      let fd: number;
      try {
        fd = openSync(state.file, 'r');
      } catch (e) {
        spill.dispose();
        throw new SpillError(state.file, e as NodeJS.ErrnoException);
      }
      spill.readers.push({ fd, file: state.file });
      for (const blocks of state.runs) spill.adoptedRuns.push({ reader: spill.readers.length - 1, blocks });
    }
    return spill;
  }

  /**
   * Writes what is still in memory as a last run, closes the file and gives it up, for another
   * thread to adopt (and dispose). This spill is then empty and owns nothing. Needs `handOver`.
   */
  handOver(): SpillState {
    if (!this.keepName) throw new Error('this spill was not made to be handed over');
    this.drain();
    const state: SpillState = { file: this.file, dir: this.dir, runs: this.runs.splice(0), count: this.added };
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.dir = null;
    return state;
  }

  /** Runs on disk (the one being written included, and adopted ones). */
  get spilledRuns(): number {
    return this.runs.length + this.adoptedRuns.length;
  }

  /** Adds `item` for the event at `at` in the timeline. */
  push(at: Key, item: T): void {
    // What would come before the last item written waits for the next run.
    const run = this.last !== null && timelineOrder(at, this.last) < 0 ? this.run + 1 : Math.max(this.run, 0);
    this.heap.push({ sortMs: at.sortMs, seq: at.seq, item, run });
    this.added++;
    if (this.heap.length > this.runEvents) this.write(this.heap.pop()!);
  }

  /** Pushes each event as its `line` (NDJSON), or as itself when `line` is null. */
  pushEvents(this: EventSpill<string | SortedEvent>, events: readonly SortedEvent[], line: ((e: SortedEvent) => string) | null): void {
    for (const e of events) this.push(e, line ? line(e) : e);
  }

  /**
   * Every item pushed, in its event's timeline order (seqs are unique, so the order is total).
   * Call once, after the last push; dispose() afterwards (or on an error).
   */
  *sorted(): Generator<T> {
    if (this.spilledRuns === 0) {
      // Everything is still in the heap, all for the first run.
      const heap = this.heap;
      this.heap = new TinyQueue<Entry<T>>([], entryOrder);
      while (heap.length > 0) yield heap.pop()!.item;
      return;
    }
    this.drain();
    const heads: Head<T>[] = [
      ...this.runs.map((blocks) => new DiskHead<T>((b) => this.readBlock(this.fd!, this.file!, b), blocks)),
      ...this.adoptedRuns.map(({ reader, blocks }) => {
        const r = this.readers[reader]!;
        return new DiskHead<T>((b) => this.readBlock(r.fd, r.file, b), blocks);
      }),
    ];
    // Run heads by their current item; a head that moves on goes back in at its new place.
    const heap = new TinyQueue<Head<T>>(heads.filter((h) => !h.done), timelineOrder);
    while (heap.length > 0) {
      const h = heap.pop()!;
      yield h.item();
      h.advance();
      if (!h.done) heap.push(h);
    }
  }

  /** Removes the temporary files and folders, adopted ones too (safe to call more than once). */
  dispose(): void {
    for (const r of this.readers.splice(0)) closeSync(r.fd);
    for (const d of this.adopted.splice(0)) rmSync(d, { recursive: true, force: true });
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    if (this.dir !== null) {
      rmSync(this.dir, { recursive: true, force: true });
      this.dir = null;
    }
    this.heap = new TinyQueue<Entry<T>>([], entryOrder);
    this.block = [];
  }

  /**
   * One block of a file, read back. Every block is read into one buffer: `deserialize` makes
   * the key arrays views of the buffer it reads, so a buffer per block lived as long as its
   * block's keys, outside the heap, where the garbage collector was slow to see it (a 2 GiB
   * NDJSON listing grew 32 MB while writing). The keys are copied out into the heap instead.
   */
  private readBlock(fd: number, file: string, b: Block): ReadBlock<T> {
    if (this.readBuffer.length < b.length) this.readBuffer = Buffer.allocUnsafe(Math.max(b.length, 2 * this.readBuffer.length));
    const buf = this.readBuffer;
    try {
      let got = 0;
      while (got < b.length) {
        const n = readSync(fd, buf, got, b.length - got, b.offset + got);
        if (n === 0) throw Object.assign(new Error('the spill file ended early'), { code: 'EIO' });
        got += n;
      }
    } catch (e) {
      throw new SpillError(file, e as NodeJS.ErrnoException);
    }
    const data = deserialize(buf.subarray(0, b.length)) as BlockData<T>;
    return { sortMs: Array.from(data.sortMs), seq: Array.from(data.seq), items: data.items };
  }

  /** Writes one item, in order, to its run (starting that run when it is the next one). */
  private write(e: Entry<T>): void {
    if (e.run !== this.run) {
      this.flushBlock();
      this.run = e.run;
      this.runs.push([]);
    }
    this.block.push(e);
    this.last = e;
    if (this.block.length >= this.blockEvents) this.flushBlock();
  }

  /** Everything still waiting, written. */
  private drain(): void {
    while (this.heap.length > 0) this.write(this.heap.pop()!);
    this.flushBlock();
  }

  private flushBlock(): void {
    const part = this.block;
    if (part.length === 0) return;
    this.block = [];
    const fd = this.open();
    try {
      const data: BlockData<T> = {
        sortMs: Float64Array.from(part, (e) => e.sortMs),
        seq: Float64Array.from(part, (e) => e.seq),
        items: part.map((e) => e.item),
      };
      const bytes = serialize(data);
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, this.written + done);
      this.runs[this.runs.length - 1]!.push({ offset: this.written, length: bytes.length });
      this.written += bytes.length;
    } catch (e) {
      throw new SpillError(this.file!, e as NodeJS.ErrnoException);
    }
  }

  private open(): number {
    if (this.fd !== null) return this.fd;
    try {
      this.dir = mkdtempSync(path.join(this.parent, 'attachscope-spill-'));
      this.file = path.join(this.dir, 'events.bin');
      this.fd = openSync(this.file, 'w+', 0o600);
    } catch (e) {
      throw new SpillError(this.file ?? this.parent, e as NodeJS.ErrnoException);
    }
    // Gone from the folder at once where the OS allows it (not Windows): a scan killed by a
    // signal then leaves nothing behind. dispose() removes the folder either way.
    if (!this.keepName) {
      try {
        unlinkSync(this.file);
      } catch {
        // kept until dispose()
      }
    }
    return this.fd;
  }
}

interface Head<T> {
  /** No entry left. */
  readonly done: boolean;
  /** The current entry's key. */
  readonly sortMs: number;
  readonly seq: number;
  item(): T;
  advance(): void;
}

/** A written run, read one block at a time. */
class DiskHead<T> implements Head<T> {
  private block: ReadBlock<T> = { sortMs: [], seq: [], items: [] };
  private at = 0;
  private next = 0;
  constructor(private readonly read: (b: Block) => ReadBlock<T>, private readonly blocks: Block[]) {
    this.load();
  }
  get done(): boolean {
    return this.at >= this.block.items.length;
  }
  get sortMs(): number {
    return this.block.sortMs[this.at]!;
  }
  get seq(): number {
    return this.block.seq[this.at]!;
  }
  item(): T {
    return this.block.items[this.at]!;
  }
  advance(): void {
    if (++this.at >= this.block.items.length) this.load();
  }
  private load(): void {
    if (this.next < this.blocks.length) this.block = this.read(this.blocks[this.next++]!);
    else this.block = { sortMs: [], seq: [], items: [] };
    this.at = 0;
  }
}
