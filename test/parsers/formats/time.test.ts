import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { biasAsOffset, formatBias, fractionToMs, isoUtc, isoUtcMs, readBias, toUtc, US_DATETIME_SRC, usDateTimeMs, wallClockMs } from '../../../parsers/formats/time.js';

/** A message's `MM/dd/yyyy HH:mm:ss` read the way the extractors read it. */
function parseUsDateTime(t: string): number | null {
  const m = new RegExp(`^${US_DATETIME_SRC}`).exec(t);
  return m ? usDateTimeMs(m, 1) : null;
}
import { parseText } from '../../../parsers/formats/index.js';

describe('time: UTC = local + bias (Windows TIME_ZONE_INFORMATION convention)', () => {
  it('worked example +420 (Pacific daylight) from the docs', () => {
    const [r] = parseText('<![LOG[x]LOG]!><time="14:24:33.329+420" date="06-26-2015" component="C" context="" type="1" thread="1" file="">', { log: 'L', path: 'p' });
    expect(r!.localText).toBe('06-26-2015 14:24:33.329');
    expect(r!.bias).toBe(420);
    expect(isoUtc(r!.utcMs)).toBe('2015-06-26T21:24:33.329Z');
  });
  it('worked example -120 (central European summer) crosses midnight backwards', () => {
    const [r] = parseText('<![LOG[x]LOG]!><time="01:38:47.034-120" date="07-16-2016" component="C" context="" type="1" thread="1" file="">', { log: 'L', path: 'p' });
    expect(isoUtc(r!.utcMs)).toBe('2016-07-15T23:38:47.034Z');
  });
  it('reads 2- and 3-digit biases, +000 and missing', () => {
    expect(readBias('+480')).toEqual({ bias: 480 });
    expect(readBias('-60')).toEqual({ bias: -60 });
    expect(readBias('+000')).toEqual({ bias: 0 });
    expect(readBias('')).toEqual({ bias: null });
  });
  it('reads the WMI-sign `+-360` as +360 and flags it; flags implausible biases', () => {
    const r = readBias('+-360');
    expect(r.bias).toBe(360);
    expect(r.problem).toMatch(/malformed/);
    const i = readBias('+9999');
    expect(i.bias).toBeNull();
    expect(i.problem).toMatch(/implausible/);
    expect(readBias('+abc').problem).toMatch(/malformed/);
  });
  it('rejects impossible dates instead of rolling them over', () => {
    expect(wallClockMs(2023, 2, 29, 0, 0, 0)).toBeNull();
    expect(wallClockMs(2024, 2, 29, 0, 0, 0)).not.toBeNull();
    expect(wallClockMs(2024, 4, 31, 0, 0, 0)).toBeNull();
    expect(wallClockMs(2024, 13, 1, 0, 0, 0)).toBeNull();
    expect(wallClockMs(2024, 1, 1, 24, 0, 0)).toBeNull();
  });
  it('fractions of 1 to 7 digits', () => {
    expect(fractionToMs('5')).toBe(500);
    expect(fractionToMs('32')).toBe(320);
    expect(fractionToMs('3093207')).toBe(309);
  });
  it('message-embedded times', () => {
    expect(isoUtc(toUtc(parseUsDateTime('02/28/2020 16:35:31'), 480))).toBe('2020-02-29T00:35:31.000Z');
    expect(isoUtc(isoUtcMs('2020-01-21T15:43:43Z'))).toBe('2020-01-21T15:43:43.000Z');
    expect(parseUsDateTime('13/45/2020 10:00:00')).toBeNull();
  });
  it('formats biases for people', () => {
    expect(formatBias(480)).toBe('+480');
    expect(formatBias(-60)).toBe('-060');
    expect(biasAsOffset(480)).toBe('UTC-08:00');
    expect(biasAsOffset(-120)).toBe('UTC+02:00');
  });
});

describe('isoUtc', () => {
  it('is toISOString, whatever came before (it reuses the previous second\'s text)', () => {
    const ms = fc.oneof(
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.integer({ min: 1_700_000_000_000, max: 1_700_000_003_000 }),
      fc.integer({ min: -2_000, max: 2_000 }),
      fc.double({ min: -1e13, max: 1e13, noNaN: true }),
    );
    fc.assert(fc.property(fc.array(ms, { minLength: 1, maxLength: 40 }), (list) => {
      for (const m of list) expect(isoUtc(m)).toBe(new Date(m).toISOString());
    }), { numRuns: 300 });
    expect(isoUtc(null)).toBeNull();
  });
});
