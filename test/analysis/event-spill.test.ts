import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventSpill, timelineOrder } from '../../src/analysis/event-spill.js';

let parent: string;
beforeEach(() => {
  parent = mkdtempSync(path.join(tmpdir(), 'attachscope-spill-test-'));
});
afterEach(() => rmSync(parent, { recursive: true, force: true }));

interface Pushed {
  sortMs: number;
  seq: number;
  item: unknown;
}

/** What the timeline would list: the items by sort time, then seq. */
function expected(pushed: Pushed[]): unknown[] {
  return [...pushed].sort(timelineOrder).map((p) => p.item);
}

// Sort times as a log gives them: repeats, -Infinity (no time yet), out of order.
const sortMsArb = fc.oneof(fc.constantFrom(Number.NEGATIVE_INFINITY, 0, 1000), fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_050 }));
const itemArb = fc.oneof(
  fc.string(),
  fc.record({ text: fc.string(), n: fc.oneof(fc.double(), fc.constant(-0), fc.constant(Number.NaN)), flag: fc.boolean(), none: fc.constant(null) }),
);

describe('EventSpill', () => {
  it('hands every item back in timeline order, whatever the run and block sizes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(sortMsArb, itemArb), { maxLength: 200 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 9 }),
        (rows, runEvents, blockEvents) => {
          // seqs are unique and grow in reading order; sort times need not.
          const pushed: Pushed[] = rows.map(([sortMs, item], seq) => ({ sortMs, seq, item }));
          const spill = new EventSpill<unknown>({ runEvents, blockEvents, dir: parent });
          try {
            for (const p of pushed) spill.push(p, p.item);
            expect(spill.count).toBe(pushed.length);
            // Nothing is written while everything fits in memory.
            if (pushed.length <= runEvents) expect(spill.spilledRuns).toBe(0);
            else expect(spill.spilledRuns).toBeGreaterThan(0);
            // toEqual tells -0 from 0 and matches NaN: every value comes back as it went in.
            expect([...spill.sorted()]).toEqual(expected(pushed));
          } finally {
            spill.dispose();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps each run read back apart with full-size blocks (one read buffer serves every run)', () => {
    // Times out of order so that many runs are merged at once, each holding a block while the
    // others read theirs; 128-event blocks are the size whose keys deserialize as views of the
    // buffer read (the case a shared buffer must not break).
    let x = 7;
    const pushed: Pushed[] = Array.from({ length: 6000 }, (_v, seq) => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return { sortMs: 1_700_000_000_000 + (x % 5000), seq, item: `line ${seq}` };
    });
    const spill = new EventSpill<unknown>({ runEvents: 100, blockEvents: 128, dir: parent });
    try {
      for (const p of pushed) spill.push(p, p.item);
      expect(spill.spilledRuns).toBeGreaterThan(10);
      expect([...spill.sorted()]).toEqual(expected(pushed));
    } finally {
      spill.dispose();
    }
  });

  it('a scan whose events fit in one run never touches the disk', () => {
    const spill = new EventSpill<string>({ runEvents: 10, dir: parent });
    for (let seq = 9; seq >= 1; seq--) spill.push({ sortMs: seq % 3, seq }, `e${seq}`);
    expect(readdirSync(parent)).toEqual([]);
    expect([...spill.sorted()]).toEqual(['e3', 'e6', 'e9', 'e1', 'e4', 'e7', 'e2', 'e5', 'e8']);
    spill.dispose();
  });

  it('spilled runs live in one temporary folder that dispose() removes', () => {
    const spill = new EventSpill<string>({ runEvents: 4, blockEvents: 2, dir: parent });
    for (let seq = 0; seq < 10; seq++) spill.push({ sortMs: 100 - seq, seq }, `e${seq}`);
    // Every item comes before the last one written: each run holds what the heap held.
    expect(spill.spilledRuns).toBe(2);
    expect(readdirSync(parent)).toHaveLength(1);
    expect([...spill.sorted()]).toEqual(Array.from({ length: 10 }, (_, i) => `e${9 - i}`));
    spill.dispose();
    spill.dispose();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a log in order with jitter smaller than the heap is one run, however long; a folder one run per log', () => {
    const jittery = new EventSpill<number>({ runEvents: 16, blockEvents: 8, dir: parent });
    const pushed: Pushed[] = [];
    for (let seq = 0; seq < 2000; seq++) pushed.push({ sortMs: 1000 + seq + ((seq * 7919) % 13) - 6, seq, item: seq });
    for (const p of pushed) jittery.push(p, p.item as number);
    expect([...jittery.sorted()]).toEqual(expected(pushed));
    expect(jittery.spilledRuns).toBe(1);
    jittery.dispose();

    // Three logs read one after the other, each over the same hours.
    const folder = new EventSpill<number>({ runEvents: 16, blockEvents: 8, dir: parent });
    const logs: Pushed[] = [];
    for (let log = 0; log < 3; log++) for (let i = 0; i < 500; i++) logs.push({ sortMs: i * 3 + log, seq: logs.length, item: logs.length });
    for (const p of logs) folder.push(p, p.item as number);
    expect([...folder.sorted()]).toEqual(expected(logs));
    expect(folder.spilledRuns).toBe(3);
    folder.dispose();
  });

  it('is handed from the thread that wrote it to the one that reads it', () => {
    const writer = new EventSpill<{ n: number }>({ runEvents: 3, blockEvents: 2, dir: parent, handOver: true });
    for (let seq = 0; seq < 8; seq++) writer.push({ sortMs: seq % 2, seq }, { n: seq });
    const state = writer.handOver();
    // Everything on disk, what was still in memory too, under its name until the reader disposes.
    expect(state.runs.length).toBeGreaterThan(0);
    expect(state.count).toBe(8);
    expect(existsSync(state.file!)).toBe(true);
    writer.dispose(); // owns nothing any more
    expect(existsSync(state.file!)).toBe(true);
    const reader = EventSpill.adopt<{ n: number }>([state]);
    expect([...reader.sorted()].map((x) => x.n)).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
    reader.dispose();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('only a spill made for it can be handed over', () => {
    const spill = new EventSpill<string>({ dir: parent });
    expect(() => spill.handOver()).toThrow(/not made to be handed over/);
    spill.dispose();
  });

  it('a folder that cannot be written is a SpillError naming it', () => {
    const spill = new EventSpill<string>({ runEvents: 1, blockEvents: 1, dir: path.join(parent, 'missing', 'deeper') });
    spill.push({ sortMs: 0, seq: 0 }, 'x'); // held in memory
    expect(() => spill.push({ sortMs: 0, seq: 1 }, 'y')).toThrow(expect.objectContaining({ name: 'SpillError', message: expect.stringContaining('cannot spill events to') }));
    spill.dispose();
  });
});
