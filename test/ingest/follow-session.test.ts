import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Session } from '../../src/analysis/session.js';
import type { RecordStore } from '../../src/analysis/record-store.js';
import type { LogRecord } from '../../parsers/types.js';
import { cm, srv, tempDir } from '../helpers/tmp.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => { t = tempDir('attachscope-follow-session-'); });
afterEach(() => t.cleanup());

/** The store's rows in merged order, read back from the files where they are now (not from the row cache). */
function records(store: RecordStore): LogRecord[] {
  store.ensureSorted();
  const ids = Array.from({ length: store.count }, (_, p) => store.idAt(p));
  const byId = new Map<number, LogRecord>();
  store.readRecords(ids, (id, rec) => byId.set(id, rec));
  return ids.map((id) => byId.get(id)!);
}

async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Session with follow: true (the TUI and scan --follow path)', () => {
  it('reads, follows appends and a rollover, applies --bias overrides, and stops', async () => {
    const log = path.join(t.dir, 'Third.log');
    writeFileSync(log, cm('one', '10:00:00.000+000') + '\r\n');
    const s = new Session([t.dir], { follow: true, keepRecords: true, rules: [], throttleMs: 0, biasOverrides: [{ glob: 'Third*.log', minutes: -60 }] });
    await s.start();
    expect(s.error).toBeNull();
    expect(s.progress).toMatchObject({ loaded: true, following: true });
    expect(records(s.store).map((r) => r.message)).toEqual(['one']);
    appendFileSync(log, cm('two', '10:00:01.000+000') + '\r\n');
    renameSync(log, path.join(t.dir, 'Third.lo_'));
    writeFileSync(log, srv('three', '01-02-2026 10:00:02.000+000') + '\r\n');
    await until(() => s.store.size === 3, 5000, 'three records');
    // 'one' and 'two' are read back from Third.lo_ now: the file they were read from rolled over.
    expect(records(s.store).map((r) => r.message)).toEqual(['one', 'two', 'three']);
    expect(records(s.store).every((r) => r.bias === -60)).toBe(true);
    const a = s.analysis()!;
    expect(a.sources).toHaveLength(1);
    expect(a.sources[0]).toMatchObject({ name: 'Third', records: 3, biasOverride: -60 });
    await s.stop();
    expect(s.progress.bytesRead).toBeGreaterThan(0);
  });
});
