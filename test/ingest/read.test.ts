import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { discover } from '../../src/ingest/discover.js';
import { emptyReport, readFileRecords } from '../../src/ingest/read.js';
import type { LogRecord } from '../../parsers/types.js';
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
