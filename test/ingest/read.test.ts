import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { discover } from '../../src/ingest/discover.js';
import { CHUNK_BYTES, emptyReport, FRAME_BYTES, readFileRecords } from '../../src/ingest/read.js';
import type { LogRecord } from '../../parsers/types.js';
import { Framer } from '../../parsers/formats/framer.js';
import { StreamDecoder } from '../../src/ingest/decode.js';
import { cm, srv, tempDir } from '../helpers/tmp.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => { t = tempDir(); });
afterEach(() => t.cleanup());

async function readAll(file: string, chunkSize = 7) {
  const { sources } = await discover([file]);
  const f = sources[0]!.files[0]!;
  const report = emptyReport(f.path);
  const out: LogRecord[] = [];
  for await (const b of readFileRecords(f, { log: 'L', chunkSize }, report)) out.push(...b);
  return { out, report };
}

describe('reading files', () => {
  it('UTF-16LE with BOM, CRLF, small chunks: byte offsets point at each record', async () => {
    const text = [cm('one'), cm('two\r\nlines'), srv('three')].join('\r\n') + '\r\n';
    const p = path.join(t.dir, 'U.log');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    writeFileSync(p, bytes);
    const { out, report } = await readAll(p);
    expect(report).toMatchObject({ encoding: 'utf-16le', encodingHow: 'bom', records: 3 });
    expect(out.map((r) => r.message)).toEqual(['one', 'two\nlines', 'three']);
    for (const r of out) expect(bytes.subarray(r.offset, r.offset + r.length).toString('utf16le').trimEnd()).toMatch(/^(<!\[LOG\[|three)/);
    expect(out[2]!.offset + out[2]!.length).toBe(bytes.length);
  });
  it('UTF-8 with BOM', async () => {
    const p = path.join(t.dir, 'B.log');
    writeFileSync(p, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(cm('é'))]));
    const { out } = await readAll(p);
    expect(out[0]).toMatchObject({ message: 'é', offset: 3 });
  });
  it('a file many chunks long gives the records of framing it whole, whatever the chunk size (chunks are reused buffers)', async () => {
    const lines = [cm('one'), cm('two\r\nlines'), srv('three~~more'), 'plain', cm('ünï 日本 😀'), srv('x'.repeat(5000)), cm('last')];
    const body = Buffer.from(Array.from({ length: 40 }, (_, i) => lines[i % lines.length]).join('\r\n') + '\r\n');
    // A Windows-1252 `é` (not UTF-8) in the middle: the text path takes that line.
    const bytes = Buffer.concat([body.subarray(0, 3000), Buffer.from([0xe9]), body.subarray(3000)]);
    const p = path.join(t.dir, 'Many.log');
    writeFileSync(p, bytes);
    const d = new StreamDecoder('utf-8');
    const f = new Framer({ log: 'L', path: p, measure: d.measure });
    const expected = [...f.push(d.write(bytes)), ...f.push(d.end()), ...f.end()];
    expect(expected.length).toBeGreaterThan(30);
    for (const size of [7, 64, 333, 4096, 1 << 20]) {
      const { out, report } = await readAll(p, size);
      expect(JSON.stringify(out), `${size}-byte chunks`).toBe(JSON.stringify(expected));
      expect(report).toMatchObject({ bytes: bytes.length, records: expected.length, fallbackBytes: 1 });
    }
  });
  it('a big read is framed a slice at a time: each batch spans about FRAME_BYTES, and together they are the whole', async () => {
    const lines = [cm('one'), cm('two\r\nlines'), srv('three~~more'), cm('ünï 日本 😀'), srv('y'.repeat(900))];
    const bytes = Buffer.from(Array.from({ length: 1200 }, (_, i) => lines[i % lines.length]).join('\r\n') + '\r\n');
    expect(bytes.length).toBeGreaterThan(CHUNK_BYTES); // several frames in one read chunk
    const p = path.join(t.dir, 'Big.log');
    writeFileSync(p, bytes);
    const d = new StreamDecoder('utf-8');
    const f = new Framer({ log: 'L', path: p, measure: d.measure });
    const expected = [...f.push(d.write(bytes)), ...f.push(d.end()), ...f.end()];
    const { sources } = await discover([p]);
    const batches: LogRecord[][] = [];
    for await (const b of readFileRecords(sources[0]!.files[0]!, { log: 'L' }, emptyReport(p))) batches.push([...b]);
    expect(JSON.stringify(batches.flat())).toBe(JSON.stringify(expected));
    const longest = Math.max(...expected.map((r) => r.length));
    for (const b of batches) {
      const span = b[b.length - 1]!.offset + b[b.length - 1]!.length - b[0]!.offset;
      expect(span).toBeLessThanOrEqual(FRAME_BYTES + longest);
    }
    expect(batches.length).toBeGreaterThanOrEqual(Math.floor(bytes.length / FRAME_BYTES));
  });
  it('a file that vanished before reading, or a folder, is reported, not thrown', async () => {
    const file = (p: string) => ({ path: p, name: path.basename(p), dir: t.dir, root: t.dir, size: 10, mtimeMs: 0 });
    const gone = emptyReport('x');
    for await (const b of readFileRecords(file(path.join(t.dir, 'Gone.log')), { log: 'L' }, gone)) expect(b).toEqual([]);
    expect(gone.error).toBe('file vanished before it could be read');
    const folder = emptyReport('x');
    for await (const b of readFileRecords(file(t.dir), { log: 'L' }, folder)) expect(b).toEqual([]);
    expect(folder.error).toBe('is a folder');
  });
  it('binary and NUL-only files are skipped with a reason, zero-byte files are fine', async () => {
    const bin = path.join(t.dir, 'bin.log');
    writeFileSync(bin, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const a = await readAll(bin);
    expect(a.out).toEqual([]);
    expect(a.report.skipped[0]!.reason).toMatch(/binary/);
    const nul = path.join(t.dir, 'nul.log');
    writeFileSync(nul, Buffer.alloc(1000));
    expect((await readAll(nul)).report.skipped[0]).toMatchObject({ startOffset: 0, endOffset: 1000, reason: 'the file holds only NUL bytes' });
    const empty = path.join(t.dir, 'empty.log');
    writeFileSync(empty, '');
    const e = await readAll(empty);
    expect(e.out).toEqual([]);
    expect(e.report.error).toBeUndefined();
  });
  it.skipIf(process.getuid?.() === 0)('an unreadable file reports permission denied', async () => {
    const p = path.join(t.dir, 'locked.log');
    writeFileSync(p, cm('x'));
    chmodSync(p, 0);
    const { report } = await readAll(p);
    expect(report.error).toMatch(/permission denied/);
  });
});
