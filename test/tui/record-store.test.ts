import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { zipSync, strToU8 } from 'fflate';
import { asideOf, MAX_EXPANDED_BYTES } from '../../src/ingest/zip-aside.js';
import { scratchFolder } from '../../src/ingest/temp-folder.js';
import type { LogRecord } from '../../parsers/types.js';
import { Session } from '../../src/analysis/session.js';
import { RecordStore } from '../../src/analysis/record-store.js';
import type { SortedEvent } from '../../src/analysis/model.js';
import { emptyReport, readFileRecords } from '../../src/ingest/read.js';
import type { LogicalSource } from '../../src/ingest/discover.js';
import { cm, srv, tempDir } from '../helpers/tmp.js';
import { SAMPLES } from './helpers.js';

interface Kept {
  rec: LogRecord;
  seq: number;
  sortMs: number;
}

/**
 * What the TUI kept before the store became an index: every record object, merged across
 * sources by (UTC or the last UTC before it in its source, arrival). The reference the index
 * must reproduce.
 */
function keepEverything(): { onRecords: (records: readonly LogRecord[], src: LogicalSource) => void; rows: () => Kept[] } {
  const kept: Kept[] = [];
  const last = new Map<string, number>();
  return {
    onRecords: (records, src) => {
      let l = last.get(src.id) ?? Number.NEGATIVE_INFINITY;
      for (const rec of records) {
        if (rec.utcMs !== null) l = rec.utcMs;
        kept.push({ rec: structuredClone(rec), seq: kept.length, sortMs: rec.utcMs ?? l });
      }
      last.set(src.id, l);
    },
    rows: () => [...kept].sort((a, b) => a.sortMs - b.sortMs || a.seq - b.seq),
  };
}

/** Every row of the store in merged order, each read back from its file. */
function storeRows(store: RecordStore): LogRecord[] {
  store.ensureSorted();
  return Array.from({ length: store.count }, (_, p) => store.row(store.idAt(p)).rec);
}

/** The same, read in bulk (runs of neighbouring records framed together), bypassing the row cache. */
function bulkRows(store: RecordStore): LogRecord[] {
  store.ensureSorted();
  const ids = Array.from({ length: store.count }, (_, p) => store.idAt(p));
  const byId = new Map<number, LogRecord>();
  store.readRecords(ids, (id, rec) => byId.set(id, rec));
  return ids.map((id) => byId.get(id)!);
}

const scenarios = readdirSync(SAMPLES).filter((n) => statSync(path.join(SAMPLES, n)).isDirectory());

describe('the record store is an index: rows read back from the files are the records first read', () => {
  it.each(scenarios)('sample-logs/%s: same rows, same order, same text', async (scenario) => {
    const ref = keepEverything();
    const s = new Session([path.join(SAMPLES, scenario)], { follow: false, keepRecords: true, throttleMs: 0, rules: [], onRecords: ref.onRecords });
    await s.start();
    expect(s.error).toBeNull();
    const expected = ref.rows();
    expect(expected.length).toBeGreaterThan(0);
    expect(s.store.count).toBe(expected.length);
    expect(storeRows(s.store)).toStrictEqual(expected.map((k) => k.rec));
    expect(bulkRows(s.store)).toStrictEqual(expected.map((k) => k.rec));
    expect(Array.from({ length: s.store.count }, (_, p) => s.store.sortMsOf(s.store.idAt(p)))).toEqual(expected.map((k) => k.sortMs));
  });

  it.each(scenarios)('sample-logs/%s: every event is marked on the record it was read from', async (scenario) => {
    const s = new Session([path.join(SAMPLES, scenario)], { follow: false, keepRecords: true, throttleMs: 0, rules: [] });
    await s.start();
    const a = s.analysis()!;
    // The core keeps every event on inputs this small: count them per record, first kind first.
    const byRecord = new Map<string, { kind: string; count: number }>();
    for (const e of [...a.events].sort((x, y) => x.seq - y.seq)) {
      const r = e.refs[0]!;
      const k = `${r.path}\u0000${r.offset}`;
      const got = byRecord.get(k);
      if (got) got.count++;
      else byRecord.set(k, { kind: e.kind, count: 1 });
    }
    let marked = 0;
    for (let p = 0; p < s.store.count; p++) {
      const id = s.store.idAt(p);
      const rec = s.store.row(id).rec;
      const want = byRecord.get(`${rec.path}\u0000${rec.offset}`);
      const got = s.store.eventsOf(id);
      expect(got.count, `${rec.path}:${rec.line}`).toBe(want?.count ?? 0);
      expect(got.kind).toBe(want?.kind ?? null);
      if (want) marked++;
    }
    expect(marked).toBe(byRecord.size);
  });

  it('holds no text: a few numbers per record', async () => {
    const s = new Session([path.join(SAMPLES, 'healthy-day')], { follow: false, keepRecords: true, throttleMs: 0, rules: [] });
    await s.start();
    // Columns grow in chunks of 65,536 records; one chunk of each column is ~36 bytes a record.
    expect(s.store.indexBytes).toBeLessThanOrEqual(40 * 65_536 + 4 * 1.5 * s.store.size + 4096);
  });
});

describe('rows read back from other inputs', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('attachscope-store-'); });
  afterEach(() => t.cleanup());

  async function compare(inputs: string[], opts: ConstructorParameters<typeof Session>[1] = {}): Promise<Session> {
    const ref = keepEverything();
    const s = new Session(inputs, { follow: false, keepRecords: true, throttleMs: 0, rules: [], ...opts, onRecords: ref.onRecords });
    await s.start();
    expect(s.error).toBeNull();
    expect(storeRows(s.store)).toStrictEqual(ref.rows().map((k) => k.rec));
    return s;
  }

  it('a zip: rows are read back by expanding their entries from the archive again', async () => {
    const zip = path.join(t.dir, 'bundle.zip');
    writeFileSync(zip, zipSync({
      'SCP01/CMGatewaySyncUploadWorker.log': strToU8(`${cm('Batching 3 records')}\r\n${cm('Upload failed', '10:00:01.000+000', '01-02-2026', '3')}\r\n`),
      'SCP01/BgbServer.log': [strToU8(`${cm('Stored entry', '10:00:00.500+000')}\r\n`), { level: 0 }],
    }));
    const s = await compare([zip]);
    expect(s.store.files.map((f) => [f.data, f.zip?.archive])).toEqual([[null, zip], [null, zip]]);
    expect(storeRows(s.store).map((r) => r.message)).toEqual(['Batching 3 records', 'Stored entry', 'Upload failed']);
  });

  it('a zip entry too big to expand again: its rows say so, not that the file changed', async () => {
    const zip = path.join(t.dir, 'big.zip');
    writeFileSync(zip, zipSync({ 'SCP01/CMGatewaySyncUploadWorker.log': strToU8(`${cm('Batching 3 records')}\r\n`) }));
    const s = new Session([zip], { follow: false, keepRecords: true, throttleMs: 0, rules: [] });
    await s.start();
    const f = s.store.files[0]!;
    f.zip = { ...f.zip!, size: MAX_EXPANDED_BYTES + 1 };
    const [row] = storeRows(s.store);
    expect(row!.message).toMatch(/^\(this record is in a zip entry of \d+ MiB, more than the UI expands again/);
    expect(row!.problems?.[0]).toMatch(/too big to expand again/);
  });

  // Followed too: the UI follows by default, and its first read is then the follower's.
  it.each([['read once', false], ['followed', true]])('a zip entry too big to expand again, written aside while indexed (%s): its rows are read from there', async (_name, follow) => {
    const zip = path.join(t.dir, 'aside.zip');
    const lines = Array.from({ length: 2000 }, (_x, i) => cm(`Batching ${i} records`, `10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000+000`));
    const text = lines.join('\r\n') + '\r\n';
    writeFileSync(zip, zipSync({ 'SCP01/CMGatewaySyncUploadWorker.log': strToU8(text), 'SCP01/BgbServer.log': strToU8(`${cm('Small entry')}\r\n`) }));
    const s = await compare([zip], { zipAsideAbove: 1000, follow });
    await s.stop();
    const [big, small] = [...s.store.files].sort((a, b) => b.zip!.size - a.zip!.size);
    const written = asideOf(big!.zip!)!;
    expect(path.dirname(written)).toBe(scratchFolder());
    expect(readFileSync(written, 'utf8')).toBe(text);
    expect(asideOf(small!.zip!)).toBeNull();
    // Read (past the row cache) from the file written aside, not expanded again: as if past
    // what is expanded.
    big!.zip = { ...big!.zip!, size: MAX_EXPANDED_BYTES + 1 };
    expect(bulkRows(s.store).filter((r) => r.message.startsWith('Batching'))).toHaveLength(2000);
    // Without it, they say the entry is too big (never another record's text).
    rmSync(written);
    const gone = bulkRows(s.store);
    expect(gone.filter((r) => r.message.startsWith('Batching'))).toHaveLength(0);
    expect(gone.filter((r) => /too big to expand again/.test(r.problems?.[0] ?? ''))).toHaveLength(2000);
  });

  it('stdin', async () => {
    const text = `${srv('one')}\r\n${srv('two~~second line', '01-02-2026 10:00:01.000+000')}\r\n`;
    const s = await compare(['-'], { discover: { stdin: async () => Buffer.from(text) } });
    expect(storeRows(s.store).map((r) => r.message)).toEqual(['one', 'two\nsecond line']);
  });

  it('UTF-16LE with a BOM, and a --bias override', async () => {
    const text = `${cm('first')}\r\n${cm('ünïcödé 😀', '10:00:02.000+000')}\r\n`;
    writeFileSync(path.join(t.dir, 'Wide.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const s = await compare([t.dir], { biasOverrides: [{ glob: 'Wide.log', minutes: -60 }] });
    expect(storeRows(s.store).map((r) => [r.message, r.bias])).toEqual([['first', -60], ['ünïcödé 😀', -60]]);
  });

  it('an ANSI log with Windows-1252 bytes (its stated offsets drift from the bytes): rows are found by line', async () => {
    // é as one byte (0xE9) is read as U+00E9 and measured as its two UTF-8 bytes: every later
    // offset is one byte further per é before it. 3,000 lines: past a few line-index steps.
    const lines: Buffer[] = [];
    for (let i = 0; i < 3000; i++) {
      const sec = String(i % 60).padStart(2, '0');
      lines.push(Buffer.concat([Buffer.from(`<![LOG[Caf`), Buffer.from([0xe9]), Buffer.from(` ${i}]LOG]!><time="10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${sec}.000+000" date="01-02-2026" component="C" context="" type="1" thread="1" file="">\r\n`)]));
    }
    writeFileSync(path.join(t.dir, 'Ansi.log'), Buffer.concat(lines));
    const s = await compare([t.dir]);
    expect(storeRows(s.store)[2999]!.message).toBe('Café 2999');
    expect(bulkRows(s.store).map((r) => r.message)).toEqual(Array.from({ length: 3000 }, (_, i) => `Café ${i}`));
  });

  it('records out of time order in one file, and several files, merge like before', async () => {
    writeFileSync(path.join(t.dir, 'A.log'), [cm('a3', '10:00:03.000+000'), cm('a1', '10:00:01.000+000'), 'no time here', cm('a5', '10:00:05.000+000')].join('\r\n') + '\r\n');
    writeFileSync(path.join(t.dir, 'B.log'), [srv('b2', '01-02-2026 10:00:02.000+000'), srv('b4', '01-02-2026 10:00:04.000+000'), srv('b0', '01-02-2026 10:00:00.000+000')].join('\r\n') + '\r\n');
    const s = await compare([t.dir]);
    // A line without a time sorts after the last time before it in its own file.
    expect(storeRows(s.store).map((r) => r.message)).toEqual(['b0', 'a1', 'no time here', 'b2', 'a3', 'b4', 'a5']);
  });

  it('a record whose file changed since it was read becomes a placeholder that says so, never other text', async () => {
    const log = path.join(t.dir, 'Changing.log');
    writeFileSync(log, `${cm('original one')}\r\n${cm('original two', '10:00:01.000+000')}\r\n`);
    const s = new Session([t.dir], { follow: false, keepRecords: true, throttleMs: 0, rules: [] });
    await s.start();
    // Same length and shape, other text and time.
    writeFileSync(log, `${cm('replaced one', '11:00:00.000+000')}\r\n${cm('replaced two', '11:00:01.000+000')}\r\n`);
    const rows = bulkRows(s.store);
    expect(rows.map((r) => r.message)).toEqual([expect.stringMatching(/cannot be read again/), expect.stringMatching(/cannot be read again/)]);
    expect(rows[0]!.problems?.[0]).toMatch(/Changing\.log no longer holds this record at byte 0/);
  });

  it('any log text: rows read back equal the records read (property)', async () => {
    // Lines the framers treat differently: one-line and multi-line CMTrace entries, entries cut
    // by a rollover or never closed, two on a line, server lines, plain text, blank lines, bad bytes.
    const line = fc.oneof(
      fc.constantFrom(
        cm('one line'), cm('error line', '10:00:01.000+000', '01-02-2026', '3'), cm('bad time', '99:00:00'), cm('no bias', '10:00:02.000'),
        '<![LOG[start of a multi-line entry', 'a middle line', ']LOG]!><time="10:00:03.000+000" date="01-02-2026" component="C" context="" type="2" thread="1" file="">',
        'end]LOG]!><time="10:00:04.000+000" date="01-02-2026" component="C" context="" type="1" thread="1" file="">',
        `${cm('first')}${cm('second on the same line', '10:00:05.000+000')}`, `${cm('entry')}  trailing junk`, 'text before <![LOG[x]LOG]!><time="10:00:06.000+000" date="01-02-2026" component="C" context="" type="1" thread="1" file="">',
        srv('server line'), srv('multi~~line'), 'plain ERROR: text', '', '   ', '<![LOG[', '$$<',
      ),
      fc.string({ maxLength: 20 }).map((x) => x.replace(/[\r\n]/g, '')),
    );
    const eol = fc.constantFrom('\r\n', '\n', '');
    const doc = fc.array(fc.tuple(line, eol, fc.option(fc.constantFrom([0xe9], [0xff], [0xc3], [0x80, 0x80]), { freq: 6 })), { maxLength: 12 }).map((parts) =>
      Buffer.concat(parts.flatMap(([l, e, raw]) => [Buffer.from(l), raw ? Buffer.from(raw) : Buffer.alloc(0), Buffer.from(e)])));
    const file = path.join(t.dir, 'Fuzz.log');
    await fc.assert(
      fc.asyncProperty(doc, fc.boolean(), async (bytes, bom) => {
        writeFileSync(file, bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes);
        const src = { id: 'fuzz', name: 'Fuzz', kind: 'generic', role: 'unknown', machine: null, files: [{ path: file, name: 'Fuzz.log', dir: t.dir, root: t.dir, size: bytes.length, mtimeMs: 0 }] } as LogicalSource;
        const records: LogRecord[] = [];
        for await (const batch of readFileRecords(src.files[0]!, { log: 'Fuzz', chunkSize: 7 }, emptyReport(file))) records.push(...batch);
        const { RecordStore } = await import('../../src/analysis/record-store.js');
        const store = new RecordStore();
        store.addSource(src, null);
        store.add(src.id, structuredClone(records));
        const byId = new Map<number, LogRecord>();
        store.readRecords(Array.from({ length: store.size }, (_, i) => i), (id, rec) => byId.set(id, rec));
        expect(Array.from({ length: store.size }, (_, i) => byId.get(i))).toStrictEqual(records);
        expect(Array.from({ length: store.size }, (_, i) => store.row(i).rec)).toStrictEqual(records);
      }),
      { numRuns: 400 },
    );
  });
});

describe('events are noted on their records', () => {
  const rec = (path: string, offset: number, line: number): LogRecord => ({
    log: 'L', path, offset, length: 10, line, endLine: line, localText: null, localMs: null, bias: null, utcMs: 1000 + offset,
    component: 'C', thread: '1', severity: 'info', severitySource: 'none', message: `m${offset}`, format: 'cmtrace',
  });
  const event = (path: string, offset: number, kind: string, severity: 'info' | 'error' = 'info'): SortedEvent => ({
    kind, log: 'L', utcMs: null, localText: null, bias: null, severity, summary: '', fields: {}, text: '',
    refs: [{ path, offset, line: 0 }], sortMs: 0, seq: 0, sourceId: 's', machine: null, logKind: 'L',
  } as unknown as SortedEvent);

  it('near the last one noted or far from it, and in the newest of two files at one path (as findOffset finds them)', () => {
    const store = new RecordStore();
    store.add('s', Array.from({ length: 300 }, (_, i) => rec('a.log', i * 10, i + 1)));
    // The file replaced (rolled over): some of the same offsets again, in a new generation.
    store.add('s', Array.from({ length: 100 }, (_, i) => rec('a.log', i * 20, i + 1)));
    store.add('s', [rec('b.log', 0, 1)]);
    // Byte 10 is only in the first file; byte 20, just after it there, is in both: the newest wins.
    store.noteEvents([event('a.log', 10, 'p'), event('a.log', 20, 'q'), event('a.log', 2990, 'x'), event('a.log', 0, 'y', 'error'), event('b.log', 0, 'w'), event('a.log', 1980, 'z')]);
    const marks = Array.from({ length: store.size }, (_, id) => store.eventsOf(id)).map((e, id) => [id, e.kind, e.severity] as const).filter(([, k]) => k !== null);
    expect(marks).toEqual([[1, 'p', 'info'], [299, 'x', 'info'], [300, 'y', 'error'], [301, 'q', 'info'], [399, 'z', 'info'], [400, 'w', 'info']]);
    for (const [id] of marks) expect(store.findOffset(store.fileOf(id).path, store.offsetOf(id))).toBe(id);
  });
});
