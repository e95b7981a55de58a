import { describe, expect, it } from 'vitest';
import { parseText } from '../../../parsers/formats/index.js';

const opts = { log: 'L', path: 'x.log' };
const hdr = (t = '1', extra = '') => `<time="10:00:00.000+480" date="01-02-2026" component="Comp" context="" type="${t}" thread="42" file="a.cpp:1"${extra}>`;

describe('CMTrace format', () => {
  it('parses one entry with all fields', () => {
    const [r] = parseText(`<![LOG[hello]LOG]!>${hdr('3')}\r\n`, opts);
    expect(r).toMatchObject({ message: 'hello', component: 'Comp', thread: '42', severity: 'error', severitySource: 'type', format: 'cmtrace', line: 1, endLine: 1, offset: 0, srcFile: 'a.cpp:1' });
    expect(r!.length).toBe(Buffer.byteLength(`<![LOG[hello]LOG]!>${hdr('3')}\r\n`));
  });
  it('reads a line of 7,000 records (a log without line breaks) without running out of stack', () => {
    // (Longer lines keep only their head and tail; this one is whole, ~1 MB.)
    const one = `<![LOG[x]LOG]!>${hdr()}`;
    const rs = parseText(one.repeat(7000) + '\r\n', opts);
    expect(rs).toHaveLength(7000);
    expect(rs[6999]).toMatchObject({ message: 'x', line: 1, offset: 6999 * one.length });
  });
  it('keeps a multi-line message in one record with its line span and byte offsets', () => {
    const text = `<![LOG[first]LOG]!>${hdr()}\r\n<![LOG[Exception details:\r\n   at A.B()\r\n   at C.D()]LOG]!>${hdr('3')}\r\n<![LOG[after]LOG]!>${hdr()}\r\n`;
    const rs = parseText(text, opts);
    expect(rs.map((r) => r.message)).toEqual(['first', 'Exception details:\n   at A.B()\n   at C.D()', 'after']);
    expect(rs[1]).toMatchObject({ line: 2, endLine: 4, severity: 'error' });
    const buf = Buffer.from(text);
    for (const r of rs) expect(buf.subarray(r.offset, r.offset + 7).toString()).toBe('<![LOG[');
    expect(rs[2]!.offset + rs[2]!.length).toBe(buf.length);
  });
  it('accepts attributes in any order, upper case, missing, 1-digit date parts and 7 fraction digits', () => {
    const [a] = parseText('<![LOG[x]LOG]!><TYPE="2" Date="3-5-2026" Time="9:05:07.3093207" component="IME">', opts);
    expect(a).toMatchObject({ localText: '3-5-2026 9:05:07.3093207', bias: null, severity: 'warning', component: 'IME' });
    expect(new Date(a!.utcMs!).toISOString()).toBe('2026-03-05T09:05:07.309Z');
    const [b] = parseText('<![LOG[x]LOG]!><component="C">', opts);
    expect(b!.localMs).toBeNull();
    expect(b!.problems).toContain('entry header has no time');
  });
  it('empty or unknown type falls back to the text heuristic', () => {
    const [a] = parseText('<![LOG[Failed to send]LOG]!><time="10:00:00.000+000" date="01-02-2026" component="C" type="">', opts);
    expect(a).toMatchObject({ severity: 'error', severitySource: 'heuristic' });
    const [b] = parseText('<![LOG[all good]LOG]!><time="10:00:00.000+000" date="01-02-2026" component="C" type="9">', opts);
    expect(b!.problems?.[0]).toMatch(/unknown type/);
  });
  it('keeps a truncated first record after a rollover as partial, not glued to its neighbour', () => {
    const text = `tail of a message\r\nthat began in the .lo_]LOG]!>${hdr('3')}\r\n<![LOG[next]LOG]!>${hdr()}\r\n`;
    const rs = parseText(text, opts);
    expect(rs).toHaveLength(2);
    expect(rs[0]).toMatchObject({ partial: true, line: 1, endLine: 2, message: 'tail of a message\nthat began in the .lo_', severity: 'error' });
    expect(rs[1]).toMatchObject({ message: 'next', line: 3 });
  });
  it('an entry that never closes is emitted as partial with a reason', () => {
    const rs = parseText(`<![LOG[one]LOG]!>${hdr()}\n<![LOG[never closed\nstill going\n`, opts);
    expect(rs).toHaveLength(2);
    expect(rs[1]).toMatchObject({ partial: true, message: 'never closed\nstill going' });
    expect(rs[1]!.problems?.[0]).toMatch(/never closed/);
  });
  it('an opener before the previous entry closed ends the previous one as partial', () => {
    const rs = parseText(`<![LOG[broken\n<![LOG[ok]LOG]!>${hdr()}\n`, opts);
    expect(rs.map((r) => [r.message, !!r.partial])).toEqual([['broken', true], ['ok', false]]);
  });
  it('two entries on one physical line', () => {
    const rs = parseText(`<![LOG[a]LOG]!>${hdr()}<![LOG[b]LOG]!>${hdr()}\n`, opts);
    expect(rs.map((r) => r.message)).toEqual(['a', 'b']);
  });
  it('a header value containing > does not end the header early', () => {
    const [r] = parseText('<![LOG[m]LOG]!><time="10:00:00.000+000" date="01-02-2026" component="a>b" type="1" thread="1" file="">', opts);
    expect(r!.component).toBe('a>b');
  });
  it('applies a per-file bias override', () => {
    const [r] = parseText(`<![LOG[m]LOG]!>${hdr()}`, { ...opts, biasOverride: -60 });
    expect(r!.bias).toBe(-60);
    expect(new Date(r!.utcMs!).toISOString()).toBe('2026-01-02T09:00:00.000Z');
  });
  it('keeps head and tail of a giant record and reports the skipped middle', async () => {
    const { Framer } = await import('../../../parsers/formats/framer.js');
    const f = new Framer({ ...opts, maxRecordChars: 1000 });
    const big = 'x'.repeat(50_000);
    const rs = [...f.push(`<![LOG[${big}]LOG]!>${hdr('3')}\n<![LOG[next]LOG]!>${hdr()}\n`), ...f.end()];
    expect(rs).toHaveLength(2);
    expect(rs[0]!.severity).toBe('error');
    expect(rs[0]!.message.length).toBeLessThan(2000);
    expect(f.skipped.length).toBeGreaterThan(0);
    expect(rs[1]!.message).toBe('next');
  });
});
