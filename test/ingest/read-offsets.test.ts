import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { emptyReport, readFileRecords, type FileReport } from '../../src/ingest/read.js';
import type { PhysicalFile } from '../../src/ingest/discover.js';
import type { LogRecord } from '../../parsers/types.js';
import { StreamDecoder } from '../../src/ingest/decode.js';
import { cm, srv, tempDir } from '../helpers/tmp.js';

/**
 * Record offsets and lengths are the true byte positions in the file, also for an ANSI log whose
 * Windows-1252 bytes (invalid UTF-8, decoded by the fallback) sit among UTF-8 text: a fallback
 * character (`é` from 0xE9) is one byte in the file, not its two UTF-8 bytes.
 */

let t: ReturnType<typeof tempDir>;
beforeEach(() => { t = tempDir(); });
afterEach(() => t.cleanup());

const CHUNKS = [1, 7, 64, 4096, 1 << 20];
const HDR = ']LOG]!><time="10:00:00.000+000" date="01-02-2026" component="C" context="" type="1" thread="1" file="">';
const STAMP = '  $$<SMS_X><01-02-2026 10:00:00.000+000><thread=1 (0x1)>';

/** Text with `{xx}` standing for the single byte 0xXX. */
function b(s: string): Buffer {
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of s.matchAll(/\{([0-9a-f]{2})\}/gi)) {
    parts.push(Buffer.from(s.slice(last, m.index), 'utf8'), Buffer.from([parseInt(m[1]!, 16)]));
    last = m.index! + m[0].length;
  }
  parts.push(Buffer.from(s.slice(last), 'utf8'));
  return Buffer.concat(parts);
}

function decode(bytes: Uint8Array): string {
  const d = new StreamDecoder('utf-8');
  return d.write(bytes) + d.end();
}

async function readBytes(bytes: Buffer, chunkSize: number, maxRecordChars?: number): Promise<{ out: LogRecord[]; report: FileReport }> {
  const file: PhysicalFile = { path: 'mem.log', name: 'mem.log', dir: '.', root: '.', size: bytes.length, mtimeMs: 0, data: bytes };
  const report = emptyReport(file.path);
  const out: LogRecord[] = [];
  const opts = maxRecordChars === undefined ? { log: 'L', chunkSize } : { log: 'L', chunkSize, maxRecordChars };
  for await (const batch of readFileRecords(file, opts, report)) out.push(...batch);
  return { out, report };
}

/** Checks every record against the bytes it says it spans. */
function checkSpans(bytes: Buffer, out: LogRecord[]): void {
  let prev = -1;
  for (const r of out) {
    expect(r.offset).toBeGreaterThan(prev);
    prev = r.offset;
    expect(r.offset + r.length).toBeLessThanOrEqual(bytes.length);
    const text = decode(bytes.subarray(r.offset, r.offset + r.length)).replace(/\r\n/g, '\n');
    if (r.format === 'cmtrace' && !r.partial) expect(text.startsWith('<![LOG[')).toBe(true);
    if (r.format !== 'plain') expect(text).toContain(r.message);
  }
}

describe('byte offsets of records in a UTF-8 file with Windows-1252 bytes', () => {
  // Pieces of the file, each exactly one record's bytes (a record that ends its line owns the line end).
  const pieces = [
    b(`${cm('Caf{e9} ouvert')}\r\n`),
    b(`${cm('M{fc}nchen {80} 5 and {93}quoted{94} and {85}')}\r\n`),
    b(`${cm('valid UTF-8 é € 😀 then {e9}{e8}')}\r\n`),
    b(`<![LOG[multi {e9}\r\nline {fc}{fc}\r\nend{80}${HDR}\r\n`),
    b(`Stra{df}e {96} server{92}s line${STAMP}\r\n`),
    b(`plain {e0} la ligne {e9}t{e9}\r\n`),
    b(`${cm('first {e9} on a line')}`),
    b(`${cm('second {fc} on it')}\n`),
    b(`${cm('lead byte cut {c3}')}\r\n`),
    b(`${cm('{c3}{28} bad pair, {e2}{82} cut three, {f0}{9f}{98} cut four')}\r\n`),
    b(`${srv('ends with nbsp{a0}')}\n`),
    b(`${cm('last {ff}{fe}{fd}', '10:00:01.000+000')}`),
  ];
  const bytes = Buffer.concat(pieces);
  const expected = pieces.reduce<{ offset: number; length: number }[]>((acc, p) => {
    const prev = acc[acc.length - 1];
    acc.push({ offset: prev ? prev.offset + prev.length : 0, length: p.length });
    return acc;
  }, []);

  it('is not valid UTF-8 (the fallback is exercised)', () => {
    const d = new StreamDecoder('utf-8');
    d.write(bytes);
    expect(d.fallbackBytes).toBeGreaterThan(20);
  });

  for (const chunkSize of CHUNKS) {
    it(`every record's offset and length are its bytes (chunks of ${chunkSize})`, async () => {
      const p = path.join(t.dir, `Ansi${chunkSize}.log`);
      writeFileSync(p, bytes);
      const file: PhysicalFile = { path: p, name: path.basename(p), dir: t.dir, root: t.dir, size: bytes.length, mtimeMs: 0 };
      const report = emptyReport(p);
      const out: LogRecord[] = [];
      for await (const batch of readFileRecords(file, { log: 'L', chunkSize }, report)) out.push(...batch);
      expect(report.error).toBeUndefined();
      expect(out.map((r) => ({ offset: r.offset, length: r.length }))).toEqual(expected);
      checkSpans(bytes, out);
      expect(out[0]!.message).toBe('Café ouvert');
      expect(out[1]!.message).toBe('München € 5 and “quoted” and …');
      expect(out[3]!.message).toBe('multi é\nline üü\nend€');
    });
  }

  it('after a UTF-8 BOM, offsets count the BOM', async () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    // (The encoding is sniffed from the first chunk: the BOM must be in it whole.)
    for (const chunkSize of [3, 5, 4096]) {
      const { out } = await readBytes(withBom, chunkSize);
      expect(out.map((r) => ({ offset: r.offset, length: r.length }))).toEqual(expected.map((e) => ({ offset: e.offset + 3, length: e.length })));
      checkSpans(withBom, out);
    }
  });

  it('a line cut for its size keeps true offsets, and its skipped middle is where it is', async () => {
    // Not too many invalid bytes, or the file is taken for binary.
    const long = b(`${cm(`head ${'{e9}xxxxxx'.repeat(200)} middle ${'{80}yyyyyy'.repeat(200)} tail`)}\r\n`);
    const file = Buffer.concat([pieces[0]!, long, pieces[1]!]);
    for (const chunkSize of [7, 1 << 20]) {
      const { out, report } = await readBytes(file, chunkSize, 1000);
      expect(out.map((r) => [r.offset, r.length])).toEqual([[0, pieces[0]!.length], [pieces[0]!.length, long.length], [pieces[0]!.length + long.length, pieces[1]!.length]]);
      const sk = report.skipped[0]!;
      expect(sk).toBeDefined();
      // The kept head is 750 characters (1000 minus a 250-character tail), each of them one byte here.
      expect(sk.startOffset).toBe(pieces[0]!.length + 750);
      // The kept tail: the last 250 characters of the line (with its line end).
      expect(decode(file.subarray(sk.endOffset, pieces[0]!.length + long.length)).length).toBe(250);
    }
  });

  it('UTF-16LE: offsets are two bytes per code unit (unchanged)', async () => {
    const parts = [`${cm('Café € 😀')}\r\n`, `${cm('a')}`, `${cm('b ü')}\r\n`, `${srv('Straße')}\r\n`];
    const bytes16 = Buffer.concat([Buffer.from([0xff, 0xfe]), ...parts.map((s) => Buffer.from(s, 'utf16le'))]);
    for (const chunkSize of [2, 3, 4096]) {
      const { out } = await readBytes(bytes16, chunkSize);
      let at = 2;
      expect(out.map((r) => [r.offset, r.length])).toEqual(parts.map((s) => { const e = [at, s.length * 2]; at += s.length * 2; return e; }));
    }
  });

  it('any mix of ASCII, UTF-8 and Windows-1252 bytes, any chunking: offsets and lengths are the bytes (property)', async () => {
    const msgByte = fc.oneof(
      { arbitrary: fc.constantFrom(...'abcXYZ09 .:'.split('').map((c) => Buffer.from(c))), weight: 6 },
      { arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((x) => Buffer.from([x])), weight: 3 },
      { arbitrary: fc.constantFrom('é', 'ü', '€', '“', '😀', 'ß').map((c) => Buffer.from(c, 'utf8')), weight: 2 },
    );
    const msg = fc.array(msgByte, { maxLength: 16 }).map((xs) => Buffer.concat(xs));
    const eol = fc.constantFrom('\r\n', '\n');
    // Each alternative: the bytes of one or more records, one array entry per record.
    const line: fc.Arbitrary<Buffer[]> = fc.oneof(
      fc.tuple(msg, eol).map(([m, e]) => [Buffer.concat([Buffer.from('<![LOG['), m, Buffer.from(HDR + e)])]),
      fc.tuple(msg, msg, eol).map(([m1, m2, e]) => [Buffer.concat([Buffer.from('<![LOG['), m1, Buffer.from(e), m2, Buffer.from(HDR + e)])]),
      fc.tuple(msg, msg, eol).map(([m1, m2, e]) => [
        Buffer.concat([Buffer.from('<![LOG['), m1, Buffer.from(HDR)]),
        Buffer.concat([Buffer.from('<![LOG['), m2, Buffer.from(HDR + e)]),
      ]),
      fc.tuple(msg, eol).map(([m, e]) => [Buffer.concat([Buffer.from('s '), m, Buffer.from(STAMP + e)])]),
      fc.tuple(msg, eol).map(([m, e]) => [Buffer.concat([Buffer.from('p'), m, Buffer.from(e)])]),
    );
    const doc = fc.array(line, { minLength: 1, maxLength: 10 });
    await fc.assert(
      fc.asyncProperty(doc, fc.constantFrom(1, 2, 3, 7, 13, 64, 4096), fc.boolean(), async (lines, size, bom) => {
        // A first all-ASCII record, so that no mix is dense enough in invalid bytes to be taken for binary.
        const recs = [Buffer.from(`${cm('x'.repeat(600))}\r\n`), ...lines.flat()];
        const head = bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0);
        // A BOM is sniffed from the first chunk: it must hold all three bytes.
        const chunkSize = bom ? Math.max(size, 3) : size;
        const bytes = Buffer.concat([head, ...recs]);
        let at = head.length;
        const want = recs.map((r) => { const e = [at, r.length]; at += r.length; return e; });
        const { out } = await readBytes(bytes, chunkSize);
        expect(out.map((r) => [r.offset, r.length])).toEqual(want);
        checkSpans(bytes, out);
      }),
      { numRuns: 300 },
    );
  });
});
