import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { ExpandedEntries } from '../../src/analysis/expanded-entries.js';
import { MAX_EXPANDED_BYTES } from '../../src/ingest/zip-aside.js';
import { listZip } from '../../src/ingest/zip-disk.js';
import type { ZipSpan } from '../../src/ingest/zip-entry.js';
import { tempDir } from '../helpers/tmp.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => { t = tempDir(); });
afterEach(() => t.cleanup());

async function spans(): Promise<Map<string, ZipSpan>> {
  const z = path.join(t.dir, 'b.zip');
  writeFileSync(z, zipSync(Object.fromEntries(['A', 'B', 'C'].map((n) => [`${n}.log`, strToU8(`${n}\r\n`.repeat(1000))]))));
  return new Map((await listZip(z)).entries.map((e) => [e.name, e.span]));
}

describe('zip entries expanded to read records back', () => {
  it('keeps the most recently used within its budget, the newest always', async () => {
    const s = await spans();
    const cache = new ExpandedEntries(6000); // two entries of 3,000 bytes
    const a1 = cache.get('A', s.get('A.log')!);
    expect(Buffer.from(a1!).toString().slice(0, 3)).toBe('A\r\n');
    cache.get('B', s.get('B.log')!);
    expect(cache.get('A', s.get('A.log')!)).toBe(a1); // kept, and now the most recent
    cache.get('C', s.get('C.log')!); // over budget: B, the least recent, goes
    expect(cache.size).toBe(2);
    expect(cache.get('A', s.get('A.log')!)).toBe(a1);
    const tiny = new ExpandedEntries(10);
    expect(tiny.get('A', s.get('A.log')!)).not.toBeNull();
    expect(tiny.size).toBe(1);
  });

  it('says null for an entry it cannot expand: too big, corrupt, or gone', async () => {
    const s = await spans();
    const cache = new ExpandedEntries();
    const a = s.get('A.log')!;
    expect(cache.get('big', { ...a, size: MAX_EXPANDED_BYTES + 1 })).toBeNull();
    expect(cache.get('crc', { ...a, crc32: a.crc32 ^ 1 })).toBeNull();
    expect(cache.get('gone', { ...a, archive: path.join(t.dir, 'missing.zip') })).toBeNull();
    expect(cache.size).toBe(0);
  });
});
