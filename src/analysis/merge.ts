import type { LogRecord } from '../../parsers/types.js';
import type { LogicalSource } from '../ingest/discover.js';
import { emptyReport, readFileRecords } from '../ingest/read.js';
import { readOptionsFor, type BiasOverride } from './bias-override.js';

/** One source's records, a batch at a time, with each record's ordering key. */
interface Cursor {
  it: AsyncIterator<LogRecord[]>;
  batch: LogRecord[];
  at: number;
  /** Last UTC seen in this source: records without time sort right after it. */
  lastUtc: number;
  order: number;
}

async function* sourceRecords(src: LogicalSource, overrides: readonly BiasOverride[]): AsyncGenerator<LogRecord[]> {
  const { readOpts } = readOptionsFor(src, overrides);
  for (const file of src.files) {
    yield* readFileRecords(file, readOpts, emptyReport(file.path));
  }
}

function key(c: Cursor): number {
  const r = c.batch[c.at]!;
  return r.utcMs ?? c.lastUtc;
}

async function fill(c: Cursor): Promise<boolean> {
  while (c.at >= c.batch.length) {
    const next = await c.it.next();
    if (next.done) return false;
    c.batch = next.value;
    c.at = 0;
  }
  return true;
}

/**
 * Every record of every source in one UTC order (a k-way merge of the per-file streams, which
 * are in time order already). Memory holds one batch per source, whatever the input size.
 * Records without a time keep their place after the record before them in their own file; ties
 * keep source order, so the output is stable.
 */
export async function* mergedRecords(sources: readonly LogicalSource[], overrides: readonly BiasOverride[] = []): AsyncGenerator<LogRecord> {
  const live: Cursor[] = [];
  for (const [order, src] of sources.entries()) {
    const c: Cursor = { it: sourceRecords(src, overrides)[Symbol.asyncIterator](), batch: [], at: 0, lastUtc: Number.NEGATIVE_INFINITY, order };
    if (await fill(c)) live.push(c);
  }
  while (live.length > 0) {
    let best = 0;
    for (let i = 1; i < live.length; i++) {
      const a = key(live[i]!);
      const b = key(live[best]!);
      if (a < b || (a === b && live[i]!.order < live[best]!.order)) best = i;
    }
    const c = live[best]!;
    const r = c.batch[c.at++]!;
    if (r.utcMs !== null) c.lastUtc = r.utcMs;
    yield r;
    if (!(await fill(c))) live.splice(best, 1);
  }
}
