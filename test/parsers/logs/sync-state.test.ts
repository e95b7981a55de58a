/**
 * Extractor.syncState(): two extractors of one kind whose states are equal give the same events
 * for the same following records. This is what lets a log be split between workers: worker 2
 * warms a fresh extractor up over the records before the split point S and trusts its events
 * after S only when its state at S equals worker 1's.
 *
 * For sample logs (framed by the real reader) and generated records, for many split points i and
 * warm-up lengths w: A reads records[0..i), B (fresh) reads records[i-w..i) with its events thrown
 * away; whenever A.syncState() === B.syncState(), both must give deep-equal events for
 * records[i..] and flush(). And the check must not be vacuous: states are equal at most split
 * points once the warm-up is long enough, and differ where an exception block is open at S.
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOG_KINDS, createExtractor, type Extractor } from '../../../parsers/logs/index.js';
import type { LogRecord, TimelineEvent } from '../../../parsers/types.js';
import { discover } from '../../../src/ingest/discover.js';
import { emptyReport, readFileRecords } from '../../../src/ingest/read.js';
import { rec, recs } from './helpers.js';
import { EXCEPTION_BLOCK_400, EXCEPTION_BLOCK_401, EXCEPTION_BLOCK_SQL, SAMPLES } from './samples.js';

const SAMPLE_DIR = path.join(import.meta.dirname, '../../../sample-logs');
const WARMUPS = [0, 1, 5, 50] as const;

interface Source {
  name: string;
  kind: string;
  records: LogRecord[];
}

/** Every sample log, its rotated files read in order through the real reader and framer. */
async function readSamples(): Promise<Source[]> {
  const { sources } = await discover([SAMPLE_DIR]);
  const out: Source[] = [];
  for (const s of sources) {
    const records: LogRecord[] = [];
    for (const f of s.files) {
      const report = emptyReport(f.path);
      for await (const batch of readFileRecords(f, { log: s.name }, report)) records.push(...batch);
    }
    if (records.length > 0) out.push({ name: path.relative(SAMPLE_DIR, s.files[s.files.length - 1]!.path), kind: s.kind, records });
  }
  return out;
}

/** One pass of a single extractor: its state before each record, its events per record, flush. */
interface Reference {
  states: (string | null)[];
  perRecord: TimelineEvent[][];
  flushed: TimelineEvent[];
}

function reference(kind: string, records: readonly LogRecord[]): Reference {
  const x = createExtractor(kind);
  const states: (string | null)[] = [];
  const perRecord: TimelineEvent[][] = [];
  for (const r of records) {
    states.push(x.syncState());
    perRecord.push(x.feed(r));
  }
  states.push(x.syncState());
  return { states, perRecord, flushed: x.flush() };
}

/** A's events from record i on: what the single pass gave (A = the single pass up to i). */
function tail(ref: Reference, i: number): TimelineEvent[] {
  return [...ref.perRecord.slice(i).flat(), ...ref.flushed];
}

function warmed(kind: string, records: readonly LogRecord[], from: number, to: number): Extractor {
  const x = createExtractor(kind);
  for (let k = from; k < to; k++) x.feed(records[k]!);
  return x;
}

function rest(x: Extractor, records: readonly LogRecord[], i: number): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (let k = i; k < records.length; k++) out.push(...x.feed(records[k]!));
  out.push(...x.flush());
  return out;
}

interface Tally {
  /** Split points where B missed records (i > w) and its state was compared. */
  compared: number;
  equal: number;
}

/**
 * Check every split point (at most `maxSplits` of them, evenly spread) for each warm-up length;
 * throws on equal states with different events. Returns per-warm-up tallies.
 */
function checkSplits(kind: string, records: readonly LogRecord[], label: string, maxSplits = 80): Map<number, Tally> {
  const ref = reference(kind, records);
  const tallies = new Map<number, Tally>(WARMUPS.map((w) => [w, { compared: 0, equal: 0 }]));
  const step = Math.max(1, Math.ceil((records.length + 1) / maxSplits));
  for (let i = 0; i <= records.length; i += step) {
    const a = ref.states[i]!;
    expect(a, `${label}: syncState at ${i}`).not.toBeNull();
    for (const w of WARMUPS) {
      const b = warmed(kind, records, Math.max(0, i - w), i);
      const bState = b.syncState();
      const t = tallies.get(w)!;
      if (i > w) t.compared++;
      if (a === null || bState !== a) continue;
      if (i > w) t.equal++;
      const got = rest(b, records, i);
      const want = tail(ref, i);
      if (!isDeepStrictEqual(got, want)) {
        expect(got, `${label}: kind ${kind}, split ${i}, warm-up ${w}, state ${a}`).toEqual(want);
        throw new Error(`${label}: kind ${kind}, split ${i}, warm-up ${w}: events differ (not deep-strict-equal)`);
      }
    }
  }
  return tallies;
}

// ---------------------------------------------------------------------------------------------
// Sample logs

let samples: Source[] = [];
beforeAll(async () => {
  samples = await readSamples();
});

describe('syncState on the sample logs', () => {
  it('reads sample logs of most kinds', () => {
    const kinds = new Set(samples.map((s) => s.kind));
    expect(samples.length).toBeGreaterThan(20);
    for (const k of ['CMGatewaySyncUploadWorker', 'CMGatewayNotificationWorker', 'GenericUploadWorker', 'BgbServer', 'CcmNotificationAgent', 'AdminService', 'Scripts']) {
      expect(kinds).toContain(k);
    }
  });

  it('equal states give equal events after the split (each log read by its own kind)', () => {
    const byKind = new Map<string, Map<number, Tally>>();
    for (const s of samples) {
      const tallies = checkSplits(s.kind, s.records, s.name, 60);
      const sum = byKind.get(s.kind) ?? new Map(WARMUPS.map((w) => [w, { compared: 0, equal: 0 }]));
      for (const [w, t] of tallies) {
        sum.get(w)!.compared += t.compared;
        sum.get(w)!.equal += t.equal;
      }
      byKind.set(s.kind, sum);
    }
    // Not vacuous: with 50 records of warm-up the states agree at most split points, for the
    // kinds whose sample logs are long enough to have such split points.
    let compared = 0;
    let equal = 0;
    for (const [kind, sum] of byKind) {
      const t = sum.get(50)!;
      compared += t.compared;
      equal += t.equal;
      if (t.compared >= 20) expect(t.equal / t.compared, `${kind}: equal states at w=50`).toBeGreaterThan(0.8);
    }
    expect(compared).toBeGreaterThan(500);
    expect(equal / compared).toBeGreaterThan(0.9);
    // ... and short warm-ups are compared too (the check runs where states may well differ).
    const w0 = [...byKind.values()].reduce((n, sum) => n + sum.get(0)!.equal, 0);
    expect(w0).toBeGreaterThan(300);
  });

  it('equal states give equal events after the split (every kind reading every sample log)', () => {
    for (const kind of LOG_KINDS) {
      for (const s of samples) checkSplits(kind, s.records, `${s.name} as ${kind}`, 6);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// An exception block open at the split point: the case that matters

const T0 = Date.UTC(2020, 1, 29, 0, 20, 31);
const OPTS = { log: 'L', bias: 480, localText: '02-28-2020 16:20:31.000' } as const;

function lineRecords(lines: readonly string[]): LogRecord[] {
  return lines.map((l, k) => rec(l, { ...OPTS, utcMs: T0 + k * 1000, line: k + 1, offset: k * 120 }));
}

describe('syncState with an exception block open at the split', () => {
  const before = ['Received new notification. Validating basic notification details...', 'Validating device action message content...'];
  const after = ['[GetNotifications] Response from https://x.example/api/gateway/Notification is: 204 (NoContent)'];
  const records = lineRecords([...before, ...EXCEPTION_BLOCK_401, ...after]);
  /** Split after `Exception details:` and the tag line: the message line comes next. */
  const split = before.length + 2;
  const kind = 'CMGatewayNotificationWorker';

  it('the states differ without a warm-up, and so do the events after the split', () => {
    const a = warmed(kind, records, 0, split);
    const b = warmed(kind, records, split, split);
    const aState = a.syncState();
    expect(b.syncState()).toBe('');
    expect(aState).not.toBeNull();
    expect(aState).not.toBe('');
    expect(aState).toContain('CMGatewayNotificationWorker');
    expect(aState).toContain('0x80131509');
    // The events do differ: B reads the message line as a loose `(401)` line, A closes the block.
    const aEvents = rest(a, records, split);
    const bEvents = rest(b, records, split);
    expect(aEvents.map((e) => e.kind)).toContain('exception');
    expect(bEvents).not.toEqual(aEvents);
    expect(bEvents.map((e) => e.kind)).toContain('http.error');
  });

  it('a warm-up that starts inside the block does not reach the same state', () => {
    for (let from = before.length + 1; from < split; from++) {
      expect(warmed(kind, records, from, split).syncState()).not.toBe(warmed(kind, records, 0, split).syncState());
    }
  });

  it('a warm-up that covers the block start reaches the same state and the same events', () => {
    const ref = reference(kind, records);
    for (let from = 0; from <= before.length; from++) {
      const b = warmed(kind, records, from, split);
      expect(b.syncState()).toBe(ref.states[split]);
      expect(rest(b, records, split)).toEqual(tail(ref, split));
    }
  });

  it('the state names the block’s records (absolute refs) and anchor', () => {
    const a = warmed(kind, records, 0, split);
    const state = a.syncState()!;
    // Same lines at other line numbers: another state (worker 2 uses absolute line numbers).
    const moved = lineRecords([...before, ...EXCEPTION_BLOCK_401, ...after]).map((r) => ({ ...r, line: r.line + 1000 }));
    expect(warmed(kind, moved, 0, split).syncState()).not.toBe(state);
    // Same lines with another time on the anchor: another state (the event takes its time).
    const retimed = records.map((r, k) => (k === before.length ? { ...r, utcMs: (r.utcMs ?? 0) + 1 } : r));
    expect(warmed(kind, retimed, 0, split).syncState()).not.toBe(state);
  });

  it('the state holds what the records held, not only where they were (other histories, same refs)', () => {
    // The same records at the same places, one holding one more stack frame: another state, and
    // the block's event says so.
    const lines = [...EXCEPTION_BLOCK_SQL, 'plain text'];
    const one = lineRecords(lines);
    const two = lineRecords(lines.map((l, k) => (k === 2 ? `${l}\n   at Foo.Bar()` : l)));
    const x = warmed(kind, one, 0, 3);
    const y = warmed(kind, two, 0, 3);
    expect(x.syncState()).not.toBe(y.syncState());
    expect(rest(x, one, 3)).not.toEqual(rest(y, one, 3));
  });
});

// ---------------------------------------------------------------------------------------------
// The stateful parts

describe('syncState of the parts that keep state', () => {
  const G1 = 'A43DD1B3-A006-4604-B012-5529380B3B6F';
  const G2 = '11111111-2222-4333-8444-555555555555';

  it('CcmNotificationAgent: a task awaiting its response is state', () => {
    const records = lineRecords([
      `Receive task from server with pushid=7, taskid=8, taskguid=${G1}, tasktype=1 and taskParam=`,
      'Some other line',
      'Send Task response message <BgbResponseMessage TimeStamp="2020-01-21T15:43:43Z"><PushID>8</PushID><TaskID>9</TaskID><ReturnCode>1</ReturnCode></BgbResponseMessage> successfully.',
    ]);
    const a = warmed('CcmNotificationAgent', records, 0, 2);
    const b = warmed('CcmNotificationAgent', records, 1, 2);
    expect(a.syncState()).toContain(G1);
    expect(b.syncState()).toBe('');
    expect(rest(a, records, 2)[0]!.fields.taskGuid).toBe(G1);
    expect(rest(b, records, 2)[0]!.fields.taskGuid).toBeNull();
  });

  it('CcmNotificationAgent: whether a task was answered is state', () => {
    const receive = `Receive task from server with pushid=7, taskid=8, taskguid=${G1}, tasktype=1 and taskParam=`;
    const respond = 'Send Task response message <BgbResponseMessage><PushID>1</PushID><TaskID>1</TaskID><ReturnCode>0</ReturnCode></BgbResponseMessage> successfully.';
    const open = lineRecords([receive, respond]);
    const answered = lineRecords([receive, respond, respond]);
    const x = warmed('CcmNotificationAgent', open, 0, 1);
    const y = warmed('CcmNotificationAgent', answered, 0, 2);
    expect(x.syncState()).not.toBe(y.syncState());
    // The unanswered task takes the next response; the answered one does not.
    expect(rest(x, open, 1)[0]!.fields.taskGuid).toBe(G1);
    expect(rest(y, answered, 2)[0]!.fields.taskGuid).toBeNull();
  });

  it('Scripts: a fast state message awaiting its result is state', () => {
    const records = lineRecords([`Sending script state message (fast): {${G1}}`, `Result are sent for ScriptGuid: ${G2} and TaskID: {${G1}}`]);
    expect(warmed('Scripts', records, 0, 1).syncState()).toContain(G1.toLowerCase());
    expect(warmed('Scripts', records, 1, 1).syncState()).toBe('');
    expect(warmed('Scripts', records, 0, 2).syncState()).toBe('');
  });

  it('MP_RelayMsgMgr: the last message key per thread is state', () => {
    const records = [`MessageKey: GUID:C1E2F3A4-1111-4222-8333-444455556666{${G1}}`, 'Create message succeeded for message id 16777230'].map((m, k) =>
      rec(m, { ...OPTS, line: k + 1, thread: '42' }),
    );
    const state = warmed('MP_RelayMsgMgr', records, 0, 1).syncState();
    expect(state).toContain('"thread":"42"');
    expect(state).toContain(G1);
    const other = records.map((r) => ({ ...r, thread: '43' }));
    expect(warmed('MP_RelayMsgMgr', other, 0, 1).syncState()).not.toBe(state);
  });

  it('AdminService: an open exception chain is state', () => {
    const records = lineRecords([
      'System.Data.SqlClient.SqlException: Execution Timeout Expired.  The timeout period elapsed prior to completion of the operation.',
      'System.ComponentModel.Win32Exception: The wait operation timed out',
    ]);
    expect(warmed('AdminService', records, 0, 1).syncState()).toContain('sql-timeout');
    expect(warmed('AdminService', records, 1, 1).syncState()).toBe('');
    // Equal states, equal events; different states, different events.
    expect(rest(warmed('AdminService', records, 0, 1), records, 1)).toHaveLength(0);
    expect(rest(warmed('AdminService', records, 1, 1), records, 1).map((e) => e.kind)).toEqual(['adminservice.error']);
  });

  it('every kind states its state (none returns null)', () => {
    for (const kind of LOG_KINDS) expect(createExtractor(kind).syncState(), kind).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------
// Generated logs

const BASE = 'https://us.gateway.configmgr.manage.microsoft.com/api/gateway';
const blockLines = [...EXCEPTION_BLOCK_400, ...EXCEPTION_BLOCK_401, ...EXCEPTION_BLOCK_SQL];
const stateful = [
  'Receive task from server with pushid=7, taskid=8, taskguid=A43DD1B3-A006-4604-B012-5529380B3B6F, tasktype=1 and taskParam=',
  'Receive task from server with pushid=9, taskid=12, taskguid=11111111-2222-4333-8444-555555555555, tasktype=15 and taskParam=',
  'Send Task response message <BgbResponseMessage TimeStamp="2020-01-21T15:43:43Z"><PushID>7</PushID><TaskID>8</TaskID><ReturnCode>0</ReturnCode></BgbResponseMessage> successfully.',
  'Send Task response message <BgbResponseMessage><PushID>1</PushID><TaskID>1</TaskID><ReturnCode>1</ReturnCode></BgbResponseMessage> successfully.',
  'Sending script state message (fast): {A43DD1B3-A006-4604-B012-5529380B3B6F}',
  'Result are sent for ScriptGuid: 7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14 and TaskID: {A43DD1B3-A006-4604-B012-5529380B3B6F}',
  'MessageKey: GUID:C1E2F3A4-1111-4222-8333-444455556666{A43DD1B3-A006-4604-B012-5529380B3B6F}',
  'MessageKey: GUID:C1E2F3A4-1111-4222-8333-444455556666{11111111-2222-4333-8444-555555555555}',
  'Put message succeeded for message id 16777230',
  'System.Data.SqlClient.SqlException: Execution Timeout Expired.',
  'System.Data.Entity.Core.EntityCommandExecutionException: An error occurred',
  'System.Security.SecurityException: The user name or password is incorrect.',
  `[GetNotifications] Response from ${BASE}/Notification is: 401 (Unauthorized)`,
  'Unexpected exception for worker CMGatewayNotificationWorker',
  'Exception details: The remote server returned an error: (403) Forbidden.',
];
const lineArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...blockLines) },
  { weight: 3, arbitrary: fc.constantFrom(...stateful) },
  { weight: 2, arbitrary: fc.constantFrom(...SAMPLES.flatMap((s) => s.lines)) },
  { weight: 1, arbitrary: fc.constantFrom('   at Foo.Bar()', 'plain text', '--- End of inner exception stack trace ---', 'Response in the web exception: {}') },
);
/** A record: one to three lines, a thread, a severity, a time that may repeat. */
const recordArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 3 }),
  thread: fc.constantFrom('1', '2'),
  severity: fc.constantFrom('info', 'warning', 'error') as fc.Arbitrary<LogRecord['severity']>,
  tick: fc.integer({ min: 0, max: 3 }),
});

function generated(list: readonly { lines: string[]; thread: string; severity: LogRecord['severity']; tick: number }[]): LogRecord[] {
  let line = 1;
  let offset = 0;
  return list.map((r) => {
    const message = r.lines.join('\n');
    const out = rec(message, { ...OPTS, utcMs: T0 + r.tick * 1000, line, offset, thread: r.thread, severity: r.severity });
    line += r.lines.length;
    offset += message.length + 2;
    return out;
  });
}

describe('syncState on generated logs', () => {
  it.each([...LOG_KINDS])('equal states give equal events after any split: %s', (kind) => {
    let equalAfterMiss = 0;
    fc.assert(
      fc.property(
        fc.array(recordArb, { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.nat({ max: 12 }),
        (list, at, w) => {
          const records = generated(list);
          const i = at % (records.length + 1);
          const a = warmed(kind, records, 0, i);
          const b = warmed(kind, records, Math.max(0, i - w), i);
          const state = a.syncState();
          if (state === null || b.syncState() !== state) return;
          if (i > w) equalAfterMiss++;
          expect(rest(b, records, i)).toEqual(rest(a, records, i));
        },
      ),
      { numRuns: 150 },
    );
    expect(equalAfterMiss).toBeGreaterThan(10);
  });

  it('a multi-line exception block split at any point: state and events agree', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(EXCEPTION_BLOCK_400, EXCEPTION_BLOCK_401, EXCEPTION_BLOCK_SQL),
        fc.array(fc.constantFrom(...SAMPLES.filter((s) => s.lines.length === 1).map((s) => s.lines[0]!)), { maxLength: 4 }),
        fc.array(fc.constantFrom(...SAMPLES.filter((s) => s.lines.length === 1).map((s) => s.lines[0]!)), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.nat({ max: 8 }),
        fc.constantFrom('CMGatewayNotificationWorker', 'GenericUploadWorker', 'generic', 'SmsAdminUI', 'BgbServer'),
        (blockLines, head, after, cut, w, kind) => {
          const records = lineRecords([...head, ...blockLines, ...after]);
          const start = head.length;
          // A split strictly inside the block: after its first line, before its last.
          const i = start + 1 + (cut % (blockLines.length - 1));
          const a = warmed(kind, records, 0, i);
          const b = warmed(kind, records, Math.max(0, i - w), i);
          const aState = a.syncState();
          expect(aState).not.toBe('');
          const sees = i - w <= start;
          if (sees) {
            expect(b.syncState()).toBe(aState);
            expect(rest(b, records, i)).toEqual(rest(a, records, i));
          } else {
            // B missed the block's first line: it cannot have the same block open.
            expect(b.syncState()).not.toBe(aState);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
