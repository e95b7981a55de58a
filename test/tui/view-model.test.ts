import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import stringWidth from 'string-width';
import type { LogRecord, Severity } from '../../parsers/types.js';
import type { Row } from '../../src/analysis/session.js';
import type { SortedEvent } from '../../src/analysis/model.js';
import { parseFilter } from '../../src/tui/filter.js';
import { timelineRow, findingRow } from '../../src/tui/rows.js';
import { lineText } from '../../src/tui/styled.js';
import {
  barFor, buildHistogram, buildRecordIndex, buildRowView, eventsOf, resolveCursor, rowAt, targetFor, visibleBuckets,
} from '../../src/tui/view-model.js';

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
  const sev: Severity[] = ['info', 'error', 'info', 'warning', 'error'];
  const rows = sev.map((s, i) => row(rec(i + 1, { severity: s }), i));

  it('filters to store positions', () => {
    const v = buildRowView(rows, parseFilter('sev:error').filter);
    expect(v.count).toBe(2);
    expect(rowAt(v, 0)!.rec.line).toBe(2);
    expect(rowAt(v, 1)!.rec.line).toBe(5);
    expect(rowAt(v, 2)).toBeUndefined();
    expect(buildRowView(rows, null).count).toBe(5);
  });

  it('keeps the selected record when rows are merged in above it', () => {
    const v1 = buildRowView(rows, null);
    const state = { cursor: 3, anchor: { seq: 3, sortMs: rows[3]!.sortMs }, follow: false };
    expect(resolveCursor(v1, state)).toBe(3);
    // Another file's records arrive and sort in before it.
    const earlier = [row(rec(0, { path: '/logs/Other.log' }), 10), row(rec(1, { path: '/logs/Other.log' }), 11)];
    const merged = [...earlier, ...rows].sort((a, b) => a.sortMs - b.sortMs || a.seq - b.seq);
    expect(resolveCursor(buildRowView(merged, null), state)).toBe(merged.findIndex((r) => r.seq === 3));
  });

  it('falls back to the nearest row in time when the anchored one is filtered out', () => {
    const v = buildRowView(rows, parseFilter('sev:error').filter);
    const state = { cursor: 3, anchor: { seq: 3, sortMs: rows[3]!.sortMs }, follow: false };
    expect(rowAt(v, resolveCursor(v, state))!.rec.line).toBe(5);
  });

  it('follows the last row', () => {
    expect(resolveCursor(buildRowView(rows, null), { cursor: 0, anchor: null, follow: true })).toBe(4);
  });

  it('targetFor finds a line inside a multi-line record, and reports a row hidden by the filter', () => {
    const multi = [row(rec(1), 0), row(rec(2, { endLine: 6, severity: 'error' }), 1), row(rec(7), 2)];
    const all = buildRowView(multi, null);
    expect(targetFor(all, '/logs/CMGatewayNotificationWorker.log', 4, 'x', 1).row).toBe(1);
    const filtered = buildRowView(multi, parseFilter('sev:error').filter);
    const hidden = targetFor(filtered, '/logs/CMGatewayNotificationWorker.log', 7, 'x', 1);
    expect(hidden.row).toBeNull();
    expect(hidden.anchor).toEqual({ seq: 2, sortMs: multi[2]!.sortMs });
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
  it('counts records and errors per bucket and marks the visible buckets', () => {
    const rows = Array.from({ length: 100 }, (_, i) => row(rec(i, { severity: i === 99 ? 'error' : 'info' }), i));
    const v = buildRowView(rows, null);
    const h = buildHistogram(v, 10);
    expect(h.buckets.reduce((n, b) => n + b.count, 0)).toBe(100);
    expect(h.buckets[9]!.errors).toBe(1);
    expect(h.buckets.slice(0, 9).every((b) => b.errors === 0)).toBe(true);
    expect(visibleBuckets(h, v, 0, 9)).toEqual({ first: 0, last: 0 });
    expect(visibleBuckets(h, v, 90, 99)).toEqual({ first: 9, last: 9 });
    expect(buildHistogram(buildRowView([], null), 10).max).toBe(0);
  });

  it('bars: empty is blank, one record still shows, the max is full', () => {
    expect(barFor(0, 10)).toBe(' ');
    expect(barFor(1, 1000)).toBe('▁');
    expect(barFor(1000, 1000)).toBe('█');
  });
});

describe('timeline and finding rows', () => {
  const base = { events: [] as SortedEvent[], timeMode: 'local' as const, wideTime: false, machine: null };

  it('marks the selection with > and severity with a letter', () => {
    const sel = lineText(timelineRow(row(rec(3, { severity: 'error', message: 'boom\nsecond line' }), 0), { ...base, selected: true, width: 80 }));
    expect(sel).toMatch(/^> E   09:00:03\.000 GwNotify\s+boom\s*$/);
    expect(sel).not.toContain('second line');
    expect(stringWidth(sel)).toBe(80); // the selected bar spans the pane
    const w = lineText(timelineRow(row(rec(3, { severity: 'warning' }), 0), { ...base, selected: false, width: 80 }));
    expect(w).toMatch(/^  W   /);
  });

  it('a row that carries an event gets ◆ and the kind', () => {
    const ev = { kind: 'gateway.response' } as SortedEvent;
    expect(lineText(timelineRow(row(rec(3), 0), { ...base, events: [ev], selected: false, width: 100 }))).toMatch(/^  I ◆ .*\[gw\.response\] message 3/);
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
