import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { discover } from '../../src/ingest/discover.js';
import { readFileRecords, emptyReport } from '../../src/ingest/read.js';
import { listZip } from '../../src/ingest/zip-disk.js';
import { scratchFolder } from '../../src/ingest/temp-folder.js';
import { entryHead, expandZipEntry, zipEntryChunks, type ZipSpan } from '../../src/ingest/zip-entry.js';
import { zipCutChunks, type SettledRange } from '../../src/ingest/zip-cut.js';
import { cutIn, cutWindow } from '../../src/ingest/cut-point.js';
import { cm, tempDir } from '../helpers/tmp.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => { t = tempDir(); });
afterEach(() => t.cleanup());

/** Varied text (compresses, but not to nothing), `n` CMTrace lines. */
function logText(n: number, tag = 'Batching'): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(cm(`${tag} ${i} records for ${(i * 7919) % 10007}`));
  return `${lines.join('\r\n')}\r\n`;
}

/** Offsets of each central directory record (signature PK\1\2) of a zip. */
function centralRecords(z: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= z.length; i++) if (z[i] === 0x50 && z[i + 1] === 0x4b && z[i + 2] === 1 && z[i + 3] === 2) out.push(i);
  return out;
}

function write(name: string, z: Uint8Array): string {
  const p = path.join(t.dir, name);
  writeFileSync(p, z);
  return p;
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; chunks: number; error: string | null }> {
  const parts: Uint8Array[] = [];
  try {
    for await (const c of it) parts.push(Buffer.from(c));
    return { bytes: Buffer.concat(parts), chunks: parts.length, error: null };
  } catch (e) {
    return { bytes: Buffer.concat(parts), chunks: parts.length, error: (e as Error).message };
  }
}

describe('zip archives read from disk', () => {
  it('lists the log entries with where their bytes are; folders and other files are left out', async () => {
    const a = logText(3000);
    const b = logText(10, 'Stored');
    const z = write('bundle.zip', zipSync({
      'SCP01/Logs/CMGatewaySyncUploadWorker.log': [strToU8(a), { level: 6 }],
      'SCP01/Logs/BgbServer.lo_': [strToU8(b), { level: 0 }],
      'SCP01/readme.txt': strToU8('not a log'),
      'SCP01/empty/': new Uint8Array(0),
    }));
    const listing = await listZip(z);
    expect(listing.problems).toEqual([]);
    expect(listing.entries.map((e) => [e.name, e.span.method, e.span.size])).toEqual([
      ['SCP01/Logs/CMGatewaySyncUploadWorker.log', 8, Buffer.byteLength(a)],
      ['SCP01/Logs/BgbServer.lo_', 0, Buffer.byteLength(b)],
    ]);
    const [deflated, stored] = listing.entries.map((e) => e.span) as [ZipSpan, ZipSpan];
    expect(deflated.compressedSize).toBeLessThan(deflated.size);
    // Streamed in pieces, and whole when expanded at once.
    const streamed = await collect(zipEntryChunks(deflated));
    expect(streamed.error).toBeNull();
    expect(streamed.bytes.toString('utf8')).toBe(a);
    expect(streamed.chunks).toBeGreaterThan(1);
    expect(Buffer.from(expandZipEntry(deflated)).toString('utf8')).toBe(a);
    expect((await collect(zipEntryChunks(stored))).bytes.toString('utf8')).toBe(b);
    expect(Buffer.from(expandZipEntry(stored)).toString('utf8')).toBe(b);
  });

  it('discovery keeps where an entry is, not its bytes; reading streams it', async () => {
    const a = logText(2000);
    const z = write('bundle.zip', zipSync({ 'SCP01/CMGatewaySyncUploadWorker.log': strToU8(a) }));
    const { sources, problems } = await discover([z]);
    expect(problems).toEqual([]);
    const f = sources[0]!.files[0]!;
    expect(f.data).toBeUndefined();
    expect(f.zip).toMatchObject({ archive: z, size: Buffer.byteLength(a), method: 8 });
    expect(f).toMatchObject({ path: `${z}!SCP01/CMGatewaySyncUploadWorker.log`, name: 'CMGatewaySyncUploadWorker.log', size: Buffer.byteLength(a) });
    const report = emptyReport(f.path);
    let records = 0;
    for await (const batch of readFileRecords(f, { log: 'CMGatewaySyncUploadWorker' }, report)) records += batch.length;
    expect(records).toBe(2000);
    expect(report.error).toBeUndefined();
    expect(report.bytes).toBe(Buffer.byteLength(a));
  });

  it("reads an entry's head, and a stretch of it, finding the cuts aimed at on both sides alike", async () => {
    const text = Buffer.from(logText(60000)); // ~6 MB: cuts past the first MiB warm up from inside
    const short = Buffer.from(logText(3));
    const z = write('range.zip', zipSync({ 'D.log': text, 'S.log': [text, { level: 0 }], 'T.log': short }));
    const spans = new Map((await listZip(z)).entries.map((e) => [e.name, e.span]));
    const size = text.length;
    const cutAt = (target: number) => {
      const w = cutWindow(target, size);
      return cutIn(text.subarray(w.from, w.to), w.from, target, size, 'D.log')!;
    };
    const lineAt = (offset: number) => text.subarray(0, offset).toString('latin1').split('\n').length;
    for (const name of ['D.log', 'S.log']) {
      const span = spans.get(name)!;
      expect(Buffer.from(entryHead(span)).equals(text.subarray(0, 4096))).toBe(true);
      // Plain stretches: lines counted over what is dropped.
      for (const [start, end] of [[0, 1000], [123_457, 700_001], [size - 10, size]] as const) {
        const settled: Partial<SettledRange> = {};
        const got = await collect(zipCutChunks(span, name, size, { start, end, aimedStart: false, aimedEnd: false }, settled));
        expect(got.error).toBeNull();
        expect(got.bytes.equals(text.subarray(start, end)), `${name} ${start}-${end}`).toBe(true);
        expect(settled).toEqual({ start, warmFrom: start, line: lineAt(start), end });
      }
      // Aimed cuts: the part before one stops where the part after it begins (after its warm-up).
      const [t1, t2] = [2_500_000, 4_000_000];
      const [c1, c2] = [cutAt(t1), cutAt(t2)];
      expect(c1.start).toBeGreaterThanOrEqual(t1);
      expect(c1.warmFrom).toBeGreaterThan(0);
      const before: Partial<SettledRange> = {};
      expect((await collect(zipCutChunks(span, name, size, { start: 0, end: t1, aimedStart: false, aimedEnd: true }, before))).bytes.equals(text.subarray(0, c1.start))).toBe(true);
      expect(before.end).toBe(c1.start);
      const middle: Partial<SettledRange> = {};
      const mid = await collect(zipCutChunks(span, name, size, { start: t1, end: t2, aimedStart: true, aimedEnd: true }, middle));
      expect(middle).toEqual({ start: c1.start, warmFrom: c1.warmFrom, line: lineAt(c1.warmFrom!), end: c2.start });
      expect(mid.bytes.equals(text.subarray(c1.warmFrom!, c2.start))).toBe(true);
      const after: Partial<SettledRange> = {};
      expect((await collect(zipCutChunks(span, name, size, { start: t2, end: size, aimedStart: true, aimedEnd: false }, after))).bytes.equals(text.subarray(c2.warmFrom!))).toBe(true);
      expect(after.start).toBe(c2.start);
    }
    expect(Buffer.from(entryHead(spans.get('T.log')!)).equals(short)).toBe(true);
    // Read to its end, a stretch is checked like the whole entry; stopped before, it cannot be.
    const bad = { ...spans.get('D.log')!, crc32: 12345 };
    expect((await collect(zipCutChunks(bad, 'D.log', size, { start: 1000, end: size, aimedStart: false, aimedEnd: false }, {}))).error).toMatch(/CRC-32/);
    expect((await collect(zipCutChunks(bad, 'D.log', size, { start: 1000, end: 2000, aimedStart: false, aimedEnd: false }, {}))).error).toBeNull();
  });

  it('an entry that expands past its stated size, ends early, fails its CRC or is damaged: an error after the good bytes', async () => {
    const a = logText(4000);
    const good = zipSync({ 'A.log': strToU8(a) });
    const cd = centralRecords(good)[0]!;
    const patched = (offset: number, value: number) => {
      const z = Buffer.from(good);
      z.writeUInt32LE(value >>> 0, cd + offset);
      return write(`p${offset}-${value}.zip`, z);
    };
    const spanOf = async (p: string) => (await listZip(p)).entries[0]!.span;
    const size = Buffer.byteLength(a);

    const small = await spanOf(patched(24, size - 1000)); // stated size: 1000 bytes fewer
    const over = await collect(zipEntryChunks(small));
    expect(over.error).toMatch(/expands past its stated size/);
    expect(over.bytes.length).toBeLessThanOrEqual(size);
    expect(() => expandZipEntry(small)).toThrow(/expands past its stated size/);

    const big = await spanOf(patched(24, size + 10));
    expect((await collect(zipEntryChunks(big))).error).toMatch(/ends after \d+ of its stated/);
    expect(() => expandZipEntry(big)).toThrow(/ends after/);

    const crc = await spanOf(patched(16, 12345));
    const crcRead = await collect(zipEntryChunks(crc));
    expect(crcRead.error).toMatch(/CRC-32/);
    expect(crcRead.bytes.toString('utf8')).toBe(a);
    expect(() => expandZipEntry(crc)).toThrow(/CRC-32/);

    const damaged = Buffer.from(good);
    for (let i = 200; i < 260; i++) damaged[i] = damaged[i]! ^ 0x5a;
    const dam = await spanOf(write('damaged.zip', damaged));
    expect((await collect(zipEntryChunks(dam))).error).not.toBeNull();
    expect(() => expandZipEntry(dam)).toThrow();
  });

  it('a corrupt entry is reported on its file and the archive\'s other entries are read', async () => {
    const z0 = Buffer.from(zipSync({ 'A.log': strToU8(logText(3000)), 'B.log': strToU8(logText(5, 'Fine')) }));
    for (let i = 120; i < 180; i++) z0[i] = z0[i]! ^ 0x5a; // inside A.log's deflate data
    const z = write('bundle.zip', z0);
    const { sources } = await discover([z]);
    const byName = new Map(sources.map((s) => [s.name, s.files[0]!]));
    const ra = emptyReport(`${z}!A.log`);
    for await (const _ of readFileRecords(byName.get('A')!, { log: 'A' }, ra)) { /* drain */ }
    expect(ra.error).toMatch(/^read error: corrupt zip entry after \d+ bytes \(.+\)$/);
    const rb = emptyReport(`${z}!B.log`);
    let n = 0;
    for await (const batch of readFileRecords(byName.get('B')!, { log: 'B' }, rb)) n += batch.length;
    expect(rb.error).toBeUndefined();
    expect(n).toBe(5);
  });

  it('skips unsafe names, unsupported methods and bombs by what the central directory states, and reads the rest', async () => {
    const z0 = Buffer.from(zipSync({
      '..\\up.log': strToU8('x\r\n'),
      'odd.log': strToU8(logText(50)),
      'zeros.log': [new Uint8Array(4 << 20), { level: 9 }],
      'ok.log': strToU8(logText(5)),
    }));
    // Say odd.log is bzip2 (method 12), in its central record.
    const odd = centralRecords(z0).find((o) => z0.subarray(o + 46, o + 46 + 7).toString() === 'odd.log')!;
    z0.writeUInt16LE(12, odd + 10);
    const z = write('mixed.zip', z0);
    const listing = await listZip(z, { maxEntryBytes: 1 << 30, maxTotalBytes: 1 << 30, maxRatio: 500 });
    expect(listing.entries.map((e) => e.name)).toEqual(['ok.log']);
    expect(listing.problems).toEqual([
      { entry: '..\\up.log', reason: expect.stringMatching(/unsafe path/) },
      { entry: 'odd.log', reason: expect.stringMatching(/compression method 12/) },
      { entry: 'zeros.log', reason: expect.stringMatching(/possible zip bomb/) },
    ]);
    const capped = await listZip(z, { maxEntryBytes: 100, maxTotalBytes: 1 << 30, maxRatio: 1e9 });
    expect(capped.entries).toEqual([]);
    const total = await listZip(z, { maxEntryBytes: 1 << 30, maxTotalBytes: (4 << 20) + 10, maxRatio: 1e9 });
    expect(total.entries.map((e) => e.name)).toEqual(['zeros.log']);
    expect(total.problems.at(-1)).toEqual({ entry: 'ok.log', reason: expect.stringMatching(/total cap/) });
  });

  it('reads the zips a zip holds (one per machine), and says what it does not read of them', async () => {
    const agent = logText(30, 'Agent');
    const upload = logText(20, 'Upload');
    const z = write('case.zip', zipSync({
      'CLIENT7.zip': [zipSync({ 'Logs/CcmNotificationAgent.log': strToU8(agent) }), { level: 0 }],
      'SCP01.ZIP': zipSync({ 'CMGatewaySyncUploadWorker.log': [strToU8(upload), { level: 0 }], 'deeper.zip': zipSync({ 'X.log': strToU8('x\r\n') }) }),
      'broken.zip': strToU8('PK\u0003\u0004 this is not really a zip'),
      'MP01/BgbServer.log': strToU8(logText(5, 'Bgb')),
    }));
    const listing = await listZip(z);
    expect(listing.entries.map((e) => e.name).sort()).toEqual(['CLIENT7.zip!Logs/CcmNotificationAgent.log', 'MP01/BgbServer.log', 'SCP01.ZIP!CMGatewaySyncUploadWorker.log']);
    expect(listing.problems).toEqual([
      { entry: 'SCP01.ZIP!deeper.zip', reason: expect.stringMatching(/zip inside a zip inside the zip: not read/) },
      { entry: 'broken.zip', reason: expect.stringMatching(/a zip inside the zip that cannot be read/) },
    ]);
    // A stored inner zip is read where it lies; a deflated one from a temporary file it is
    // expanded to, which goes when the process exits.
    const inStored = listing.entries.find((e) => e.name.startsWith('CLIENT7'))!.span;
    expect(inStored.archive).toBe(z);
    expect((await collect(zipEntryChunks(inStored))).bytes.toString('utf8')).toBe(agent);
    expect(Buffer.from(expandZipEntry(inStored)).toString('utf8')).toBe(agent);
    const inDeflated = listing.entries.find((e) => e.name.startsWith('SCP01'))!.span;
    expect(path.basename(inDeflated.archive)).toMatch(/^\d+-SCP01\.ZIP$/);
    expect(path.dirname(inDeflated.archive)).toBe(scratchFolder());
    expect(readFileSync(inDeflated.archive).subarray(0, 2).toString('latin1')).toBe('PK');
    expect((await collect(zipEntryChunks(inDeflated))).bytes.toString('utf8')).toBe(upload);
    expect(Buffer.from(expandZipEntry(inDeflated)).toString('utf8')).toBe(upload);
    // Discovery names the machine after the inner zip, and the files read as any other.
    const { sources } = await discover([z]);
    const byName = new Map(sources.map((s) => [s.name, s]));
    expect(byName.get('CcmNotificationAgent')).toMatchObject({ machine: 'CLIENT7' });
    expect(byName.get('CcmNotificationAgent')!.files[0]).toMatchObject({ path: `${z}!CLIENT7.zip!Logs/CcmNotificationAgent.log`, name: 'CcmNotificationAgent.log', dir: `${z}!CLIENT7.zip!Logs` });
    expect(byName.get('CMGatewaySyncUploadWorker')).toMatchObject({ machine: 'SCP01' });
    let records = 0;
    for (const src of sources) {
      const report = emptyReport(src.files[0]!.path);
      for await (const batch of readFileRecords(src.files[0]!, { log: src.name }, report)) records += batch.length;
      expect(report.error).toBeUndefined();
    }
    expect(records).toBe(30 + 20 + 5);
  });

  it('a deflated zip inside the zip that fails to expand leaves nothing in the temp folder', async () => {
    const inner = zipSync({ 'BgbServer.log': strToU8(logText(400, 'Bgb')) });
    const outer = Buffer.from(zipSync({ 'MP02.zip': inner }));
    // Damage the inner zip's deflated bytes (past the outer entry's local header and name).
    for (let i = 60; i < 90; i++) outer[i] = 0xff;
    const z = write('damaged-inner.zip', outer);
    const before = readdirSync(scratchFolder());
    const listing = await listZip(z);
    expect(listing.entries).toEqual([]);
    expect(listing.problems).toEqual([{ entry: 'MP02.zip', reason: expect.stringMatching(/a zip inside the zip that cannot be read: corrupt zip entry/) }]);
    expect(readdirSync(scratchFolder())).toEqual(before);
  });

  it('an archive without a readable central directory: entries salvaged from local headers, and said so', async () => {
    const full = zipSync({ 'A.log': strToU8(logText(200)), 'B.log': strToU8(logText(200, 'Other')) });
    const z = write('cut.zip', full.subarray(0, centralRecords(full)[0]! - 10));
    const { sources, problems } = await discover([z]);
    expect(sources.map((s) => s.name).sort()).toEqual(['A']);
    expect(sources[0]!.files[0]!.data).toBeDefined();
    expect(problems).toContainEqual({ path: z, reason: expect.stringMatching(/central directory unreadable .*: 1 entry recovered from local headers/) });
    expect(problems).toContainEqual({ path: `${z}!B.log`, reason: expect.stringMatching(/truncated entry/) });
    // Not a zip at all: one problem, nothing read.
    const not = write('not.zip', strToU8('plain text\r\n'));
    const res = await discover([not]);
    expect(res.sources).toEqual([]);
    expect(res.problems).toEqual([{ path: `${not}!(archive)`, reason: expect.stringMatching(/not a zip archive/) }]);
    expect(readFileSync(not, 'utf8')).toBe('plain text\r\n');
  });
});
