import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, renameSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LogRecord } from '../../parsers/types.js';
import { frameText } from '../../parsers/formats/framer.js';
import { startFollowing, type FollowOptions } from '../../src/ingest/follow.js';
import type { InputProblem, LogicalSource } from '../../src/ingest/discover.js';
import { discover } from '../../src/ingest/discover.js';
import { emptyReport, readFileRecords, type FileReport } from '../../src/ingest/read.js';
import { cm, srv, tempDir } from '../helpers/tmp.js';

let t: ReturnType<typeof tempDir>;
let handles: { close(): Promise<void> }[] = [];
beforeEach(() => {
  t = tempDir('attachscope-follow-');
  handles = [];
});
afterEach(async () => {
  for (const h of handles) await h.close();
  t.cleanup();
});

/** Polls `cond` until it holds; fails after `ms`. Never used as a timing assertion. */
async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Seen {
  records: LogRecord[];
  bySource: Map<string, LogRecord[]>;
  sources: LogicalSource[];
  reports: FileReport[];
  problems: InputProblem[];
  idle: string[];
  bytesRead: number;
}

async function follow(inputs: string[], extra: Partial<FollowOptions> = {}): Promise<Seen & { close(): Promise<void> }> {
  const seen: Seen = { records: [], bySource: new Map(), sources: [], reports: [], problems: [], idle: [], bytesRead: 0 };
  const h = await startFollowing(inputs, {
    biasOverrides: [],
    onSource: (s) => { seen.sources.push(s); },
    onRecords: (s, recs) => {
      seen.records.push(...recs);
      const list = seen.bySource.get(s.id) ?? [];
      list.push(...recs);
      seen.bySource.set(s.id, list);
    },
    onFileReport: (_s, r) => { seen.reports.push(r); },
    onIdle: (s) => { seen.idle.push(s.id); },
    onProblems: (p) => { seen.problems.push(...p); },
    onProgress: (read) => { seen.bytesRead = read; },
    ...extra,
  });
  handles.push(h);
  return Object.assign(seen, { close: () => h.close() });
}

const lines = (from: number, to: number, fmt: (n: number) => string = (n) => cm(`line ${n}`)) => {
  let s = '';
  for (let i = from; i <= to; i++) s += fmt(i) + '\r\n';
  return s;
};
const msgs = (recs: LogRecord[]) => recs.map((r) => r.message);
const nums = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

/** What a batch read of the file as it now stands gives (the follower must agree with it). */
async function batchRead(file: string): Promise<LogRecord[]> {
  const { sources } = await discover([file]);
  const f = sources[0]!.files.find((x) => x.path === file)!;
  const out: LogRecord[] = [];
  for await (const b of readFileRecords(f, { log: sources[0]!.name }, emptyReport(file))) out.push(...b);
  return out;
}

describe('startFollowing', () => {
  it('reads what exists in rotation order, then appended complete lines', async () => {
    const lo = path.join(t.dir, 'Worker.lo_');
    const log = path.join(t.dir, 'Worker.log');
    writeFileSync(lo, lines(1, 3));
    writeFileSync(log, lines(4, 5));
    const f = await follow([t.dir]);
    expect(f.sources.map((s) => s.name)).toEqual(['Worker']);
    expect(msgs(f.records)).toEqual(nums(1, 5));
    expect(f.reports.map((r) => path.basename(r.path))).toEqual(['Worker.lo_']); // the live file stays open
    expect(f.idle.length).toBeGreaterThan(0);
    appendFileSync(log, lines(6, 8));
    await until(() => f.records.length === 8, 5000, '8 records');
    appendFileSync(log, lines(9, 9, (n) => srv(`line ${n}`)));
    await until(() => f.records.length === 9, 5000, '9 records');
    expect(msgs(f.records)).toEqual(nums(1, 9));
    expect(f.records.slice(3)).toEqual(await batchRead(log));
    await f.close();
    expect(f.reports.map((r) => path.basename(r.path))).toEqual(['Worker.lo_', 'Worker.log']);
    expect(f.reports[1]).toMatchObject({ records: 6, bytes: statSync(log).size, encoding: 'utf-8' });
  });

  it('chunkSize: the first read comes in batches of about that many bytes, the same records', async () => {
    const lo = path.join(t.dir, 'Worker.lo_');
    const log = path.join(t.dir, 'Worker.log');
    writeFileSync(lo, lines(1, 300));
    // Multi-line entries and a line longer than a step: they come out whole across the cuts.
    writeFileSync(log, lines(301, 600, (n) => (n % 7 === 0 ? cm(`line ${n}\r\nsecond line`) : n === 450 ? cm(`line ${n} ${'x'.repeat(10_000)}`) : cm(`line ${n}`))));
    let batches = 0;
    const f0: LogRecord[] = [];
    const f = await follow([t.dir], { chunkSize: 4096, onRecords: (_s, recs) => { batches++; f0.push(...recs); } });
    const whole = await follow([t.dir]);
    expect(batches).toBeGreaterThan((statSync(lo).size + statSync(log).size) / 4096 - 4);
    expect(f0).toEqual(whole.records);
    expect(f0).toHaveLength(600);
    expect(f.reports.map((r) => path.basename(r.path))).toEqual(['Worker.lo_']);
  });

  it('holds a partial last line until its line end arrives', async () => {
    const log = path.join(t.dir, 'A.log');
    writeFileSync(log, lines(1, 1));
    const f = await follow([log], { partialTimeoutMs: 60_000 });
    appendFileSync(log, cm('line 2'));
    await until(() => f.bytesRead === statSync(log).size, 5000, 'bytes read');
    expect(msgs(f.records)).toEqual(nums(1, 1)); // read, but held: no line end yet
    appendFileSync(log, '\r\n');
    await until(() => f.records.length === 2, 5000, 'completed line');
    expect(f.records[1]).toMatchObject({ message: 'line 2', line: 2 });
    expect(f.records[1]!.partial).toBeUndefined();
    expect(f.records).toEqual(await batchRead(log));
  });

  it('emits a dangling partial line after the timeout, and its continuation as another partial', async () => {
    const log = path.join(t.dir, 'A.log');
    writeFileSync(log, lines(1, 1));
    const f = await follow([log], { partialTimeoutMs: 150 });
    appendFileSync(log, 'hello wor');
    await until(() => f.records.length === 2, 5000, 'early partial');
    expect(f.records[1]).toMatchObject({ message: 'hello wor', partial: true, format: 'plain' });
    expect(f.records[1]!.problems?.join(' ')).toMatch(/no line end after 150 ms/);
    appendFileSync(log, 'ld\r\n' + lines(3, 3));
    await until(() => f.records.length === 4, 5000, 'continuation');
    expect(f.records[2]).toMatchObject({ message: 'ld', partial: true, offset: f.records[1]!.offset + f.records[1]!.length });
    expect(f.records[2]!.problems?.join(' ')).toMatch(/continues a record emitted early/);
    expect(f.records[3]).toMatchObject({ message: 'line 3' });
    expect(f.records[3]!.partial).toBeUndefined();
  });

  it('waits for the header of a multi-line CMTrace entry that arrives later', async () => {
    const log = path.join(t.dir, 'A.log');
    writeFileSync(log, lines(1, 1));
    const f = await follow([log], { partialTimeoutMs: 60_000 });
    appendFileSync(log, '<![LOG[first part\r\nsecond part\r\n');
    await until(() => f.bytesRead === statSync(log).size, 5000, 'bytes read');
    appendFileSync(log, 'third part');
    await until(() => f.bytesRead === statSync(log).size, 5000, 'bytes read');
    expect(f.records).toHaveLength(1);
    appendFileSync(log, ']LOG]!><time="10:00:01.000+000" date="01-02-2026" component="C" context="" type="3" thread="1" file="">\r\n');
    await until(() => f.records.length === 2, 5000, 'entry');
    expect(f.records[1]).toMatchObject({ message: 'first part\nsecond part\nthird part', severity: 'error', line: 2, endLine: 4 });
    expect(f.records[1]!.partial).toBeUndefined();
    expect(f.records).toEqual(await batchRead(log));
  });

  it('emits an entry whose header never comes as partial after the timeout', async () => {
    const log = path.join(t.dir, 'A.log');
    writeFileSync(log, lines(1, 1));
    const f = await follow([log], { partialTimeoutMs: 150 });
    appendFileSync(log, '<![LOG[no header\r\nyet\r\n');
    await until(() => f.records.length === 2, 5000, 'partial entry');
    expect(f.records[1]).toMatchObject({ message: 'no header\nyet', partial: true, format: 'cmtrace' });
    expect(f.records[1]!.problems?.join(' ')).toMatch(/not closed after 150 ms/);
  });

  for (const mode of ['rename', 'copy-truncate', 'stamped'] as const) {
    it(`rollover (${mode}): unread lines of the old file first, the new X.log from byte 0, each record once`, async () => {
      const log = path.join(t.dir, 'CMGatewaySyncUploadWorker.log');
      const lo = path.join(t.dir, 'CMGatewaySyncUploadWorker.lo_');
      writeFileSync(lo, lines(1, 2));
      writeFileSync(log, lines(3, 5));
      const f = await follow([t.dir], { partialTimeoutMs: 60_000 });
      await until(() => f.records.length === 5, 5000, 'initial');
      for (let gen = 0; gen < 3; gen++) {
        const base = 6 + gen * 10;
        // Unread lines land in the old file; the rollover happens before the follower looks
        // (synchronous writes: the follower runs on this same thread).
        appendFileSync(log, lines(base, base + 3));
        if (mode === 'rename') renameSync(log, lo);
        else if (mode === 'stamped') renameSync(log, path.join(t.dir, `CMGatewaySyncUploadWorker-20260102-10000${gen}.log`));
        else {
          copyFileSync(log, lo);
          truncateSync(log, 0);
        }
        appendFileSync(log, lines(base + 4, base + 9));
        await until(() => f.records.length === 5 + (gen + 1) * 10, 5000, `generation ${gen}`);
      }
      expect(msgs(f.records)).toEqual([...nums(1, 5), ...nums(6, 35)]);
      expect(f.problems).toEqual([]);
      // The records of the new X.log are exactly what a batch read of it gives.
      expect(f.records.slice(-6)).toEqual(await batchRead(log));
      // The old file's records keep the path and offsets they had in X.log.
      const old = f.records.find((r) => r.message === 'line 9')!;
      expect(old.path).toBe(log);
    });
  }

  it('rollover by copy + truncate where the new X.log outgrew the old offset before the look', async () => {
    const log = path.join(t.dir, 'X.log');
    const lo = path.join(t.dir, 'X.lo_');
    writeFileSync(log, lines(1, 2));
    const f = await follow([t.dir], { partialTimeoutMs: 60_000 });
    appendFileSync(log, lines(3, 4));
    copyFileSync(log, lo);
    truncateSync(log, 0);
    appendFileSync(log, lines(5, 40)); // same inode, larger than before: only its first bytes tell
    await until(() => f.records.length === 40, 5000, 'records');
    expect(msgs(f.records)).toEqual(nums(1, 40));
    expect(f.problems).toEqual([]);
  });

  it('rollover of a file named on the command line (not its folder)', async () => {
    const log = path.join(t.dir, 'BgbServer.log');
    const lo = path.join(t.dir, 'BgbServer.lo_');
    writeFileSync(path.join(t.dir, 'Other.log'), lines(100, 101));
    writeFileSync(log, lines(1, 2));
    const f = await follow([log]);
    appendFileSync(log, lines(3, 4));
    renameSync(log, lo);
    await until(() => f.records.length === 4, 5000, 'tail from .lo_');
    writeFileSync(log, lines(5, 6));
    await until(() => f.records.length === 6, 5000, 'new X.log');
    expect(msgs(f.records)).toEqual(nums(1, 6));
    expect(f.sources.map((s) => s.name)).toEqual(['BgbServer']);
    expect(f.problems).toEqual([]);
  });

  it('.lo_ overwritten twice before a look: the intermediate file is read in full and the loss reported', async () => {
    const log = path.join(t.dir, 'X.log');
    const lo = path.join(t.dir, 'X.lo_');
    writeFileSync(log, lines(1, 2));
    const f = await follow([t.dir], { partialTimeoutMs: 60_000 });
    appendFileSync(log, lines(3, 3)); // unread, lost with the first .lo_
    renameSync(log, lo);
    writeFileSync(log, lines(4, 5));
    renameSync(log, lo);
    writeFileSync(log, lines(6, 6));
    await until(() => f.records.length === 5, 5000, 'records');
    expect(msgs(f.records)).toEqual(['line 1', 'line 2', 'line 4', 'line 5', 'line 6']);
    expect(f.problems).toHaveLength(1);
    expect(f.problems[0]!.reason).toMatch(/after byte \d+ was not read.*X\.lo_ read in full/);
  });

  it('truncation in place: reported, read again from the start with a new Framer', async () => {
    const log = path.join(t.dir, 'A.log');
    writeFileSync(log, lines(1, 5));
    const f = await follow([log], { partialTimeoutMs: 60_000 });
    truncateSync(log, 0);
    appendFileSync(log, lines(6, 7));
    await until(() => f.records.length === 7, 5000, 'records after truncation');
    expect(msgs(f.records)).toEqual(nums(1, 7));
    expect(f.records[5]).toMatchObject({ line: 1, offset: 0 });
    expect(f.problems.map((p) => p.reason).join()).toMatch(/truncated in place/);
    expect(f.reports.map((r) => r.records)).toEqual([5]);
  });

  it('deletion and re-creation', async () => {
    const log = path.join(t.dir, 'A.log');
    writeFileSync(log, lines(1, 3));
    const f = await follow([t.dir], { partialTimeoutMs: 60_000 });
    unlinkSync(log);
    await until(() => f.reports.length === 1, 5000, 'old file finished');
    writeFileSync(log, lines(4, 4));
    await until(() => f.records.length === 4, 5000, 'new file');
    appendFileSync(log, lines(5, 5));
    await until(() => f.records.length === 5, 5000, 'append to new file');
    expect(msgs(f.records)).toEqual(nums(1, 5));
    expect(f.sources).toHaveLength(1);
  });

  it('UTF-16LE: appends split mid-character and mid-surrogate-pair give what a batch read gives', async () => {
    const log = path.join(t.dir, 'U.log');
    const text = [cm('eins ä'), cm('zwei 😀 emoji'), srv('drei ß'), cm('vier\r\nzeilen')].join('\r\n') + '\r\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const firstLineEnd = 2 + Buffer.byteLength(cm('eins ä') + '\r\n', 'utf16le');
    writeFileSync(log, bytes.subarray(0, firstLineEnd + 3)); // odd: half a UTF-16 unit
    const f = await follow([log], { partialTimeoutMs: 60_000 });
    expect(msgs(f.records)).toEqual(['eins ä']);
    const emoji = bytes.indexOf(Buffer.from('😀', 'utf16le'));
    const cuts = [firstLineEnd + 3, emoji + 1, emoji + 3, emoji + 7, bytes.length - 5, bytes.length];
    for (let i = 1; i < cuts.length; i++) {
      appendFileSync(log, bytes.subarray(cuts[i - 1], cuts[i]));
      await until(() => f.bytesRead === cuts[i], 5000, `bytes to ${cuts[i]}`);
    }
    await until(() => f.records.length === 4, 5000, 'records');
    expect(msgs(f.records)).toEqual(['eins ä', 'zwei 😀 emoji', 'drei ß', 'vier\nzeilen']);
    expect(f.records).toEqual(await batchRead(log));
    await f.close();
    expect(f.reports[0]).toMatchObject({ encoding: 'utf-16le', encodingHow: 'bom', bytes: bytes.length, records: 4 });
  });

  it('a UTF-16LE file without BOM created later in a watched folder', async () => {
    writeFileSync(path.join(t.dir, 'A.log'), lines(1, 1));
    const f = await follow([t.dir], { partialTimeoutMs: 60_000 });
    const p = path.join(t.dir, 'W.log');
    writeFileSync(p, Buffer.from('x', 'utf16le')); // too little to decide the encoding
    appendFileSync(p, Buffer.from(lines(1, 2).slice(1), 'utf16le').subarray(0, 11));
    await until(() => f.sources.length === 2, 5000, 'new source');
    appendFileSync(p, Buffer.from(lines(1, 2).slice(1), 'utf16le').subarray(11));
    await until(() => (f.bySource.get(f.sources[1]!.id)?.length ?? 0) === 2, 5000, 'records');
    expect(f.bySource.get(f.sources[1]!.id)).toEqual(await batchRead(p));
  });

  it('a new log created in a watched folder (and a subfolder) becomes a new source, read from its start', async () => {
    writeFileSync(path.join(t.dir, 'A.log'), lines(1, 2));
    const f = await follow([t.dir]);
    expect(f.sources.map((s) => s.name)).toEqual(['A']);
    const b = path.join(t.dir, 'BgbServer.log');
    writeFileSync(b, lines(10, 12));
    await until(() => f.sources.length === 2, 5000, 'new source');
    expect(f.sources[1]).toMatchObject({ name: 'BgbServer', kind: 'BgbServer' });
    await until(() => (f.bySource.get(f.sources[1]!.id)?.length ?? 0) === 3, 5000, 'its records');
    appendFileSync(b, lines(13, 13));
    await until(() => (f.bySource.get(f.sources[1]!.id)?.length ?? 0) === 4, 5000, 'appended');
    expect(msgs(f.bySource.get(f.sources[1]!.id)!)).toEqual(nums(10, 13));
    mkdirSync(path.join(t.dir, 'SCP01'));
    const c = path.join(t.dir, 'SCP01', 'CMGatewayNotificationWorker.log');
    writeFileSync(c, lines(20, 20));
    await until(() => f.sources.length === 3, 5000, 'source in new subfolder');
    expect(f.sources[2]).toMatchObject({ name: 'CMGatewayNotificationWorker', machine: 'SCP01' });
    await until(() => (f.bySource.get(f.sources[2]!.id)?.length ?? 0) === 1, 5000, 'its records');
    // Non-log files are ignored.
    writeFileSync(path.join(t.dir, 'notes.txt'), 'x\n');
    expect(f.problems).toEqual([]);
  });

  it('polling mode (pollMs) follows appends and rollovers too', async () => {
    const log = path.join(t.dir, 'A.log');
    writeFileSync(log, lines(1, 1));
    const f = await follow([t.dir], { pollMs: 50 });
    appendFileSync(log, lines(2, 3));
    renameSync(log, path.join(t.dir, 'A.lo_'));
    writeFileSync(log, lines(4, 4));
    await until(() => f.records.length === 4, 5000, 'records');
    expect(msgs(f.records)).toEqual(nums(1, 4));
  });

  it('close() emits what is held and reports open files', async () => {
    const log = path.join(t.dir, 'A.log');
    writeFileSync(log, lines(1, 1) + 'tail without end');
    const f = await follow([log], { partialTimeoutMs: 60_000 });
    expect(f.records).toHaveLength(1);
    await f.close();
    expect(msgs(f.records)).toEqual(['line 1', 'tail without end']);
    expect(f.reports).toHaveLength(1);
    expect(frameText(readFileSync(log, 'utf8'), { log: 'A', path: log })).toEqual(f.records);
  });

  it('problems: missing inputs are reported, the rest is followed', async () => {
    writeFileSync(path.join(t.dir, 'A.log'), lines(1, 1));
    const f = await follow([path.join(t.dir, 'nope.log'), t.dir]);
    expect(f.problems).toEqual([{ path: path.join(t.dir, 'nope.log'), reason: 'no such file or folder' }]);
    expect(f.records).toHaveLength(1);
  });
});
