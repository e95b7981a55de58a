import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSources, type AnalysisResult } from '../../../src/analysis/analyze.js';
import { balancedTargets, planParts, recordStartNear, type Part } from '../../../src/analysis/parallel/plan.js';
import { runPart, linesBefore } from '../../../src/analysis/parallel/part.js';
import { analyzeParts, cpuQuota, cutMismatch, joinParts, mergeParts, withOnlyDataOf, type ParallelOutcome } from '../../../src/analysis/parallel/run.js';
import { discover, type LogicalSource } from '../../../src/ingest/discover.js';
import { cli, ROOT } from '../../e2e/cli.js';
import { cm, tempDir } from '../../helpers/tmp.js';

const WORKER = path.join(ROOT, 'dist/src/analysis/parallel/part-worker.js');
const tmp = tempDir('attachscope-parallel-');
const SET = path.join(tmp.dir, 'set');
const SMSEXEC = path.join(tmp.dir, 'smsexec');

beforeAll(() => {
  // Five logs sharing one timeline (actions cross them), and one big `$$<` file.
  const gen = (args: string[]) => execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.mjs'), '--quiet', ...args]);
  gen(['--set', '--format', 'cmtrace', '--size', '6M', '--seed', '3', '--out', SET]);
  gen(['--format', 'smsexec', '--size', '3M', '--seed', '4', '--out', SMSEXEC]);
}, 60_000);
afterAll(() => tmp.cleanup());

/** What a scan reports, without the seqs (parts number their events from their own base). */
function comparable(r: AnalysisResult) {
  return { ...r, events: r.events.map(({ seq: _s, ...e }) => e) };
}

async function inThread(sources: LogicalSource[], parts: Part[]): Promise<ParallelOutcome> {
  const results = await Promise.all(parts.map((part, index) => runPart({ sources, part, index, opts: {} })));
  return mergeParts(sources, [], results, {});
}

const inFileCuts = (parts: Part[]) => parts.slice(1).filter((p) => p.units[0]!.start > 0).length;

describe('parallel scan: parts read apart and merged', () => {
  it.each([2, 3, 5])('gives the serial analysis for a five-log set cut into %i parts', async (n) => {
    const { sources, problems } = await discover([SET]);
    const serial = await analyzeSources(sources, problems, { keepEvent: () => false });
    const parts = planParts(sources, { parts: n, minPartBytes: 1 });
    expect(parts).toHaveLength(n);
    expect(inFileCuts(parts)).toBeGreaterThan(0);
    const out = await inThread(sources, parts);
    if (!out.ok) throw new Error(out.why);
    expect(comparable(out.result)).toEqual(comparable({ ...serial, inputProblems: [] }));
    expect(out.result.findings.length).toBeGreaterThan(0);
    expect(out.result.chains.length).toBeGreaterThan(0);
  });

  it('gives the serial analysis for a `$$<` file cut into 4 parts, through worker threads', async () => {
    const { sources, problems } = await discover([SMSEXEC]);
    const serial = await analyzeSources(sources, problems, { keepEvent: () => false });
    const parts = planParts(sources, { parts: 4, minPartBytes: 1 });
    expect(inFileCuts(parts)).toBe(3);
    const out = await analyzeParts(WORKER, sources, problems, parts, {});
    if (!out.ok) throw new Error(out.why);
    expect(comparable(out.result)).toEqual(comparable(serial));
  });

  it('gives the serial analysis for a rotation group (.lo_ then .log) and a UTF-16 log among the cuts', async () => {
    const t = tempDir();
    try {
      const { readFileSync, readdirSync } = await import('node:fs');
      for (const name of readdirSync(SET)) {
        const bytes = readFileSync(path.join(SET, name));
        if (name === 'CMGatewayNotificationWorker.log') {
          // Rolled over at a record start in the middle: the older half is the .lo_.
          const at = bytes.indexOf('<![LOG[', Math.floor(bytes.length / 2));
          writeFileSync(path.join(t.dir, 'CMGatewayNotificationWorker.lo_'), bytes.subarray(0, at));
          writeFileSync(path.join(t.dir, name), bytes.subarray(at));
        } else if (name === 'BgbServer.log') {
          writeFileSync(path.join(t.dir, name), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('utf8'), 'utf16le')]));
        } else writeFileSync(path.join(t.dir, name), bytes);
      }
      const { sources, problems } = await discover([t.dir]);
      expect(sources.find((s) => s.name === 'CMGatewayNotificationWorker')!.files).toHaveLength(2);
      const serial = await analyzeSources(sources, problems, { keepEvent: () => false });
      const rotated = sources.findIndex((s) => s.name === 'CMGatewayNotificationWorker');
      const utf16 = sources.findIndex((s) => s.name === 'BgbServer');
      let inNewerFile = 0;
      for (const n of [3, 4, 6]) {
        const parts = planParts(sources, { parts: n, minPartBytes: 1 });
        // No cut inside the UTF-16 log; some inside the newer file of the rotation group.
        expect(parts.slice(1).every((p) => p.units[0]!.source !== utf16 || p.units[0]!.start === 0)).toBe(true);
        inNewerFile += parts.slice(1).filter((p) => p.units[0]!.source === rotated && p.units[0]!.file === 1 && p.units[0]!.start > 0).length;
        const out = await inThread(sources, parts);
        if (!out.ok) throw new Error(out.why);
        expect(comparable({ ...out.result, inputProblems: problems }), `${n} parts`).toEqual(comparable(serial));
      }
      expect(inNewerFile).toBeGreaterThan(0);
    } finally {
      t.cleanup();
    }
  });

  it('cuts between the files of one log (history files on disk, zip entries), warming up on the file before, and inside a big zip entry', async () => {
    const t = tempDir();
    try {
      const { readFileSync, readdirSync } = await import('node:fs');
      const { zipSync } = await import('fflate');
      // The notification worker log as rotated history files: one of 1.1 MB (a cut may fall
      // inside it), then ~200 KB ones (too small to cut inside), each ending at a record start.
      const bytes = readFileSync(path.join(SET, 'CMGatewayNotificationWorker.log'));
      const pieces: Buffer[] = [];
      for (let at = 0; at < bytes.length;) {
        const want = pieces.length === 0 ? 1_100_000 : 200_000;
        const next = at + want >= bytes.length ? bytes.length : bytes.indexOf('<![LOG[', at + want);
        const end = next < 0 ? bytes.length : next;
        pieces.push(bytes.subarray(at, end));
        at = end;
      }
      expect(pieces.length).toBeGreaterThan(10);
      const disk = path.join(t.dir, 'disk');
      mkdirSync(disk);
      const entries: Record<string, Uint8Array> = {};
      // An empty history file among them, read whole inside a part (an empty log says so).
      pieces.splice(5, 0, Buffer.alloc(0));
      pieces.forEach((p, i) => {
        const name = i === pieces.length - 1 ? 'CMGatewayNotificationWorker.log' : `CMGatewayNotificationWorker-20260102-${String(i).padStart(2, '0')}0000.log`;
        writeFileSync(path.join(disk, name), p);
        entries[`SCP01/${name}`] = p;
      });
      for (const name of readdirSync(SET)) {
        if (name === 'CMGatewayNotificationWorker.log') continue;
        writeFileSync(path.join(disk, name), readFileSync(path.join(SET, name)));
        entries[`SCP01/${name}`] = readFileSync(path.join(SET, name));
      }
      const zip = path.join(t.dir, 'bundle.zip');
      writeFileSync(zip, zipSync(entries));

      const warmUps = (parts: Part[]) => parts.slice(1).map((p) => p.units[0]!).filter((u) => u.start === u.end);
      const seen = { disk: [] as number[], zip: [] as number[] };
      let insideEntry = 0;
      for (const [where, input] of [['disk', disk], ['zip', zip]] as const) {
        const { sources, problems } = await discover([input]);
        const log = sources.findIndex((s) => s.name === 'CMGatewayNotificationWorker');
        expect(sources[log]!.files).toHaveLength(pieces.length);
        const serial = await analyzeSources(sources, problems, { keepEvent: () => false });
        for (const n of [2, 3, 4, 5, 6, 7, 8]) {
          const parts = planParts(sources, { parts: n, minPartBytes: 1 });
          for (const w of warmUps(parts)) {
            expect(w.source).toBe(log);
            expect(w.end).toBe(sources[log]!.files[w.file]!.size);
            seen[where].push(w.warmFrom!);
          }
          // A zip entry big enough (the 1.1 MB one) is cut inside too: aimed at, the parts find
          // the record start there (the same result and no part read again says they met).
          for (const u of parts.slice(1).map((p) => p.units[0]!).filter((x) => x.start > 0 && x.start < x.end)) {
            const entry = pieces[u.file]!;
            if (where === 'zip') {
              expect(u).toMatchObject({ aimedStart: true, warmFrom: null });
              insideEntry++;
              continue;
            }
            expect(entry.subarray(u.start, u.start + 7).toString('latin1')).toBe('<![LOG[');
            expect(u.warmFrom === 0 || entry[u.warmFrom! - 1] === 10).toBe(true);
          }
          const out = where === 'zip' && n === 3 ? await analyzeParts(WORKER, sources, problems, parts, {}) : await inThread(sources, parts);
          if (!out.ok) throw new Error(`${where}, ${n} parts: ${out.why}`);
          expect(out.ok && !('timings' in out && /read again/.test(out.timings))).toBe(true);
          expect(comparable({ ...out.result, inputProblems: problems }), `${where}, ${n} parts`).toEqual(comparable(serial));
        }
      }
      // Small files and zip entries warm up from their start, the big file from near its end.
      expect(seen.zip.length).toBeGreaterThan(2);
      expect(seen.zip.every((w) => w === 0)).toBe(true);
      expect(seen.disk.some((w) => w === 0)).toBe(true);
      expect(seen.disk.some((w) => w > 0)).toBe(true);
      expect(insideEntry).toBeGreaterThan(2);
    } finally {
      t.cleanup();
    }
  });

  it('gives the serial analysis for one big zip entry cut inside where both sides find the cut, its lines counted on the way', async () => {
    const t = tempDir();
    try {
      const { readFileSync } = await import('node:fs');
      const { zipSync } = await import('fflate');
      const name = readdirSync(SMSEXEC)[0]!;
      const bytes = readFileSync(path.join(SMSEXEC, name));
      for (const level of [6, 0] as const) {
        const zip = path.join(t.dir, `one-${level}.zip`);
        writeFileSync(zip, zipSync({ [`SCP01/${name}`]: [bytes, { level }] }));
        const { sources, problems } = await discover([zip]);
        const serial = await analyzeSources(sources, problems, { keepEvent: () => false });
        for (const n of [2, 4]) {
          const parts = planParts(sources, { parts: n, minPartBytes: 1 });
          expect(parts).toHaveLength(n);
          expect(parts.slice(1).every((p) => p.units[0]!.aimedStart && p.units[0]!.start > 0)).toBe(true);
          expect(parts.slice(0, -1).every((p) => p.units.at(-1)!.aimedEnd)).toBe(true);
          const out = n === 4 ? await analyzeParts(WORKER, sources, problems, parts, {}) : await inThread(sources, parts);
          if (!out.ok) throw new Error(`level ${level}, ${n} parts: ${out.why}`);
          expect('timings' in out && /read again/.test(out.timings)).toBe(false);
          expect(comparable({ ...out.result, inputProblems: problems }), `level ${level}, ${n} parts`).toEqual(comparable(serial));
        }
      }
    } finally {
      t.cleanup();
    }
  });

  it('gives the serial analysis for every sample scenario cut between its logs', async () => {
    for (const dir of ['healthy-day', 'multi-site-three-zones', 'unauthorized-action', 'stalled-uploads', 'expired-secret']) {
      const { sources, problems } = await discover([path.join(ROOT, 'sample-logs', dir)]);
      const serial = await analyzeSources(sources, problems, { keepEvent: () => false });
      const parts = planParts(sources, { parts: 3, minPartBytes: 1 });
      expect(parts.length, dir).toBeGreaterThan(1);
      const out = await inThread(sources, parts);
      if (!out.ok) throw new Error(`${dir}: ${out.why}`);
      expect(comparable({ ...out.result, inputProblems: problems }), dir).toEqual(comparable(serial));
    }
  });

  it('cuts at record starts, and numbers the lines after a cut as the file does', async () => {
    const { sources } = await discover([SMSEXEC]);
    const file = sources[0]!.files[0]!;
    const target = balancedTargets([0, file.size], 2)[0]!;
    const at = recordStartNear(file.path, target, file.size)!;
    expect(at).toBeGreaterThan(target);
    const parts = planParts(sources, { parts: 2, minPartBytes: 1 });
    expect(parts[1]!.units[0]!.start).toBe(at);
    const second = await runPart({ sources, part: parts[1]!, index: 1, opts: {} });
    const first = await runPart({ sources, part: parts[0]!, index: 0, opts: {} });
    expect(cutMismatch(first.endCut, second.startCut)).toBeNull();
    expect(second.startCut!.before!.line).toBe(linesBefore(file.path, second.startCut!.before!.offset) + 1);
  });

  it('removes the listing spills of parts it reads again', async () => {
    const t = tempDir();
    try {
      const log = path.join(t.dir, 'CMGatewayNotificationWorker.log');
      const lines: string[] = [];
      for (let i = 0; i < 4000; i++) lines.push(cm('Received new notification. Validating basic notification details...', '10:00:00.000+000', '01-02-2026', '1', 'SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker'));
      writeFileSync(log, lines.join('\r\n') + '\r\n');
      const { sources } = await discover([log]);
      const parts = planParts(sources, { parts: 2, minPartBytes: 1 });
      parts[1]!.units[0]!.warmFrom = null; // a cut the two sides disagree on (see below)
      const spillDir = path.join(t.dir, 'spill');
      mkdirSync(spillDir);
      const listed = await analyzeParts(WORKER, sources, [], parts, {}, { spill: { dir: spillDir, lines: true } });
      if (!listed.ok) throw new Error(listed.why);
      expect(listed.timings).toMatch(/read again without 1 cut/);
      // Each spill is as big as its part's share of the listing: the two read again are gone,
      // not left beside the joined part's until the scan ends.
      expect(listed.spills).toHaveLength(1);
      expect(listed.spills![0]!.count).toBe(4000);
      expect(readdirSync(spillDir)).toEqual([path.basename(listed.spills![0]!.dir!)]);
    } finally {
      t.cleanup();
    }
  });

  it('refuses a cut the two sides do not agree on, and reads the parts around it again as one', async () => {
    // An exception whose stack trace goes on in the next records: a part beginning inside it
    // cannot know the block is open; the extractor states differ and the merge says so.
    const t = tempDir();
    try {
      const log = path.join(t.dir, 'CMGatewayNotificationWorker.log');
      const lines: string[] = [];
      for (let i = 0; i < 4000; i++) lines.push(cm(`Polling for notifications ${i}`, '10:00:00.000+000', '01-02-2026', '1', 'SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker'));
      writeFileSync(log, lines.join('\r\n') + '\r\n');
      const { sources } = await discover([log]);
      const size = sources[0]!.files[0]!.size;
      const cutAt = recordStartNear(log, balancedTargets([0, size], 2)[0]!, size)!;
      const parts = planParts(sources, { parts: 2, minPartBytes: 1 });
      expect(parts[1]!.units[0]!.start).toBe(cutAt);
      // Without the warm-up the part after the cut starts with a fresh extractor and time.
      parts[1]!.units[0]!.warmFrom = null;
      const out = await inThread(sources, parts);
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.why).toMatch(/record before the cut|last time/);
      // The scan reads the two parts around that cut again as one, and gets the serial result.
      const serial = await analyzeSources(sources, [], { keepEvent: () => false });
      const again = await analyzeParts(WORKER, sources, [], parts, {});
      if (!again.ok) throw new Error(again.why);
      expect(again.timings).toMatch(/read again without 1 cut\(s\): the (record before the cut|last time before the cut) differs/);
      expect(comparable(again.result)).toEqual(comparable(serial));
    } finally {
      t.cleanup();
    }
  });

  it('scan reads big inputs in parts and reports what the serial scan reports', () => {
    const env = { ATTACHSCOPE_DEBUG: '1', ATTACHSCOPE_PART_BYTES: '1000000' };
    const par = cli(['scan', SET, '--format', 'json'], { env: { ...env, ATTACHSCOPE_PARTS: '3' } });
    const ser = cli(['scan', SET, '--format', 'json'], { env: { ...env, ATTACHSCOPE_PARTS: '1' } });
    expect(par.stderr).toMatch(/parts: 3 .*→ merged/);
    expect(ser.stderr).not.toMatch(/parts:/);
    expect(par.code).toBe(ser.code);
    const strip = (s: string) => JSON.parse(s) as unknown;
    expect(strip(par.stdout)).toEqual(strip(ser.stdout));
    // --jobs says the same as the environment; a bad value is a usage error.
    const one = cli(['scan', SET, '--format', 'json', '--jobs', '1'], { env });
    expect(one.stderr).not.toMatch(/parts:/);
    expect(strip(one.stdout)).toEqual(strip(ser.stdout));
    expect(cli(['scan', SET, '--format', 'json', '--jobs', '2'], { env }).stderr).toMatch(/parts: 2 .*→ merged/);
    // An input big enough for a worker but not cut is read as one part, merged in this thread.
    const whole = cli(['scan', SET, '--format', 'json', '--jobs', '1'], { env: { ...env, ATTACHSCOPE_ISOLATE_BYTES: '1' } });
    expect(whole.stderr).toMatch(/parts: 1 .*→ merged/);
    expect(strip(whole.stdout)).toEqual(strip(ser.stdout));
    const listed = cli(['scan', SET, '--format', 'ndjson', '--jobs', '1'], { env: { ...env, ATTACHSCOPE_ISOLATE_BYTES: '1' } });
    expect(listed.stderr).toMatch(/parts: 1 .*→ merged/);
    expect(listed.stdout).toBe(cli(['scan', SET, '--format', 'ndjson', '--jobs', '1'], { env }).stdout);
    // Options that change what is read or how times are taken: the same with and without parts.
    const { summary } = strip(ser.stdout) as { summary: { firstUtc: string; lastUtc: string } };
    const mid = new Date((Date.parse(summary.firstUtc) + Date.parse(summary.lastUtc)) / 2).toISOString();
    const opts = ['--since', mid, '--bias', 'CMGatewayNotificationWorker*=60'];
    const a = cli(['scan', SET, '--format', 'json', ...opts, '--jobs', '3'], { env });
    const b = cli(['scan', SET, '--format', 'json', ...opts, '--jobs', '1'], { env });
    expect(a.stderr).toMatch(/parts: 3 .*→ merged/);
    expect(strip(a.stdout)).toEqual(strip(b.stdout));
    expect(strip(a.stdout)).not.toEqual(strip(ser.stdout));
    const bad = cli(['scan', SET, '--jobs', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--jobs expects a whole number/);
  });
});

describe('cutMismatch', () => {
  const side = { extractor: '', lastUtc: 5, before: { offset: 10, line: 3, length: 7 }, problem: null };
  it('agrees only when everything at the cut is the same', () => {
    expect(cutMismatch(null, null)).toBeNull();
    expect(cutMismatch(side, { ...side })).toBeNull();
    expect(cutMismatch(side, { ...side, extractor: 'block' })).toMatch(/different state/);
    expect(cutMismatch(side, { ...side, extractor: null })).toMatch(/cannot state/);
    expect(cutMismatch(side, { ...side, lastUtc: 6 })).toMatch(/last time/);
    expect(cutMismatch(side, { ...side, before: { offset: 10, line: 4, length: 7 } })).toMatch(/line numbers/);
    expect(cutMismatch({ ...side, problem: 'x' }, side)).toBe('x');
    expect(cutMismatch(side, null)).toMatch(/one side/);
  });
});

describe('withOnlyDataOf', () => {
  it('gives a worker the in-memory contents of its own files only', () => {
    const file = (name: string, data?: Uint8Array) => ({ path: name, name, dir: 'z', root: 'z', size: data?.length ?? 5, mtimeMs: 0, ...(data ? { data } : {}) });
    const sources: LogicalSource[] = [
      { id: 'a', name: 'A', kind: 'BgbServer', role: 'unknown', machine: null, files: [file('a1', new Uint8Array(3)), file('a2', new Uint8Array(4))] },
      { id: 'b', name: 'B', kind: 'BgbServer', role: 'unknown', machine: null, files: [file('b1')] },
    ];
    const part: Part = { units: [{ source: 0, file: 1, start: 0, end: 4, warmFrom: null }, { source: 1, file: 0, start: 0, end: 5, warmFrom: null }] };
    const out = withOnlyDataOf(sources, part);
    expect(out[0]!.files.map((f) => f.data?.length)).toEqual([0, 4]);
    expect(out[1]).toBe(sources[1]);
    expect(sources[0]!.files[0]!.data!.length).toBe(3);
  });
});

describe('joinParts', () => {
  it('joins the stretches on both sides of an in-file cut into one, and keeps whole files apart', () => {
    const a: Part = { units: [{ source: 0, file: 0, start: 0, end: 10, warmFrom: null }, { source: 1, file: 0, start: 0, end: 50, warmFrom: null }] };
    const b: Part = { units: [{ source: 1, file: 0, start: 50, end: 90, warmFrom: 20 }, { source: 2, file: 0, start: 0, end: 7, warmFrom: null }] };
    expect(joinParts(a, b).units).toEqual([a.units[0], { source: 1, file: 0, start: 0, end: 90, warmFrom: null }, b.units[1]]);
    const c: Part = { units: [{ source: 2, file: 0, start: 0, end: 7, warmFrom: null }] };
    expect(joinParts(a, c).units).toEqual([...a.units, ...c.units]);
    // A cut between two files of a log: the part after it only warmed up on the file before.
    const d: Part = { units: [{ source: 1, file: 0, start: 50, end: 50, warmFrom: 0 }, { source: 1, file: 1, start: 0, end: 30, warmFrom: null }] };
    expect(joinParts(a, d).units).toEqual([...a.units, d.units[1]]);
  });
});

describe('cpuQuota (how many parts a container allows)', () => {
  it('reads cgroup v2 and v1 quotas, rounding up, and no quota as none', () => {
    expect(cpuQuota('200000 100000\n', null, null)).toBe(2);
    expect(cpuQuota('150000 100000', null, null)).toBe(2);
    expect(cpuQuota('50000 100000', null, null)).toBe(1);
    expect(cpuQuota('max 100000\n', null, null)).toBeNull();
    expect(cpuQuota(null, '400000\n', '100000\n')).toBe(4);
    expect(cpuQuota(null, '-1\n', '100000\n')).toBeNull();
    expect(cpuQuota(null, null, null)).toBeNull();
    expect(cpuQuota('garbage', null, null)).toBeNull();
  });
});
