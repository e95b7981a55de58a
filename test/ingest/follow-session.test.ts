import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Session } from '../../src/analysis/session.js';
import { cm, srv, tempDir } from '../helpers/tmp.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => { t = tempDir('attachscope-follow-session-'); });
afterEach(() => t.cleanup());

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
    expect(s.store.rows.map((r) => r.rec.message)).toEqual(['one']);
    appendFileSync(log, cm('two', '10:00:01.000+000') + '\r\n');
    renameSync(log, path.join(t.dir, 'Third.lo_'));
    writeFileSync(log, srv('three', '01-02-2026 10:00:02.000+000') + '\r\n');
    await until(() => s.store.size === 3, 5000, 'three records');
    expect(s.store.rows.map((r) => r.rec.message)).toEqual(['one', 'two', 'three']);
    expect(s.store.rows.every((r) => r.rec.bias === -60)).toBe(true);
    const a = s.analysis()!;
    expect(a.sources).toHaveLength(1);
    expect(a.sources[0]).toMatchObject({ name: 'Third', records: 3, biasOverride: -60 });
    await s.stop();
    expect(s.progress.bytesRead).toBeGreaterThan(0);
  });
});
