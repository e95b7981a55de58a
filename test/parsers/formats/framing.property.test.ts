import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Framer, parseText, renderCmtrace, renderSmsexec } from '../../../parsers/formats/index.js';
import type { LogRecord } from '../../../parsers/types.js';

const opts = { log: 'L', path: 'p' };
const SAMPLE = [
  'orphan tail of a rolled entry',
  'still orphan]LOG]!><time="10:00:00.000+480" date="01-02-2026" component="C" context="" type="3" thread="1" file="">',
  '<![LOG[Batching 12 records]LOG]!><time="10:00:01.000+480" date="01-02-2026" component="C" context="" type="1" thread="1" file="">',
  '<![LOG[Exception details:',
  '   at X.Y() — ünïcödé 日本',
  ']LOG]!><time="10:00:02.5+480" date="1-2-2026" component="C" context="" type="3" thread="1" file="">',
  'plain line',
  'srv line~~second  $$<SMS_SERVICE_CONNECTOR_X><01-02-2026 10:00:03.000+480><thread=7 (0x7)>',
  '',
  '<![LOG[unterminated',
].join('\r\n');

function frameChunks(text: string, cuts: number[]): LogRecord[] {
  const f = new Framer(opts);
  const out: LogRecord[] = [];
  let last = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    out.push(...f.push(text.slice(last, c)));
    last = c;
  }
  out.push(...f.push(text.slice(last)), ...f.end());
  return out;
}

describe('framing properties', () => {
  it('splitting the sample at every single boundary gives the same records', () => {
    const whole = parseText(SAMPLE, opts);
    expect(whole.length).toBe(6);
    for (let i = 0; i <= SAMPLE.length; i++) expect(frameChunks(SAMPLE, [i])).toEqual(whole);
  });
  it('any chunking of any mix of lines gives the same records', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 30 }).map((m) => renderCmtrace({ message: m.replace(/\]LOG\]!>|<!\[LOG\[/g, ''), time: '10:00:00.000+060', date: '01-02-2026', type: '2', component: 'C', thread: '1' })),
      fc.string({ maxLength: 30 }).map((m) => renderSmsexec({ message: m.replace(/\$\$</g, '').replace(/[\r\n]/g, ' '), component: 'X Y', stamp: '01-02-2026 10:00:00.000-060', thread: 5 })),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('<![LOG[', ']LOG]!><time="1:2:3.4+5" date="1-2-2026">', '\r', '\n', '日本', '$$<'),
    );
    fc.assert(fc.property(fc.array(line, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 6 }), (lines, rawCuts) => {
      const text = lines.join('\r\n');
      const cuts = rawCuts.map((c) => (text.length === 0 ? 0 : c % (text.length + 1)));
      expect(frameChunks(text, cuts)).toEqual(parseText(text, opts));
    }), { numRuns: 1500 });
  });
  it('render → parse gives the fields back, in both framed formats', () => {
    fc.assert(fc.property(
      fc.string({ maxLength: 40 }).filter((m) => !/\]LOG\]!>|<!\[LOG\[|\$\$<|~~|[\r\n]/.test(m) && m.trim() === m && m.length > 0),
      fc.integer({ min: -720, max: 840 }), fc.constantFrom('1', '2', '3'), fc.integer({ min: 0, max: 99999 }),
      (message, bias, type, thread) => {
        const b = (bias < 0 ? '-' : '+') + String(Math.abs(bias)).padStart(3, '0');
        const [c] = parseText(renderCmtrace({ message, time: '23:59:58.123' + b, date: '12-31-2025', type, component: 'Comp X', thread: String(thread) }), opts);
        expect(c).toMatchObject({ message, bias, component: 'Comp X', thread: String(thread), severity: { 1: 'info', 2: 'warning', 3: 'error' }[type] });
        expect(c!.utcMs).toBe(Date.UTC(2025, 11, 31, 23, 59, 58, 123) + bias * 60000);
        const [s] = parseText(renderSmsexec({ message, component: 'Comp X', stamp: '12-31-2025 23:59:58.123' + b, thread }), opts);
        expect(s).toMatchObject({ message, bias, component: 'Comp X', thread: String(thread), format: 'smsexec' });
        expect(s!.utcMs).toBe(c!.utcMs);
      }), { numRuns: 1000 });
  });
});
