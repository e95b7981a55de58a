/**
 * A stretch of a zip entry for a part of a parallel scan whose cuts inside it are only aimed
 * at: a deflate stream cannot be entered in the middle, so the planner cannot look there
 * without inflating the entry up to it. Each side finds the cut itself, by one rule on the same
 * bytes (cut-point.ts): the part before it inflates on past its aim until it sees the record
 * start there and stops at it; the part after it inflates the entry from its start, dropping
 * (and counting the lines of) what comes before, finds the same record start and reads from
 * its warm-up on. The merge checks that the two met (parallel/run.ts).
 */
import { countLines } from './read.js';
import { cutIn, cutWindow, PROBE_BEFORE } from './cut-point.js';
import { scavenger, zipEntryChunks, type ZipSpan } from './zip-entry.js';

/** What a part reads of an entry: from `start` to `end`, each a byte offset or a cut aimed at there. */
export interface AimedRange {
  start: number;
  end: number;
  aimedStart: boolean;
  aimedEnd: boolean;
}

/** Where the cuts fell, filled in as the entry is read: `start`/`warmFrom`/`line` before its first bytes come, `end` before its last. */
export interface SettledRange {
  /** The record start the part begins at (the cut), or `start` when not aimed. */
  start: number;
  /** Where its bytes begin (the warm-up's start), and that byte's line number. */
  warmFrom: number;
  line: number;
  /** Where its bytes end. */
  end: number;
}

/** Inflated bytes held from offset `base`, pulled from the entry as needed. */
class Held {
  private readonly chunks: Buffer[] = [];
  base = 0;
  end = 0;
  done = false;
  private readonly it: AsyncIterator<Uint8Array>;

  constructor(it: AsyncIterator<Uint8Array>) {
    this.it = it;
  }

  /** Pulls chunks until bytes up to `to` are held (or the entry ends), letting go of those below `dropBelow`. */
  async fill(to: number, dropBelow: number, dropped: (b: Buffer) => void): Promise<void> {
    while (this.end < to && !this.done) {
      const next = await this.it.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const c = next.value;
      this.chunks.push(Buffer.from(c.buffer, c.byteOffset, c.length));
      this.end += c.length;
      for (const b of this.take(dropBelow)) dropped(b);
    }
  }

  /** Lets go of the held bytes below `upTo`, returning them. */
  take(upTo: number): Buffer[] {
    const out: Buffer[] = [];
    while (this.chunks.length && this.base < upTo) {
      const c = this.chunks[0]!;
      const n = Math.min(c.length, upTo - this.base);
      out.push(c.subarray(0, n));
      if (n === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(n);
      this.base += n;
    }
    return out;
  }

  /** The held bytes below `to`: the two sides of a cut look at exactly the same ones. */
  bytes(to: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    return all.subarray(0, Math.max(0, to - this.base));
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/**
 * The bytes of `range` of the entry at `span` (the log file `path`, `size` bytes expanded), its
 * aimed cuts settled into `settled`. A cut with no record start near it falls at the entry's
 * end (the part after it reads nothing of the entry, and the merge refuses the cut). Read to
 * the entry's end, the entry is checked whole (size, CRC-32).
 */
export async function* zipCutChunks(span: ZipSpan, path: string, size: number, range: AimedRange, settled: Partial<SettledRange>): AsyncGenerator<Uint8Array> {
  const held = new Held(zipEntryChunks(span)[Symbol.asyncIterator]());
  // Inflating only to drop, the thread allocates little else: collect as it goes (zip-entry.ts).
  const scavenge = scavenger();
  let lines = 0;
  const drop = (b: Buffer): void => {
    lines += countLines(b);
    scavenge(b.length);
  };
  try {
    let from = range.start;
    if (range.aimedStart) {
      const w = cutWindow(range.start, size);
      await held.fill(w.to, w.from, drop);
      const cut = cutIn(held.bytes(w.to), held.base, range.start, size, path);
      settled.start = cut ? cut.start : size;
      from = cut ? (cut.warmFrom ?? cut.start) : size;
    } else {
      settled.start = range.start;
    }
    await held.fill(from, from, drop);
    for (const b of held.take(from)) drop(b);
    settled.warmFrom = from;
    settled.line = lines + 1;
    let end = range.end;
    if (range.aimedEnd) {
      // Everything before the probe's start is the part's; the probe's bytes are held to find the cut.
      const keepFrom = Math.max(from, range.end - PROBE_BEFORE - 1);
      while (held.base < keepFrom && !(held.done && held.end <= held.base)) {
        await held.fill(held.end + 1, 0, drop);
        for (const b of held.take(Math.min(keepFrom, held.end))) yield b;
      }
      const to = cutWindow(range.end, size).to;
      await held.fill(to, 0, drop);
      const cut = held.base <= range.end ? cutIn(held.bytes(to), held.base, range.end, size, path) : null;
      end = cut ? cut.start : size;
    }
    settled.end = end;
    for (;;) {
      for (const b of held.take(end)) if (b.length) yield b;
      if (held.base >= end && end < size) return;
      if (held.done) return;
      await held.fill(held.end + 1, 0, drop);
    }
  } finally {
    await held.close();
  }
}
