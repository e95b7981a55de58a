/**
 * Every documented line in the three line shapes (CMTrace, server `$$<`, message-only), framed by
 * parseText: the extractors must read the same events from each.
 */
import { describe, expect, it } from 'vitest';
import { parseText, renderCmtrace, renderSmsexec } from '../../../parsers/formats/index.js';
import type { LogRecord, TimelineEvent } from '../../../parsers/types.js';
import { recs, run } from './helpers.js';
import { EXCEPTION_BLOCK_401, SAMPLES, type Sample } from './samples.js';

type Shape = 'cmtrace' | 'smsexec' | 'plain';
const SHAPES: Shape[] = ['cmtrace', 'smsexec', 'plain'];
const LOCAL = Date.UTC(2020, 1, 28, 16, 20, 31);
const BIAS = 480;

function render(entries: readonly Sample[], shape: Shape): string {
  return entries
    .map((s) => {
      const message = s.lines.join('\n');
      switch (shape) {
        case 'cmtrace':
          return renderCmtrace({ message, time: `16:20:31.000+${BIAS}`, date: '02-28-2020', component: 'SMS_SERVICE_CONNECTOR', type: '1', thread: '7' });
        case 'smsexec':
          return renderSmsexec({ message, component: 'SMS_SERVICE_CONNECTOR', stamp: `02-28-2020 16:20:31.000+${BIAS}`, thread: 7 });
        case 'plain':
          return message;
      }
    })
    .join('\r\n');
}

/** Kind, severity and fields; nextUtcMs is checked apart (it depends on the shape's bias). */
function meaning(list: readonly TimelineEvent[]): unknown[] {
  return list.map((e) => {
    const { nextUtcMs: _ignored, ...fields } = e.fields;
    return { kind: e.kind, severity: e.severity, fields };
  });
}

const byKind = new Map<string, Sample[]>();
for (const s of SAMPLES) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s]);

describe('the three line shapes', () => {
  for (const [kind, entries] of byKind) {
    const baseline = run(kind, recs(entries.flatMap((e) => e.lines), { log: kind }));
    for (const shape of SHAPES) {
      it(`${kind} in ${shape} shape`, () => {
        const records: LogRecord[] = parseText(render(entries, shape), { log: kind, path: `${kind}.log` });
        expect(records.every((r) => r.format === shape)).toBe(true);
        expect(records).toHaveLength(shape === 'plain' ? entries.reduce((n, e) => n + e.lines.length, 0) : entries.length);
        const list = run(kind, records);
        expect(list.length).toBeGreaterThan(0);
        expect(meaning(list)).toEqual(meaning(baseline));
        for (const e of list) {
          expect(e.log).toBe(kind);
          if (shape === 'plain') {
            expect(e.utcMs).toBeNull();
          } else {
            expect(e.utcMs).toBe(LOCAL + BIAS * 60_000);
            expect(e.bias).toBe(BIAS);
            expect(e.localText).toMatch(/^02-28-2020 16:20:31/);
          }
          if (e.kind === 'upload.next-run') {
            expect(e.fields.nextLocal).toBe('02/28/2020 16:35:31');
            expect(e.fields.nextUtcMs).toBe(shape === 'plain' ? null : Date.UTC(2020, 1, 29, 0, 35, 31));
          }
        }
      });
    }
  }

  it('an exception block is one entry in CMTrace and `$$<` shapes, and several records in plain text', () => {
    const sample: Sample = { kind: 'CMGatewayNotificationWorker', lines: EXCEPTION_BLOCK_401 };
    for (const shape of SHAPES) {
      const records = parseText(`${render([sample], shape)}\r\nBatching 1 records`, { log: sample.kind, path: 'n.log' });
      const ex = run(sample.kind, records).filter((e) => e.kind === 'exception');
      expect(ex).toHaveLength(1);
      const e = ex[0]!;
      expect(e.fields).toEqual({
        severityTag: 'Warning',
        worker: 'CMGatewayNotificationWorker',
        exceptionType: 'System.Net.WebException',
        hresult: '0x80131509',
        httpStatus: 401,
        message: 'The remote server returned an error: (401) Unauthorized.',
        stackLines: 2,
        response: '{"Message":"An error has occurred."}',
      });
      expect(e.text).toBe('Exception details:');
      expect(e.refs.map((r) => r.line)).toEqual(shape === 'plain' ? [1, 2, 3, 4, 5, 6] : [1]);
    }
  });
});
