/**
 * Hardening: hostile and broken input. Each bad input sits next to one good log (the
 * unauthorized-action CMGatewayNotificationWorker.log); the good log must still be fully analyzed
 * (its `action-unauthorized` finding appears) and the bad one must be reported — source, byte
 * range where one applies, and reason — in the json report (`sources[].skipped`,
 * `sources[].errors`, `inputProblems`, ...) and in the text report.
 *
 * `it.fails` marks a gap found by these tests that the code does not close yet (see the comment
 * at each); they flip to failures once fixed, so the `.fails` can be dropped then.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, chmodSync, existsSync, mkdirSync, openSync, readFileSync, statSync, symlinkSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Zip, ZipDeflate, zipSync, strToU8 } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExtractor } from '../../parsers/logs/index.js';
import type { LogRecord } from '../../parsers/types.js';
import { analyzePaths, analyzeSources } from '../../src/analysis/analyze.js';
import { discover } from '../../src/ingest/discover.js';
import { emptyReport, readFileRecords } from '../../src/ingest/read.js';
import { readZip } from '../../src/ingest/zip.js';
import { BIN } from '../e2e/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { cli, GOOD_FINDING, GOOD_LOG, IS_ROOT, placeGood, ROOT, scanJsonAndText, seededBytes, sourceOf, type JsonReport } from './helpers.js';

let t: ReturnType<typeof tempDir>;
let good: string;
beforeEach(() => {
  t = tempDir('attachscope-bad-');
  mkdirSync(path.join(t.dir, 'good'));
  good = placeGood(path.join(t.dir, 'good'));
});
afterEach(() => t.cleanup());

/** The good log was read in full and still yields its finding. */
function expectGoodAnalyzed(json: JsonReport): void {
  const src = sourceOf(json, good);
  expect(src, 'the good log is a source').toBeDefined();
  expect(src!.records).toBe(136);
  expect(src!.errors).toEqual([]);
  expect(src!.skipped).toEqual([]);
  const f = json.findings.find((x) => x.ruleId === GOOD_FINDING);
  expect(f, `finding ${GOOD_FINDING}; got ${json.findings.map((x) => x.ruleId).join(', ')}`).toBeDefined();
  expect(f!.evidence.some((e) => e.path === good)).toBe(true);
}

/** The text report still shows the good log's finding. */
function expectGoodInText(text: string): void {
  expect(text).toContain(`(${GOOD_FINDING})`);
}

const CM = (msg: string, header: string) => `<![LOG[${msg}]LOG]!><${header}>`;
const GOOD_HEADER = 'time="10:00:00.000+000" date="01-02-2026" component="C" context="" type="1" thread="1" file=""';

describe('binary and non-text files', () => {
  it('a binary executable and random bytes are skipped as binary, with their byte range', () => {
    const exe = path.join(t.dir, 'Tool.log');
    writeFileSync(exe, readFileSync(process.execPath).subarray(0, 65536));
    const rnd = path.join(t.dir, 'Random.log');
    writeFileSync(rnd, seededBytes(1, 8192));
    const r = scanJsonAndText([exe, rnd, good]);
    expectGoodAnalyzed(r.json);
    for (const [p, size] of [[exe, 65536], [rnd, 8192]] as const) {
      const s = sourceOf(r.json, p)!;
      expect(s, p).toBeDefined();
      expect(s.records).toBe(0);
      expect(s.skipped).toEqual([{ path: p, startOffset: 0, endOffset: size, reason: expect.stringMatching(/binary/i) }]);
      expect(r.text).toContain(`${p} bytes 0–${size}`);
    }
    expect(r.text).toMatch(/skipped range: binary content/);
    expectGoodInText(r.text);
    expect(r.textCode).toBe(1);
  });

  // BUG (src/ingest/read.ts, binaryReason): random bytes hold ~10.2% bytes in the control/NUL set
  // (1 NUL + 25 control values of 256), and the cut-off is `ratio > 0.1` over the first 4096
  // bytes, so about a third of random files (here seeds 2, 6, 10, 11, 13, 14, 20, 23 of 1..32)
  // are read as text: hundreds of garbage "plain" records, decoded as Windows-1252, no skipped
  // range. Expected: every one skipped as binary. A lower cut-off (e.g. > 3-5% control bytes),
  // or also counting invalid UTF-8 sequences, separates text from random data.
  it('random bytes are detected as binary whatever the seed (binaryReason threshold bug)', async () => {
    const files: string[] = [];
    for (let seed = 1; seed <= 32; seed++) {
      const p = path.join(t.dir, `Random${seed}.log`);
      writeFileSync(p, seededBytes(seed, 8192));
      files.push(p);
    }
    const res = await analyzePaths([...files, good]);
    for (const p of files) {
      const s = res.sources.find((x) => x.files.includes(p))!;
      expect(s.skipped.map((k) => k.reason).join(), p).toMatch(/binary/);
      expect(s.records, p).toBe(0);
    }
  });

  it('a file of only NUL bytes is skipped with its whole byte range', () => {
    const p = path.join(t.dir, 'Nul.log');
    writeFileSync(p, Buffer.alloc(10_000));
    const r = scanJsonAndText([p, good]);
    expectGoodAnalyzed(r.json);
    expect(sourceOf(r.json, p)!.skipped).toEqual([{ path: p, startOffset: 0, endOffset: 10_000, reason: 'the file holds only NUL bytes' }]);
    expect(r.text).toContain('the file holds only NUL bytes');
    expect(r.text).toContain(`${p} bytes 0–10000`);
    expectGoodInText(r.text);
  });

  it('a zero-byte file is listed with 0 records and breaks nothing', () => {
    const p = path.join(t.dir, 'Empty.log');
    writeFileSync(p, '');
    const r = scanJsonAndText([p, good]);
    expectGoodAnalyzed(r.json);
    const s = sourceOf(r.json, p)!;
    expect(s).toMatchObject({ records: 0, errors: [], skipped: [] });
    expect(r.text).toMatch(/Empty\b.*0 records/);
    expectGoodInText(r.text);
  });

  // GAP (src/ingest/read.ts / src/analysis/core.ts): a zero-byte file is listed (0 records,
  // encoding "unknown", format "none") but nothing says why it gave nothing. Expected: a reason
  // such as "empty file (0 bytes)" in the source (json) and in the text report.
  it('a zero-byte file is reported with a reason (gap: no reason given)', () => {
    const p = path.join(t.dir, 'Empty.log');
    writeFileSync(p, '');
    const r = scanJsonAndText([p, good]);
    const s = sourceOf(r.json, p)!;
    expect(JSON.stringify({ skipped: s.skipped, errors: s.errors, encoding: s.encoding })).toMatch(/empty|0 bytes|zero/i);
    // The source line names the log (`Empty`) and its encoding note; the path follows below it.
    expect(r.text).toMatch(/Empty\b.*(empty|0 bytes|zero)/i);
  });
});

describe('huge and broken records', () => {
  it('a single 50 MB line: its middle is skipped with a byte range, the rest is analyzed, memory stays bounded', () => {
    const p = path.join(t.dir, 'Huge.log');
    const fd = openSync(p, 'w');
    const mb = Buffer.alloc(1 << 20, 0x61);
    for (let i = 0; i < 50; i++) writeSync(fd, mb);
    writeSync(fd, '\r\nsecond line after the huge one\r\n');
    closeSync(fd);
    const size = statSync(p).size;
    // A 128 MB old-space cap: the run fails if the line (or copies of it) were held in memory.
    const env = { NODE_OPTIONS: '--max-old-space-size=128' };
    const r = scanJsonAndText([p, good], { env });
    expect(r.jsonCode, r.jsonStderr).toBe(0);
    expectGoodAnalyzed(r.json);
    const s = sourceOf(r.json, p)!;
    expect(s.records).toBe(2);
    expect(s.skipped).toHaveLength(1);
    const k = s.skipped[0]!;
    expect(k.path).toBe(p);
    expect(k.reason).toMatch(/line 1 is longer than \d+ characters/);
    expect(k.startOffset).toBeGreaterThan(0);
    expect(k.endOffset).toBeGreaterThan(k.startOffset + 40 * (1 << 20));
    expect(k.endOffset).toBeLessThanOrEqual(size);
    expect(r.text).toContain(`${p} bytes ${k.startOffset}–${k.endOffset}`);
    expect(r.text).toMatch(/longer than \d+ characters: middle not analyzed/);
    expectGoodInText(r.text);
    expect(r.textCode).toBe(1);
  }, 120_000);

  /** `n` lines of 1,000,000 `a`, after an optional first line. */
  function longLines(p: string, n: number, first = ''): void {
    const fd = openSync(p, 'w');
    if (first) writeSync(fd, `${first}\r\n`);
    const line = Buffer.alloc(1_000_000, 0x61);
    for (let i = 0; i < n; i++) {
      writeSync(fd, line);
      writeSync(fd, '\r\n');
    }
    closeSync(fd);
  }

  it('200 lines of 1 MB after a first server line: streamed within a 128 MB heap', () => {
    const p = path.join(t.dir, 'LongLines.log');
    longLines(p, 200, 'first line  $$<SMS_X><01-02-2026 10:00:00.000+000><thread=1 (0x1)>');
    const r = scanJsonAndText([p, good], { env: { NODE_OPTIONS: '--max-old-space-size=128' } });
    expect(r.jsonCode, r.jsonStderr.slice(-1500)).toBe(0);
    expectGoodAnalyzed(r.json);
    expect(sourceOf(r.json, p)!.records).toBe(201);
  }, 120_000);

  // BUG (parsers/formats/framer.ts, the start-of-file "orphan" buffer): plain lines at the start
  // of a file are held until the framer learns whether they end a rolled-over CMTrace entry.
  // The hold is capped at MAX_ORPHAN_LINES = 256 lines but not in characters, and each held line
  // may be up to maxRecordChars (1,000,000) long, so a file that starts with 200 plain 1 MB lines
  // keeps ~200 MB of strings alive (up to 256 M chars, 512 MB for two-byte text) and the scan
  // dies with a heap OOM under --max-old-space-size=128, while the same lines after one server
  // line (test above) stream fine. Expected: also release the orphans once their total size
  // passes a bound (e.g. maxRecordChars or a few MB).
  it('200 lines of 1 MB at the very start of a file: streamed within a 128 MB heap (bug: orphan buffer unbounded in size)', () => {
    const p = path.join(t.dir, 'Orphans.log');
    longLines(p, 200);
    const r = scanJsonAndText([p, good], { env: { NODE_OPTIONS: '--max-old-space-size=128' } });
    expect(r.jsonCode, r.jsonStderr.slice(-1500)).toBe(0);
    expectGoodAnalyzed(r.json);
  }, 120_000);

  // BUG (parsers/logs/common.ts, ExceptionBlocks.addRef): every record that continues an open
  // exception block (each `   at …` stack line of a plain-text log is its own record) adds a
  // RecordRef, without bound: a 39 MB log of "Exception details:" + 3,000,000 stack lines gives
  // ONE exception event with 3,000,000 refs (~180 MB of heap; OOM under a 128 MB heap), and the
  // event carries them all into the reports. Expected: a bounded refs list (e.g. the first and
  // last few, plus the count already kept in stackLines), or the block closed after N lines.
  it('an exception block with 200,000 stack-line records keeps a bounded list of refs (bug: one ref per line)', () => {
    const ex = createExtractor('CMGatewayNotificationWorker');
    const rec = (i: number, message: string): LogRecord => ({
      log: 'L', path: 'L.log', offset: i * 14, length: 14, line: i + 1, endLine: i + 1, localText: null, localMs: null, bias: null, utcMs: null,
      component: '', thread: '', severity: 'info', severitySource: 'none', message, format: 'plain',
    });
    ex.feed(rec(0, 'Exception details:'));
    ex.feed(rec(1, '[Critical][CMGatewayNotificationWorker][0][System.Net.WebException][0x80131509]'));
    for (let i = 2; i < 200_000; i++) ex.feed(rec(i, '   at X.Y()'));
    const events = ex.flush();
    expect(events).toHaveLength(1);
    expect(events[0]!.refs.length).toBeLessThanOrEqual(10_000);
  });

  it('a CMTrace record that never closes becomes one partial record, counted in json and text', () => {
    const p = path.join(t.dir, 'Unclosed.log');
    writeFileSync(p, `${CM('first entry', GOOD_HEADER)}\r\n<![LOG[this entry never closes\r\nit goes on\r\nand on\r\n`);
    const r = scanJsonAndText([p, good]);
    expectGoodAnalyzed(r.json);
    const s = sourceOf(r.json, p)!;
    expect(s.records).toBe(2);
    expect(s.partialRecords).toBe(1);
    expect(r.text).toMatch(/1 partial record \(cut at a rollover or never closed\)/);
    expectGoodInText(r.text);
    // With --records, the message of the partial record is still there.
    const nd = cli(['scan', p, '--format', 'ndjson', '--records', '--fail-on', 'never']);
    const recs = nd.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; message?: string });
    expect(recs.some((x) => x.type === 'record' && x.message === 'this entry never closes\nit goes on\nand on')).toBe(true);
  });

  // GAP (src/report/json.ts sourceJson + src/report/ndjson.ts record lines): the never-closed
  // entry's reason ("entry never closed: no `]LOG]!><time=…>` header before the end of the file",
  // in LogRecord.problems) and its byte range (offset/length) reach no output: the json source
  // only has `partialRecords: 1`, the text report says "cut at a rollover or never closed", and
  // ndjson `record` lines carry neither offset/length nor partial/problems.
  it('the never-closed record is reported with its byte range and reason (gap)', () => {
    const p = path.join(t.dir, 'Unclosed.log');
    const head = `${CM('first entry', GOOD_HEADER)}\r\n`;
    writeFileSync(p, `${head}<![LOG[this entry never closes\r\nit goes on\r\n`);
    const r = scanJsonAndText([p, good]);
    const s = sourceOf(r.json, p)!;
    const text = JSON.stringify(s);
    expect(text).toMatch(/never closed/);
    expect(text).toContain(String(Buffer.byteLength(head)));
    const nd = cli(['scan', p, '--format', 'ndjson', '--records', '--fail-on', 'never']);
    const rec = nd.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((x) => x.type === 'record' && x.line === 2)!;
    expect(rec).toMatchObject({ offset: Buffer.byteLength(head), partial: true });
  });

  const MALFORMED = [
    // every attribute present, every value garbage
    CM('garbage values', 'time="ab:cd:ef.ggg+zz" date="99-99-abcd" component="" context="" type="q" thread="x" file=""'),
    // time/date shaped but impossible, a bias that is not a number, an unknown type
    CM('impossible date', 'time="25:61:61.000+abc" date="13-45-2026" component="C" context="" type="9" thread="-1" file=""'),
    // attributes without quotes
    CM('unquoted', 'time=10:00:00.000+000 date=01-02-2026 component=C type=1 thread=1'),
    // an unbalanced quote: the header never ends on its line
    CM('unbalanced', 'time="10:00:00.000+000 date="01-02-2026" component="C'),
    CM('fine entry after them', GOOD_HEADER),
  ];

  it('headers with every attribute malformed: records are kept, the bias problem is reported with source and line', () => {
    const p = path.join(t.dir, 'BadHeader.log');
    writeFileSync(p, MALFORMED.join('\r\n') + '\r\n');
    const r = scanJsonAndText([p, good]);
    expectGoodAnalyzed(r.json);
    const s = sourceOf(r.json, p)!;
    expect(s.records).toBeGreaterThanOrEqual(4);
    expect(s.biasProblems).toEqual([expect.objectContaining({ path: p, firstLine: 2, problem: expect.stringMatching(/malformed time-zone bias/) })]);
    expect(r.text).toMatch(/bias problem: malformed time-zone bias/);
    expect(r.text).toContain(`${p}:2`);
    expectGoodInText(r.text);
  });

  // GAP (src/analysis/core.ts ~line 154: only record problems matching /bias/ are kept): the other
  // header problems ("unreadable time …", "impossible date/time …", "unknown type …", "entry
  // header has no time") are dropped silently: no json field and no text line names them.
  // Expected: they are summarized per source like biasProblems (problem, count, path, first line).
  it('the other header problems (unreadable time, unknown type) are reported too (gap)', () => {
    const p = path.join(t.dir, 'BadHeader.log');
    writeFileSync(p, MALFORMED.join('\r\n') + '\r\n');
    const r = scanJsonAndText([p, good]);
    const s = JSON.stringify(sourceOf(r.json, p));
    expect(s).toMatch(/unreadable time/);
    expect(s).toMatch(/unknown type/);
    expect(r.text).toMatch(/unreadable time/);
    expect(r.text).toMatch(/unknown type/);
  });
});

describe('bad encodings', () => {
  it('invalid UTF-8 is read (as Windows-1252) and the count of such bytes is reported', () => {
    const p = path.join(t.dir, 'BadUtf8.log');
    const bytes = Buffer.concat([Buffer.from('bad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' utf8 '), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(' encoded surrogate\r\nnext line\r\n')]);
    writeFileSync(p, bytes);
    const r = scanJsonAndText([p, good]);
    expectGoodAnalyzed(r.json);
    const s = sourceOf(r.json, p)!;
    expect(s.records).toBe(2);
    expect(s.encoding).toBe('utf-8 (+6 bytes read as Windows-1252)');
    expect(r.text).toContain('utf-8 (+6 bytes read as Windows-1252)');
    expectGoodInText(r.text);
  });

  const utf16WithLoneSurrogate = (): Buffer => {
    const text = `${CM('lone \ud800 high surrogate', GOOD_HEADER)}\r\n${CM('lone \udc00 low surrogate', GOOD_HEADER)}\r\n`;
    return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  };

  it('a lone UTF-16 surrogate does not break reading: records are kept, the output is valid JSON', () => {
    const p = path.join(t.dir, 'Utf16.log');
    writeFileSync(p, utf16WithLoneSurrogate());
    const r = scanJsonAndText([p, good]);
    expectGoodAnalyzed(r.json);
    const s = sourceOf(r.json, p)!;
    expect(s).toMatchObject({ records: 2, encoding: expect.stringMatching(/^utf-16le/), errors: [] });
    expectGoodInText(r.text);
    const nd = cli(['scan', p, '--format', 'ndjson', '--records', '--fail-on', 'never']);
    const msgs = nd.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; message?: string }).filter((x) => x.type === 'record').map((x) => x.message);
    expect(msgs).toEqual(['lone \ufffd high surrogate', 'lone \ufffd low surrogate']);
  });

  // GAP (src/ingest/decode.ts StreamDecoder, utf-16 path): TextDecoder turns lone surrogates into
  // U+FFFD silently; unlike invalid UTF-8 (`+N bytes read as Windows-1252`), nothing in the report
  // says the file held invalid UTF-16. Expected: a count (and ideally the first byte offset) in
  // the source's encoding note or problems.
  it('a lone UTF-16 surrogate is reported (gap: replaced silently)', () => {
    const p = path.join(t.dir, 'Utf16.log');
    writeFileSync(p, utf16WithLoneSurrogate());
    const r = scanJsonAndText([p, good]);
    const s = sourceOf(r.json, p)!;
    expect(JSON.stringify({ encoding: s.encoding, skipped: s.skipped, errors: s.errors })).toMatch(/surrogate|invalid|replac|U\+FFFD/i);
  });
});

describe('files that change or cannot be read', () => {
  it('a file truncated while it is read: readFileRecords reports it (bytes read of bytes expected), no throw', async () => {
    const p = path.join(t.dir, 'Shrinks.log');
    writeFileSync(p, readFileSync(GOOD_LOG));
    const expected = statSync(p).size;
    const { sources } = await discover([p]);
    const file = sources[0]!.files[0]!;
    const report = emptyReport(file.path);
    let batches = 0;
    for await (const batch of readFileRecords(file, { log: 'CMGatewayNotificationWorker', chunkSize: 256 }, report)) {
      if (batches++ === 0) truncateSync(p, 300);
      expect(Array.isArray(batch)).toBe(true);
    }
    expect(report.error).toMatch(new RegExp(`file shrank or vanished while being read: \\d+ of ${expected} bytes read`));
    expect(report.bytes).toBeLessThan(expected);
  });

  it('a file that shrinks during analyzePaths is reported in the source errors; the other log is analyzed', async () => {
    const p = path.join(t.dir, 'Shrinks', 'CMGatewaySyncUploadWorker.log');
    mkdirSync(path.dirname(p));
    // > 1 MiB (the default read chunk), so the truncation lands between chunks.
    const line = 'Batching 12 records  $$<SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker><01-22-2026 08:30:27.000+300><thread=1 (0x1)>\r\n';
    writeFileSync(p, line.repeat(Math.ceil((3 << 20) / line.length)));
    const expected = statSync(p).size;
    let cut = false;
    const res = await analyzePaths([path.dirname(p), good], {
      onRecords: (_batch, src) => {
        if (!cut && src.files.some((f) => f.path === p)) {
          cut = true;
          truncateSync(p, 1000);
        }
      },
    });
    expect(cut).toBe(true);
    const s = res.sources.find((x) => x.files.includes(p))!;
    expect(s.errors).toEqual([expect.stringMatching(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: file shrank or vanished while being read: \\d+ of ${expected} bytes read$`))]);
    expect(res.findings.map((f) => f.ruleId)).toContain(GOOD_FINDING);
  });

  it('a file that vanishes between discovery and reading is reported; the other log is analyzed', async () => {
    const p = path.join(t.dir, 'Gone.log');
    writeFileSync(p, 'soon gone\r\n');
    const { sources, problems } = await discover([p, good]);
    unlinkSync(p);
    const res = await analyzeSources(sources, problems);
    const s = res.sources.find((x) => x.files.includes(p))!;
    expect(s.errors).toEqual([`${p}: file vanished before it could be read`]);
    expect(res.findings.map((f) => f.ruleId)).toContain(GOOD_FINDING);
  });

  it.skipIf(IS_ROOT)('an unreadable file (no read permission) is reported; the other log is analyzed', () => {
    const p = path.join(t.dir, 'Locked.log');
    writeFileSync(p, 'secret\r\n');
    chmodSync(p, 0o000);
    try {
      const r = scanJsonAndText([p, good]);
      expectGoodAnalyzed(r.json);
      const where = JSON.stringify({ problems: r.json.inputProblems, src: sourceOf(r.json, p) ?? null });
      expect(where).toMatch(/permission denied/);
      expect(r.text).toMatch(/Locked\.log.*permission denied/);
      expectGoodInText(r.text);
    } finally {
      chmodSync(p, 0o644);
    }
  });
  // Running as root (as in this container), chmod 000 does not stop reads, so the case above
  // would not test anything; it is skipped then rather than asserting the wrong thing.
  it.runIf(IS_ROOT)('(the permission test above is skipped: running as root, file modes are not enforced)', () => {
    expect(IS_ROOT).toBe(true);
  });

  it('a directory symlink loop is reported once and the walk ends', () => {
    const root = path.join(t.dir, 'tree');
    mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    symlinkSync(root, path.join(root, 'a', 'b', 'back-to-root'));
    symlinkSync('self', path.join(root, 'self'));
    const r = scanJsonAndText([root, good]);
    expectGoodAnalyzed(r.json);
    expect(r.json.inputProblems).toContainEqual({ path: path.join(root, 'a', 'b', 'back-to-root'), reason: expect.stringMatching(/symbolic link loop/) });
    expect(r.text).toMatch(/INPUT PROBLEMS/);
    expect(r.text).toContain(`${path.join(root, 'a', 'b', 'back-to-root')}: symbolic link loop`);
    expectGoodInText(r.text);
  });

  const HAS_DEV_ZERO = existsSync('/dev/zero');

  it.skipIf(!HAS_DEV_ZERO)('a *.log symlink to a device (/dev/zero) inside a scanned folder does not hang the scan', () => {
    const d = path.join(t.dir, 'devs');
    mkdirSync(d);
    symlinkSync('/dev/zero', path.join(d, 'CMGatewaySyncUploadWorker.log'));
    const r = spawnSync(process.execPath, [BIN, 'scan', d, good, '--format', 'json', '--fail-on', 'never'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
    expect(r.status, `exit ${r.status} signal ${r.signal}`).toBe(0);
    expectGoodAnalyzed(JSON.parse(r.stdout) as JsonReport);
  });

  // BUG (src/ingest/discover.ts addDiskFile + src/ingest/read.ts readFileRecords): a path named
  // on the command line (or matched by a glob) is accepted without checking st.isFile(), so a
  // character device, FIFO or socket — e.g. a `X.log -> /dev/zero` symlink in a collected bundle,
  // scanned as `scan 'logs/*.log'` — is streamed forever: the first chunk is flagged "only NUL
  // bytes", but the loop keeps draining the stream (`if (skipRest) { report.bytes += …; continue }`)
  // and /dev/zero never ends, so the scan never finishes (/dev/urandom: same, or unbounded
  // records). Expected: non-regular files reported as an input problem ("not a regular file")
  // and skipped; and readFileRecords stops reading (destroys the stream) once a file is skipped
  // as binary, and never reads past the size it stat'ed plus what a tail allows.
  (HAS_DEV_ZERO ? it : it.skip)('a device named explicitly (symlink to /dev/zero) is reported and the scan ends (bug: reads forever)', () => {
    const p = path.join(t.dir, 'Zero.log');
    symlinkSync('/dev/zero', p);
    const r = spawnSync(process.execPath, [BIN, 'scan', p, good, '--format', 'json', '--fail-on', 'never'], { cwd: ROOT, encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
    expect(r.signal, 'killed after 10 s: the scan did not end').toBeNull();
    const json = JSON.parse(r.stdout) as JsonReport;
    expectGoodAnalyzed(json);
    expect(JSON.stringify(json.inputProblems) + JSON.stringify(sourceOf(json, p) ?? null)).toMatch(/regular file|device|only NUL/);
  }, 30_000);

  it('a path that does not exist: exit 2 when nothing else is readable, exit by findings otherwise', () => {
    const missing = path.join(t.dir, 'no-such-folder', 'X.log');
    const alone = cli(['scan', missing]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('no readable log');
    expect(alone.stderr).toContain(`${missing}: no such file or folder`);
    const r = scanJsonAndText([missing, good]);
    expectGoodAnalyzed(r.json);
    expect(r.json.inputProblems).toEqual([{ path: missing, reason: 'no such file or folder' }]);
    expect(r.text).toContain(`${missing}: no such file or folder`);
    expect(r.textCode).toBe(1); // the good log's error finding
    expect(cli(['scan', missing, good, '--fail-on', 'never']).code).toBe(0);
    expect(cli(['scan', missing, path.join(t.dir, 'also-missing')]).code).toBe(2);
  });
});

describe('hostile zips', () => {
  it('entries with path traversal or absolute names are skipped and reported; the safe entry is read', () => {
    const z = path.join(t.dir, 'bundle.zip');
    writeFileSync(z, zipSync({
      '../x.log': strToU8('escape attempt\r\n'),
      'logs/../../y.log': strToU8('escape attempt\r\n'),
      '/abs.log': strToU8('absolute\r\n'),
      'C:/win.log': strToU8('drive\r\n'),
      '..\\back.log': strToU8('backslash traversal\r\n'),
      'logs/Fine.log': strToU8('fine line\r\n'),
    }));
    const r = scanJsonAndText([z, good]);
    expectGoodAnalyzed(r.json);
    for (const name of ['../x.log', 'logs/../../y.log', '/abs.log', 'C:/win.log', '..\\back.log']) {
      expect(r.json.inputProblems).toContainEqual({ path: `${z}!${name}`, reason: expect.stringMatching(/unsafe path/) });
      expect(r.text).toContain(`${z}!${name}: unsafe path`);
    }
    expect(sourceOf(r.json, `${z}!logs/Fine.log`)?.records).toBe(1);
    expectGoodInText(r.text);
  });

  it('a corrupt, a truncated and a non-zip .zip are reported; the good log is analyzed', () => {
    const inner = zipSync({ 'A.log': strToU8('some text\r\n'.repeat(2000)) });
    const corrupt = Buffer.from(inner);
    for (let i = 40; i < Math.min(corrupt.length - 30, 200); i++) corrupt[i] = corrupt[i]! ^ 0x5a;
    const files = {
      corrupt: path.join(t.dir, 'corrupt.zip'),
      truncated: path.join(t.dir, 'truncated.zip'),
      notzip: path.join(t.dir, 'notzip.zip'),
      empty: path.join(t.dir, 'empty.zip'),
    };
    writeFileSync(files.corrupt, corrupt);
    writeFileSync(files.truncated, Buffer.from(inner).subarray(0, inner.length >> 1));
    writeFileSync(files.notzip, 'this is not a zip archive\r\n');
    writeFileSync(files.empty, '');
    const r = scanJsonAndText([...Object.values(files), good]);
    expectGoodAnalyzed(r.json);
    for (const [what, z] of Object.entries(files)) {
      const mine = r.json.inputProblems.filter((p) => p.path.startsWith(z));
      expect(mine.length, `${what}: ${JSON.stringify(r.json.inputProblems)}`).toBeGreaterThan(0);
      for (const p of mine) expect(r.text).toContain(`${p.path}: ${p.reason}`);
    }
    expect(JSON.stringify(r.json.inputProblems)).toMatch(/corrupt/);
    expect(JSON.stringify(r.json.inputProblems)).toMatch(/not a zip/);
    expectGoodInText(r.text);
  });

  /** A zip of one entry of `mb` MiB of zeros, built in 1 MiB steps (never all in memory here). */
  function zeroBomb(mb: number): Buffer {
    const parts: Uint8Array[] = [];
    const zip = new Zip((err, chunk) => {
      if (err) throw err;
      parts.push(chunk);
    });
    const entry = new ZipDeflate('Bomb.log', { level: 9 });
    zip.add(entry);
    const block = new Uint8Array(1 << 20);
    for (let i = 0; i < mb; i++) entry.push(block, i === mb - 1);
    zip.end();
    return Buffer.concat(parts);
  }

  let bomb64: Buffer | null = null;
  /** 64 MiB of zeros, ~64 KB zipped (built once). */
  const smallBomb = (): Buffer => (bomb64 ??= zeroBomb(64));

  it('readZip with small caps: a bomb entry and a too-large total are stopped and reported', () => {
    const bomb = smallBomb();
    const res = readZip(bomb, { maxEntryBytes: 8 << 20, maxTotalBytes: 1 << 30, maxRatio: 100_000 });
    expect(res.entries).toEqual([]);
    expect(res.problems).toEqual([{ entry: 'Bomb.log', reason: expect.stringMatching(/possible zip bomb/) }]);
    const many = zipSync(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`L${i}.log`, strToU8('line\r\n'.repeat(50_000))])));
    const total = readZip(many, { maxEntryBytes: 1 << 30, maxTotalBytes: 1_000_000, maxRatio: 100_000 });
    expect(total.entries.length).toBeGreaterThan(0);
    expect(total.entries.length).toBeLessThan(6);
    expect(total.problems.length).toBeGreaterThan(0);
    for (const p of total.problems) expect(p.reason).toMatch(/possible zip bomb/);
  });

  // BUG (src/ingest/zip.ts readZip): the caps are checked in `ondata`, but fflate inflates all the
  // compressed bytes of one push at once, and readZip pushes 1 MiB slices. A 64 MiB bomb is only
  // ~64 KB compressed, so the whole 64 MiB is inflated into memory before the first check: the
  // reason says "67108864 bytes so far" against an 8 MiB cap. At the default caps a 300 MiB
  // bomb (300 KB zip) expands fully (the CLI peaks ~700 MB RSS), and a 1 MiB slice of deflate can
  // expand to ~1 GiB. Expected: stop within about a slice's worth past the cap — push small slices
  // (e.g. 16-64 KiB: deflate expands at most ~1032×) so the cap is checked every few MiB.
  it('readZip stops a bomb near its cap, not after inflating it all (zip cap granularity bug)', () => {
    const bomb = smallBomb();
    const res = readZip(bomb, { maxEntryBytes: 8 << 20, maxTotalBytes: 1 << 30, maxRatio: 100_000 });
    const soFar = Number(/\((\d+) bytes so far/.exec(res.problems[0]?.reason ?? '')?.[1]);
    expect(soFar).toBeLessThanOrEqual((8 << 20) + (16 << 20));
  });

  it('the CLI with default caps on a 300 MiB bomb: skipped as a possible zip bomb, the good log is analyzed', () => {
    const z = path.join(t.dir, 'bomb.zip');
    writeFileSync(z, zeroBomb(300));
    const r = scanJsonAndText([z, good]);
    expectGoodAnalyzed(r.json);
    expect(r.json.inputProblems).toEqual([{ path: `${z}!Bomb.log`, reason: expect.stringMatching(/possible zip bomb/) }]);
    expect(r.text).toContain(`${z}!Bomb.log: expands past the limit`);
    expectGoodInText(r.text);
    expect(r.textCode).toBe(1);
  }, 120_000);
});
