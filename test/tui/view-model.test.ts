import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import stringWidth from 'string-width';
import type { LogRecord } from '../../parsers/types.js';
import type { Row, RowEvents } from '../../src/analysis/session.js';
import type { SortedEvent } from '../../src/analysis/model.js';
import { parseFilter } from '../../src/tui/filter.js';
import { timelineRow, findingRow } from '../../src/tui/rows.js';
import { lineText } from '../../src/tui/styled.js';
import {
  anchorAt, barFor, buildHistogram, buildRecordIndex, buildRowView, eventsOf, resolveCursor, rowAt, targetFor, visibleBuckets,
} from '../../src/tui/view-model.js';
import { addLog, cmAt, storeOf } from './helpers.js';

function rec(line: number, over: Partial<LogRecord> = {}): LogRecord {
  const utcMs = Date.UTC(2026, 0, 14, 9, 0, line);
  return {
    log: 'CMGatewayNotificationWorker', path: '/logs/CMGatewayNotificationWorker.log', offset: line * 100, length: 100, line, endLine: line,
    localText: `01-14-2026 09:00:${String(line % 60).padStart(2, '0')}.000`, localMs: utcMs, bias: 0, utcMs,
    component: 'SMS_SERVICE_CONNECTOR', thread: '1', severity: 'info', severitySource: 'heuristic', message: `message ${line}`, format: 'smsexec',
    ...over,
  };
}

const row = (r: LogRecord, seq: number): Row => ({ rec: r, sortMs: r.utcMs ?? Number.NEGATIVE_INFINITY, seq, sourceId: 's1' });

describe('row view and the anchored cursor', () => {
  // info, error, info, warning, error at 09:00:01..05
  const types = [1, 3, 1, 2, 3] as const;
  const text = types.map((t, i) => cmAt(i + 1, `message ${i + 1}`, t)).join('\r\n') + '\r\n';

  it('filters to store positions; rows are read back from the log', async () => {
    const store = await storeOf({ '/logs/CMGatewayNotificationWorker.log': text });
    const v = buildRowView(store, parseFilter('sev:error').filter);
    expect(v.count).toBe(2);
    expect(rowAt(v, 0)!.rec).toMatchObject({ line: 2, message: 'message 2', severity: 'error' });
    expect(rowAt(v, 1)!.rec.line).toBe(5);
    expect(rowAt(v, 2)).toBeUndefined();
    expect(buildRowView(store, null).count).toBe(5);
    expect(buildRowView(store, parseFilter('log:gateway').filter).count).toBe(5);
    expect(buildRowView(store, parseFilter('-log:gateway').filter).count).toBe(0);
  });

  it('keeps the selected record when rows are merged in above it', async () => {
    const store = await storeOf({ '/logs/CMGatewayNotificationWorker.log': text });
    const v1 = buildRowView(store, null);
    const state = { cursor: 3, anchor: anchorAt(v1, 3), follow: false };
    expect(resolveCursor(v1, state)).toBe(3);
    // Another file's records arrive and sort in before it.
    await addLog(store, '/logs/Other.log', `${cmAt(0, 'other 0')}\r\n${cmAt(2, 'other 2')}\r\n`);
    const v2 = buildRowView(store, null);
    const at = resolveCursor(v2, state);
    expect(at).toBe(5);
    expect(rowAt(v2, at)!.rec.message).toBe('message 4');
  });

  it('falls back to the nearest row in time when the anchored one is filtered out', async () => {
    const store = await storeOf({ '/logs/CMGatewayNotificationWorker.log': text });
    const anchor = anchorAt(buildRowView(store, null), 3);
    const v = buildRowView(store, parseFilter('sev:error').filter);
    expect(rowAt(v, resolveCursor(v, { cursor: 3, anchor, follow: false }))!.rec.line).toBe(5);
  });

  it('follows the last row', async () => {
    const store = await storeOf({ '/logs/CMGatewayNotificationWorker.log': text });
    expect(resolveCursor(buildRowView(store, null), { cursor: 0, anchor: null, follow: true })).toBe(4);
  });

  it('targetFor finds a line inside a multi-line record, and reports a row hidden by the filter', async () => {
    const multi = `${cmAt(1, 'one')}\r\n<![LOG[two\r\nthree\r\nfour]LOG]!><time="09:00:02.000+000" date="01-14-2026" component="C" context="" type="3" thread="1" file="">\r\n${cmAt(3, 'five')}\r\n`;
    const store = await storeOf({ '/logs/CMGatewayNotificationWorker.log': multi });
    const all = buildRowView(store, null);
    expect(rowAt(all, 1)!.rec).toMatchObject({ line: 2, endLine: 4, message: 'two\nthree\nfour' });
    expect(targetFor(all, '/logs/CMGatewayNotificationWorker.log', 3, 'x', 1).row).toBe(1);
    const filtered = buildRowView(store, parseFilter('sev:error').filter);
    const hidden = targetFor(filtered, '/logs/CMGatewayNotificationWorker.log', 5, 'x', 1);
    expect(hidden.row).toBeNull();
    expect(hidden.anchor).toEqual(anchorAt(all, 2));
    expect(targetFor(filtered, '/nowhere.log', 1, 'x', 1)).toMatchObject({ row: null, anchor: null });
  });
});

describe('events of a row', () => {
  it('finds the events whose anchor is the row, by time then path and line', () => {
    const rows = [1, 2, 3, 4].map((l, i) => row(rec(l), i));
    const ev = (line: number, kind: string): SortedEvent => ({
      kind, log: 'CMGatewayNotificationWorker', utcMs: rows[line - 1]!.sortMs, localText: null, bias: 0, severity: 'info', summary: kind,
      fields: {}, refs: [{ path: '/logs/CMGatewayNotificationWorker.log', line, offset: 0 }], text: '', sortMs: rows[line - 1]!.sortMs,
      seq: line, sourceId: 's1', machine: null, logKind: 'x',
    });
    const idx = buildRecordIndex({ events: [ev(2, 'gateway.request'), ev(4, 'gateway.response'), ev(4, 'aad.error')], chains: [], cycles: [], sources: [] });
    expect(eventsOf(idx, rows[0]!)).toEqual([]);
    expect(eventsOf(idx, rows[1]!).map((e) => e.kind)).toEqual(['gateway.request']);
    expect(eventsOf(idx, rows[3]!).map((e) => e.kind)).toEqual(['gateway.response', 'aad.error']);
  });
});

describe('activity histogram', () => {
  it('counts records and errors per bucket and marks the visible buckets', async () => {
    const text = Array.from({ length: 100 }, (_, i) => cmAt(i, `m${i}`, i === 99 ? 3 : 1)).join('\r\n');
    const store = await storeOf({ '/logs/X.log': text });
    const v = buildRowView(store, null);
    const h = buildHistogram(v, 10);
    expect(h.buckets.reduce((n, b) => n + b.count, 0)).toBe(100);
    expect(h.buckets[9]!.errors).toBe(1);
    expect(h.buckets.slice(0, 9).every((b) => b.errors === 0)).toBe(true);
    expect(visibleBuckets(h, v, 0, 9)).toEqual({ first: 0, last: 0 });
    expect(visibleBuckets(h, v, 90, 99)).toEqual({ first: 9, last: 9 });
    expect(buildHistogram(buildRowView(await storeOf({}), null), 10).max).toBe(0);
  });

  it('counts what a row-by-row count gives, filtered or not, whatever the times (binary search per bucket)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: 600 }), fc.constantFrom(1, 2, 3) as fc.Arbitrary<1 | 2 | 3>), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), async (rows, n, filtered) => {
        const text = rows.map(([sec, type], i) => cmAt(sec, `m${i}`, type)).join('\r\n');
        const store = await storeOf({ '/logs/A.log': text, '/logs/B.log': `no time yet\r\n${cmAt(300, 'b', 3)}` });
        const v = buildRowView(store, filtered ? parseFilter('sev:e,w').filter : null);
        const h = buildHistogram(v, n);
        // Row by row, as the histogram was first written.
        const times = Array.from({ length: v.count }, (_, i) => rowAt(v, i)!).filter((r) => Number.isFinite(r.sortMs));
        const from = times[0]!.sortMs;
        const span = Math.max(1, times[times.length - 1]!.sortMs - from);
        const want = Array.from({ length: n }, () => ({ count: 0, errors: 0, warnings: 0 }));
        for (const r of times) {
          const b = want[Math.min(n - 1, Math.max(0, Math.floor(((r.sortMs - from) / span) * n)))]!;
          b.count++;
          if (r.rec.severity === 'error') b.errors++;
          if (r.rec.severity === 'warning') b.warnings++;
        }
        expect(h.buckets).toEqual(want);
        expect(h.fromMs).toBe(from);
      }),
      { numRuns: 150 },
    );
  });

  it('bars: empty is blank, one record still shows, the max is full', () => {
    expect(barFor(0, 10)).toBe(' ');
    expect(barFor(1, 1000)).toBe('▁');
    expect(barFor(1000, 1000)).toBe('█');
  });
});

describe('timeline and finding rows', () => {
  const none: RowEvents = { kind: null, count: 0, severity: 'unknown' };
  const base = { events: none, timeMode: 'local' as const, wideTime: false, machine: null };

  it('marks the selection with > and severity with a letter', () => {
    const sel = lineText(timelineRow(row(rec(3, { severity: 'error', message: 'boom\nsecond line' }), 0), { ...base, selected: true, width: 80 }));
    expect(sel).toMatch(/^> E   09:00:03\.000 GwNotify\s+boom\s*$/);
    expect(sel).not.toContain('second line');
    expect(stringWidth(sel)).toBe(80); // the selected bar spans the pane
    const w = lineText(timelineRow(row(rec(3, { severity: 'warning' }), 0), { ...base, selected: false, width: 80 }));
    expect(w).toMatch(/^  W   /);
  });

  it('a row that carries an event gets ◆ and the kind, and is as severe as its worst event', () => {
    const ev: RowEvents = { kind: 'gateway.response', count: 1, severity: 'info' };
    expect(lineText(timelineRow(row(rec(3), 0), { ...base, events: ev, selected: false, width: 100 }))).toMatch(/^  I ◆ .*\[gw\.response\] message 3/);
    const two: RowEvents = { kind: 'gateway.response', count: 2, severity: 'error' };
    expect(lineText(timelineRow(row(rec(3), 0), { ...base, events: two, selected: false, width: 100 }))).toMatch(/^  E ◆ .*\[gw\.response\+1\] message 3/);
  });

  it('UTC mode shows Z times; several machines prefix the log', () => {
    const l = lineText(timelineRow(row(rec(3), 0), { ...base, timeMode: 'utc', machine: 'SCP01', selected: false, width: 100 }));
    expect(l).toMatch(/09:00:03\.000Z SCP01:GwNotify/);
  });

  it('log text cannot reach the terminal as escape sequences', () => {
    const evil = rec(3, { message: 'x\u001b]0;owned\u0007\u001b[2J\u202eevil', log: 'Log\u001b[31m' });
    const l = lineText(timelineRow(row(evil, 0), { ...base, selected: false, width: 100 }));
    expect(l).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('never wider than the pane, whatever the message (wide characters included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '日', '😀', ' ', 'é', '\t', 'Z') }), fc.integer({ min: 20, max: 200 }), fc.boolean(), (msg, width, selected) => {
        const l = lineText(timelineRow(row(rec(3, { message: msg }), 0), { ...base, selected, width }));
        expect(stringWidth(l)).toBeLessThanOrEqual(width);
      }),
    );
  });

  it('a finding row shows severity, count and title', () => {
    const f = { ruleId: 'gateway-unauthorized', severity: 'error', title: 'The gateway answers 401', count: 23 } as Parameters<typeof findingRow>[0];
    expect(lineText(findingRow(f, true, true, 60))).toMatch(/^> E ×23 +The gateway answers 401 +gateway-unauthorized/);
  });
});
